"""The verdict section (`sim.pages.verdict`): one card per channel, every interval below target
counted, the spans with the agents each is short, and how to get a staffing search's figure."""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest

from sim.analysis.figure import Figure
from sim.analysis.verdict import QueueVerdict, Slot, Span
from sim.pages.verdict import biggest_gap, run_verdicts, verdict_section
from sim.rundir.read import load_run
from tests.conftest import run
from tests.pages.sections import render_section

SMALL = ("scenario=erlang", "scenario.hours=8", "scenario.patience_s=120", "replications=2")
SECTION = '{% with section = s %}{% include "run/verdict.html" %}{% endwith %}'


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("erlang")
    run(run_dir, *SMALL)
    return run_dir


def html_of(loaded) -> str:
    return render_section(SECTION, s=verdict_section(loaded, run_verdicts(loaded)))


def test_the_verdict_counts_every_interval_below_target(small_run):
    loaded = load_run(small_run)
    t = loaded.intervals
    below = t[(t["offered"] > 0) & (t["service_level"] < loaded.target)]
    [phone] = run_verdicts(loaded)
    assert phone.below == len(below) and phone.met == (len(below) == 0)
    assert sum(s.intervals for q in phone.queues for s in q.spans) == len(below)
    page = html_of(loaded)
    assert 'data-verdict="phone"' in page and 'id="verdict"' in page
    assert page.count("<tr data-span=") == min(20, sum(len(q.spans) for q in phone.queues))


def _one_span(run_dir, tmp_path):
    """A copy of the run whose service level is at 90% but in intervals 3 to 5 (01:30-03:00),
    clearly below target (its CI too): more than the allowance of 2, so the queue breaks."""
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    intervals = pd.read_csv(copy / "intervals.csv")
    for column in ("service_level", "service_level_lo", "service_level_hi"):
        intervals[column] = intervals[column].clip(lower=0.9)
        intervals.loc[intervals["interval"].between(3, 5), column] = 0.5
    intervals.to_csv(copy / "intervals.csv", index=False)
    return copy, intervals


def test_spans_show_a_staffing_search_result_in_the_run_directory(small_run, tmp_path):
    """Without a search result the section says how to get one; with staffing.json and
    intervals_after.csv beside the run, each span shows the agents the search adds."""
    copy, intervals = _one_span(small_run, tmp_path)
    page = html_of(load_run(copy))
    assert page.count('<tr data-span="calls">') == 1 and "<td>01:30–03:00</td>" in page
    assert 'data-level="breaks"' in page
    # The erlang scenario has no staffing menu: the hint says to give it one.
    assert "python -m sim.staffing scenario=erlang staffing=NAME" in page
    after = intervals[["channel", "queue", "interval", "start", "offered"]].copy()
    after["agents_scheduled"] = intervals["agents_scheduled"] + 2
    after.to_csv(copy / "intervals_after.csv", index=False)
    (copy / "staffing.json").write_text("{}")
    page = html_of(load_run(copy))
    assert "Staffing search</th>" in page and '<td class="num">+2.0</td>' in page
    assert "python -m sim.staffing scenario" not in page


def test_with_a_staffing_menu_the_hint_is_the_command(small_run, tmp_path):
    copy, _ = _one_span(small_run, tmp_path)
    loaded = load_run(copy)
    loaded.facts = dataclasses.replace(loaded.facts, staffing_menu=True)
    page = html_of(loaded)
    assert "run\n<code>python -m sim.staffing scenario=erlang</code>" in page


def test_the_verdict_names_the_span_most_agents_short():
    def span(start, end, short_c, sl):
        worst = Slot(0, start, Figure(sl), 10.0)
        return Span(start, end, 1, worst, short_c, short_c - 1 if short_c else 0)

    q = QueueVerdict("phone", "billing", Figure(0.85))
    q.spans = [span("08:00", "08:30", 2, 0.7), span("16:30", "17:00", 12, 0.52)]
    assert biggest_gap(q) == "; most agents short: 16:30–17:00, 12 by Erlang C (11 by A)"
    q.spans = [span("08:00", "08:30", 0, 0.7)]
    assert biggest_gap(q) == ""  # Erlang sees no shortfall
