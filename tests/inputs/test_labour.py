"""The config's `labour:` section (`sim.inputs.labour`): the rules in force, their defaults
and overrides, `strict`, and the errors. The checks of rosters against the rules are
tests/test_labour.py."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from sim.errors import ConfigError
from sim.inputs.labour import rules_from_config
from sim.model import LabourRules
from tests.conftest import composed

DEFAULTS = LabourRules()


def test_config_section_defaults_and_overrides():
    rules, strict = rules_from_config(composed())
    assert rules == DEFAULTS and strict is False
    assert asdict(rules) == {
        "max_shift_h": 10.0,
        "break_after_h": 6.0,
        "min_break_min": 30.0,
        "max_work_without_break_h": 5.0,
        "shortest_break_min": 15.0,
        "min_rest_h": 11.0,
        "max_week_h": 48.0,
        "tolerance_min": 1.0,
    }
    rules, strict = rules_from_config(
        composed("labour.max_shift_h=9", "labour.max_week_h=null", "labour.strict=true")
    )
    assert rules.max_shift_h == 9 and rules.max_week_h is None and strict is True
    assert rules_from_config({}) == (DEFAULTS, False)
    rules, _ = rules_from_config(composed("labour.tolerance_min=0"))
    assert rules.tolerance_min == 0  # no tolerance: every second over a limit counts
    rules, _ = rules_from_config(composed("labour.tolerance_min=2.5"))
    assert rules.tolerance_min == 2.5


@pytest.mark.parametrize(
    "section, field, message",
    [
        ({"max_shift": 10}, "max_shift", "unknown key; allowed keys are break_after_h"),
        ({"max_shift_h": 0}, "max_shift_h", "a number > 0 or null (not checked), got 0"),
        ({"min_rest_h": -1}, "min_rest_h", "got -1"),
        ({"max_week_h": "48"}, "max_week_h", "got '48'"),
        ({"min_break_min": None}, "min_break_min", "expected a number > 0, got None"),
        ({"max_shift_h": True}, "max_shift_h", "got True"),
        ({"tolerance_min": -1}, "tolerance_min", "expected a number >= 0, got -1"),
        ({"tolerance_min": None}, "tolerance_min", "expected a number >= 0, got None"),
        ({"tolerance_min": "1"}, "tolerance_min", "got '1'"),
        ({"strict": "yes"}, "strict", "expected true or false, got 'yes'"),
    ],
)
def test_config_section_errors(section, field, message):
    with pytest.raises(ConfigError) as err:
        rules_from_config({"labour": section})
    assert err.value.source == "labour" and err.value.field == field
    assert message in err.value.problem
