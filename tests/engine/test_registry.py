"""Policies registered by name (disciplines, selectors), alert measures implemented per name,
and `sim.engine.check`: the engine's checks of a model, on models built here."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from sim.distributions import Deterministic
from sim.engine import check
from sim.engine.disciplines import DISCIPLINES, Ageing, Fifo, StrictPriority
from sim.engine.monitor import MEASURES
from sim.engine.registry import Registry
from sim.engine.router import plan_routing
from sim.engine.selectors import SELECTORS, best_skill, group_rank, least_skilled, longest_idle
from sim.errors import ConfigError
from sim.model import (
    ALERT_MEASURES,
    Agent,
    AlertRule,
    Channel,
    ContactType,
    Demand,
    Model,
    Monitor,
    Routing,
    Segment,
    Shift,
)

ROOT = Path(__file__).resolve().parents[2]


def model(routing: Routing | None = None, monitor: Monitor | None = None) -> Model:
    return Model(
        name="hand",
        channels=(Channel("phone", 0.0, 86400.0, 20.0),),
        segments=(Segment("vip", 0.5, 1), Segment("regular", 0.5, 0)),
        contact_types=(
            ContactType("calls", "phone", "calls", Deterministic(100), Deterministic(0)),
        ),
        demand=Demand(3600.0, np.zeros((1, 1))),
        agents=(Agent("a1", frozenset({"calls"}), (Shift(0, 3600),)),),
        routing=routing or Routing(),
        monitor=monitor,
    )


def test_each_policy_is_registered_under_its_config_name_in_order():
    assert list(DISCIPLINES) == ["priority", "fifo", "ageing"]
    assert list(SELECTORS) == ["longest_idle", "best_skill", "least_skilled", "group_rank"]
    assert DISCIPLINES["ageing"].parameters == ("ageing_per_s",)
    assert all(not SELECTORS[name].parameters for name in SELECTORS)


@pytest.mark.parametrize(
    "routing, built",
    [
        (Routing(discipline="priority"), StrictPriority()),
        (Routing(discipline="fifo"), Fifo()),
        (Routing(discipline="ageing", ageing_per_s=0.02), Ageing(0.02)),
    ],
)
def test_a_routing_builds_the_discipline_it_names(routing, built):
    assert DISCIPLINES.build(routing) == built


@pytest.mark.parametrize(
    "selection, selector",
    [
        ("longest_idle", longest_idle),
        ("best_skill", best_skill),
        ("least_skilled", least_skilled),
        ("group_rank", group_rank),
    ],
)
def test_a_routing_builds_the_selector_it_names(selection, selector):
    assert SELECTORS.build(Routing(selection=selection)) is selector


@pytest.mark.parametrize(
    "routing, field, message",
    [
        (Routing(discipline="lifo"), "discipline", "'lifo' is not one of priority, fifo, ageing"),
        (
            Routing(selection="random"),
            "selection",
            "'random' is not one of longest_idle, best_skill, least_skilled, group_rank",
        ),
        (Routing(ageing_per_s=0.1), "ageing_per_s", "applies only with `discipline: ageing`"),
        (
            Routing(discipline="fifo", ageing_per_s=0.1),
            "ageing_per_s",
            "applies only with `discipline: ageing`",
        ),
        (
            Routing(discipline="ageing", ageing_per_s=-0.5),
            "ageing_per_s",
            "must be at least 0, got -0.5",
        ),
    ],
)
def test_check_refuses_unknown_policies_and_parameters_they_do_not_take(routing, field, message):
    """The messages reading the config gave before the policies registered themselves."""
    with pytest.raises(ConfigError) as err:
        check(model(routing))
    assert (err.value.source, err.value.field, err.value.problem) == ("routing", field, message)
    with pytest.raises(ConfigError) as built:  # the same check when a run builds its plan
        plan_routing(model(routing))
    assert str(built.value) == str(err.value)


def test_check_passes_every_registered_policy():
    for discipline in DISCIPLINES:
        for selection in SELECTORS:
            rate = 0.01 if "ageing_per_s" in DISCIPLINES[discipline].parameters else 0.0
            check(model(Routing(discipline=discipline, ageing_per_s=rate, selection=selection)))


def test_a_parameter_names_every_policy_taking_it():
    registry: Registry[str] = Registry("discipline")
    registry.add("a", lambda routing: "a", ("ageing_per_s",))
    registry.add("b", lambda routing: "b")
    registry.add("c", lambda routing: "c", ("ageing_per_s",))
    with pytest.raises(ConfigError, match="applies only with `discipline: a` or `discipline: c`"):
        registry.build(Routing(discipline="b", ageing_per_s=1.0))
    assert registry.build(Routing(discipline="c", ageing_per_s=1.0)) == "c"


def test_a_registry_refuses_a_name_twice_and_unknown_parameters():
    registry: Registry[str] = Registry("selection")
    registry.add("x", lambda routing: "x")
    with pytest.raises(ValueError, match="twice"):
        registry.add("x", lambda routing: "y")
    with pytest.raises(ValueError, match="no routing parameter 'speed'"):
        registry.add("z", lambda routing: "z", ("speed",))


def test_every_alert_measure_is_implemented_and_nothing_else():
    assert set(MEASURES) == set(ALERT_MEASURES)
    assert all(isinstance(label, str) and label for label in ALERT_MEASURES.values())


def test_check_refuses_an_alert_rule_on_a_measure_nobody_implements():
    rule = AlertRule("late", "patience_left", 5.0, True, queue="calls")
    with pytest.raises(ConfigError) as err:
        check(model(monitor=Monitor(60.0, (rule,))))
    assert (err.value.source, err.value.field) == ("workforce.monitor.alerts.late", "measure")
    assert err.value.problem.startswith("'patience_left' is not one of queue_length, ")
    check(model(monitor=Monitor(60.0, (replace(rule, measure="queue_length"),))))


def test_reading_a_config_imports_no_engine():
    """`sim.inputs` builds the model without the engine: the engine checks it afterwards."""
    code = """
        import sys

        from hydra import compose, initialize_config_dir
        from omegaconf import OmegaConf

        from sim.inputs.config import build_model
        from sim.paths import PROJECT_ROOT

        with initialize_config_dir(config_dir=str(PROJECT_ROOT / "configs"), version_base="1.3"):
            cfg = compose(config_name="config", overrides=["routing=long_waiters"])
        build_model(OmegaConf.to_container(cfg, resolve=True), PROJECT_ROOT)
        engine = sorted(m for m in sys.modules if m == "simpy" or m.startswith("sim.engine"))
        assert not engine, engine
    """
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
