"""Who calls, when, and what they bring: every contact of a replication, drawn up front.

Arrivals are a non-homogeneous Poisson process with a rate that is constant within each
planning interval: the count in each interval is Poisson with the forecast mean (times the day's
busyness factor) and the times are uniform inside it. This is exact for a piecewise-constant
rate, so a 15-minute peak is honoured in full, unlike sampling the next gap from the rate in
force at the previous arrival.

Each contact's segment, patience, handle and wrap-up times are drawn here too, from streams of
their own per contact type, so the customers do not change when staffing or routing does. A
type may have its own segment mix and patience (`Model.segment_shares`, `Model.patience_of`),
and a forecast AHT scales each handle draw by its arrival interval's factor.
"""

from __future__ import annotations

import numpy as np

from sim.arrivals.contacts import Contacts
from sim.model import Model
from sim.streams import Stream, rng


def busyness_factors(model: Model, seed: int, replication: int) -> np.ndarray:
    """One gamma factor per simulated day, mean 1 and the configured coefficient of variation:
    the whole day runs busier or quieter than forecast (a Poisson-gamma day)."""
    n_days = int(np.ceil(model.demand.horizon_s / 86400.0))
    cv = model.demand.busyness_cv
    if cv == 0:
        return np.ones(n_days)
    shape = 1.0 / cv**2
    return rng(seed, replication, Stream.BUSYNESS).gamma(shape, 1.0 / shape, n_days)


def generate_contacts(model: Model, seed: int, replication: int) -> Contacts:
    demand = model.demand
    starts = np.arange(demand.n_intervals) * demand.interval_s
    day_factor = busyness_factors(model, seed, replication)[(starts // 86400).astype(int)]
    parts = []
    for t, ctype in enumerate(model.contact_types):
        arrivals_rng = rng(seed, replication, Stream.ARRIVALS, t)
        counts = arrivals_rng.poisson(demand.volumes[t] * day_factor)
        times = np.repeat(starts, counts) + arrivals_rng.uniform(0, demand.interval_s, counts.sum())
        times.sort()
        n = len(times)
        segment = _segments(model, seed, replication, t, n)
        handle = ctype.handle.sample(rng(seed, replication, Stream.HANDLE, t), n)
        if demand.handle_factor is not None:
            # The forecast's handle time for the arrival interval scales the base draw; the
            # draw itself is unchanged, so common random numbers hold across AHT forecasts.
            handle = handle * demand.handle_factor[t, np.repeat(np.arange(len(counts)), counts)]
        wrapup = ctype.wrapup.sample(rng(seed, replication, Stream.WRAPUP, t), n)
        routes = routing_draws(model, t, handle, wrapup, rng(seed, replication, Stream.TRANSFER, t))
        parts.append(
            (
                times,
                np.full(n, t, dtype=np.int32),
                segment,
                _patience(model, segment, seed, replication, t),
                *routes[:2],
                *_front_end(model, ctype, seed, replication, t, n),
                *routes[2:],
                announce_draws(model, t, n, rng(seed, replication, Stream.ANNOUNCE, t)),
            )
        )
    columns = [np.concatenate(c) for c in zip(*parts, strict=True)]
    order = np.argsort(columns[0], kind="stable")
    return Contacts(*(c[order] for c in columns))


def routing_draws(model: Model, t: int, handle, wrapup, stream: np.random.Generator):
    """Misroutes and transfers of type-`t` contacts with these handle and wrap-up times.

    Returns (first-leg handle, first-leg wrap-up, queue override, transfer queue, transfer
    work). A misrouted contact's first leg is a short handle in a wrong queue of its channel;
    its real handle and wrap-up become the second leg, in its own queue. Otherwise a
    `transfer.share` of contacts get a second leg in the `transfer.to` queue."""
    ctype = model.contact_types[t]
    queues = list(model.queues)
    n = len(handle)
    handle, wrapup = np.array(handle, dtype=float), np.array(wrapup, dtype=float)
    override = np.full(n, -1, dtype=np.int32)
    transfer_queue = np.full(n, -1, dtype=np.int32)
    transfer_work = np.full(n, np.nan)
    if ctype.misroute == 0 and ctype.transfer is None:
        return handle, wrapup, override, transfer_queue, transfer_work
    misrouted = stream.random(n) < ctype.misroute
    transferred = ~misrouted & (stream.random(n) < (ctype.transfer.share if ctype.transfer else 0))
    if misrouted.any():
        wrong = wrong_queues(model, ctype)
        override[misrouted] = np.asarray(wrong)[stream.integers(0, len(wrong), misrouted.sum())]
        transfer_queue[misrouted] = queues.index(ctype.skill)
        transfer_work[misrouted] = handle[misrouted] + wrapup[misrouted]
        front_end = model.channel(ctype.channel).front_end
        assert front_end is not None and front_end.misroute_handle is not None  # (config checks)
        handle[misrouted] = front_end.misroute_handle.sample(stream, int(misrouted.sum()))
        wrapup[misrouted] = 0.0
    if transferred.any():
        assert ctype.transfer is not None
        transfer_queue[transferred] = queues.index(ctype.transfer.to)
        transfer_work[transferred] = ctype.transfer.handle.sample(stream, int(transferred.sum()))
    return handle, wrapup, override, transfer_queue, transfer_work


def announce_draws(model: Model, t: int, n: int, stream: np.random.Generator) -> np.ndarray:
    """Each contact's draws for an announcing IVR: whether it balks, accepts and is reached by
    a callback (uniforms), and the callback attempt's length; NaN rows where not announced."""
    front_end = model.channel(model.contact_types[t].channel).front_end
    draws = np.full((n, 4), np.nan)
    if front_end is None or front_end.announce is None:
        return draws
    draws[:, :3] = stream.random((n, 3))
    attempt = front_end.announce.callback_attempt
    draws[:, 3] = attempt.sample(stream, n) if attempt is not None else 0.0
    return draws


def wrong_queues(model: Model, ctype) -> list[int]:
    """The queues of a type's channel other than its own: where the IVR may misroute it."""
    queues = list(model.queues)
    return sorted(
        {queues.index(t.skill) for t in model.contact_types if t.channel == ctype.channel}
        - {queues.index(ctype.skill)}
    )


def _front_end(model, ctype, seed, replication, t, n) -> tuple[np.ndarray, np.ndarray]:
    """Time at the IVR or bot, and whether it resolves the contact there."""
    front_end = model.channel(ctype.channel).front_end
    if front_end is None:
        return np.zeros(n), np.zeros(n, dtype=bool)
    front_rng = rng(seed, replication, Stream.FRONT_END, t)
    time = front_end.time.sample(front_rng, n)
    return time, front_rng.random(n) < ctype.contained


def _segments(model: Model, seed: int, replication: int, t: int, n: int) -> np.ndarray:
    shares = model.segment_shares(t)  # the type's own mix, else the scenario's
    cumulative = np.cumsum(shares / shares.sum())
    u = rng(seed, replication, Stream.SEGMENT, t).random(n)
    return np.minimum(np.searchsorted(cumulative, u, side="right"), len(shares) - 1).astype(
        np.int32
    )


def _patience(model, segment, seed, replication, t) -> np.ndarray:
    patience = np.full(len(segment), np.inf)
    for s in range(len(model.segments)):
        dist = model.patience_of(t, s)  # the type's own, else its channel's
        if dist is None:
            continue
        mask = segment == s
        # One sub-stream per (type, segment): a segment's draws do not depend on the others'.
        patience[mask] = dist.sample(rng(seed, replication, Stream.PATIENCE, t, s), int(mask.sum()))
    return patience
