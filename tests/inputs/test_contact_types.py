"""The scenario's contact types (`sim.inputs.contact_types`): handle and wrap-up, containment,
transfers and misroutes checked against the channel, and a type's own patience and segment mix."""

from __future__ import annotations

import pytest

from sim.distributions import Exponential
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.inputs.configs import erlang_cfg, two_type_cfg


def test_unknown_keys_are_refused_not_ignored():
    cfg = erlang_cfg()
    cfg["scenario"]["contact_types"]["calls"]["handel"] = 100
    with pytest.raises(ConfigError, match="unknown key"):
        build_model(cfg, PROJECT_ROOT)


def test_contained_needs_a_front_end():
    cfg = erlang_cfg()
    cfg["scenario"]["contact_types"]["calls"]["contained"] = 0.2
    with pytest.raises(ConfigError, match="no IVR or bot"):
        build_model(cfg, PROJECT_ROOT)
    cfg["scenario"]["channels"]["phone"]["ivr"] = {"menu": 30}
    assert build_model(cfg, PROJECT_ROOT).contact_types[0].contained == 0.2


def test_transfers_and_misroutes_land_in_the_type():
    cfg = two_type_cfg(
        calls={"transfer": {"to": "calls", "share": 0.1, "handle": 300}, "misroute": 0.05}
    )
    cfg["scenario"]["channels"]["phone"]["ivr"] = {"menu": 30}
    cfg["scenario"]["contact_types"]["complaints"]["skill"] = "complaints"
    cfg["roster"]["agents"][0]["skills"] = ["calls", "complaints"]
    calls = build_model(cfg, PROJECT_ROOT).contact_types[0]
    assert calls.transfer is not None
    assert (calls.transfer.to, calls.transfer.share, calls.transfer.handle.mean) == (
        "calls",
        0.1,
        300.0,
    )
    assert calls.misroute == 0.05


@pytest.mark.parametrize(
    "calls, field, message",
    [
        ({"channel": "fax"}, "channel", "is not one of ['phone']"),
        ({"skill": ""}, "skill", "name the skill"),
        ({"handle": None}, "handle", "expected a mapping"),
        ({"wrapup": -1}, "wrapup", "greater than 0"),
        ({"contained": 1.5}, "contained", "at most 1"),
        ({"threshold_s": 60}, "threshold_s", "a threshold is a target"),
        ({"misroute": 0.1}, "misroute", "has no IVR to misroute"),
        ({"transfer": {"share": 0.1, "handle": 300}}, "transfer.to", "name the skill"),
        ({"transfer": {"to": "calls", "share": 0.1}}, "transfer.handle", "is required"),
        ({"transfer": {"to": "calls", "handle": {"dist": "deterministic", "mean": 0}}},
         "transfer.handle", "greater than 0"),
    ],
)  # fmt: skip
def test_contact_type_errors(calls, field, message):
    cfg = erlang_cfg()
    cfg["scenario"]["contact_types"]["calls"].update(calls)
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.source == "scenario.contact_types.calls"
    assert err.value.field == field and message in err.value.problem, err.value


def test_contact_type_patience_forms():
    def patience(spec):
        model = build_model(two_type_cfg(complaints={"patience": spec}), PROJECT_ROOT)
        return [model.patience_of(1, s) for s in range(2)]  # vip, regular

    channel = Exponential(120.0)
    assert patience(None) == [None, None]
    assert patience(300) == [Exponential(300.0)] * 2
    assert patience({"dist": "exponential", "mean": 60}) == [Exponential(60.0)] * 2
    assert patience({"vip": 600}) == [Exponential(600.0), channel]
    assert patience({"vip": None, "all": 60}) == [None, Exponential(60.0)]
    model = build_model(two_type_cfg(complaints={"patience": 300}), PROJECT_ROOT)
    assert [model.patience_of(0, s) for s in range(2)] == [channel, channel]
    # The channel's own figure is still there for readers of Model.patience.
    assert model.patience[("phone", "regular")] == channel


def test_contact_type_segment_mix():
    model = build_model(two_type_cfg(complaints={"segments": {"vip": 0.5}}), PROJECT_ROOT)
    assert model.segment_shares(1).tolist() == [0.5, 0.5]
    assert model.segment_shares(0).tolist() == pytest.approx([0.2, 0.8])
    both = build_model(
        two_type_cfg(calls={"segments": {"vip": 0.25, "regular": 0.75}}), PROJECT_ROOT
    )
    assert both.segment_shares(0).tolist() == [0.25, 0.75]


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"patience": {"gold": 100}}, "gold", "unknown key"),
        ({"patience": {"vip": {"dist": "weibull"}}}, "patience.vip.dist", "unknown distribution"),
        ({"patience": {"all": -5}}, "patience.all", "greater than 0"),
        ({"patience": {"dist": "lognormal", "mean": 60}}, "patience.cv", "required"),
        ({"segments": {"gold": 0.5}}, "gold", "unknown key"),
        ({"segments": {"vip": 0.5, "regular": 0.6}}, "segments", "add up to 1"),
        ({"segments": {"vip": 1.5}}, "segments.vip", "at most 1"),
        ({"segments": {"vip": "half"}}, "segments.vip", "number"),
        ({"segments": {}}, "segments", "at most one"),
        ({"segments": [0.5, 0.5]}, "segments", "mapping"),
        ({"patiense": 100}, "patiense", "unknown key"),
    ],
)
def test_contact_type_patience_and_segment_errors(extra, field, message):
    with pytest.raises(ConfigError) as err:
        build_model(two_type_cfg(complaints=extra), PROJECT_ROOT)
    assert err.value.source.startswith("scenario.contact_types.complaints")
    assert err.value.field == field and message in err.value.problem
