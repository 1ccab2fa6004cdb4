"""The model's facts (`sim.analysis.facts`, model.json): written from the Model, read back the
same, and what the pages derive from them (opening hours per interval, queues' channels)."""

from __future__ import annotations

import copy
import json

from sim.analysis.facts import ModelFacts
from sim.analysis.summary import model_facts
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.conftest import composed
from tests.pages.test_run_figures import WORKFORCE


def test_the_facts_of_the_holiday_peak_model_round_trip():
    model = build_model(composed("workforce=holiday_peak"), PROJECT_ROOT)
    data = model_facts(model, roster="holiday_peak", roster_description="52 agents")
    assert json.loads(json.dumps(data)) == data  # plain JSON
    facts = ModelFacts.from_json(data)
    assert facts == ModelFacts.of(model, "holiday_peak", "52 agents")
    assert facts.to_json() == data
    assert facts.interval_s == model.demand.interval_s and facts.n_intervals == 48
    assert facts.channel_names == [c.name for c in model.channels]
    assert facts.thresholds == {c.name: c.threshold_s for c in model.channels}
    assert facts.deferrable == {"email"}
    assert dict(zip(facts.channel_names, (c.queues for c in facts.channels), strict=True)) == {
        "phone": ("phone_general", "phone_senior"),
        "chat": ("chat",),
        "email": ("email",),
    }
    assert model.monitor is not None
    assert [a.name for a in facts.alerts] == [a.name for a in model.monitor.alerts]
    assert facts.monitor_period_s == model.monitor.period_s


def test_opening_hours_per_interval_every_day_alike():
    cfg = composed("scenario=erlang", "scenario.hours=48")
    model = build_model(cfg, PROJECT_ROOT)
    facts = ModelFacts.of(model)
    phone = facts.channels[0]
    hours = facts.open_intervals()["phone"]
    starts = facts.edges[:-1] % 86400
    expected = (starts >= phone.open_s) & (starts + facts.interval_s <= phone.close_s)
    assert hours.tolist() == expected.tolist() and len(hours) == 96
    assert facts.days == 2.0 and facts.horizon_s == 48 * 3600.0


def test_a_monitors_rules_pools_and_moves():
    cfg = composed("scenario=erlang", "scenario.hours=4")
    cfg["workforce"] = copy.deepcopy(WORKFORCE)
    facts = ModelFacts.of(build_model(cfg, PROJECT_ROOT))
    [rule] = facts.alerts
    assert (rule.name, rule.measure, rule.threshold, rule.above, rule.queue) == (
        "q",
        "queue_length",
        1.0,
        True,
        "calls",
    )
    assert [(p.name, p.when) for p in facts.on_call] == [("r", ("q",))] and facts.moves == ()
    assert facts.channel_of_queue() == {"calls": "phone"}
    assert ModelFacts.from_json(facts.to_json()) == facts
