"""What a roster costs: planned, and as worked.

`roster.costs` gives each agent group a rate per paid hour, and the overtime multiplier for
hours worked past the planned shift end (default 1.5, for every group or per group):

    costs:
      overtime: 1.5                          # every group's, unless it sets its own
      phone_team: 38                         # per paid hour
      temps: {per_hour: 45, overtime: 2.0}

The rates become `Model.costs` (`GroupCost` by group). Per group, and in total (`all`):

- `planned_cost` = planned paid hours (every shift, breaks included) x the rate; the same in
  every replication.
- `cost` = as worked, per replication: logged-in hours (shift start to logging off, breaks and
  overtime included) x the rate, plus overtime hours x the rate x (multiplier - 1), so an hour
  of overtime costs the rate x the multiplier in all.

A group without a rate has unknown cost: its figures, and the total's, are null (NaN in
frames), never 0, because a total that leaves a group out is not the roster's cost. The sweep
then ranks variants by paid hours instead (`sim.sweep`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.figure import Figure
from sim.model import Model

HOURS = ["planned_h", "logged_in_h", "overtime_h"]
COSTS = ["planned_cost", "cost"]


def cost_by_group(model: Model, agents: pd.DataFrame, replications: int) -> pd.DataFrame:
    """One row per replication and agent group, then per replication for `all` groups:
    planned_h, logged_in_h, overtime_h (hours) and planned_cost, cost (NaN where a group has
    no rate; the total's too). `agents` is the agents frame (agents.parquet): its `shift`
    rows are the logged-in sessions, with their planned ends."""
    groups = sorted({a.group for a in model.agents} | set(agents["group"].unique()))
    planned = pd.Series(0.0, index=groups)
    for agent in model.agents:
        planned[agent.group] += sum(s.paid_s for s in agent.shifts) / 3600
    shifts = agents[agents["kind"].eq("shift")]
    worked = (
        pd.DataFrame(
            {
                "replication": shifts["replication"].to_numpy(),
                "group": shifts["group"].to_numpy(),
                "logged_in_h": (shifts["end_s"] - shifts["start_s"]).to_numpy() / 3600,
                "overtime_h": (shifts["end_s"] - shifts["planned_end_s"]).clip(lower=0).to_numpy()
                / 3600,
            }
        )
        .groupby(["replication", "group"])
        .sum()
    )
    index = pd.MultiIndex.from_product([range(replications), groups], names=worked.index.names)
    per = worked.reindex(index, fill_value=0.0).reset_index()
    per.insert(2, "planned_h", planned[per["group"]].to_numpy())
    rate = per["group"].map(lambda g: model.costs[g].per_hour if g in model.costs else np.nan)
    multiplier = per["group"].map(lambda g: model.costs[g].overtime if g in model.costs else np.nan)
    per["planned_cost"] = per["planned_h"] * rate
    per["cost"] = rate * per["logged_in_h"] + rate * (multiplier - 1) * per["overtime_h"]
    total = per.groupby("replication")[HOURS + COSTS].sum().reset_index()
    if not set(groups) <= set(model.costs):
        total[COSTS] = np.nan
    total.insert(1, "group", "all")
    return pd.concat([per, total], ignore_index=True)


def add_costs(
    agent_kpis: dict[str, dict[str, Any]], model: Model, agents: pd.DataFrame, replications: int
) -> dict[str, dict[str, Any]]:
    """summary.json's `agents` block: `sim.analysis.kpis.agent_group_kpis` with `planned_cost` and `cost`
    added to every `group=<name>`, and a total, `all` (agents, logged-in and overtime hours,
    planned cost and cost), each figure a mean with its 95% CI over replications."""
    per = cost_by_group(model, agents, replications)
    out: dict[str, dict[str, Any]] = {}
    for key, figures in agent_kpis.items():
        mine = per[per["group"].eq(key.removeprefix("group="))]
        out[key] = {**figures, **{c: _figure(mine[c]) for c in COSTS}}
    total = per[per["group"].eq("all")]
    out["all"] = {
        "agents": int(agents["agent"].nunique()),
        **{c: _figure(total[c]) for c in ("logged_in_h", "overtime_h", *COSTS)},
    }
    return out


def _figure(values: pd.Series) -> dict[str, Any]:
    return Figure.of(values, (0.0, np.inf)).to_json()
