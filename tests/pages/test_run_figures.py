"""The run report's figures (`sim.pages.run_figures`): which are drawn, each a real non-blank
PNG of the promised size; the events figure once something happened, the alerts figure once
a rule was raised; the legends name the rules as the model defines them."""

from __future__ import annotations

import copy

import pytest
from matplotlib.image import imread

from sim.pages import figures
from sim.pages.format import number
from sim.pages.run_figures import (
    ALERT_FIGURE,
    EVENT_FIGURE,
    FIGURE_NAMES,
    activity_labels,
    alert_labels,
    draw_run_figures,
    figure_names,
)
from sim.rundir.read import load_run
from tests.conftest import composed, run, run_config

WIDTH_PX = round(figures.WIDTH_IN * figures.DPI)
ONE_ROW_PX = round(figures.ROW_HEIGHT_IN * figures.DPI)
WORKFORCE = {
    "absence": {"all": 0.2},
    "monitor": {
        "period_s": 300,
        "alerts": {"q": {"queue": "calls", "measure": "queue_length", "above": 1}},
        "on_call": {
            "r": {"skills": ["calls"], "count": 2, "call_in": 600, "when": ["q"], "per_hour": 50}
        },
    },
}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("erlang")
    run(run_dir, "scenario=erlang", "scenario.hours=8", "replications=2")
    loaded = load_run(run_dir)
    return loaded, draw_run_figures(loaded)


@pytest.fixture(scope="module")
def workforce_run(tmp_path_factory):
    """A short Erlang day with absences, one alert rule and an on-call pool."""
    run_dir = tmp_path_factory.mktemp("workforce")
    cfg = composed("scenario=erlang", "scenario.hours=4", "replications=3")
    cfg["workforce"] = copy.deepcopy(WORKFORCE)
    run_config(cfg, run_dir)
    loaded = load_run(run_dir)
    return loaded, draw_run_figures(loaded)


def test_figures_are_real_pngs_of_the_promised_size(small_run):
    loaded, shown = small_run
    assert [s.name for s in shown] == list(FIGURE_NAMES)  # nothing blocked, no monitor
    for s in shown:
        assert s.path == loaded.run_dir / "figures" / f"{s.name}.png"
        pixels = imread(s.path)
        # One channel, one queue, one agent group: every figure is a single row of panels.
        assert pixels.shape[:2] == (ONE_ROW_PX, WIDTH_PX), s.name
        assert pixels[..., :3].var() > 0, f"{s.name} is blank"
        assert s.title and s.caption


def test_the_events_figure_once_there_are_events(tmp_path):
    cfg = composed(
        "scenario=erlang", "scenario.agents=11", "scenario.patience_s=60", "replications=2"
    )
    cfg["scenario"]["retrials"] = {"phone": {"first": 0.5, "delay": 300}}
    run_config(cfg, tmp_path)
    loaded = load_run(tmp_path)
    assert figure_names(loaded) == [*FIGURE_NAMES, EVENT_FIGURE]
    [events] = [s for s in draw_run_figures(loaded) if s.name == EVENT_FIGURE]
    assert events.path.stat().st_size > 10_000


def test_the_alerts_figure_once_a_rule_was_raised(workforce_run):
    loaded, shown = workforce_run
    assert [s.name for s in shown] == [*FIGURE_NAMES, ALERT_FIGURE]
    pixels = imread(shown[-1].path)
    # Two panels: the alerts, then the call-ins (the pool was called in).
    assert pixels.shape[:2] == (round(figures.figure_height(2) * figures.DPI), WIDTH_PX)
    assert pixels[..., :3].var() > 0


def test_no_alerts_figure_when_nothing_was_raised(workforce_run):
    loaded, _ = workforce_run
    quiet = copy.copy(loaded)
    quiet.alerts = loaded.alerts.iloc[0:0] if loaded.alerts is not None else None
    assert ALERT_FIGURE not in figure_names(quiet)


def test_the_legends_name_each_rule_its_condition_and_the_pools(workforce_run):
    loaded, _ = workforce_run
    raised = loaded.summary["workforce"]["alerts"]["q"]["raised"]["mean"]
    [label] = alert_labels(loaded).values()
    assert label == f"q: raised {number(raised)}× a day\nwhen calls queue length > 1"
    assert activity_labels(loaded) == {"call_ins": "on-call agents arriving\n(r; per interval)"}
