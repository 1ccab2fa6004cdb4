"""The workforce on the day, measured: planned against realised hours (shrinkage), absences,
late log-ins, call-ins, moves, and how often and how long each alert was raised.

Reads the saved frames only (agents.parquet, alerts.csv), like the rest of the analysis; every
figure is computed per replication, then given as mean and 95% CI.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.figure import Figure
from sim.model import Model
from sim.records import Records

ALERT_COLUMNS = ["replication", "time_s", "rule", "measure", "value", "state"]


def alerts_frame(runs: list[Records]) -> pd.DataFrame:
    """One row per alert crossing (raised or cleared) per replication."""
    frames = [
        pd.DataFrame(
            {
                "replication": np.full(len(rec.alert_log.time_s), rec.replication, dtype=np.int32),
                "time_s": np.asarray(rec.alert_log.time_s, dtype=float),
                "rule": np.asarray(rec.alert_log.rule, dtype=object),
                "measure": np.asarray(rec.alert_log.measure, dtype=object),
                "value": np.asarray(rec.alert_log.value, dtype=float),
                "state": np.asarray(rec.alert_log.state, dtype=object),
            }
        )
        for rec in runs
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ALERT_COLUMNS)


def workforce_summary(
    model: Model, agents: pd.DataFrame, alerts: pd.DataFrame, replications: int
) -> dict[str, Any] | None:
    """Per agent group: planned and realised hours, shrinkage, absences, lateness, call-ins
    and moves; per alert rule: crossings and hours raised. None when the model has neither
    absences nor a monitor (the summary then stays as it was)."""
    if not model.absence and model.monitor is None:
        return None
    planned = _planned_hours(model)
    groups = {}
    for group in sorted(planned):
        mine = agents[agents["group"].eq(group)]
        per_rep = pd.DataFrame(
            {
                "realised_h": _hours(mine, "shift", replications),
                "absent_shifts": _count(mine, "absent", replications),
                "late_h": _hours(mine, "late", replications),
                "call_ins": _count(mine, "call_in", replications),
                "moved_h": _hours(mine, "move", replications),
            }
        )
        figures: dict[str, object] = {"planned_h": round(planned[group], 6)}
        for column in per_rep.columns:
            figures[str(column)] = _figure(per_rep[column])
        if planned[group] > 0:  # (overtime can make it negative)
            figures["shrinkage"] = _figure(1 - per_rep["realised_h"] / planned[group], -np.inf)
        groups[f"group={group}"] = figures
    rules = [rule.name for rule in model.monitor.alerts] if model.monitor else []
    horizon = model.demand.horizon_s
    alert_figures = {
        rule: {
            "raised": _figure(
                _per_rep(alerts, rule, replications, lambda r: (r["state"] == "raised").sum())
            ),
            "raised_h": _figure(
                _per_rep(alerts, rule, replications, lambda r: time_raised(r, horizon) / 3600)
            ),
        }
        for rule in rules
    }
    return {"groups": groups, "alerts": alert_figures}


def _planned_hours(model: Model) -> dict[str, float]:
    """Paid hours planned per group (on-call groups: 0, they have no shifts)."""
    out: dict[str, float] = {}
    for agent in model.agents:
        out[agent.group] = out.get(agent.group, 0.0) + sum(s.paid_s for s in agent.shifts) / 3600
    return out


def _rows(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    return frame[frame["kind"].eq(kind)]


def _hours(frame: pd.DataFrame, kind: str, replications: int) -> pd.Series:
    rows = _rows(frame, kind)
    hours = (rows["end_s"] - rows["start_s"]).groupby(rows["replication"]).sum() / 3600
    return hours.reindex(range(replications), fill_value=0.0)


def _count(frame: pd.DataFrame, kind: str, replications: int) -> pd.Series:
    rows = _rows(frame, kind)
    return rows.groupby("replication").size().reindex(range(replications), fill_value=0)


def _per_rep(
    alerts: pd.DataFrame,
    rule: str,
    replications: int,
    reduce: Callable[[pd.DataFrame], float],
) -> pd.Series:
    """`reduce` of one alert rule's crossings in each replication."""
    mine = alerts[alerts["rule"].eq(rule)]
    values = [reduce(mine[mine["replication"].eq(r)]) for r in range(replications)]
    return pd.Series(values, dtype=float)


def time_raised(rows: pd.DataFrame, horizon_s: float) -> float:
    """Seconds one alert rule was raised in one replication (`rows`: its crossings in time
    order): each raise to the next clear, or to the horizon if it never cleared."""
    total, since = 0.0, None
    for time, state in zip(rows["time_s"], rows["state"], strict=True):
        if state == "raised":
            since = time
        elif since is not None:
            total += time - since
            since = None
    if since is not None:
        total += max(0.0, horizon_s - since)
    return total


def _figure(values: pd.Series, low_bound: float = 0.0) -> dict[str, Any]:
    """Mean and CI of a per-replication figure, the CI clipped at `low_bound` (counts and
    hours are never negative)."""
    return Figure.of(np.asarray(values, dtype=float), (low_bound, np.inf)).to_json(digits=10)
