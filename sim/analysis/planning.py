"""Erlang planning: the traffic the forecast sends to each queue, and the agents Erlang C and
Erlang A require for it (intervals.csv's `erlang_c_required`, `erlang_a_required`; the staffing
search's starting point, `sim.staffing.requirement`).

Each (channel, queue) is sized per interval on the contacts expected to reach the queue (the
forecast less what the IVR or bot contains), their mean work, and, for Erlang A, their mean
patience; at the model's target and the channel's threshold (`sim.analysis.erlang`). Two
approximations, documented in the README: patience is taken as exponential with the mean
abandonment rate of the interval's type mix, and a concurrent channel (chat) is sized in
chat slots, then divided by the mean slots of the agents holding the skill.
"""

from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from sim.analysis.erlang import agents_required
from sim.model import Model


class Traffic(NamedTuple):
    """What the forecast sends to one queue from one channel, per interval."""

    queued: npt.NDArray[np.float64]  # contacts expected to reach the queue (first attempts)
    work_s: npt.NDArray[np.float64]  # mean work per contact, handle plus wrap-up (s)
    patience_s: list[float | None]  # mean patience (None: nobody abandons)


def offered_traffic(model: Model, channel: str, queue: str) -> Traffic:
    """Per interval: the volume expected to reach `queue` from `channel` (the forecast less what
    the IVR or bot contains), the mean work per contact (with the interval's handle times when
    the forecast gives them; `Model.interval_mean_work`) and the mean patience (None: nobody
    abandons), which moves with the type mix when types have patience or segments of their own."""
    rows = [
        i for i, t in enumerate(model.contact_types) if t.channel == channel and t.skill == queue
    ]
    kept = np.array([1 - model.contact_types[i].contained for i in rows])
    volumes = model.demand.volumes[rows] * kept[:, None]
    aht = model.interval_mean_work(queue, channel)
    thetas = np.array([abandon_rate(model, t) for t in rows])
    if (thetas == thetas[0]).all():
        theta = np.full(volumes.shape[1], thetas[0])
    else:  # weighted by each type's volume in the interval (the day's where there is none)
        total = volumes.sum(axis=0)
        weights = volumes.sum(axis=1)
        day = np.average(thetas, weights=weights) if weights.sum() > 0 else thetas.mean()
        mixed = (thetas[:, None] * volumes).sum(axis=0) / np.where(total > 0, total, 1.0)
        theta = np.where(total > 0, mixed, day)
    patience = [1.0 / float(th) if th > 0 else None for th in theta]
    return Traffic(volumes.sum(axis=0), aht, patience)


def abandon_rate(model: Model, t: int) -> float:
    """Erlang A's theta (per second) for type-`t` contacts: abandonment rates averaged over
    segments (a segment that never abandons adds 0). An approximation when patience is not
    exponential, documented in the README."""
    shares = model.segment_shares(t)
    return sum(
        (
            shares[s] / dist.mean
            for s in range(len(model.segments))
            if (dist := model.patience_of(t, s)) is not None
        ),
        0.0,
    )


def chat_slots(model: Model, channel: str, queue: str) -> tuple[float, float]:
    """For a concurrent channel: the mean chat slots of the agents holding the queue's skill,
    and the factor stretching a chat's work as if every slot were busy. Erlang then sizes
    slots, and agents are slots / that mean (an approximation, documented). Otherwise (1, 1)."""
    stretch = model.channel(channel).concurrency_stretch
    holders = [a.max_chats for a in model.agents if queue in a.skills]
    if stretch is None or not holders:
        return 1.0, 1.0
    slots = float(np.mean(holders))
    return slots, 1 + stretch * (slots - 1)


def required_agents(
    model: Model, channel: str, queue: str, traffic: Traffic
) -> tuple[list[int], list[int]]:
    """Per interval, the agents Erlang C and Erlang A require for `traffic` (this pair's
    `offered_traffic`) to meet the model's target within the channel's threshold, rounded up;
    chat sized in slots (`chat_slots`)."""
    # Intervals with the same traffic (a flat forecast, the same hour on every day of a week)
    # need the same agents: each distinct case is worked out once.
    required = functools.lru_cache(maxsize=None)(agents_required)
    slots, per_chat = chat_slots(model, channel, queue)
    aht = traffic.work_s * per_chat  # work per chat, as if every slot were busy
    threshold = model.channel(channel).threshold_s
    erlang_c, erlang_a = [], []
    for k, volume in enumerate(traffic.queued):
        rate = volume / model.demand.interval_s
        erlang_c.append(math.ceil(required(rate, aht[k], threshold, model.target_sl) / slots))
        erlang_a.append(
            math.ceil(
                required(rate, aht[k], threshold, model.target_sl, patience=traffic.patience_s[k])
                / slots
            )
        )
    return erlang_c, erlang_a
