"""Handle-time family chosen by AIC and KS, and AHT over the day."""

from __future__ import annotations

import numpy as np
import pytest

from sim.calibrate.handle import fit_handle


def flat_day(n: int, rng) -> np.ndarray:
    return rng.uniform(8 * 3600, 20 * 3600, n)


@pytest.mark.parametrize(
    ("family", "draw"),
    [
        ("lognormal", lambda rng, n: rng.lognormal(np.log(240) - 0.25, np.sqrt(0.5), n)),
        ("gamma", lambda rng, n: rng.gamma(2.5, 120, n)),
        ("exponential", lambda rng, n: rng.exponential(300, n)),
    ],
)
def test_family_recovered(family, draw):
    rng = np.random.default_rng(7)
    x = draw(rng, 3000)
    fit = fit_handle(x, flat_day(3000, rng), 1800)
    assert fit.chosen == family
    assert fit.mean_lo <= x.mean() <= fit.mean_hi
    assert fit.aht is None


def test_true_mean_inside_its_ci():
    rng = np.random.default_rng(2)
    x = rng.gamma(1 / 0.64, 330 * 0.64, 2000)
    fit = fit_handle(x, flat_day(2000, rng), 1800)
    assert fit.mean_lo <= 330 <= fit.mean_hi
    assert fit.chosen_fit is not None and fit.chosen_fit.cv == pytest.approx(0.8, abs=0.05)


def test_a_two_humped_sample_is_written_as_is():
    rng = np.random.default_rng(4)
    x = np.concatenate([rng.normal(60, 5, 1500), rng.normal(600, 30, 1500)])
    fit = fit_handle(x, flat_day(3000, rng), 1800)
    assert fit.chosen == "empirical"
    assert all(f.ks_p < 0.01 for f in fit.fits)


def test_aht_over_the_day_found_when_it_changes():
    rng = np.random.default_rng(5)
    tod = flat_day(6000, rng)
    slow = tod > 14 * 3600
    x = rng.lognormal(np.log(200), 0.6, 6000) * np.where(slow, 1.5, 1.0)
    fit = fit_handle(x, tod, 1800)
    assert fit.aht is not None and fit.aht_p is not None and fit.aht_p < 0.001
    morning = fit.aht[16:28]
    afternoon = fit.aht[28:40]
    assert np.nanmean(afternoon) / np.nanmean(morning) == pytest.approx(1.5, rel=0.1)
    assert np.isnan(fit.aht[:16]).all()  # nobody handled before 08:00: the type's mean
    # The shape is fitted on the handle times divided by their interval's AHT.
    assert fit.chosen == "lognormal"


def test_flat_aht_gives_no_column():
    rng = np.random.default_rng(6)
    x = rng.lognormal(np.log(200), 0.6, 6000)
    fit = fit_handle(x, flat_day(6000, rng), 1800)
    assert fit.aht is None and fit.aht_p is not None and fit.aht_p > 0.001
