"""staffing.html (`sim.pages.staffing`), built from a staffing search's files alone: cost before
and after, each target, the roster's changes, one figure per queue a target covers."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.pages.format import money
from sim.pages.staffing import added_rows, render_staffing_page, target_pairs
from sim.rundir.read import load_staffing
from sim.staffing.app import run_staffing
from tests.conftest import composed

QUEUES = {"phone_general", "phone_senior", "chat"}  # the queues of the phone and chat targets


@pytest.fixture(scope="module")
def search(tmp_path_factory):
    """A tiny search on holiday_peak (what it finds is checked in tests/test_staffing.py)."""
    out = tmp_path_factory.mktemp("search")
    cfg = composed(
        "replications=2",
        "staffing.replications=2",
        "staffing.max_evaluations=3",
        "staffing.workers=1",
    )
    summary = run_staffing({**cfg, "report": False}, out)
    return out, summary, render_staffing_page(out).read_text(encoding="utf-8")


def test_the_page_shows_cost_targets_and_a_figure_per_target_queue(search):
    out, summary, page = search
    assert f"{money(summary['cost_before'])} → {money(summary['cost_after'])}" in page
    for target in summary["targets"]:
        assert f"<tr><th>{target['target']}</th>" in page
    figures = sorted(p.name for p in (out / "figures").glob("staffing_*.png"))
    assert figures == sorted(
        ["staffing_phone_phone_general.png", "staffing_phone_phone_senior.png", "staffing_chat.png"]
    )
    assert page.count("<figure") == len(QUEUES)
    assert page.count('src="data:image/png;base64,') == len(QUEUES)
    assert f"Starting requirement:</span> Erlang {summary['erlang']}" in page


def test_the_page_is_built_from_the_searchs_files(search):
    out, summary, page = search
    loaded = load_staffing(out)
    assert loaded.summary == summary and loaded.facts.scenario == "holiday_peak"
    for table in (loaded.before, loaded.after):
        assert {"service_level", "service_level_lo", "service_level_hi"} <= set(table.columns)
        assert {"agents_scheduled", "erlang_required"} <= set(table.columns)
        assert table.loc[table["queue"].isin(QUEUES), "erlang_required"].notna().all()
    assert set(target_pairs(summary, loaded.after)) == {
        ("phone", "phone_general"),
        ("phone", "phone_senior"),
        ("chat", "chat"),
    }
    # Rebuilt from the saved files only: the same page.
    (out / "staffing.html").unlink()
    for png in (out / "figures").glob("*.png"):
        png.unlink()
    assert render_staffing_page(out).read_text(encoding="utf-8") == page


def test_each_added_shift_is_named_with_its_template_and_hours():
    summary = {"added_per_template": {"add_phone_4h": 2}, "added": {"add_phone_4h_0830": 2}}
    roster = pd.DataFrame(
        {
            "agent": ["add_phone_4h_0830_1", "add_phone_4h_0830_2", "ann"],
            "group": ["phone_team", "phone_team", "phone_team"],
            "skills": ["phone_general;phone_senior", "phone_general;phone_senior", "x"],
            "start": ["08:30", "08:30", "09:00"],
            "end": ["12:30", "12:30", "17:00"],
        }
    )
    assert added_rows(summary, roster) == [
        {
            "template": "add_phone_4h",
            "start": "08:30",
            "end": "12:30",
            "group": "phone_team",
            "skills": "phone_general, phone_senior",
            "count": 2,
        }
    ]
