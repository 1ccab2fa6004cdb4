"""Durations drawn beyond a wait (`Distribution.sample_beyond`): a replayed customer who was
still there after waiting w gets a patience from the distribution conditioned on exceeding w.
Each family is checked against draws of the plain distribution kept only when above w."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.distributions import (
    Deterministic,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Survival,
    survival_mean,
)

N = 20_000


def conditional_by_rejection(dist, beyond: float, seed: int) -> np.ndarray:
    draws = dist.sample(np.random.default_rng(seed), 40 * N)
    return draws[draws > beyond][:N]


@pytest.mark.parametrize(
    "dist",
    [
        Exponential(120.0),
        Lognormal(120.0, cv=1.5),
        Gamma(120.0, cv=0.5),
        Survival(survival_mean((60.0, 120.0), (0.7, 0.5), 100.0), (60.0, 120.0), (0.7, 0.5), 100.0),
    ],
    ids=["exponential", "lognormal", "gamma", "survival"],
)
@pytest.mark.parametrize("beyond", [0.0, 60.0, 240.0])
def test_conditioned_draws_follow_the_tail(dist, beyond):
    u = np.random.default_rng(1).random(N)
    drawn = dist.sample_beyond(u, np.full(N, beyond))
    assert (drawn >= beyond).all()
    reference = conditional_by_rejection(dist, beyond, 2)
    assert len(reference) > 1000
    assert stats.ks_2samp(drawn, reference).pvalue > 0.001


def test_exponential_is_memoryless():
    u = np.random.default_rng(3).random(N)
    waited = np.linspace(0, 600, N)
    excess = Exponential(90.0).sample_beyond(u, waited) - waited
    assert stats.kstest(excess, "expon", args=(0, 90.0)).pvalue > 0.001


def test_empirical_picks_each_value_above_the_wait_equally_often():
    dist = Empirical(mean=25.0, values=(10.0, 20.0, 20.0, 30.0, 40.0))
    u = np.random.default_rng(4).random(N)
    drawn = dist.sample_beyond(u, np.full(N, 20.0))
    values, counts = np.unique(drawn, return_counts=True)
    assert values.tolist() == [30.0, 40.0]
    assert abs(counts[0] / N - 0.5) < 0.02


def test_beyond_the_support_the_wait_itself():
    """The log says they waited longer than the distribution allows: the wait, not more."""
    u = np.array([0.0, 0.5, 0.99])
    assert Deterministic(60.0).sample_beyond(u, np.full(3, 90.0)).tolist() == [90.0] * 3
    assert Deterministic(60.0).sample_beyond(u, np.full(3, 30.0)).tolist() == [60.0] * 3
    empirical = Empirical(mean=15.0, values=(10.0, 20.0))
    assert empirical.sample_beyond(u, np.full(3, 25.0)).tolist() == [25.0] * 3
