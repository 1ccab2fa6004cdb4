"""The targets section (`sim.inputs.targets`): defaults, per channel, per queue, every value checked."""

import pytest

from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.inputs.targets import read_targets
from sim.model import Targets
from sim.paths import PROJECT_ROOT
from tests.inputs.configs import erlang_cfg

CHANNELS = ["phone", "chat"]
QUEUES = {"phone": ["general", "senior"], "chat": ["chat"]}


def test_absent_targets_are_the_defaults_planners_quote():
    targets = read_targets(None, CHANNELS, QUEUES)
    assert targets.default == Targets()
    assert (Targets().threshold_s, Targets().service_level, Targets().abandon_max) == (
        20,
        0.8,
        0.05,
    )
    assert targets.of_queue("senior", "phone") == Targets()


def test_a_queue_takes_the_defaults_then_its_channels_then_its_own():
    spec = {
        "service_level": 0.85,
        "channels": {"chat": {"threshold_s": 30}, "phone": {"misses": 0}},
        "queues": {"senior": {"service_level": 0.9, "occupancy_max": None}},
    }
    targets = read_targets(spec, CHANNELS, QUEUES)
    assert targets.of_channel("chat") == Targets(threshold_s=30, service_level=0.85)
    assert targets.of_queue("chat", "chat").threshold_s == 30
    senior = targets.of_queue("senior", "phone")
    assert (senior.service_level, senior.misses, senior.occupancy_max) == (0.9, 0, None)
    assert targets.of_queue("general", "phone") == Targets(service_level=0.85, misses=0)


@pytest.mark.parametrize(
    "spec, field, message",
    [
        ({"service_level": 1}, "service_level", "strictly between 0 and 1"),
        ({"service_level": 80}, "service_level", "strictly between 0 and 1"),  # a percentage
        ({"abandon_max": 5}, "abandon_max", "at most 1"),
        ({"misses": 1.5}, "misses", "whole number"),
        ({"threshold_s": -1}, "threshold_s", "at least 0"),
        ({"short_abandon_s": "x"}, "short_abandon_s", "expected a number"),
        ({"sla": 0.8}, "sla", "unknown key"),
        ({"channels": {"fax": {}}}, "channels.fax", "not a channel"),
        ({"queues": {"vip": {}}}, "queues.vip", "not a queue"),
        ({"channels": {"chat": {"deadline": 3}}}, "deadline", "unknown key"),
    ],
)
def test_targets_errors(spec, field, message):
    with pytest.raises(ConfigError) as err:
        read_targets(spec, CHANNELS, QUEUES)
    assert err.value.field == field and message in err.value.problem


def test_the_model_carries_the_targets_and_the_channels_thresholds_from_them():
    cfg = erlang_cfg()
    cfg["targets"] = {"threshold_s": 30, "service_level": 0.9, "short_abandon_s": 5}
    model = build_model(cfg, PROJECT_ROOT)
    assert model.channel("phone").threshold_s == model.threshold_s == 30
    assert (model.target_sl, model.short_abandon_s) == (0.9, 5.0)
    cfg["targets"]["channels"] = {"phone": {"threshold_s": 60}}
    assert build_model(cfg, PROJECT_ROOT).channel("phone").threshold_s == 60
