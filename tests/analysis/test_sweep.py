"""Comparing a sweep's variants (`sim.analysis.sweep`) on hand-made jobs: the ranking by the
judgement then cost, the cost-judgement frontier and the paired differences."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.judgement import Level
from sim.analysis.sweep import (
    Job,
    dominates,
    paired_and_unpaired,
    pareto_efficient,
    sweep_table,
    swept_keys,
)
from sim.model import Targets

GOALS = asdict(Targets(misses=0, abandon_max=None, occupancy_max=None))


def _job(number: int, paid_hours: float, cost: float | None, sl: float = 0.9) -> Job:
    """A one-channel job; its phone service level over the run `sl` (CI +-0.05) against the
    target 0.8: 0.9 holds, 0.78 is at risk (the CI reaches the target), 0.7 breaks."""
    figure = {"mean": sl, "ci95": [sl - 0.05, sl + 0.05]}
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


def test_a_failed_job_keeps_its_row_and_the_baseline_is_the_cheapest_holding():
    jobs = [
        _job(0, 100, 5000),
        _job(1, 120, 4000),
        Job(2, Path("run"), {"k": "2"}, error="x\nbad k"),
    ]
    jobs[0].per_rep_sl["phone"] = np.array([0.80, 0.85, 0.95])
    table = sweep_table(jobs)
    assert swept_keys(jobs) == ["k"] and table["k"].tolist() == ["0", "1", "2"]
    assert table["status"].tolist() == ["ok", "ok", "failed"] and table.loc[2, "error"] == "bad k"
    assert (table["reference_job"] == 1).all()  # the cheapest by cost that holds
    assert table.loc[0, "diff_phone"] == pytest.approx(np.mean([0.80, 0.85, 0.95]) - 0.9)
    assert np.isnan(table.loc[1, "diff_phone"])  # the baseline's own row stays empty


def test_the_ranking_is_by_the_judgement_then_cost_and_the_first_is_the_baseline():
    jobs = [_job(0, 100, 3000, sl=0.7), _job(1, 110, 4000, sl=0.78), _job(2, 120, 5000)]
    jobs.append(_job(3, 130, 6000))
    table = sweep_table(jobs)
    assert table["level"].tolist() == ["breaks", "at risk", "holds", "holds"]
    assert table["rank"].tolist() == [4, 3, 1, 2]  # holds before at risk before breaks
    assert table["recommended"].tolist() == [False, False, True, False]  # the cheapest holding
    assert (table["reference_job"] == 2).all()
    # Nothing holds: the first in ranking order is still the baseline, but no recommendation.
    none = sweep_table([_job(0, 100, 3000, sl=0.7), _job(1, 110, 4000, sl=0.78)])
    assert none["rank"].tolist() == [2, 1] and not none["recommended"].any()
    assert (none["reference_job"] == 1).all()


def test_the_frontier_is_on_cost_and_every_channels_level():
    holds, risk, breaks = Level.HOLDS, Level.AT_RISK, Level.BREAKS
    cost = np.array([100.0, 120.0, 110.0, 130.0, np.nan, 100.0, 140.0])
    levels = np.array(
        [
            [risk, breaks],  # 0: as cheap as 5, worse on chat: dominated by 5
            [holds, breaks],  # 1: the only one holding phone at its price
            [risk, breaks],  # 2: dearer than 5, no better anywhere
            [holds, breaks],  # 3: dearer than 1 for the same levels
            [holds, holds],  # 4: no cost, never efficient
            [risk, risk],  # 5: the cheapest
            [risk, holds],  # 6: the dearest, the only one holding chat
        ],
        dtype=float,
    )
    assert pareto_efficient(cost, levels).tolist() == [False, True, False, False, False, True, True]
    # A higher service level that changes no level does not dominate, nor is it dominated by
    # equal cost and levels; a channel one variant is not judged on counts against it.
    same = np.array([risk, risk], dtype=float)
    assert not dominates(100.0, same, 100.0, same)
    assert dominates(100.0, same, 100.0, np.array([risk, np.nan]))


def test_paired_and_unpaired_intervals():
    rng = np.random.default_rng(0)
    common = rng.normal(0.8, 0.05, 20)  # day-to-day variation both variants share
    a, b = common + 0.02 + rng.normal(0, 0.005, 20), common
    mean, low, high, u_low, u_high = paired_and_unpaired(a, b)
    assert low < 0.02 < high and u_low < 0.02 < u_high
    assert (high - low) < (u_high - u_low) / 5
