"""What a run found: the interval table and summary.json's content, from the contact and agent tables.

summary.json carries a `schema_version` (`SCHEMA_VERSION`), raised whenever a key changes
meaning or moves, so a reader knows which layout it holds instead of guessing from the keys."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from sim.analysis import costs
from sim.analysis.backlog import backlog_summary
from sim.analysis.bins import AgentTime, agent_time, interval_edges
from sim.analysis.facts import ModelFacts
from sim.analysis.intervals import interval_table
from sim.analysis.kpis import SL_DEFINITION, agent_group_kpis, summarise_kpis
from sim.analysis.log import log_summary, with_log_measures
from sim.analysis.verdict import ChannelVerdict, judge
from sim.analysis.workforce import workforce_summary
from sim.model import Model

SCHEMA_VERSION = 2  # 2: targets and verdict sections; pooled ratios; intervals.csv `open`


def build_summary(
    model: Model,
    seed: int,
    replications: int,
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    time: AgentTime | None = None,
) -> dict[str, Any]:
    """summary.json's content. `time`: the run's busy and available agent-seconds
    (`sim.analysis.bins.agent_time`), worked out once for every occupancy figure."""
    if time is None:
        time = agent_time(contacts, agents, replications, interval_edges(model))
    summary = {
        "schema_version": SCHEMA_VERSION,
        "scenario": model.name,
        "description": model.description,
        "seed": seed,
        "replications": replications,
        "service_level": {
            "threshold_s": model.threshold_s,
            "threshold_s_by_channel": {c.name: c.threshold_s for c in model.channels},
            "target": model.target_sl,
            "short_abandon_s": model.short_abandon_s,
            "definition": SL_DEFINITION,
        },
        "targets": targets_section(model),
        "routing": model.routing.name,
        "staffing": {
            "agents": len(model.agents),
            "paid_hours": sum(s.paid_s for a in model.agents for s in a.shifts) / 3600,
            "scheduled_hours": sum(s.scheduled_s for a in model.agents for s in a.shifts) / 3600,
        },
        "kpis": summarise_kpis(model, contacts, agents, replications, time),
        "agents": costs.add_costs(
            agent_group_kpis(agents, contacts, replications, time),
            model,
            agents,
            replications,
        ),
    }
    horizon_s = model.demand.n_intervals * model.demand.interval_s
    backlog = backlog_summary(model, contacts, replications, horizon_s)
    if backlog:  # deferrable channels (email): what the deadline share cannot judge yet
        summary["backlog"] = backlog
    return summary


def model_facts(
    model: Model, roster: str = "", roster_description: str = "", staffing_menu: bool = False
) -> dict[str, Any]:
    """model.json's content: the model's facts every reader of the run directory needs (the
    interval length, channels with their hours, thresholds and queues, the alert rules), so
    none rebuilds them from clock strings or the raw config (`sim.analysis.facts`). The roster's
    name and description and whether the config has a staffing menu are the config's."""
    return ModelFacts.of(model, roster, roster_description, staffing_menu).to_json()


@dataclass(frozen=True)
class RunResults:
    """What a run writes besides its contact, agent and alert logs."""

    intervals: pd.DataFrame  # intervals.csv
    summary: dict[str, Any]  # summary.json


def run_results(
    model: Model,
    seed: int,
    replications: int,
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    alerts: pd.DataFrame,
    labour: dict[str, Any] | None = None,
) -> RunResults:
    """The interval table and the summary of a run: the KPIs, and for a replay the log's own
    measures beside them, the workforce on the day and the labour rules' section."""
    time = agent_time(contacts, agents, replications, interval_edges(model))
    intervals = interval_table(model, contacts, agents, replications, time)
    if model.trace is not None:  # a replay: the log's own measures beside the simulated ones
        intervals = with_log_measures(model, intervals)
    summary = build_summary(model, seed, replications, contacts, agents, time)
    if model.trace is not None:
        summary["log"] = log_summary(model)
    workforce = workforce_summary(model, agents, alerts, replications)
    if workforce is not None:
        summary["workforce"] = workforce
    if labour is not None:
        summary["labour"] = labour  # the rules in force and their violations
    summary["verdict"] = verdict_section(
        judge(summary, intervals, model.demand.interval_s)
    )  # last: it reads the summary's figures, as every later reader will
    return RunResults(intervals, summary)


def targets_section(model: Model) -> dict[str, Any]:
    """summary.json's `targets`: the targets every channel and queue was judged by, resolved
    (defaults, the channel's, the queue's), so any reader judges the run as it was judged."""
    targets = model.targets
    return {
        "default": asdict(targets.default),
        "channels": {c.name: asdict(targets.of_channel(c.name)) for c in model.channels},
        "queues": {
            q: asdict(targets.of_queue(q, channel))
            for channel in (c.name for c in model.channels)
            for q in dict.fromkeys(t.skill for t in model.contact_types if t.channel == channel)
        },
    }


def verdict_section(verdicts: list[ChannelVerdict]) -> dict[str, Any]:
    """summary.json's `verdict`: holds, at risk or breaks per channel and queue, with the
    counts it rests on (intervals judged, missed and clearly missed; run-level goals missed)."""
    out: dict[str, Any] = {}
    for v in verdicts:
        out[v.channel] = {
            "level": v.level.label,
            "run_misses": [m.measure for m in v.judgement.run_misses],
            "queues": {
                q.queue: {
                    "level": q.level.label,
                    "judged": q.open_intervals,
                    "missed": q.below,
                    "clearly": q.clearly,
                    "allowed": q.judgement.allowed,
                    "run_misses": [m.measure for m in q.judgement.run_misses],
                }
                for q in v.queues
            },
        }
    return out
