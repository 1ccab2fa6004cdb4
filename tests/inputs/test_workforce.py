"""The workforce on the day (`sim.inputs.workforce`): the `absence` and `monitor` sections."""

from __future__ import annotations

import pytest

from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.conftest import composed


def test_the_holiday_workforce_composes_into_the_model():
    model = build_model(composed("workforce=holiday_peak"), PROJECT_ROOT)
    assert model.absence["temps"].p == 0.10 and model.absence["senior"].p == 0.04
    monitor = model.monitor
    assert monitor is not None and monitor.period_s == 300
    assert [a.name for a in monitor.alerts] == ["phone_queue", "phone_sl", "chat_wait"]
    (pool,) = monitor.on_call
    helpers = [model.agents[a] for a in pool.agents]
    assert [a.name for a in helpers][:2] == ["helpers_001", "helpers_002"] and len(helpers) == 6
    assert all(a.shifts == () and a.group == "on_call" and a.speed == 1.3 for a in helpers)
    assert (pool.min_on_s, pool.max_on_s, pool.batch) == (7200, 14400, 3)
    assert [(m.source, m.to, m.when) for m in monitor.moves] == [("email", "chat", ("chat_wait",))]


def monitor_cfg(**monitor) -> dict:
    cfg = composed("workforce=none")
    cfg["workforce"]["monitor"] = {
        "alerts": {"q": {"queue": "phone_general", "measure": "queue_length", "above": 5}},
        **monitor,
    }
    return cfg


@pytest.mark.parametrize(
    "monitor, where, field, message",
    [
        ({"period_s": 0}, "workforce.monitor", "period_s", "greater than 0"),
        (
            {"alerts": {"q": {"queue": "nope", "measure": "queue_length", "above": 1}}},
            "workforce.monitor.alerts.q",
            "queue",
            "not a queue",
        ),
        (
            {
                "alerts": {
                    "q": {"queue": "chat", "channel": "chat", "measure": "queue_length", "above": 1}
                }
            },
            "workforce.monitor.alerts.q",
            "queue/channel",
            "exactly one",
        ),
        (
            {"alerts": {"q": {"queue": "chat", "measure": "length", "above": 1}}},
            "workforce.monitor.alerts.q",
            "measure",
            "queue_length",
        ),
        (
            {"alerts": {"q": {"queue": "chat", "measure": "queue_length"}}},
            "workforce.monitor.alerts.q",
            "above/below",
            "exactly one",
        ),
        (
            {"on_call": {"p": {"skills": ["chat"], "call_in": 600, "when": ["x"]}}},
            "workforce.monitor.on_call.p",
            "when",
            "no alert",
        ),
        (
            {"on_call": {"p": {"skills": ["chat"], "when": ["q"]}}},
            "workforce.monitor.on_call.p",
            "call_in",
            "required",
        ),
        (
            {
                "on_call": {
                    "p": {
                        "skills": ["chat"],
                        "call_in": 600,
                        "when": ["q"],
                        "min_on_min": 90,
                        "max_on_min": 60,
                    }
                }
            },
            "workforce.monitor.on_call.p",
            "max_on_min",
            "at least",
        ),
        (
            {"on_call": {"p": {"skills": ["nope"], "call_in": 600, "when": ["q"]}}},
            "workforce.monitor.on_call.p",
            "skills",
            "not a queue",
        ),
        (
            {"moves": [{"from": "chat", "to": "phone_general", "when": ["q"]}]},
            "workforce.monitor.moves[0]",
            "from",
            "not a deferrable queue",
        ),
        (
            {"moves": [{"from": "email", "to": "email", "when": ["q"]}]},
            "workforce.monitor.moves[0]",
            "to",
            "not a real-time queue",
        ),
    ],
)
def test_monitor_config_errors(monitor, where, field, message):
    with pytest.raises(ConfigError) as err:
        build_model(monitor_cfg(**monitor), PROJECT_ROOT)
    assert (err.value.source, err.value.field) == (where, field)
    assert message in err.value.problem


def test_routing_may_name_the_on_call_group():
    cfg = composed("workforce=holiday_peak")
    cfg["routing"]["stages"] = {"orders": [{"groups": ["phone_team", "temps", "on_call"]}]}
    routing = build_model(cfg, PROJECT_ROOT).routing
    assert routing.stages["orders"][0].groups == ("phone_team", "temps", "on_call")


def test_on_call_pools_work_within_the_labour_rules():
    (pool,) = build_model(composed("workforce=holiday_peak"), PROJECT_ROOT).monitor.on_call
    assert (pool.max_duty_s, pool.rest_s) == (10 * 3600.0, 11 * 3600.0)  # the default rules
    cfg = composed("workforce=holiday_peak", "labour.max_shift_h=null", "labour.min_rest_h=null")
    (pool,) = build_model(cfg, PROJECT_ROOT).monitor.on_call
    assert (pool.max_duty_s, pool.rest_s) == (None, 0.0)


def absence_cfg(**absence) -> dict:
    cfg = composed("scenario=erlang", "scenario.hours=4")
    cfg["workforce"] = {"absence": absence}
    return cfg


def test_absence_for_a_group_or_all():
    late = {"dist": "deterministic", "mean": 600}
    model = build_model(absence_cfg(all={"p": 0.1, "late": late}), PROJECT_ROOT)
    assert model.absence["agents"].p == 0.1 and model.absence["agents"].late.mean == 600
    assert build_model(absence_cfg(all=0), PROJECT_ROOT).absence == {}  # nobody absent


@pytest.mark.parametrize(
    "absence, field, message",
    [
        ({"ghosts": 0.1}, "ghosts", "not a roster group"),
        ({"all": 1.5}, "p", "at most 1"),
        ({"all": 1}, "p", "below 1"),
        ({"all": {"p": 0.1, "late": {"dist": "nope"}}}, "late.dist", "unknown distribution"),
        ({"all": {"share": 0.1}}, "share", "unknown key"),
    ],
)
def test_absence_config_errors(absence, field, message):
    with pytest.raises(ConfigError) as err:
        build_model(absence_cfg(**absence), PROJECT_ROOT)
    assert err.value.field == field and message in err.value.problem
