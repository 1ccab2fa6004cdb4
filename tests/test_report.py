"""The run report: built from a run directory's files alone, one self-contained page, every
figure a real non-blank PNG of the promised size, every summary group in the tables, and a CLI
that rebuilds it (exit 2 with a clear message on a directory that is not a run)."""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from sim import figures
from sim.app import PROJECT_ROOT
from sim.report import (
    FIGURE_NAMES,
    RunDirError,
    failing_spans,
    load_run,
    mean_waiting,
    render_run_report,
)
from tests.conftest import run

SMALL = (
    "scenario=erlang",
    "scenario.hours=8",
    "scenario.patience_s=120",
    "scenario.vip_share=0.2",
    "replications=2",
)
WIDTH_PX = round(figures.WIDTH_IN * figures.DPI)
ONE_ROW_PX = round(figures.ROW_HEIGHT_IN * figures.DPI)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("erlang")
    summary = run(run_dir, *SMALL)
    report = render_run_report(run_dir)
    return run_dir, summary, report


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.report", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )


def test_report_embeds_every_figure(small_run):
    run_dir, _, report = small_run
    assert report == run_dir / "report.html"
    page = report.read_text(encoding="utf-8")
    for name in FIGURE_NAMES:
        png = (run_dir / "figures" / f"{name}.png").read_bytes()
        assert f'data-figure="{name}"' in page
        assert "data:image/png;base64," + base64.b64encode(png).decode("ascii") in page
    # Self-contained: nothing fetched from elsewhere.
    for external in ('src="http', 'href="http', "<link", "<script", "url("):
        assert external not in page


def test_figures_are_real_pngs_of_the_promised_size(small_run):
    run_dir, _, _ = small_run
    for name in FIGURE_NAMES:
        pixels = imread(run_dir / "figures" / f"{name}.png")
        # One channel, one queue, one agent group: every figure is a single row of panels.
        assert pixels.shape[:2] == (ONE_ROW_PX, WIDTH_PX), name
        assert pixels[..., :3].var() > 0, f"{name} is blank"


def test_tables_list_every_group_of_the_summary(small_run):
    _, summary, report = small_run
    page = report.read_text(encoding="utf-8")
    for group in summary["kpis"]:
        assert f'data-group="{group}"' in page
    for group in summary["agents"]:
        assert f'data-agent-group="{group}"' in page
    assert summary["scenario"] in page and str(summary["seed"]) in page


def test_queue_length_accounts_for_every_second_waited(small_run):
    """Mean queue length x interval length, summed, is the waiting time per replication."""
    run_dir, summary, _ = small_run
    loaded = load_run(run_dir)
    contacts = pd.read_parquet(run_dir / "contacts.parquet")
    end = np.minimum(contacts["arrival_s"] + contacts["wait_s"], loaded.horizon_s)
    waited = float((end - contacts["arrival_s"]).sum()) / summary["replications"]
    assert mean_waiting(loaded)["phone"].sum() * loaded.interval_s == pytest.approx(waited)


def test_failing_spans_are_the_intervals_below_target(small_run):
    run_dir, summary, _ = small_run
    loaded = load_run(run_dir)
    target = summary["service_level"]["target"]
    t = pd.read_csv(run_dir / "intervals.csv")
    below = t[(t["offered"] > 0) & (t["service_level"] < target)]
    spans = failing_spans(loaded)
    assert sum(s["intervals"] for s in spans) == len(below)
    for s in spans:
        assert s["worst_sl"] < target and s["from"] < s["to"]


def test_summary_passed_in_replaces_summary_json(small_run, tmp_path):
    """The app renders before it writes summary.json, passing the summary in."""
    run_dir, summary, _ = small_run
    for name in ("intervals.csv", "contacts.parquet", "agents.parquet"):
        shutil.copy(run_dir / name, tmp_path / name)
    report = render_run_report(tmp_path, summary=summary)
    assert report.is_file() and not (tmp_path / "summary.json").exists()
    assert all((tmp_path / "figures" / f"{name}.png").is_file() for name in FIGURE_NAMES)


def test_cli_rebuilds_the_report(small_run, tmp_path):
    run_dir, _, _ = small_run
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("figures", "report.html"))
    done = _cli(str(copy))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(copy / "report.html")
    assert (copy / "report.html").is_file()
    assert len(list((copy / "figures").glob("*.png"))) == len(FIGURE_NAMES)


def test_cli_refuses_a_directory_that_is_not_a_run(tmp_path):
    done = _cli(str(tmp_path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "summary.json" in done.stderr and "missing" in done.stderr
    assert not (tmp_path / "report.html").exists()
    with pytest.raises(RunDirError, match="no such directory"):
        render_run_report(tmp_path / "nowhere")


def test_channel_colours_and_clock_labels():
    colours = figures.channel_colours(["email", "fax", "chat", "phone", "sms"])
    assert colours["phone"] == figures.FIXED_CHANNEL_COLOURS["phone"]
    assert colours["email"] == figures.FIXED_CHANNEL_COLOURS["email"]
    assert len(set(colours.values())) == 5
    assert figures.clock_label(8.5) == "08:30"
    assert figures.clock_label(32) == "32:00"  # 08:00 on day two, as in intervals.csv


def test_default_scenario_report(tmp_path):
    """The holiday peak day: three channels, four queues, five agent groups."""
    summary = run(tmp_path, "replications=2")
    page = render_run_report(tmp_path).read_text(encoding="utf-8")
    for group in [*summary["kpis"], *summary["agents"]]:
        assert f'data-group="{group}"' in page or f'data-agent-group="{group}"' in page
    sizes = {}
    for name in FIGURE_NAMES:
        pixels = imread(tmp_path / "figures" / f"{name}.png")
        assert pixels.shape[1] == WIDTH_PX and pixels[..., :3].var() > 0, name
        sizes[name] = pixels.shape[0]
    assert sizes["staffing"] == round(figures.figure_height(2) * figures.DPI)  # 4 queues, 2x2
    assert sizes["service_level"] == ONE_ROW_PX
    assert summary["scenario"] in page and summary["routing"] in page


def test_events_figure_appears_once_there_are_events(tmp_path):
    from sim.app import run_scenario
    from sim.report import EVENT_FIGURE
    from tests.conftest import composed

    cfg = composed(
        "scenario=erlang", "scenario.agents=11", "scenario.patience_s=60", "replications=2"
    )
    cfg["scenario"]["retrials"] = {"phone": {"first": 0.5, "delay": 300}}
    run_scenario(cfg, tmp_path)
    png = tmp_path / "figures" / f"{EVENT_FIGURE}.png"
    assert png.stat().st_size > 10_000
    page = (tmp_path / "report.html").read_text()
    assert f'data-figure="{EVENT_FIGURE}"' in page and "The customers' journey" in page
