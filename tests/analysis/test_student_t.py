"""Student t quantiles against scipy's, over the degrees of freedom the CIs use (whole numbers
from replications, fractional ones from Welch's interval) and far beyond."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.analysis.student_t import t_quantile, t_quantiles, upper_tail

DOFS = np.concatenate(
    [np.arange(1, 1001), np.geomspace(0.3, 1e8, 200), np.arange(1.5, 60, 0.37), [9999.9, 1e4]]
)


@pytest.mark.parametrize("p", [0.6, 0.9, 0.95, 0.975, 0.995, 0.9999, 0.025, 1e-6, 1e-12])
def test_quantiles_match_scipy(p):
    ours = np.array([t_quantile(p, float(dof)) for dof in DOFS])
    np.testing.assert_allclose(ours, stats.t.ppf(p, DOFS), rtol=1e-10)


def test_near_the_median_the_error_is_tiny_in_absolute_terms():
    ours = np.array([t_quantile(0.5001, float(dof)) for dof in DOFS])
    np.testing.assert_allclose(ours, stats.t.ppf(0.5001, DOFS), rtol=1e-8)
    assert t_quantile(0.5, 7.0) == 0.0


def test_tail_matches_scipy():
    for dof in (1.0, 2.5, 9.0, 120.0, 5000.0):
        for t in (0.0, 0.3, 2.0, 15.0):
            assert upper_tail(t, dof) == pytest.approx(stats.t.sf(t, dof), rel=1e-10, abs=1e-300)


def test_undefined_quantiles_are_nan():
    for p, dof in [(0.975, 0.0), (0.975, -1.0), (0.975, math.nan), (0.0, 5.0), (1.0, 5.0)]:
        assert math.isnan(t_quantile(p, dof))


def test_vectorised_keeps_the_shape_and_marks_missing_dofs():
    dofs = np.array([[0.0, 1.0, 9.0], [np.nan, -1.0, 9.0]])
    out = t_quantiles(0.975, dofs)
    assert out.shape == dofs.shape
    assert np.isnan(out[0, 0]) and np.isnan(out[1, 0]) and np.isnan(out[1, 1])
    np.testing.assert_allclose(out[0, 1:], stats.t.ppf(0.975, [1.0, 9.0]), rtol=1e-12)
    assert out[1, 2] == out[0, 2]
