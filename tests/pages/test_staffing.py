"""staffing.html (`sim.pages.staffing`), built from a staffing search's files alone: cost before
and after, each channel's and queue's level before and after, the roster's changes and the
command that runs it, one figure per queue of the channels the menu can staff."""

from __future__ import annotations

import html
import json
import re
import shlex
import subprocess
import sys

import pandas as pd
import pytest

from sim.pages.format import money
from sim.pages.staffing import TONE, added_rows, judged_pairs, render_staffing_page
from sim.rundir.read import load_staffing
from sim.staffing.app import run_staffing
from tests.conftest import composed

QUEUES = {"phone_general", "phone_senior", "chat"}  # the queues of the channels the menu staffs


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
    # As the command line passes its overrides (`staffing.*` ones are the search's own).
    overrides = ["replications=2", "staffing.replications=2"]
    summary = run_staffing({**cfg, "report": False}, out, overrides=overrides)
    return out, summary, render_staffing_page(out).read_text(encoding="utf-8")


def test_the_page_shows_cost_levels_and_a_figure_per_staffed_queue(search):
    out, summary, page = search
    assert f"{money(summary['cost_before'])} → {money(summary['cost_after'])}" in page
    assert summary["judged"] == ["chat", "phone"]  # email: no template holds its skill
    for channel, verdict in summary["verdict"].items():
        assert verdict["staffed"] == (channel in summary["judged"])
        levels = {verdict["level_before"], verdict["level_after"]}
        assert levels <= {"holds", "at risk", "breaks"}
        for queue, q in verdict["queues"].items():
            assert f"<td>{queue}</td>" in page
            assert f'<b class="{TONE[q["level_after"]]}-text">{q["level_after"]}</b>' in page
    assert f"{summary['level_before']} → {summary['level_after']}" in page
    assert "not staffed by the menu" in page
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
    assert {"agents_on_queue"} <= set(loaded.after.columns)
    assert set(judged_pairs(summary)) == {
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


def test_the_printed_command_runs_as_is_from_another_directory(search, tmp_path):
    """The page's command for the recommendation's full report runs, as printed, from a
    directory that is not the project's (roster.csv by its absolute path), and simulates
    the recommended roster."""
    out, summary, page = search
    command = html.unescape(re.search(r'<pre class="command"><code>(.*?)</code>', page)[1])
    assert command == summary["rerun"]
    assert f"roster.file={(out / 'roster.csv').resolve()}" in command
    args = shlex.split(command)
    assert args[:3] == ["python", "-m", "sim"]
    done = subprocess.run(
        [sys.executable, *args[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (summary_json,) = tmp_path.glob("outputs/*/*/summary.json")
    ran = json.loads(summary_json.read_text())
    assert ran["replications"] == 2  # the search's own overrides came along
    assert ran["agents"]["all"]["planned_cost"]["mean"] == pytest.approx(summary["cost_after"])
