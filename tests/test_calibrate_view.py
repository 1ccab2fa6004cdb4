"""calibration.html: every figure embedded and saved, the tables and what was not estimated."""

from __future__ import annotations

from pathlib import Path

from sim.calibrate.calibration import calibrate_log
from sim.calibrate.days import select_days
from sim.calibrate.staffing import roster_rows
from sim.pages.calibration import render
from tests.test_calibrate_scenario import synthetic_log


def test_page_shows_every_fit(tmp_path: Path):
    cal = calibrate_log(select_days(synthetic_log(days=3), None), "log.csv", 1800.0)
    page = render(cal, roster_rows(cal.staffing), tmp_path)
    text = page.read_text()
    assert text.count("data:image/png;base64,") == 5
    names = ["arrivals", "handle", "patience", "segments", "staffing"]
    assert sorted(p.stem for p in (tmp_path / "figures").glob("*.png")) == names
    for item in cal.not_estimated:
        assert item.split(" (")[0] in text
    assert "exponential MLE" in text and "Kaplan-Meier" in text
    assert "empirical" in text  # the two-humped chat handle times
