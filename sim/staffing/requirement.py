"""The starting requirement: agents needed per queue and interval, by Erlang on the forecast.

For every (channel, queue) pair of the channels the menu can staff (`menu.staffed_channels`),
each interval's forecast traffic (the volume left after the IVR or bot,
`sim.analysis.planning.offered_traffic`) is sized with `sim.analysis.erlang.agents_required` at
the queue's target service level (`Model.targets`) and the channel's threshold: Erlang A where
customers abandon (and Erlang C where they do not, or with `erlang: C`), with the queue's
abandonment cap if it has one (a cap over the run, applied to every interval: on the safe side). Chat queues are sized in slots
and divided by the mean slots of the agents holding the skill, as the interval table does
(`sim.analysis.planning.chat_slots`). A queue fed by several channels needs the sum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.analysis.erlang import agents_required
from sim.analysis.intervals import scheduled_agents
from sim.analysis.planning import chat_slots, offered_traffic
from sim.model import Model
from sim.staffing.menu import Menu, staffed_channels


@dataclass(frozen=True)
class Requirement:
    """`need[i, k]`: agents required for `queues[i]` in interval k (0: no requirement)."""

    queues: tuple[str, ...]
    need: np.ndarray
    edges: np.ndarray  # interval boundaries, seconds

    def copy(self, need: np.ndarray) -> Requirement:
        return Requirement(self.queues, need, self.edges)


def intervals(model: Model) -> np.ndarray:
    demand = model.demand
    return np.arange(demand.n_intervals + 1) * demand.interval_s


def erlang_requirement(model: Model, menu: Menu) -> Requirement:
    edges = intervals(model)
    staffed = staffed_channels(model, menu)
    pairs = list(
        dict.fromkeys((t.channel, t.skill) for t in model.contact_types if t.channel in staffed)
    )
    queues = tuple(dict.fromkeys(q for _, q in pairs))
    need = np.zeros((len(queues), len(edges) - 1))
    for channel, queue in pairs:
        goals = model.targets.of_queue(queue, channel)
        if model.channel(channel).deferrable:
            continue  # a deadline, not a queue: the simulation decides
        forecast, aht, patience = offered_traffic(model, channel, queue)
        slots, per_chat = chat_slots(model, channel, queue)
        threshold = model.channel(channel).threshold_s
        row = queues.index(queue)
        for k, volume in enumerate(forecast):
            if volume <= 0:
                continue
            abandon = patience[k] if menu.erlang == "A" else None
            n = agents_required(
                volume / model.demand.interval_s,
                aht[k] * per_chat,
                threshold,
                goals.service_level,
                patience=abandon,
                max_abandon=goals.abandon_max if abandon is not None else None,
            )
            need[row, k] += math.ceil(n / slots)
    return Requirement(queues, need, edges)


def scheduled(model: Model, queues: tuple[str, ...], edges: np.ndarray) -> np.ndarray:
    """Agents of the model on duty (off break) per queue and interval, as the report counts
    them (`sim.analysis.intervals.scheduled_agents`)."""
    return np.array([scheduled_agents(model, q, edges) for q in queues])
