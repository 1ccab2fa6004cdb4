"""Who calls, when, and what they bring: every contact of a replication, drawn up front.

Arrivals are a non-homogeneous Poisson process with a rate that is constant within each
planning interval: the count in each interval is Poisson with the forecast mean (times the day's
busyness factor) and the times are uniform inside it. This is exact for a piecewise-constant
rate, so a 15-minute peak is honoured in full, unlike sampling the next gap from the rate in
force at the previous arrival.

Each contact's segment, patience, handle and wrap-up times are drawn here too, from streams of
their own per contact type, so the customers do not change when staffing or routing does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.model import Model
from sim.streams import Stream, rng


@dataclass(frozen=True)
class Contacts:
    """All contacts of one replication in arrival order (columnar: one array per attribute)."""

    arrival_s: np.ndarray
    type_index: np.ndarray
    segment_index: np.ndarray
    patience_s: np.ndarray  # inf: never abandons
    handle_s: np.ndarray
    wrapup_s: np.ndarray
    front_s: np.ndarray  # time in the IVR or with the bot (0 where the channel has none)
    contained: np.ndarray  # bool: the IVR or bot resolves it

    def __len__(self) -> int:
        return len(self.arrival_s)


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
        parts.append(
            (
                times,
                np.full(n, t, dtype=np.int32),
                segment,
                _patience(model, ctype.channel, segment, seed, replication, t),
                ctype.handle.sample(rng(seed, replication, Stream.HANDLE, t), n),
                ctype.wrapup.sample(rng(seed, replication, Stream.WRAPUP, t), n),
                *_front_end(model, ctype, seed, replication, t, n),
            )
        )
    columns = [np.concatenate(c) for c in zip(*parts, strict=True)]
    order = np.argsort(columns[0], kind="stable")
    return Contacts(*(c[order] for c in columns))


def _front_end(model, ctype, seed, replication, t, n) -> tuple[np.ndarray, np.ndarray]:
    """Time at the IVR or bot, and whether it resolves the contact there."""
    front_end = model.channel(ctype.channel).front_end
    if front_end is None:
        return np.zeros(n), np.zeros(n, dtype=bool)
    front_rng = rng(seed, replication, Stream.FRONT_END, t)
    time = front_end.time.sample(front_rng, n)
    return time, front_rng.random(n) < ctype.contained


def _segments(model: Model, seed: int, replication: int, t: int, n: int) -> np.ndarray:
    shares = np.array([s.share for s in model.segments])
    cumulative = np.cumsum(shares / shares.sum())
    u = rng(seed, replication, Stream.SEGMENT, t).random(n)
    return np.minimum(np.searchsorted(cumulative, u, side="right"), len(shares) - 1).astype(
        np.int32
    )


def _patience(model, channel, segment, seed, replication, t) -> np.ndarray:
    patience = np.full(len(segment), np.inf)
    for s, seg in enumerate(model.segments):
        dist = model.patience.get((channel, seg.name))
        if dist is None:
            continue
        mask = segment == s
        # One sub-stream per (type, segment): a segment's draws do not depend on the others'.
        patience[mask] = dist.sample(rng(seed, replication, Stream.PATIENCE, t, s), int(mask.sum()))
    return patience
