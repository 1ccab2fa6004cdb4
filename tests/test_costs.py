"""Costs: the planned and realised cost arithmetic, unknown costs (reading `roster.costs` is
tests/inputs/test_costs.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.costs import add_costs, cost_by_group
from sim.model import Agent, Demand, GroupCost, Model, Shift
from tests.conftest import run

H = 3600.0


def model_with(costs: dict[str, GroupCost]) -> Model:
    """Two groups: phone (two agents, 8 h each) and temps (one agent, 4 h)."""
    agents = (
        Agent("a", frozenset({"calls"}), (Shift(8 * H, 16 * H),), "phone"),
        Agent("b", frozenset({"calls"}), (Shift(9 * H, 17 * H),), "phone"),
        Agent("t", frozenset({"calls"}), (Shift(10 * H, 14 * H),), "temps"),
    )
    return Model("m", (), (), (), Demand(1800.0, np.zeros((0, 48))), agents, costs=costs)


def agents_frame() -> pd.DataFrame:
    """Two replications. Replication 0: a works 30 min past 16:00, b to plan, t 1 h over.
    Replication 1: everyone to plan, and a break row (which costs nothing extra)."""
    rows = [
        (0, "a", "phone", "shift", 8, 16.5, 16),
        (0, "b", "phone", "shift", 9, 17, 17),
        (0, "t", "temps", "shift", 10, 15, 14),
        (1, "a", "phone", "shift", 8, 16, 16),
        (1, "a", "phone", "break", 12, 12.5, np.nan),
        (1, "b", "phone", "shift", 9, 17, 17),
        (1, "t", "temps", "shift", 10, 14, 14),
    ]
    frame = pd.DataFrame(
        rows, columns=["replication", "agent", "group", "kind", "start_s", "end_s", "planned_end_s"]
    )
    frame[["start_s", "end_s", "planned_end_s"]] *= H
    return frame


def test_planned_and_realised_cost_with_overtime():
    model = model_with({"phone": GroupCost(40.0, 1.5), "temps": GroupCost(50.0, 2.0)})
    per = cost_by_group(model, agents_frame(), 2).set_index(["replication", "group"])
    # Planned: phone 16 h x 40, temps 4 h x 50, whatever happened.
    assert per.loc[(0, "phone"), "planned_cost"] == per.loc[(1, "phone"), "planned_cost"] == 640
    assert per.loc[(0, "temps"), "planned_cost"] == 200
    # Realised: 16.5 h logged in at 40, plus the 0.5 h overtime at 40 x (1.5 - 1).
    assert per.loc[(0, "phone"), "logged_in_h"] == 16.5
    assert per.loc[(0, "phone"), "overtime_h"] == 0.5
    assert per.loc[(0, "phone"), "cost"] == 16.5 * 40 + 0.5 * 40 * 0.5 == 670
    # temps: 5 h at 50, the extra hour at double time: 4 x 50 + 1 x 100.
    assert per.loc[(0, "temps"), "cost"] == 300
    assert per.loc[(1, "phone"), "cost"] == 640 and per.loc[(1, "temps"), "cost"] == 200
    assert per.loc[(0, "all"), "cost"] == 970 and per.loc[(1, "all"), "cost"] == 840
    assert per.loc[(0, "all"), "planned_cost"] == 840 and per.loc[(0, "all"), "overtime_h"] == 1.5


def test_a_group_without_a_rate_makes_its_cost_and_the_total_unknown():
    model = model_with({"phone": GroupCost(40.0)})
    per = cost_by_group(model, agents_frame(), 2).set_index(["replication", "group"])
    assert per.loc[(0, "phone"), "cost"] == 670
    assert np.isnan(per.loc[(0, "temps"), "cost"]) and np.isnan(
        per.loc[(0, "temps"), "planned_cost"]
    )
    assert np.isnan(per.loc[(0, "all"), "cost"]) and np.isnan(per.loc[(1, "all"), "planned_cost"])
    assert per.loc[(0, "all"), "logged_in_h"] == 21.5  # hours are known all the same
    block = add_costs(
        {"group=phone": {"agents": 2}, "group=temps": {"agents": 1}}, model, agents_frame(), 2
    )
    assert block["group=temps"]["cost"] == {"mean": None, "ci95": [None, None]}
    assert block["all"]["cost"]["mean"] is None and block["all"]["planned_cost"]["mean"] is None
    assert block["group=phone"]["cost"]["mean"] == 655  # (670 + 640) / 2


def test_add_costs_keeps_the_group_figures_and_adds_a_total():
    model = model_with({"phone": GroupCost(40.0, 1.5), "temps": GroupCost(50.0, 2.0)})
    kpis = {"group=phone": {"agents": 2, "occupancy": {"mean": 0.5, "ci95": [0.4, 0.6]}}}
    block = add_costs(kpis, model, agents_frame(), 2)
    assert list(block) == ["group=phone", "all"]
    assert block["group=phone"]["occupancy"] == kpis["group=phone"]["occupancy"]
    assert block["group=phone"]["planned_cost"] == {"mean": 640.0, "ci95": [640.0, 640.0]}
    cost = block["all"]["cost"]
    assert cost["mean"] == 905 and cost["ci95"][0] < 905 < cost["ci95"][1]
    assert block["all"]["agents"] == 3 and block["all"]["logged_in_h"]["mean"] == 20.75


def test_summary_cost_figures_follow_the_hours(tmp_path):
    """cost = rate x logged-in hours + rate x (multiplier - 1) x overtime, so their means too."""
    summary = run(
        tmp_path / "costed",
        "scenario=erlang",
        "scenario.hours=4",
        "scenario.agents=12",
        "replications=3",
        "+roster.costs.agents=20",
    )
    agents = summary["agents"]
    group, total = agents["group=agents"], agents["all"]
    assert group["planned_cost"]["mean"] == 12 * 4 * 20
    logged, over = group["logged_in_h"]["mean"], group["overtime_h"]["mean"]
    assert over > 0  # the last agents finish the queue after 4 h
    assert group["cost"]["mean"] == pytest.approx(20 * logged + 20 * 0.5 * over)
    assert total["cost"] == group["cost"] and total["agents"] == 12
    plain = run(tmp_path / "plain", "scenario=erlang", "scenario.hours=4", "replications=2")
    assert plain["agents"]["all"]["cost"]["mean"] is None
    assert plain["agents"]["group=agents"]["planned_cost"]["mean"] is None
