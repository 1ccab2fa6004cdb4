"""Writing a run directory: the contact and agent logs, the interval table, the report, and
last the summary.

`summary.json` is written last and atomically (to a temporary name, then renamed), so a run
that crashed part-way never leaves a directory that looks complete. Its content depends only
on the config and seed (no paths, clocks or timings), so it is byte-identical across reruns.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from sim import costs, metrics
from sim.model import Model
from sim.report import render_run_report
from sim.workforce_kpis import ALERT_COLUMNS, workforce_summary


def write_run(
    run_dir: Path,
    model: Model,
    seed: int,
    replications: int,
    threshold_s: float,
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    alerts: pd.DataFrame | None = None,
    labour: dict | None = None,
) -> dict:
    run_dir.mkdir(parents=True, exist_ok=True)
    contacts.to_parquet(run_dir / "contacts.parquet", index=False)
    agents.to_parquet(run_dir / "agents.parquet", index=False)
    if model.monitor is not None:
        alerts = alerts if alerts is not None else pd.DataFrame(columns=ALERT_COLUMNS)
        alerts.to_csv(run_dir / "alerts.csv", index=False, float_format="%.6g")
    metrics.interval_table(model, contacts, agents, replications).to_csv(
        run_dir / "intervals.csv", index=False, float_format="%.6g"
    )
    summary = build_summary(model, seed, replications, threshold_s, contacts, agents)
    workforce = workforce_summary(
        model,
        agents,
        alerts if alerts is not None else pd.DataFrame(columns=ALERT_COLUMNS),
        replications,
    )
    if workforce is not None:
        summary["workforce"] = workforce
    if labour is not None:
        summary["labour"] = labour  # the rules in force and their violations (sim.labour)
    render_run_report(run_dir, summary)
    write_json_atomically(run_dir / "summary.json", summary)
    return summary


def build_summary(model, seed, replications, threshold_s, contacts, agents) -> dict:
    return {
        "scenario": model.name,
        "description": model.description,
        "seed": seed,
        "replications": replications,
        "service_level": {
            "threshold_s": threshold_s,
            "threshold_s_by_channel": {c.name: c.threshold_s for c in model.channels},
            "target": model.target_sl,
            "short_abandon_s": model.short_abandon_s,
            "definition": metrics.SL_DEFINITION,
        },
        "routing": model.routing.name,
        "staffing": {
            "agents": len(model.agents),
            "paid_hours": sum(s.paid_s for a in model.agents for s in a.shifts) / 3600,
            "scheduled_hours": sum(s.scheduled_s for a in model.agents for s in a.shifts) / 3600,
        },
        "kpis": metrics.summarise_kpis(model, contacts, agents, replications),
        "agents": costs.add_costs(
            metrics.agent_group_kpis(agents, contacts, replications), model, agents, replications
        ),
    }


def write_json_atomically(path: Path, data: dict) -> None:
    temporary = path.with_suffix(".json.part")
    temporary.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    os.replace(temporary, path)
