"""The measures' definitions on hand-made contact tables, and the helpers behind them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.metrics import (
    METRICS,
    OUTCOME_COUNTS,
    contact_kpis,
    mean_ci,
    mean_ci_frame,
    time_in_bins,
)


def contacts(rows):
    """rows: (outcome, wait_s) with threshold 20 s and 100 s of work each."""
    frame = pd.DataFrame(rows, columns=["outcome", "wait_s"])
    frame["replication"] = 0
    frame["threshold_s"] = 20.0
    frame["handle_s"] = 90.0
    frame["wrapup_s"] = 10.0
    frame["customer"] = np.arange(len(frame))
    frame["attempt"] = 0
    return frame


def test_service_level_and_wait_definitions():
    table = contacts(
        [
            ("answered", 0.0),  # answered at once: within, counts in ASA
            ("answered", 15.0),
            ("answered", 40.0),
            ("abandoned", 3.0),  # a short abandon when short_abandon_s = 5
            ("abandoned", 60.0),
            ("unserved", 100.0),
        ]
    )
    k = contact_kpis(table, [], short_abandon_s=5.0).iloc[0]
    assert (k.offered, k.answered, k.abandoned, k.unserved, k.short_abandoned) == (6, 3, 2, 1, 1)
    # within 2 / (3 answered + 2 abandoned + 1 unserved - 1 short)
    assert k.service_level == pytest.approx(2 / 5)
    assert k.abandon_rate == pytest.approx(2 / 6)
    assert k.asa_s == pytest.approx(55 / 3)
    assert k.mean_wait_s == pytest.approx(218 / 6)
    assert k.max_wait_s == 100.0
    assert k.aht_s == 100.0
    no_short = contact_kpis(table, [], short_abandon_s=0.0).iloc[0]
    assert no_short.service_level == pytest.approx(2 / 6)


def test_time_in_bins_matches_brute_force():
    rng = np.random.default_rng(1)
    starts = rng.uniform(0, 1000, 300)
    ends = starts + rng.exponential(80, 300)
    edges = np.linspace(0, 1200, 13)
    brute = [
        np.clip(np.minimum(ends, hi) - np.maximum(starts, lo), 0, None).sum()
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    assert np.allclose(time_in_bins(starts, ends, edges), brute)


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


def test_blocked_callers_count_apart_and_never_reached_a_queue():
    """A blocked caller (busy signal) is offered, counted as blocked, and in none of the
    measures of contacts that reached a queue; block_rate = blocked / offered."""
    table = contacts(
        [
            ("answered", 0.0),
            ("answered", 40.0),
            ("abandoned", 60.0),
            ("contained", np.nan),
            ("blocked", np.nan),
            ("blocked", np.nan),
            ("balked", 0.0),
            ("callback_failed", 10.0),
        ]
    )
    k = contact_kpis(table, [], short_abandon_s=0.0).iloc[0]
    assert (k.offered, k.blocked, k.contained, k.answered, k.abandoned) == (8, 2, 1, 2, 1)
    assert k.offered == sum(k[m] for m in OUTCOME_COUNTS)
    assert k.block_rate == pytest.approx(2 / 8)
    reached = 5  # answered, abandoned, balked and the failed callback
    assert k.service_level == pytest.approx(1 / reached)
    assert k.abandon_rate == pytest.approx(1 / reached)
    assert k.mean_wait_s == pytest.approx(110 / reached)
    assert k.max_wait_s == 60.0 and k.asa_s == pytest.approx(20.0)
    # A customer blocked first and answered in time on a retry is served well.
    retry = contacts([("blocked", np.nan), ("answered", 5.0), ("blocked", np.nan)])
    retry["customer"] = [0, 0, 1]
    retry["attempt"] = [0, 1, 0]
    r = contact_kpis(retry, [], short_abandon_s=0.0).iloc[0]
    assert (r.customers, r.retrials, r.blocked) == (2, 1, 2)
    assert r.customer_service_level == 1.0  # customer 1 never reached a queue
    assert r.service_level == 1.0 and r.block_rate == pytest.approx(2 / 3)


def test_without_blocked_contacts_the_block_measures_are_zero():
    table = contacts([("answered", 0.0), ("contained", np.nan), ("abandoned", 30.0)])
    k = contact_kpis(table, [], short_abandon_s=0.0).iloc[0]
    assert (k.blocked, k.block_rate, k.contained) == (0, 0.0, 1)
    assert "blocked" in METRICS and "block_rate" in METRICS and "blocked" in OUTCOME_COUNTS
