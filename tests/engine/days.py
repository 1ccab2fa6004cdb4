"""Hand-made days for the engine's tests: a small Model and its contacts, built tersely.

A test builds the centre it needs (`centre`, with `agent`, `calls`, `channel`), lists its
contacts with their arrival, patience and handle times (`contacts`), runs them on the engine
(`run`, `day`) and reads the records back by name (`served_by`, `rows`). Every duration is
exact (the contacts carry their own handle times; the types' distributions are only what the
model says), so each answer, abandonment, break and log-off can be worked out by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.arrivals import Contacts
from sim.distributions import Deterministic
from sim.engine.centre import Centre
from sim.model import Agent, Break, Channel, ContactType, Demand, Model, Segment, Shift, Transfer
from sim.records import Records

INF = math.inf
DAY = 86400.0
REGULAR = (Segment("regular", 1.0, 0),)
VIP_AND_REGULAR = (Segment("vip", 0.5, 1), Segment("regular", 0.5, 0))


def channel(name: str = "phone", threshold_s: float = 20.0, **kw: Any) -> Channel:
    """A channel open all day (`kw`: any other `Channel` field)."""
    return Channel(name, kw.pop("open_s", 0.0), kw.pop("close_s", DAY), threshold_s, **kw)


def calls(
    name: str = "calls",
    channel: str = "phone",
    skill: str | None = None,
    handle: float = 100.0,
    wrapup: float = 0.0,
    transfer_to: str | None = None,
    **kw: Any,
) -> ContactType:
    """A contact type queued for `skill` (its own name by default); `transfer_to`: some of
    its contacts need that queue after (which ones, and for how long: `contacts(legs=...)`)."""
    if transfer_to is not None:
        kw["transfer"] = Transfer(transfer_to, 0.0, Deterministic(0.0))  # (drawn: none)
    return ContactType(
        name, channel, skill or name, Deterministic(handle), Deterministic(wrapup), **kw
    )


def agent(
    name: str,
    skills: Sequence[str] = ("calls",),
    start: float = 0.0,
    end: float = 3600.0,
    breaks: Sequence[tuple[float, float]] = (),
    group: str = "agents",
    shifts: Sequence[tuple[float, float]] | None = None,
    **kw: Any,
) -> Agent:
    """An agent on one shift `start`-`end` with `breaks` as (start, duration) pairs, or on
    `shifts` (start, end) without breaks; `shifts=()` for an on-call agent."""
    if shifts is None:
        planned = (Shift(start, end, tuple(Break(s, d) for s, d in breaks)),)
    else:
        planned = tuple(Shift(s, e) for s, e in shifts)
    return Agent(name, frozenset(skills), planned, group, **kw)


def centre(
    agents: Sequence[Agent],
    types: Sequence[ContactType] = (),
    channels: Sequence[Channel] = (),
    segments: Sequence[Segment] = REGULAR,
    hours: int = 24,
    **kw: Any,
) -> Model:
    """A model of these agents and contact types (one `calls` type by default) on these
    channels (by default one open all day for each channel the types name), over `hours`
    (the horizon) with no forecast: the contacts come from `contacts`. `kw`: any other
    `Model` field."""
    types = tuple(types) or (calls(),)
    if not channels:
        channels = tuple(channel(name) for name in dict.fromkeys(t.channel for t in types))
    return Model(
        name="hand-made",
        channels=tuple(channels),
        segments=tuple(segments),
        contact_types=types,
        demand=Demand(3600.0, np.zeros((len(types), hours))),
        agents=tuple(agents),
        **kw,
    )


def contacts(
    model: Model,
    arrivals: Sequence[float],
    *,
    types: Any = 0,
    segments: Any = 0,
    patience: Any = INF,
    handle: Any = 100.0,
    wrapup: Any = 0.0,
    front: Any = 0.0,
    contained: Any = False,
    legs: dict[int, tuple[str, float]] | None = None,
    wrong_queue: dict[int, str] | None = None,
    announce: Any = None,
) -> Contacts:
    """The day's contacts arriving at `arrivals` (in order). Each attribute is one value for
    all or one per contact; `types` and `segments` by index or name. `legs[i]`: contact i's
    second leg, (queue, work seconds); `wrong_queue[i]`: the queue its first leg waits in (an
    IVR misroute). `announce`: each contact's (balk u, accept u, reach u, callback attempt s)
    for an announcing IVR (by default nobody balks or accepts a callback)."""
    n = len(arrivals)
    if np.any(np.diff(arrivals) < 0):
        raise ValueError("the day's contacts come in order of arrival")
    queues = list(model.queues)

    def column(value: Any, dtype: Any, names: Sequence[str] = ()) -> np.ndarray:
        if isinstance(value, str) or (
            isinstance(value, Sequence) and value and isinstance(value[0], str)
        ):
            values = [value] * n if isinstance(value, str) else value
            value = [list(names).index(v) for v in values]
        return np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()

    transfer_queue = np.full(n, -1, dtype=np.int32)
    transfer_work = np.full(n, np.nan)
    for i, (queue, work) in (legs or {}).items():
        transfer_queue[i], transfer_work[i] = queues.index(queue), work
    override = np.full(n, -1, dtype=np.int32)
    for i, queue in (wrong_queue or {}).items():
        override[i] = queues.index(queue)
    announcing = any(c.front_end is not None and c.front_end.announce for c in model.channels)
    if announcing and announce is None:
        announce = (1.0, 1.0, 1.0, 0.0)
    if (legs or wrong_queue) and not model.has_transfers:
        raise ValueError("legs and misroutes need a model with transfers (the engine ignores them)")
    routed = model.has_transfers
    return Contacts(
        arrival_s=column(arrivals, float),
        type_index=column(types, np.int32, [t.name for t in model.contact_types]),
        segment_index=column(segments, np.int32, [s.name for s in model.segments]),
        patience_s=column(patience, float),
        handle_s=column(handle, float),
        wrapup_s=column(wrapup, float),
        front_s=column(front, float),
        contained=column(contained, bool),
        queue_override=override if routed else None,
        transfer_queue=transfer_queue if routed else None,
        transfer_work_s=transfer_work if routed else None,
        announce_draws=None
        if announce is None
        else np.broadcast_to(announce, (n, 4)).astype(float),
    )


def run(model: Model, day_contacts: Contacts, seed: int = 0, replication: int = 0) -> Centre:
    """The engine's run of these contacts (the centre, for its parts and `records()`)."""
    engine = Centre(model, day_contacts, seed, replication)
    engine.run()
    return engine


def day(model: Model, arrivals: Sequence[float], seed: int = 0, **kw: Any) -> Records:
    """Run `model` on contacts arriving at `arrivals` (`kw` as in `contacts`): the records."""
    return run(model, contacts(model, arrivals, **kw), seed).records()


def served_by(model: Model, records: Records) -> list[str | None]:
    """Each contact's agent, by name (None: nobody answered it)."""
    return [model.agents[a].name if a >= 0 else None for a in records.agent_index.tolist()]


def rows(model: Model, records: Records, kind: str) -> list[tuple[str, float, float]]:
    """The agent log's rows of `kind` (shift, break, absent, late, call_in, move) as
    (agent name, start, end), in the order logged."""
    log = records.agent_log
    return [
        (model.agents[a].name, s, e)
        for a, k, s, e in zip(log.agent, log.kind, log.start_s, log.end_s, strict=True)
        if k == kind
    ]


def planned_ends(model: Model, records: Records) -> dict[str, list[float]]:
    """Each agent's shift rows' planned ends (overtime is a row's end past it)."""
    log = records.agent_log
    out: dict[str, list[float]] = {}
    for a, k, p in zip(log.agent, log.kind, log.planned_end_s, strict=True):
        if k == "shift":
            out.setdefault(model.agents[a].name, []).append(p)
    return out
