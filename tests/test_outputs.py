"""The run directory's contract: files, columns, conservation, common random numbers and
byte-identical reruns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.kpis import METRICS, OUTCOME_COUNTS, TIME_MEASURES
from sim.records import OUTCOMES
from tests.conftest import run, run_cli

SMALL = ("scenario=erlang", "scenario.hours=8", "scenario.patience_s=120", "scenario.vip_share=0.2")
SCENARIOS = {"erlang": SMALL, "holiday_peak": ("scenario=holiday_peak",)}


@pytest.fixture(scope="module", params=list(SCENARIOS))
def finished_run(request, tmp_path_factory):
    run_dir = tmp_path_factory.mktemp(request.param)
    summary = run(run_dir, *SCENARIOS[request.param], "replications=3")
    return run_dir, summary


def test_summary_has_every_group_and_metric(finished_run):
    run_dir, summary = finished_run
    assert {"scenario", "seed", "replications", "service_level", "kpis"} <= set(summary)
    assert {"threshold_s", "definition"} <= set(summary["service_level"])
    groups = summary["kpis"]
    assert "all" in groups
    for prefix in ("channel=", "queue=", "segment="):
        assert any(g.startswith(prefix) for g in groups)
    thresholds = set(summary["service_level"]["threshold_s_by_channel"].values())
    for group, figures in groups.items():
        # Waits only where one threshold applies: per channel (and queue, segment per channel).
        mixed = len(thresholds) > 1 and (group == "all" or group.startswith("segment="))
        waits = set(TIME_MEASURES)
        assert set(METRICS) <= set(figures)  # the contract's keys, in every group
        undefined = {m for m in waits if figures[m]["mean"] is None}
        assert undefined == (waits if mixed else set()), group
        for figure in figures.values():
            assert set(figure) == {"mean", "ci95"} and len(figure["ci95"]) == 2


def test_conservation_everywhere(finished_run):
    """offered = contained + answered + abandoned + unserved, per contact, group and interval."""
    run_dir, summary = finished_run
    for figures in summary["kpis"].values():
        parts = sum(figures[m]["mean"] for m in OUTCOME_COUNTS)
        assert figures["offered"]["mean"] == pytest.approx(parts)
    total = summary["kpis"]["all"]["offered"]["mean"]
    channels = [
        f["offered"]["mean"]
        for g, f in summary["kpis"].items()
        if g.startswith("channel=") and "/" not in g
    ]
    assert sum(channels) == pytest.approx(total)

    intervals = pd.read_csv(run_dir / "intervals.csv")
    parts = intervals[list(OUTCOME_COUNTS)].sum(axis=1)
    assert np.allclose(intervals["offered"], parts)
    assert intervals["offered"].sum() == pytest.approx(total)

    contacts = pd.read_parquet(run_dir / "contacts.parquet")
    assert (contacts["transfer_of"] < 0).sum() == pytest.approx(3 * total)  # legs are extra rows
    assert contacts["outcome"].isin(OUTCOMES).all()
    answered = contacts[contacts["outcome"].eq("answered")]
    assert answered["agent"].notna().all() and (answered["wait_s"] >= 0).all()


def test_intervals_table_has_staffing_columns(finished_run):
    run_dir, _ = finished_run
    intervals = pd.read_csv(run_dir / "intervals.csv")
    for column in (
        "interval",
        "start",
        "channel",
        "queue",
        "agents_scheduled",
        "erlang_c_required",
    ):
        assert column in intervals.columns
    for metric in METRICS:
        assert {metric, f"{metric}_lo", f"{metric}_hi"} <= set(intervals.columns)
    assert (intervals["agents_scheduled"] >= 0).all()


def test_common_random_numbers_across_staffing(tmp_path):
    """Two staffing levels with the same seed meet the very same customers."""
    columns = ["arrival_s", "contact_type", "segment", "patience_s", "handle_s", "wrapup_s"]
    tables = []
    for agents in (12, 16):
        run(tmp_path / str(agents), *SMALL, f"scenario.agents={agents}", "replications=2")
        tables.append(pd.read_parquet(tmp_path / str(agents) / "contacts.parquet")[columns])
    pd.testing.assert_frame_equal(tables[0], tables[1])
    other_seed = run(tmp_path / "seed", *SMALL, "replications=2", "seed=99")
    assert (
        other_seed["kpis"]["all"]["offered"]
        != run(tmp_path / "again", *SMALL, "replications=2")["kpis"]["all"]["offered"]
    )


def test_same_config_and_seed_give_byte_identical_summary(tmp_path):
    first = run_cli(tmp_path / "one", *SMALL, "replications=2")
    second = run_cli(tmp_path / "two", *SMALL, "replications=2")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert (tmp_path / "one" / "summary.json").read_bytes() == (
        tmp_path / "two" / "summary.json"
    ).read_bytes()
