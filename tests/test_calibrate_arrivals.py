"""Rates per interval and type, and the busyness CV from gamma-Poisson days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.calibrate.arrivals import busyness_cv, count_arrivals


def test_counts_per_day_type_and_interval():
    frame = pd.DataFrame(
        {
            "type": ["a", "a", "b", "a"],
            "day_key": [0, 0, 0, 1],
            "tod_s": [60.0, 1900.0, 1799.0, 86399.0],
        }
    )
    arrivals = count_arrivals(frame, n_days=2, interval_s=1800)
    assert arrivals.types == ("a", "b")
    assert arrivals.counts.shape == (2, 2, 48)
    assert arrivals.counts[0, 0, :2].tolist() == [1, 1]
    assert arrivals.counts[0, 1, 0] == 1
    assert arrivals.counts[1, 0, 47] == 1
    assert arrivals.rates[0, 0] == 0.5


def test_interval_counts_are_weighted():
    frame = pd.DataFrame(
        {"type": ["a", "a"], "day_key": [0, 1], "tod_s": [0.0, 0.0], "count": [3, 5]}
    )
    assert count_arrivals(frame, 2, 900).rates[0, 0] == 4


@pytest.mark.parametrize("cv", [0.0, 0.15])
def test_busyness_cv_recovered_on_gamma_poisson_days(cv):
    rng = np.random.default_rng(42)
    days, mean = 300, 2000.0
    factor = rng.gamma(1 / cv**2, cv**2, days) if cv else np.ones(days)
    totals = rng.poisson(mean * factor)
    busy = busyness_cv(totals)
    assert busy.days == days
    assert busy.lo is not None and busy.hi is not None
    assert busy.lo <= cv <= busy.hi
    if cv:
        assert busy.hi - busy.lo < 0.05


def test_pure_poisson_days_give_no_busyness_on_average():
    # Var = mean for Poisson: the estimate is floored at 0 about half the time
    rng = np.random.default_rng(1)
    zeros = [busyness_cv(rng.poisson(500, 30)).cv == 0 for _ in range(200)]
    assert 0.3 < np.mean(zeros) < 0.7


def test_rate_ci_covers_the_truth():
    rng = np.random.default_rng(3)
    truth = np.linspace(2, 30, 48)
    counts = rng.poisson(truth, (40, 48))
    frame = pd.DataFrame(
        [(d, "a", k * 1800.0) for d in range(40) for k in range(48) for _ in range(counts[d, k])],
        columns=["day_key", "type", "tod_s"],
    )
    arrivals = count_arrivals(frame, 40, 1800)
    lo, hi = arrivals.rate_ci()
    inside = (lo[0] <= truth) & (truth <= hi[0])
    assert inside.mean() >= 0.85


def test_one_day_has_no_ci():
    busy = busyness_cv(np.array([100.0]))
    assert busy.cv == 0 and busy.lo is None
