"""What the customers do (`sim.inputs.customers`): segments and their shares, patience per
channel and segment, retrials per channel."""

from __future__ import annotations

import pytest

from sim.distributions import Exponential
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.inputs.configs import erlang_cfg, two_type_cfg


def test_segment_shares_must_add_up():
    cfg = erlang_cfg(segments={"vip": {"share": 0.3}, "regular": {"share": 0.3}})
    with pytest.raises(ConfigError, match="add up to 1"):
        build_model(cfg, PROJECT_ROOT)


def test_a_segment_without_a_share_takes_the_rest():
    cfg = erlang_cfg(segments={"vip": {"share": 0.3, "priority": 2}, "regular": {}})
    segments = build_model(cfg, PROJECT_ROOT).segments
    assert [(s.name, s.priority) for s in segments] == [("vip", 2), ("regular", 0)]
    assert [s.share for s in segments] == pytest.approx([0.3, 0.7])


def test_patience_per_channel_and_segment():
    def patience(spec):
        model = build_model(erlang_cfg(patience={"phone": spec}), PROJECT_ROOT)
        return [model.patience[("phone", s.name)] for s in model.segments]  # vip, regular

    assert patience(None) == [None, None]
    assert patience(90) == [Exponential(90.0)] * 2
    assert patience({"vip": 300, "all": 60}) == [Exponential(300.0), Exponential(60.0)]
    assert patience({"vip": 300}) == [Exponential(300.0), None]
    with pytest.raises(ConfigError) as err:
        build_model(erlang_cfg(patience={"phone": {"gold": 60}}), PROJECT_ROOT)
    assert (err.value.source, err.value.field) == ("scenario.patience.phone", "gold")
    with pytest.raises(ConfigError, match="unknown key") as err:
        build_model(erlang_cfg(patience={"fax": 60}), PROJECT_ROOT)
    assert err.value.source == "scenario.patience"


def test_retrials_per_channel():
    cfg = erlang_cfg(retrials={"phone": {"first": 0.4, "delay": 600, "switch": {"calls": 0.5}}})
    (plan,) = build_model(cfg, PROJECT_ROOT).retrials.values()
    assert (plan.first, plan.later, plan.max_retries) == (0.4, 0.4, 3)  # later: first's
    assert plan.delay == Exponential(600.0) and plan.switch == (("calls", 0.5),)
    assert build_model(erlang_cfg(retrials={"phone": None}), PROJECT_ROOT).retrials == {}


@pytest.mark.parametrize(
    "phone, field, message",
    [
        ({"first": 0.4}, "delay", "is required"),
        ({"first": 1.5, "delay": 60}, "first", "at most 1"),
        ({"delay": 60, "max_retries": 0}, "max_retries", "at least 1"),
        ({"delay": 60, "switch": {"chat": 0.5}}, "switch.chat", "not a contact type"),
        ({"delay": 60, "switch": {"calls": 1.5}}, "switch.calls", "at most 1"),
        ({"delay": 60, "after": 5}, "after", "unknown key"),
    ],
)  # fmt: skip
def test_retrial_errors(phone, field, message):
    with pytest.raises(ConfigError) as err:
        build_model(erlang_cfg(retrials={"phone": phone}), PROJECT_ROOT)
    assert err.value.source == "scenario.retrials.phone"
    assert err.value.field == field and message in err.value.problem, err.value


def test_retries_switching_types_add_up_to_at_most_one():
    cfg = two_type_cfg()
    cfg["scenario"]["retrials"] = {
        "phone": {"delay": 60, "switch": {"calls": 0.7, "complaints": 0.4}}
    }
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert (err.value.source, err.value.field) == ("scenario.retrials.phone", "switch")
    assert "add up to more than 1" in err.value.problem
