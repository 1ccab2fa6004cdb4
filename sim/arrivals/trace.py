"""The replay's contacts: a contact log's arrivals as the engine's contacts, the rest drawn.

What the log knows of each contact is kept (arrival, type, containment, segment, front-end
time, customer, and with `handle: true` the handle time); patience is the logged wait for an
abandoner and drawn conditioned on exceeding it for the others; the rest comes from the usual
streams per contact type, so common random numbers hold across rosters (`sim.inputs.trace`
has the whole story)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.arrivals.contacts import Contacts
from sim.arrivals.forecast import _front_end, _segments, announce_draws, routing_draws
from sim.model import Model, Trace
from sim.records import ABANDONED, ANSWERED, CONTAINED
from sim.streams import Stream, rng


def replay_contacts(model: Model, seed: int, replication: int) -> Contacts:
    """The log's contacts for one replication: the log's arrivals and what it knows of each,
    the rest drawn per contact type from the usual streams (see the module's docstring)."""
    trace = model.trace
    assert trace is not None
    n = len(trace)
    segment = np.empty(n, dtype=np.int32)
    patience, handle, wrapup, front = (np.empty(n) for _ in range(4))
    override, transfer_queue = np.full(n, -1, np.int32), np.full(n, -1, np.int32)
    transfer_work, announce = np.full(n, np.nan), np.full((n, 4), np.nan)
    contained = trace.outcome == CONTAINED
    interval = (trace.arrival_s // model.demand.interval_s).astype(np.int64)
    logged_handle = (
        trace.handle_s / (_logged_speed(model, trace) * _logged_stretch(model, trace))
        if trace.use_handle
        else None
    )
    for t, ctype in enumerate(model.contact_types):
        rows = np.flatnonzero(trace.type_index == t)
        k = len(rows)
        if not k:
            continue
        drawn = _segments(model, seed, replication, t, k)
        segment[rows] = np.where(trace.segment_index[rows] >= 0, trace.segment_index[rows], drawn)
        patience[rows] = _patience(model, trace, rows, segment[rows], seed, replication, t)
        base = ctype.handle.sample(rng(seed, replication, Stream.HANDLE, t), k)
        if model.demand.handle_factor is not None:
            base = base * model.demand.handle_factor[t, interval[rows]]
        if logged_handle is not None:
            answered = trace.outcome[rows] == ANSWERED
            base = np.where(answered, logged_handle[rows], base)
        drawn_wrapup = ctype.wrapup.sample(rng(seed, replication, Stream.WRAPUP, t), k)
        routes = routing_draws(
            model, t, base, drawn_wrapup, rng(seed, replication, Stream.TRANSFER, t)
        )
        handle[rows], wrapup[rows], override[rows], transfer_queue[rows] = routes[:4]
        transfer_work[rows] = routes[4]
        time, _ = _front_end(model, ctype, seed, replication, t, k)  # (containment: the log's)
        logged = trace.front_s[rows]
        has_front = model.channel(ctype.channel).front_end is not None
        front[rows] = np.where(has_front & ~np.isnan(logged), logged, time)
        announce[rows] = announce_draws(model, t, k, rng(seed, replication, Stream.ANNOUNCE, t))
    return Contacts(
        arrival_s=trace.arrival_s,
        type_index=trace.type_index,
        segment_index=segment,
        patience_s=patience,
        handle_s=handle,
        wrapup_s=wrapup,
        front_s=front,
        contained=contained,
        queue_override=override,
        transfer_queue=transfer_queue,
        transfer_work_s=transfer_work,
        announce_draws=announce,
        customer=trace.customer,
        attempt=trace.attempts(),
    )


def _logged_speed(model: Model, trace: Trace) -> np.ndarray:
    """Per contact, the proficiency factor on its queue of the agent the log says answered it,
    when that agent is in the roster (1 otherwise): a logged handle time is as worked, so a
    senior's quick call is the customer's longer need, worked again by whoever takes it."""
    speeds = np.ones(len(trace))
    if trace.agent is None:
        return speeds
    roster = {a.name: a for a in model.agents}
    pairs = pd.DataFrame({"agent": trace.agent, "type": trace.type_index})
    known = pairs["agent"].isin(list(roster)).to_numpy()
    if not known.any():
        return speeds
    factor = {
        (name, t): roster[name].speed_on(model.contact_types[t].skill)
        for name, t in pairs[known].drop_duplicates().itertuples(index=False)
    }
    keys = pd.MultiIndex.from_frame(pairs[known])
    speeds[known] = pd.Series(factor).reindex(keys).to_numpy(dtype=float)
    return speeds


def _logged_stretch(model: Model, trace: Trace) -> np.ndarray:
    """Per contact, the chat stretch its logged handle time was worked under: 1 + stretch x
    the chats its agent already held when it was answered (seen from the log's own overlaps:
    the agent's other answered chats that started before it and had not yet ended). A logged
    chat time is wall-clock time while holding others; the replay stretches again from the
    chats held in the replay, so the log's time is first brought back to the customer's need.
    1 where the log has no agent ids or the queue takes a whole agent."""
    stretch = np.ones(len(trace))
    if trace.agent is None:
        return stretch
    queue_stretch = {
        k: model.channel(t.channel).concurrency_stretch for k, t in enumerate(model.contact_types)
    }
    per_contact = np.array([queue_stretch[k] or 0.0 for k in trace.type_index])
    chats = (per_contact > 0) & (trace.outcome == ANSWERED) & pd.notna(trace.agent)
    if not chats.any():
        return stretch
    front = np.nan_to_num(trace.front_s, nan=0.0)
    start = trace.arrival_s + front + trace.wait_s
    end = start + trace.handle_s
    rows = np.flatnonzero(chats)
    order = rows[np.lexsort((start[rows], trace.agent[rows].astype(str)))]
    held = np.zeros(len(trace))
    ongoing: dict[object, list[float]] = {}
    for i in order:
        ends = [e for e in ongoing.get(trace.agent[i], []) if e > start[i]]
        held[i] = len(ends)
        ends.append(end[i])
        ongoing[trace.agent[i]] = ends
    stretch[rows] = 1.0 + per_contact[rows] * held[rows]
    return stretch


def _patience(model, trace: Trace, rows, segment, seed, replication, t) -> np.ndarray:
    """Abandoned: the logged wait. Everyone else: drawn beyond the logged wait (they were
    still there), one uniform per contact from the (type, segment) patience stream."""
    wait = trace.wait_s[rows]
    waited = np.nan_to_num(wait, nan=0.0)
    patience = np.full(len(rows), np.inf)
    for s in range(len(model.segments)):
        mask = segment == s
        dist = model.patience_of(t, s)
        if dist is None or not mask.any():
            continue
        u = rng(seed, replication, Stream.PATIENCE, t, s).random(int(mask.sum()))
        patience[mask] = dist.sample_beyond(u, waited[mask])
    abandoned = trace.outcome[rows] == ABANDONED
    patience[abandoned] = wait[abandoned]
    return patience
