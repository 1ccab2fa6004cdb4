"""The run report's captions (`sim.pages.run_captions`): every figure has one, naming the run's
own interval length, replications and target."""

from __future__ import annotations

from sim.pages.run_captions import captions
from sim.pages.run_figures import ALERT_FIGURE, EVENT_FIGURE, FIGURE_NAMES
from sim.rundir.read import load_run
from tests.conftest import run


def test_every_figure_has_a_caption_in_the_runs_terms(tmp_path):
    run(
        tmp_path,
        "scenario=erlang",
        "scenario.hours=4",
        "scenario.interval_min=15",
        "replications=3",
    )
    text = captions(load_run(tmp_path))
    assert set(text) == {*FIGURE_NAMES, EVENT_FIGURE, ALERT_FIGURE}
    assert all(title and len(how) > 100 for title, how in text.values())
    title, how = text["service_level"]
    assert title == "Service level per interval"
    assert "each 15-minute interval" in how and "over the 3 replications" in how
    assert "below the 80% target" in how and "replayed log" not in how
