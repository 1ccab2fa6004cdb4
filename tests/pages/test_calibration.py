"""The calibration page (`sim.pages.calibration`) on hand-made plain data: every table row and
figure, a type nobody abandoned, no handle fits, and every name escaped."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.analysis.calibration_view import (
    ArrivalCounts,
    CalibrationView,
    FittedFamily,
    HandleEstimate,
    NeverAbandons,
    PatienceEstimate,
    StaffingPool,
)
from sim.pages.calibration import render

N = 48  # half hours of a day


def _exponential(mean: float) -> FittedFamily:
    return FittedFamily(
        "exponential",
        1234.5,
        0.42,
        lambda x: np.exp(-x / mean) / mean,
        lambda x: 1 - np.exp(-x / mean),
    )


def hand_made() -> CalibrationView:
    rng = np.random.default_rng(3)
    counts = rng.poisson(5.0, (2, 2, N)).astype(float)
    rates = counts.mean(axis=0)
    handle = [
        HandleEstimate(
            t,
            "phone",
            float(rates[i].sum()),
            0.1,
            400,
            300.0,
            290.0,
            310.0,
            1.0,
            "exponential",
            rng.exponential(300.0, 400),
            (_exponential(300.0),),
            False,
            0.5,
        )
        for i, t in enumerate(["orders", "<refunds>"])
    ]
    times = np.sort(rng.exponential(200.0, 50))
    survival = np.linspace(1, 0.5, 50)
    patience = (
        PatienceEstimate(
            "orders",
            "all",
            300,
            50,
            times,
            survival,
            survival - 0.05,
            survival + 0.05,
            True,
            240.0,
            400.0,
            350.0,
            lambda t: np.exp(-np.asarray(t) / 350.0),
            380.0,
            330.0,
            440.0,
        ),
        NeverAbandons("<refunds>", "all"),
    )
    pool = StaffingPool(
        "phone", ("orders",), rng.poisson(4, (2, N)).astype(float), np.full(N, 4.0), np.full(N, 5.0)
    )
    return CalibrationView(
        source="logs/october.csv",
        days_described="every day of the log",
        day_labels=("2026-10-01", "2026-10-02"),
        interval_s=1800.0,
        busyness_cv=0.08,
        busyness_lo=0.02,
        busyness_hi=0.3,
        busyness_days=2,
        arrivals=ArrivalCounts(("orders", "<refunds>"), counts, rates, rates - 1, rates + 1),
        handle=tuple(handle),
        patience=patience,
        segments=("regular", "vip"),
        segment_shares={
            "orders": {"regular": 0.9, "vip": 0.1},
            "<refunds>": {"regular": 1.0, "vip": 0.0},
        },
        staffing_method="agents seen working",
        staffing=(pool,),
        notes=("only 2 day(s): the busyness CV is a rough guess",),
        not_estimated=("service-level thresholds", "wrap-up"),
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calibration")
    return folder, render(hand_made(), folder).read_text(encoding="utf-8")


def test_every_estimate_in_the_tables(page):
    _, text = page
    assert "<h1>Calibration from october.csv</h1>" in text
    assert "0.080 [0.020, 0.300] over 2 day(s)" in text
    assert "300.0 [290.0, 310.0]" in text and "flat (hours compared: p 0.5)" in text
    assert "Kaplan-Meier to 240 s, tail mean 400 s" in text and "380 [330, 440]" in text
    assert "nobody abandoned: never abandons" in text
    assert "<li>service-level thresholds</li>" in text and "rough guess" in text


def test_every_figure_drawn_and_embedded(page):
    folder, text = page
    names = ["arrivals", "handle", "patience", "segments", "staffing"]
    assert sorted(p.stem for p in (folder / "figures").glob("*.png")) == names
    assert text.count("data:image/png;base64,") == 5
    for number, name in enumerate(names, start=1):
        assert f'data-figure="{name}"' in text and f"<b>Figure {number}. " in text


def test_names_are_escaped(page):
    _, text = page
    assert "<refunds>" not in text and "&lt;refunds&gt;" in text


def test_without_handle_fits_or_patience_curves_those_figures_are_left_out(tmp_path):
    view = hand_made()
    bare = dataclasses.replace(
        view,
        handle=tuple(dataclasses.replace(h, fits=()) for h in view.handle),
        patience=(NeverAbandons("orders", "all"),),
    )
    text = render(bare, tmp_path).read_text()
    assert text.count("data:image/png;base64,") == 3
    assert 'data-figure="handle"' not in text and 'data-figure="patience"' not in text
