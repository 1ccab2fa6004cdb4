"""The config's `labour:` section: the rules in force (`LabourRules`) and whether breaking one is an input error.

The rules are data; the checks that apply them to the planned roster and the realised days are
`sim.analysis.labour`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from sim.errors import ConfigError, check_keys
from sim.model import OPTIONAL_LIMITS, LabourRules


def rules_from_config(cfg: Mapping[str, Any]) -> tuple[LabourRules, bool]:
    """The `labour:` section (absent: the defaults): every rule's number > 0 (the limits may
    be null: not checked), `tolerance_min` >= 0 (0: no tolerance) and `strict` true or false.
    Unknown keys are refused."""
    section = cfg.get("labour")
    if section is None:
        section = {}
    if not isinstance(section, Mapping):
        raise ConfigError("config", "labour", f"expected a mapping of rules, got {section!r}")
    names = [f.name for f in fields(LabourRules)]
    check_keys(section, {*names, "strict"}, "labour")
    values: dict[str, Any] = {}
    for name in names:
        if name not in section:
            continue
        value = section[name]
        if value is None and name in OPTIONAL_LIMITS:
            values[name] = None
            continue
        values[name] = _number(name, value)
    strict = section.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError("labour", "strict", f"expected true or false, got {strict!r}")
    return LabourRules(**values), strict


def _number(name: str, value: object) -> float:
    """A rule's number: > 0, except the tolerance, which may be 0 (every second counts)."""
    zero_ok = name == "tolerance_min"
    if (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and (value >= 0 if zero_ok else value > 0)
    ):
        return float(value)
    allowed = "a number >= 0" if zero_ok else "a number > 0"
    allowed += " or null (not checked)" * (name in OPTIONAL_LIMITS)
    raise ConfigError("labour", name, f"expected {allowed}, got {value!r}")


def roster_source(cfg: Mapping[str, Any]) -> str:
    """Where the roster came from, for the messages of its labour-rule violations: its CSV
    file, or `roster.agents` for inline rows."""
    roster = cfg.get("roster")
    if isinstance(roster, Mapping) and roster.get("file"):
        return str(roster["file"])
    return "roster.agents"
