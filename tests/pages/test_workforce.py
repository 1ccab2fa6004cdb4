"""The report's "Workforce on the day" (`sim.pages.workforce`): planned against realised hours
per group and the alert rules, each with its condition and what it sets off as model.json
gives them, per simulated day."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from sim.analysis.facts import AlertFacts
from sim.pages.format import Cell, hours_cell, value
from sim.pages.workforce import actions, condition, rule_channels, workforce_section
from sim.rundir.read import load_run
from tests.conftest import composed, run_config
from tests.pages.sections import render_section, row
from tests.pages.test_run_figures import WORKFORCE

SECTION = '{% include "run/workforce.html" %}'


@pytest.fixture(scope="module")
def workforce_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("workforce")
    cfg = composed("scenario=erlang", "scenario.hours=4", "replications=3")
    cfg["workforce"] = copy.deepcopy(WORKFORCE)
    run_config(cfg, run_dir)
    loaded = load_run(run_dir)
    section = workforce_section(loaded.summary, loaded.facts, alert_figure=True)
    assert section is not None
    return loaded, render_section(SECTION, workforce=section)


def test_the_section_shows_the_summary_figures(workforce_run):
    loaded, page = workforce_run
    workforce = loaded.summary["workforce"]
    assert "<h2>Workforce on the day</h2>" in page
    assert workforce["groups"]["group=r"]["call_ins"]["mean"] > 0  # the on-call pool came
    columns = [
        ("realised_h", "hours"),
        ("shrinkage", "percent"),
        ("absent_shifts", "count"),
        ("late_h", "hours"),
        ("call_ins", "count"),
        ("moved_h", "hours"),
    ]
    for group, figures in workforce["groups"].items():
        cells = row(page, "data-workforce-group", group)
        assert f'<td class="num">{value(figures["planned_h"], "hours")}</td>' in cells
        for key, kind in columns:
            if key not in figures:  # an on-call pool plans nothing: no shrinkage
                continue
            cell = hours_cell(figures[key]) if kind == "hours" else Cell.of(figures[key], kind)
            assert f'<td class="num">{cell.text}' in cells, (group, key)
    assert "shrinkage" not in workforce["groups"]["group=r"]
    assert "Together the rostered groups were logged in for" in page


def test_each_alert_rule_with_its_condition_and_actions(workforce_run):
    loaded, page = workforce_run
    cells = row(page, "data-alert", "q")
    figures = loaded.summary["workforce"]["alerts"]["q"]
    assert f'<td class="num">{Cell.of(figures["raised"], "count").text}' in cells  # one day
    assert "<td>calls queue length &gt; 1</td>" in cells and "<td>calls in on-call r</td>" in cells
    assert "(every 5 min)" in page and 'href="#fig-alerts"' in page


def test_conditions_say_when_a_rule_is_raised(workforce_run):
    loaded, _ = workforce_run
    sl = AlertFacts("sl", "service_level", 0.7, False, None, "chat", 900.0)
    wait = AlertFacts("w", "oldest_wait_s", 90.0, True, "chat", None, 1800.0)
    assert condition(sl) == "chat service level < 70% (last 15 min)"
    assert condition(wait) == "chat oldest wait > 1.5 min"
    facts = dataclasses.replace(loaded.facts, alerts=(*loaded.facts.alerts, sl))
    assert actions(facts) == {"q": "calls in on-call r", "sl": ""}
    assert rule_channels(facts) == {"q": "phone", "sl": "chat"}


def test_no_section_without_a_workforce(workforce_run):
    loaded, _ = workforce_run
    summary = {k: v for k, v in loaded.summary.items() if k != "workforce"}
    assert workforce_section(summary, loaded.facts, alert_figure=False) is None
