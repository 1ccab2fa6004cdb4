"""The report's "The log vs the replay" (`sim.pages.log`): per group, each measure as the log
had it beside the replay's mean and CI; no section for a run that replayed nothing."""

from __future__ import annotations

import pytest

from sim.pages.format import Cell
from sim.pages.log import MEASURES, log_section
from sim.rundir.read import load_run
from tests.conftest import run
from tests.pages.sections import render_section, row
from tests.test_replay import ERLANG, ccsim_log, replay_overrides, write_log

SECTION = '{% include "run/log.html" %}'


@pytest.fixture(scope="module")
def replay_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("replay")
    log = write_log(
        ccsim_log(base / "original", "scenario.hours=6"),
        base / "day.parquet",
        ["arrival_s", "contact_type", "wait_s", "outcome", "handle_s", "segment"],
    )
    run(
        base / "replay",
        *ERLANG,
        "scenario.hours=6",
        "replications=2",
        *replay_overrides(log, "+scenario.trace.handle=true"),
    )
    return load_run(base / "replay")


def test_each_group_as_logged_and_as_replayed(replay_run):
    summary = replay_run.summary
    section = log_section(summary)
    assert section is not None and section.file == "day.parquet" and section.handle
    page = render_section(SECTION, log=section)
    assert "This run replayed <code>day.parquet</code>" in page
    assert "the answered contacts&#39; handle times" in page  # (escaped)
    groups = [g for g in summary["log"]["kpis"] if not g.startswith("segment=")]
    assert [r.group for r in section.rows] == groups
    for group in groups:
        cells = row(page, "data-log-group", group)
        for metric, _, kind in MEASURES:
            logged = Cell.of({"mean": summary["log"]["kpis"][group][metric]}, kind).text
            replayed = Cell.of(summary["kpis"][group][metric], kind)
            assert f'<td class="num">{logged}</td><td class="num">{replayed.text}' in cells or (
                not replayed.known and f'<td class="num">{logged}</td><td class="num na">' in cells
            ), (group, metric)


def test_no_section_without_a_replay(replay_run):
    summary = {k: v for k, v in replay_run.summary.items() if k != "log"}
    assert log_section(summary) is None
