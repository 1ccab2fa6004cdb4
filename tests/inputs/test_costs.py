"""The roster's `costs` (`sim.inputs.costs`): a rate per paid hour and an overtime multiplier
per agent group, as written and with their defaults, and the errors."""

from __future__ import annotations

import pytest

from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.inputs.costs import read_costs
from sim.model import GroupCost
from sim.paths import PROJECT_ROOT
from tests.conftest import composed


def test_read_costs_forms_and_overtime_defaults():
    groups = ["phone", "temps", "senior"]
    costs = read_costs({"phone": 38, "temps": {"per_hour": 45, "overtime": 2}}, groups)
    assert costs == {"phone": GroupCost(38.0, 1.5), "temps": GroupCost(45.0, 2.0)}
    costs = read_costs({"overtime": 1.25, "phone": 38, "senior": {"per_hour": 55}}, groups)
    assert costs == {"phone": GroupCost(38.0, 1.25), "senior": GroupCost(55.0, 1.25)}
    assert read_costs(None, groups) == {}


@pytest.mark.parametrize(
    "spec, field, message",
    [
        ({"phone_tema": 38}, "phone_tema", "no agent group"),
        ({"phone": -1}, "phone", ">= 0"),
        ({"phone": "cheap"}, "phone", ">= 0"),
        ({"phone": {"rate": 38}}, "phone.rate", "unknown key"),
        ({"phone": {"overtime": 2}}, "phone.per_hour", "required"),
        ({"overtime": "double", "phone": 38}, "overtime", ">= 0"),
    ],
)
def test_read_costs_errors(spec, field, message):
    with pytest.raises(ConfigError) as err:
        read_costs(spec, ["phone"])
    assert err.value.field == field and message in err.value.problem
    with pytest.raises(ConfigError, match="expected a mapping"):
        read_costs([38], ["phone"])


def test_the_default_roster_carries_its_costs():
    costs = build_model(composed(), PROJECT_ROOT).costs
    assert costs["phone_team"] == GroupCost(38.0, 1.5) and costs["senior"].per_hour == 55
    assert set(costs) == {"phone_team", "senior", "chat_team", "email_team", "temps", "on_call"}
    assert costs["on_call"].per_hour == 60  # the on-call pool's rate (configs/workforce)
