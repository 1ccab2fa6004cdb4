"""Evaluate a candidate roster by simulation and judge it by the one rule: holds, at risk or breaks.

Every evaluation runs replications 0..N-1 from the same seed (common random numbers: the same
customers, patience and handle times, so two candidates differ by their staffing, not by
luck), writes no report, and builds what a run's report judges by: the interval table
(`sim.analysis.intervals.interval_table`) and the run-level figures pooled over the
replications (summary.json's `kpis` and `backlog`). `sim.analysis.verdict.judge` then says,
with the model's targets (`Model.targets`, the `targets` config group), whether each channel
and queue holds, is at risk or breaks: the very answer `python -m sim` gives the roster on the
same seed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from sim.analysis.backlog import backlog_summary
from sim.analysis.bins import agent_time, interval_edges, time_in_bins_by
from sim.analysis.intervals import interval_table
from sim.analysis.judgement import Level, Miss, misses_goal, worst
from sim.analysis.kpis import summarise_kpis
from sim.analysis.summary import targets_section
from sim.analysis.tables import agents_frame, contacts_frame
from sim.analysis.verdict import ChannelVerdict, QueueVerdict, judge
from sim.model import Model
from sim.runner import simulate_all
from sim.staffing.menu import Menu, staffed_channels


@dataclass(frozen=True)
class Evaluation:
    """One candidate's simulated days, judged. `staffed`: the channels the menu's templates
    can staff, the ones the search must make hold (the others are judged and reported only)."""

    table: pd.DataFrame  # the interval table, with `agents_on_queue` (`agents_on_queue`)
    verdicts: list[ChannelVerdict]
    staffed: frozenset[str]

    @property
    def passed(self) -> bool:
        """Every channel the menu can staff holds."""
        return self.level is Level.HOLDS

    @property
    def level(self) -> Level:
        """The worst level of the channels the menu can staff."""
        return worst([v.level for v in self.verdicts if v.channel in self.staffed])

    @property
    def failing(self) -> dict[str, list[int]]:
        """Per queue of a staffed channel that does not hold: the intervals to raise
        (`to_raise`)."""
        return to_raise(self.verdicts, self.table, self.staffed)


def evaluate(model: Model, menu: Menu, seed: int) -> Evaluation:
    runs = simulate_all(
        model, seed, menu.replications, menu.workers, keep_workers=True, ray=menu.ray
    )
    reps = menu.replications
    contacts, agents = contacts_frame(model, runs), agents_frame(model, runs)
    time = agent_time(contacts, agents, reps, interval_edges(model))
    table = interval_table(model, contacts, agents, reps, time)
    table["agents_on_queue"] = agents_on_queue(model, contacts, agents, reps, table)
    horizon_s = model.demand.n_intervals * model.demand.interval_s
    figures = {
        "service_level": {
            "threshold_s_by_channel": {c.name: c.threshold_s for c in model.channels},
            "short_abandon_s": model.short_abandon_s,
        },
        "targets": targets_section(model),
        "kpis": summarise_kpis(model, contacts, agents, reps, time),
        "backlog": backlog_summary(model, contacts, reps, horizon_s),
    }
    verdicts = judge(figures, table, model.demand.interval_s)
    return Evaluation(table, verdicts, staffed_channels(model, menu))


# --- what to raise -------------------------------------------------------------------------------


def to_raise(
    verdicts: list[ChannelVerdict], table: pd.DataFrame, staffed: Iterable[str]
) -> dict[str, list[int]]:
    """Per queue, the intervals whose requirement the search raises: in every staffed channel
    that does not hold, the intervals a queue that does not hold misses, and for a goal missed
    over the run (the queue's or the channel's: abandonment, occupancy...) the intervals on its
    wrong side (the worst judged one when none is). A deferrable queue that does not hold has
    no interval to blame: every judged interval of it is raised (one agent more all day)."""
    out: dict[str, set[int]] = {}
    for channel in verdicts:
        if channel.channel not in staffed or channel.met:
            continue
        for queue in channel.queues:
            rows = judged_rows(table, queue)
            if queue.backlog is not None:
                if not queue.met:
                    out.setdefault(queue.queue, set()).update(int(k) for k in rows["interval"])
                continue
            mine = out.setdefault(queue.queue, set())
            run_misses = list(channel.judgement.run_misses)
            if not queue.met:
                mine.update(m.interval for m in queue.judgement.misses if m.interval is not None)
                run_misses += queue.judgement.run_misses
            for miss in run_misses:
                mine.update(wrong_side(rows, miss))
    return {q: sorted(ks) for q, ks in out.items() if ks}


def judged_rows(table: pd.DataFrame, queue: QueueVerdict) -> pd.DataFrame:
    """The queue's judged intervals: open, with at least `min_offered` contacts."""
    rows = table[table["channel"].eq(queue.channel) & table["queue"].eq(queue.queue)]
    offered = rows["offered"].to_numpy(dtype=float)
    keep = rows["open"].astype(bool).to_numpy() & (offered >= queue.targets.min_offered)
    return rows[keep & (offered > 0)]


def wrong_side(rows: pd.DataFrame, miss: Miss) -> list[int]:
    """The judged intervals whose figure of the missed goal's measure is on its wrong side
    (the worst one when none is: a run-level miss is the sum of intervals)."""
    if miss.measure not in rows or rows.empty:
        return []
    values = rows[miss.measure].to_numpy(dtype=float)
    bad = [misses_goal(miss.goal, v) for v in values]
    if any(bad):
        return [int(k) for k, b in zip(rows["interval"], bad, strict=True) if b]
    finite = np.where(np.isfinite(values), values, np.nan)
    if np.isnan(finite).all():
        return []
    pick = np.nanargmin(finite) if miss.goal.at_least else np.nanargmax(finite)
    return [int(rows["interval"].iloc[int(pick)])]


# --- agents by the time they spent on a queue ----------------------------------------------------


def agents_on_queue(
    model: Model,
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    replications: int,
    table: pd.DataFrame,
) -> npt.NDArray[np.float64]:
    """Per row of the interval table: the agents the queue had, counting each agent by the
    time it spent on it. An agent's time in an interval (on duty off break, and any work past
    its shift) is its work on each queue's contacts plus its idle time, shared over its queues
    in proportion to that work (equally among its skills when it did none). Summed over the
    queues an agent serves, it is that agent once, where `agents_scheduled` counts a
    multi-skilled agent in every queue it holds. Mean over replications."""
    edges = interval_edges(model)
    queues = list(model.queues)
    names = sorted(set(agents["agent"]))
    index = {name: i for i, name in enumerate(names)}
    n_a, n_q, n_k = len(names), len(queues), len(edges) - 1
    spans = agents[agents["kind"].isin(["shift", "break"])]
    keys = spans["agent"].map(index).to_numpy() * replications + spans["replication"].to_numpy()
    sign = np.where(spans["kind"].to_numpy() == "break", -1.0, 1.0)
    available = time_in_bins_by(
        keys, n_a * replications, spans["start_s"], spans["end_s"], edges, sign
    ).reshape(n_a, replications, n_k)
    work = contacts[
        contacts["outcome"].isin(["answered", "callback_failed"])
        & contacts["agent"].isin(index)
        & contacts["queue"].isin(queues)
    ]
    end = work["answer_s"] + work["handle_s"] + work["wrapup_s"]
    share = work.get("agent_share")
    q_of = work["queue"].map({q: i for i, q in enumerate(queues)}).to_numpy(dtype=np.int64)
    keys = (work["agent"].map(index).to_numpy() * n_q + q_of) * replications + work[
        "replication"
    ].to_numpy()
    busy = time_in_bins_by(
        keys, n_a * n_q * replications, work["answer_s"], end, edges, share
    ).reshape(n_a, n_q, replications, n_k)
    skills = agents.drop_duplicates("agent").set_index("agent")["skills"]
    holds = np.array([[q in str(skills[a]).split(";") for q in queues] for a in names], float)
    total = busy.sum(axis=1, keepdims=True)
    equal = (holds / np.maximum(holds.sum(axis=1, keepdims=True), 1))[:, :, None, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        part = np.where(total > 0, busy / total, equal)
    idle = np.clip(available[:, None] - total, 0, None)
    on_queue = (busy + idle * part).sum(axis=0).mean(axis=1) / np.diff(edges)  # [queue, k]
    row_q = table["queue"].map({q: i for i, q in enumerate(queues)}).to_numpy()
    return on_queue[row_q, table["interval"].to_numpy()]
