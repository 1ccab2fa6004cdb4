"""Kaplan-Meier, Greenwood's band, the exponential MLE and the tail, against known truths."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.calibrate.patience import exponential_mle, fit_patience, kaplan_meier
from sim.distributions import Survival, survival_mean


def censored_sample(n: int, seed: int):
    """Patience ~ Weibull(shape 1.5, scale 200 s) (not exponential), censored by an
    independent exponential wait of mean 250 s (the answer came first)."""
    rng = np.random.default_rng(seed)
    patience = 200.0 * rng.weibull(1.5, n)
    answer = rng.exponential(250.0, n)
    return np.minimum(patience, answer), patience <= answer


def true_survival(t):
    return np.exp(-((np.asarray(t) / 200.0) ** 1.5))


def test_kaplan_meier_by_hand():
    # waits 1, 2+, 3, 3, 4+ (+: censored): S(1) = 4/5, S(3) = 4/5 * (1 - 2/3) = 4/15
    km = kaplan_meier(np.array([1, 2, 3, 3, 4.0]), np.array([1, 0, 1, 1, 0], dtype=bool))
    assert km.times.tolist() == [1.0, 3.0]
    assert km.at_risk.tolist() == [5, 3]
    assert km.survival == pytest.approx([0.8, 4 / 15])
    # Greenwood: Var S(1) = 0.8^2 * 1 / (5 * 4) = 0.032
    assert km.at(2.5) == pytest.approx(0.8)
    assert km.at(0.5) == pytest.approx(1.0)


def test_true_survival_inside_the_greenwood_band():
    waits, abandoned = censored_sample(4000, seed=11)
    km = kaplan_meier(waits, abandoned)
    points = np.array([50.0, 100.0, 200.0, 300.0])
    lo, hi = km.band_at(points)
    truth = true_survival(points)
    assert np.all((lo <= truth) & (truth <= hi)), (lo, truth, hi)
    assert np.all(hi - lo < 0.06)  # narrow enough to mean something
    # Without censoring taken into account (abandons only) the curve would be far off.
    naive = np.mean(waits[abandoned][:, None] > points, axis=0)
    assert np.any(np.abs(naive - truth) > 0.1)


def test_exponential_mle_recovers_the_mean_under_censoring():
    rng = np.random.default_rng(5)
    patience = rng.exponential(180.0, 3000)
    answer = rng.exponential(120.0, 3000)
    fit = exponential_mle(np.minimum(patience, answer), patience <= answer)
    assert fit is not None
    assert fit.lo <= 180.0 <= fit.hi
    assert fit.hi - fit.lo < 40
    # The naive mean of the abandoners' waits is biased low by the censoring.
    assert np.minimum(patience, answer)[patience <= answer].mean() < fit.lo


def test_nobody_abandoned_means_no_patience():
    assert fit_patience(np.array([10.0, 20.0]), np.array([False, False])) is None
    assert exponential_mle(np.array([10.0]), np.array([False])) is None


def test_curve_cut_where_too_few_are_at_risk_and_an_exponential_tail_past_it():
    waits, abandoned = censored_sample(3000, seed=3)
    fit = fit_patience(waits, abandoned, min_at_risk=50)
    assert fit is not None and fit.points
    at_cutoff = np.sum(waits >= fit.cutoff_s)
    assert at_cutoff >= 50
    later = fit.km.times[fit.km.times > fit.cutoff_s]
    assert len(later) == 0 or np.sum(waits >= later[0]) < 50
    # The tail's mean is the exponential MLE of the waits past the cutoff.
    beyond = waits > fit.cutoff_s
    expected = np.sum(waits[beyond] - fit.cutoff_s) / np.sum(abandoned & beyond)
    assert fit.tail_mean == pytest.approx(expected)
    # The written curve follows the Kaplan-Meier points and then decays.
    assert fit.written_survival(np.array([fit.cutoff_s]))[0] == pytest.approx(fit.points[-1][1])
    assert fit.written_survival(np.array([fit.cutoff_s + fit.tail_mean]))[0] == pytest.approx(
        fit.points[-1][1] / math.e
    )


def test_a_small_sample_gets_the_exponential():
    fit = fit_patience(np.array([5.0, 10, 20, 40]), np.array([True, False, True, False]))
    assert fit is not None and not fit.points
    assert fit.mean == pytest.approx(75 / 2)


def test_survival_distribution_draws_follow_its_curve():
    dist = Survival(
        mean=survival_mean((60.0, 120.0), (0.7, 0.5), 100.0),
        times=(60.0, 120.0),
        levels=(0.7, 0.5),
        tail_mean=100.0,
    )
    draws = dist.sample(np.random.default_rng(1), 200_000)
    for t, s in [(30.0, 0.85), (60.0, 0.7), (90.0, 0.6), (120.0, 0.5), (220.0, 0.5 / math.e)]:
        assert np.mean(draws > t) == pytest.approx(s, abs=0.005)
    half = 1.96 * draws.std() / math.sqrt(len(draws))
    assert abs(draws.mean() - dist.mean) < half
    assert dist.mean == pytest.approx(0.85 * 60 + 0.6 * 60 + 0.5 * 100)  # trapezoids + tail


def test_greenwood_variance_by_hand():
    km = kaplan_meier(np.array([1, 2, 3, 3, 4.0]), np.array([1, 0, 1, 1, 0], dtype=bool))
    # log-log band at t=1: se = sqrt(1/20) / |log 0.8|; lo = 0.8^exp(z se)
    se = math.sqrt(1 / 20) / abs(math.log(0.8))
    z = stats.norm.ppf(0.975)
    assert km.lo[0] == pytest.approx(0.8 ** math.exp(z * se))
    assert km.hi[0] == pytest.approx(0.8 ** math.exp(-z * se))


def test_survival_curve_and_its_inverse_agree_and_condition_like_the_others():
    dist = Survival(
        mean=survival_mean((60.0, 120.0), (0.7, 0.5), 100.0),
        times=(60.0, 120.0),
        levels=(0.7, 0.5),
        tail_mean=100.0,
    )
    p = np.array([1.0, 0.9, 0.7, 0.6, 0.5, 0.3, 0.01])
    assert dist.survival(dist.inverse_survival(p)) == pytest.approx(p)
    assert dist.survival(np.array([0.0, 30.0, 220.0])) == pytest.approx([1.0, 0.85, 0.5 / math.e])
    # a replay's patience of a customer still there after 90 s: P(T > 150 | T > 90)
    u = np.random.default_rng(2).random(100_000)
    draws = dist.sample_beyond(u, np.full(len(u), 90.0))
    assert draws.min() >= 90.0
    expected = dist.survival(np.array([150.0]))[0] / dist.survival(np.array([90.0]))[0]
    assert np.mean(draws > 150.0) == pytest.approx(expected, abs=0.006)
