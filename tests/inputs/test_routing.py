"""The `routing` group: discipline, agent selection, overflow stages and group preferences
composed into the model, and the errors naming the field."""

from __future__ import annotations

import pytest

from sim.engine import check
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.conftest import composed
from tests.inputs.configs import erlang_cfg


def test_routing_groups_compose_with_the_default_scenario():
    routing = build_model(composed("routing=overflow"), PROJECT_ROOT).routing
    assert [(s.groups, s.after_s) for s in routing.stages["orders"]] == [
        (("phone_team", "temps", "on_call"), 0.0),
        (("senior",), 30.0),
        (("chat_team",), 90.0),
    ]
    assert routing.prefer == {"senior": ("complaints", "phone_senior")}
    ageing = build_model(composed("routing=long_waiters"), PROJECT_ROOT).routing
    assert ageing.discipline == "ageing" and ageing.ageing_per_s > 0


@pytest.mark.parametrize(
    "routing, field, message",
    [
        ({"use_priority": False}, "use_priority", "discipline: fifo"),
        ({"discipline": "lifo"}, "discipline", "priority, fifo, ageing"),
        ({"ageing_per_s": 0.1}, "ageing_per_s", "discipline: ageing"),
        ({"selection": "random"}, "selection", "longest_idle"),
        ({"stages": {"nope": [{"groups": ["agents"]}]}}, "stages.nope", "not a contact type"),
        ({"stages": {"calls": [{"groups": ["ghosts"]}]}}, "[0].groups", "no agent group"),
        ({"stages": {"calls": [{"groups": []}]}}, "[0].groups", "at least one"),
        ({"stages": {"calls": [{"groups": ["agents"], "after_s": 5}]}}, "[0].after_s", "at once"),
        ({"stages": {"calls": [{"groups": ["agents"], "delay": 5}]}}, "delay", "unknown key"),
        ({"prefer": {"ghosts": ["calls"]}}, "prefer.ghosts", "no agent group"),
        ({"prefer": {"agents": ["billing"]}}, "prefer.agents", "not a contact type or queue"),
    ],
)
def test_routing_errors(routing, field, message):
    """Reading the config refuses bad stages and preferences; the engine's check (its
    policies register there) bad discipline and selection names and their parameters."""
    cfg = erlang_cfg()
    cfg["routing"] = {"name": "bad", **routing}
    with pytest.raises(ConfigError) as err:
        check(build_model(cfg, PROJECT_ROOT))
    assert err.value.field == field and message in err.value.problem
