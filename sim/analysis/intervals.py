"""The interval table (intervals.csv): one row per interval x channel x queue, the plan (the
forecast, the agents scheduled, the agents Erlang requires) beside what the run measured (every
contact measure by arrival interval, mean and 95% CI over replications)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from sim.analysis.bins import AgentTime, agent_time, interval_edges, time_in_bins
from sim.analysis.figure import mean_ci_frame, pooled_ci_frame
from sim.analysis.kpis import METRICS, POOLED, complete, contact_kpis
from sim.analysis.planning import offered_traffic, required_agents
from sim.clock import format_clock
from sim.model import Model


def interval_table(
    model: Model,
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    replications: int,
    time: AgentTime | None = None,
) -> pd.DataFrame:
    """One row per interval x channel x queue: the forecast (`forecast_offered`: every contact
    expected, those the IVR or bot will contain included; `forecast_queued`: those expected to
    reach the queue), agents scheduled and Erlang-required (sized on `forecast_queued`), and
    every contact measure (mean, `_lo`, `_hi`) by arrival interval. `time`: the run's
    `agent_time` when the caller has it already."""
    edges = interval_edges(model)
    if time is None:
        time = agent_time(contacts, agents, replications, edges)
    pairs = list(dict.fromkeys((t.channel, t.skill) for t in model.contact_types))
    keys = ["channel", "queue", "interval"]
    figures = _measured(model, contacts, replications, time, pairs, keys)
    plan = [row for channel, queue in pairs for row in _plan(model, channel, queue, edges)]
    table = pd.DataFrame(plan).merge(figures, on=keys, how="left")
    measures = [c for metric in METRICS for c in (metric, f"{metric}_lo", f"{metric}_hi")]
    table = table[list(plan[0]) + measures]
    return table.sort_values(["interval", "channel", "queue"], kind="stable").reset_index(drop=True)


def _measured(
    model: Model,
    contacts: pd.DataFrame,
    replications: int,
    time: AgentTime,
    pairs: list[tuple[str, str]],
    keys: list[str],
) -> pd.DataFrame:
    """Every METRIC by `keys` (channel, queue, interval): mean, `_lo`, `_hi` over replications;
    occupancy that of the agents holding the queue's skill."""
    n = model.demand.n_intervals
    levels = [*keys, "replication"]
    index = pd.MultiIndex.from_tuples(
        [(c, q, k, r) for c, q in pairs for k in range(n) for r in range(replications)],
        names=levels,
    )
    per_rep = contact_kpis(contacts, keys, model.short_abandon_s)
    per_rep = complete(per_rep.reorder_levels(levels), index)
    for queue in model.queues:
        rows = per_rep.index.get_level_values("queue") == queue
        ks = per_rep.index.get_level_values("interval")[rows]
        rs = per_rep.index.get_level_values("replication")[rows]
        per_rep.loc[rows, "occupancy"] = time.by_interval(time.holding({queue}))[rs, ks]
    flat = per_rep.reset_index()
    means = mean_ci_frame(flat[[*keys, *METRICS]], keys)
    pooled = pooled_ci_frame(flat, keys, POOLED)
    means[pooled.columns] = pooled  # the ratios pooled over replications (kpis.POOLED)
    return means.reset_index()


def _plan(
    model: Model, channel: str, queue: str, edges: npt.NDArray[np.float64]
) -> list[dict[str, object]]:
    """The plan's columns of one channel and queue, one row per interval."""
    offered = forecast_offered(model, channel, queue)
    traffic = offered_traffic(model, channel, queue)
    erlang_c, erlang_a = required_agents(model, channel, queue, traffic)
    scheduled = scheduled_agents(model, queue, edges)
    is_open = model.channel(channel).open_during(edges)
    return [
        {
            "channel": channel,
            "queue": queue,
            "interval": k,
            "start": format_clock(edges[k]),
            "open": int(is_open[k]),
            "forecast_offered": offered[k],
            "forecast_queued": traffic.queued[k],
            "agents_scheduled": scheduled[k],
            "erlang_c_required": erlang_c[k],
            "erlang_a_required": erlang_a[k],
        }
        for k in range(model.demand.n_intervals)
    ]


def forecast_offered(model: Model, channel: str, queue: str) -> npt.NDArray[np.float64]:
    """Per interval: every contact of `channel` for `queue` the forecast expects (first
    attempts; those the IVR or bot will contain included)."""
    rows = [
        i for i, t in enumerate(model.contact_types) if t.channel == channel and t.skill == queue
    ]
    offered: npt.NDArray[np.float64] = model.demand.volumes[rows].sum(axis=0)
    return offered


def scheduled_agents(
    model: Model, queue: str, edges: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Planned agents holding `queue`'s skill on duty (shift less planned breaks), averaged
    over each bin of `edges`: the plan as the roster has it, whoever turns up on the day."""
    shifts = [s for a in model.agents if queue in a.skills for s in a.shifts]
    breaks = [b for s in shifts for b in s.breaks]
    on = time_in_bins([s.start_s for s in shifts], [s.end_s for s in shifts], edges)
    off = time_in_bins(
        [b.start_s for b in breaks], [b.start_s + b.duration_s for b in breaks], edges
    )
    return (on - off) / np.diff(edges)
