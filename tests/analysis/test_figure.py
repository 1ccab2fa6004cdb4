"""The one figure type of summary.json (`sim.analysis.figure`): computed, written, read back."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.figure import (
    UNDEFINED,
    Figure,
    mean_ci,
    mean_ci_frame,
    pooled_ci,
    pooled_ci_frame,
)


def test_a_figure_round_trips_through_json():
    figure = Figure.of(np.array([0.5, 0.7, 0.9]), (0.0, 1.0))
    again = Figure.from_json(figure.to_json())
    assert again == figure
    assert figure.mean == pytest.approx(0.7)
    assert figure.known and figure.has_ci


def test_the_ci_is_cut_to_what_the_quantity_can_take():
    share = Figure.of(np.array([0.98, 1.0, 1.0, 0.9]), (0.0, 1.0))
    assert share.high == 1.0 and share.low < share.mean
    unbounded = Figure.of(np.array([0.98, 1.0, 1.0, 0.9]))
    assert unbounded.high > 1.0  # the same values, no bounds: the plain Student t interval
    assert (unbounded.mean, unbounded.low, unbounded.high) == mean_ci([0.98, 1.0, 1.0, 0.9])


def test_unknown_figures_are_null_in_json_and_nan_in_code():
    assert UNDEFINED.to_json() == {"mean": None, "ci95": [None, None]}
    one = Figure.of(np.array([3.0]))
    assert one.to_json() == {"mean": 3.0, "ci95": [None, None]} and not one.has_ci
    for data in (None, {}, {"mean": None}, {"mean": "x", "ci95": [None]}):
        read = Figure.from_json(data)
        assert math.isnan(read.mean) and math.isnan(read.low) and not read.known


def test_rounding_is_asked_for_not_implied():
    figure = Figure(1 / 3, 0.1 / 3, 2 / 3)
    assert figure.to_json()["mean"] == 1 / 3
    assert figure.to_json(digits=10) == {"mean": 0.3333333333, "ci95": [0.0333333333, 0.6666666667]}


def test_a_pooled_ratio_is_the_ratio_of_sums_not_the_mean_of_ratios():
    answered_within = np.array([90.0, 10.0])
    judged = np.array([100.0, 50.0])
    ratio, low, high = pooled_ci(answered_within, judged, (0.0, 1.0))
    assert ratio == pytest.approx(100 / 150)
    assert np.mean(answered_within / judged) == pytest.approx(0.55)  # the other estimator
    assert 0.0 <= low < ratio < high <= 1.0


def test_the_pooled_ci_covers_the_true_ratio_as_often_as_it_says():
    """Delta-method coverage on binomial days with varying volume: about 95% of 2,000 CIs of
    10 replications hold the true share (the count of covering CIs is binomial: its 99.9%
    band around 0.95 x 2000 is about 1,900 +- 32)."""
    rng = np.random.default_rng(7)
    p, covered, trials = 0.8, 0, 2000
    for _ in range(trials):
        days = rng.poisson(60, 10).astype(float)
        good = rng.binomial(days.astype(int), p).astype(float)
        _, low, high = pooled_ci(good, days)
        covered += low <= p <= high
    assert abs(covered - 0.95 * trials) < 3.3 * np.sqrt(trials * 0.95 * 0.05)


def test_a_pooled_ratio_with_nothing_to_divide_is_unknown():
    assert all(np.isnan(pooled_ci(np.zeros(3), np.zeros(3))))
    ratio, low, high = pooled_ci(np.array([4.0]), np.array([5.0]))
    assert ratio == 0.8 and np.isnan(low) and np.isnan(high)


def test_mean_ci_is_the_student_t_interval():
    values = np.array([0.8, 0.82, 0.79, 0.85, np.nan])
    mean, low, high = mean_ci(values)
    v = values[:4]
    half = stats.t.ppf(0.975, 3) * v.std(ddof=1) / 2
    assert (mean, low, high) == pytest.approx((v.mean(), v.mean() - half, v.mean() + half))
    assert np.isnan(mean_ci([0.5])[1])


def test_mean_ci_frame_agrees_with_mean_ci():
    per_rep = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 3, "x": [1.0, 2, 3, 4, 10, 11, 15]})
    table = mean_ci_frame(per_rep, ["g"])
    for group, values in per_rep.groupby("g")["x"]:
        assert tuple(table.loc[group, ["x", "x_lo", "x_hi"]]) == pytest.approx(mean_ci(values))


def test_pooled_ci_frame_agrees_with_pooled_ci():
    rng = np.random.default_rng(3)
    per_rep = pd.DataFrame(
        {
            "g": np.repeat(["a", "b"], 6),
            "good": rng.integers(0, 40, 12).astype(float),
            "all": rng.integers(40, 60, 12).astype(float),
        }
    )
    table = pooled_ci_frame(per_rep, ["g"], {"service_level": ("good", "all")})
    for group, rows in per_rep.groupby("g"):
        expected = pooled_ci(rows["good"], rows["all"], (0.0, 1.0))
        got = table.loc[group, ["service_level", "service_level_lo", "service_level_hi"]]
        assert tuple(got) == pytest.approx(expected)
