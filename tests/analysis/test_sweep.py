"""Comparing a sweep's variants (`sim.analysis.sweep`) on hand-made jobs: the ranking, the
cost-service frontier and the paired differences."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.sweep import Job, paired_and_unpaired, pareto_efficient, sweep_table, swept_keys
from sim.model import Targets

GOALS = asdict(Targets(misses=0, abandon_max=None, occupancy_max=None))


def _job(number: int, paid_hours: float, cost: float | None) -> Job:
    figure = {"mean": 0.9, "ci95": [0.85, 0.95]}
    summary = {
        "service_level": {"target": 0.8, "threshold_s_by_channel": {"phone": 20.0}},
        "staffing": {"agents": 10, "paid_hours": paid_hours},
        "targets": {"default": GOALS, "channels": {"phone": GOALS}, "queues": {}},
        "kpis": {
            "all": {m: figure for m in ("service_level", "asa_s", "abandon_rate", "occupancy")},
            "channel=phone": {m: figure for m in ("service_level", "asa_s")},
        },
        "agents": {
            "all": {
                "cost": {"mean": cost, "ci95": [cost, cost]},
                "planned_cost": {"mean": cost, "ci95": [cost, cost]},
            }
        },
    }
    intervals = pd.DataFrame(columns=["channel", "queue", "interval", "start", "offered"])
    return Job(
        number,
        Path("run"),
        {"k": str(number)},
        summary,
        per_rep_sl={"phone": np.full(3, 0.9)},
        intervals=intervals,
        interval_s=1800.0,
    )


def test_one_variant_without_a_cost_sends_the_ranking_back_to_paid_hours():
    by_cost = sweep_table([_job(0, 100, 5000), _job(1, 120, 4000)])
    assert by_cost["rank_by"].tolist() == ["cost", "cost"] and by_cost["rank"].tolist() == [2, 1]
    mixed = sweep_table([_job(0, 100, 5000), _job(1, 120, None)])
    assert mixed["rank_by"].tolist() == ["paid_hours"] * 2 and mixed["rank"].tolist() == [1, 2]


def test_a_failed_job_keeps_its_row_and_the_reference_is_the_cheapest_meeting_the_target():
    jobs = [
        _job(0, 100, 5000),
        _job(1, 120, 4000),
        Job(2, Path("run"), {"k": "2"}, error="x\nbad k"),
    ]
    jobs[0].per_rep_sl["phone"] = np.array([0.80, 0.85, 0.95])
    table = sweep_table(jobs)
    assert swept_keys(jobs) == ["k"] and table["k"].tolist() == ["0", "1", "2"]
    assert table["status"].tolist() == ["ok", "ok", "failed"] and table.loc[2, "error"] == "bad k"
    assert (table["reference_job"] == 1).all()  # the cheapest by cost meeting the target
    assert table.loc[0, "diff_phone"] == pytest.approx(np.mean([0.80, 0.85, 0.95]) - 0.9)
    assert np.isnan(table.loc[1, "diff_phone"])  # the reference's own row stays empty


def test_pareto_efficient_variants_are_the_undominated_ones():
    cost = np.array([100.0, 120.0, 110.0, 130.0, np.nan, 100.0])
    worst = np.array([0.70, 0.85, 0.70, 0.85, 0.99, 0.75])
    # 0 is beaten by 5 (same cost, better); 2 by 5; 3 by 1 (cheaper, as good); 4 has no cost.
    assert pareto_efficient(cost, worst).tolist() == [False, True, False, False, False, True]


def test_paired_and_unpaired_intervals():
    rng = np.random.default_rng(0)
    common = rng.normal(0.8, 0.05, 20)  # day-to-day variation both variants share
    a, b = common + 0.02 + rng.normal(0, 0.005, 20), common
    mean, low, high, u_low, u_high = paired_and_unpaired(a, b)
    assert low < 0.02 < high and u_low < 0.02 < u_high
    assert (high - low) < (u_high - u_low) / 5
