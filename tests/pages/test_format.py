"""How the pages write values (`sim.pages.format`): by kind, with the CI in the mean's unit."""

from __future__ import annotations

import math

import pytest

from sim.analysis.figure import Figure
from sim.pages.format import Cell, ci, duration, hours_cell, money, percent_ci, value


@pytest.mark.parametrize(
    ("x", "kind", "text"),
    [
        (1234.4, "count", "1,234"),
        (12.0, "count", "12"),
        (12.34, "count", "12.3"),
        (-0.01, "count", "0"),  # never "-0.0"
        (0.8234, "percent", "82.3%"),
        (0.0001, "percent", "0.0%"),
        (45.0, "duration", "45 s"),
        (7980.0, "duration", "133 min"),
        (4.5 * 3600.0, "duration", "4.5 h"),
        (36.5, "hours", "36.5 h"),
        (17032.39, "cost", "17,032"),
        (2.5, "number", "2.5"),
        (None, "count", "–"),
        (math.nan, "percent", "–"),
    ],
)
def test_values_by_kind(x, kind, text):
    assert value(x, kind) == text


def test_a_ci_reads_in_the_means_unit():
    assert ci(Figure(0.823, 0.761, 0.99), "percent") == "[76.1, 99]"
    assert ci(Figure(7980.0, 6000.0, 9000.0), "duration") == "[100, 150 min]"
    assert ci(Figure(5.0), "count") == ""  # a single replication: no interval
    assert percent_ci(Figure(0.877, 0.76, 0.99)) == "87.7% [76, 99]"
    assert percent_ci(Figure(math.nan)) == "–"


def test_a_ci_is_clipped_to_what_the_quantity_allows():
    """Student t knows no bounds: a share's CI stays in [0, 100]%, a count's, a duration's
    and hours' at or above zero; a mean outside the bounds (shrinkage with overtime) stays
    inside its own CI."""
    assert ci(Figure(0.99, 0.97, 1.02), "percent") == "[97, 100]"
    assert percent_ci(Figure(0.02, -0.01, 0.05)) == "2.0% [0, 5]"
    assert ci(Figure(0.026, -0.012, 0.064), "percent") == "[0, 6.4]"
    assert ci(Figure(-0.009, -0.03, 0.014), "percent") == "[-0.9, 1.4]"
    assert ci(Figure(30.0, -37.9, 97.9), "duration") == "[0, 97.9 s]"
    assert ci(Figure(1.2, -0.9, 3.3), "count") == "[0, 3.3]"
    assert ci(Figure(1.2, -0.9, 3.3), "number") == "[-0.9, 3.3]"  # a plain number: unbounded


def test_cells_from_summary_figures():
    cell = Cell.of({"mean": 0.5, "ci95": [0.4, 0.6]}, "percent")
    assert (cell.known, cell.text, cell.ci) == (True, "50.0%", "[40, 60]")
    missing = Cell.of({"mean": None, "ci95": [None, None]}, "duration")
    assert not missing.known and missing.text == "–" and missing.ci == ""


def test_brief_hours_are_shown_in_seconds_or_minutes():
    assert hours_cell({"mean": 2.0, "ci95": [1.0, 3.0]}).kind == "hours"
    brief = hours_cell({"mean": 0.05, "ci95": [0.0, 0.1]})
    assert brief.kind == "duration" and brief.text == "180 s" and brief.ci == "[0, 360 s]"
    per_day = hours_cell({"mean": 14.0, "ci95": [7.0, 21.0]}, per=7.0)
    assert per_day.text == "2 h" and per_day.ci == "[1, 3]"
    assert hours_cell({"mean": 0.0, "ci95": [0.0, 0.0]}).text == "0 h"


def test_durations_and_amounts():
    assert [duration(s) for s in (0, 20, 90, 86400, 3 * 86400)] == [
        "0",
        "20 s",
        "1.5 min",
        "24 h",
        "3 d",
    ]
    assert money(16274.0) == "16,274" and money(12.5) == "12.5" and money(None) == "–"
