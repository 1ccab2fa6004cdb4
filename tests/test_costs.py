"""Costs through the CLI: the shipped roster's rates and summary.json's cost figures of a run.
Reading `roster.costs`: tests/inputs/test_costs.py; the arithmetic: tests/analysis/test_costs.py."""

from __future__ import annotations

import pytest

from tests.conftest import run


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
