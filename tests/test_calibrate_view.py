"""A calibration as the page's plain data (`sim.calibrate.view`): every estimate carried over,
and the page built from it shows every fit (tests/pages/test_calibration.py tests the page on
hand-made data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.analysis.calibration_view import PatienceEstimate
from sim.calibrate.calibration import calibrate_log
from sim.calibrate.days import select_days
from sim.calibrate.staffing import presence_of_rows, roster_rows
from sim.calibrate.view import view_of
from sim.pages.calibration import render
from tests.test_calibrate_scenario import synthetic_log


def test_the_view_carries_every_estimate_and_the_page_shows_every_fit(tmp_path: Path):
    cal = calibrate_log(select_days(synthetic_log(days=3), None), "log.csv", 1800.0)
    rows = roster_rows(cal.staffing)
    view = view_of(cal, rows)
    assert view.arrivals.types == cal.types and view.n_days == 3
    np.testing.assert_array_equal(view.arrivals.rates, cal.arrivals.rates)
    assert [h.type for h in view.handle] == list(cal.types)
    for h in view.handle:
        fit = cal.handle[h.type]
        assert (h.mean, h.chosen, len(h.fits)) == (fit.mean, fit.chosen, len(fit.fits))
        grid = np.linspace(1, 600, 5)
        for mine, theirs in zip(h.fits, fit.fits, strict=True):
            np.testing.assert_allclose(mine.pdf(grid), theirs.frozen.pdf(grid))  # type: ignore[attr-defined]
    written = presence_of_rows(rows, cal.staffing.interval_s)
    for pool in view.staffing:
        np.testing.assert_array_equal(pool.written, written[pool.name])
    fits = [p for p in view.patience if isinstance(p, PatienceEstimate)]
    assert fits and all(p.written(np.array([0.0]))[0] == 1.0 for p in fits)
    page = render(view, tmp_path).read_text()
    assert page.count("data:image/png;base64,") == 5
    names = ["arrivals", "handle", "patience", "segments", "staffing"]
    assert sorted(p.stem for p in (tmp_path / "figures").glob("*.png")) == names
    for item in cal.not_estimated:
        assert item.split(" (")[0] in page
    assert "exponential MLE" in page and "Kaplan-Meier" in page
    assert "empirical" in page  # the two-humped chat handle times
