"""The roster's `costs` section: a rate per paid hour and an overtime multiplier per agent group.

    costs:
      overtime: 1.5                          # every group's, unless it sets its own
      phone_team: 38                         # per paid hour
      temps: {per_hour: 45, overtime: 2.0}

The rates become `Model.costs` (`GroupCost` by group); `sim.analysis.costs` prices the
planned and the worked hours."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from sim.errors import ConfigError
from sim.model import GroupCost

DEFAULT_OVERTIME = 1.5


def read_costs(spec: object, groups: Iterable[str]) -> dict[str, GroupCost]:
    """`roster.costs` as GroupCost by group; a group named that is not in the roster is
    refused (a typo would silently leave the real group without a cost)."""
    if spec is None:
        return {}
    if not isinstance(spec, Mapping):
        raise ConfigError(
            "roster", "costs", "expected a mapping {group: per_hour or {per_hour, overtime}}"
        )
    known = sorted(set(groups))
    overtime = _rate(spec.get("overtime", DEFAULT_OVERTIME), "overtime")
    costs = {}
    for group, value in spec.items():
        if group == "overtime":
            continue
        if group not in known:
            raise ConfigError(
                "roster.costs", str(group), f"no agent group {group!r}; roster groups: {known}"
            )
        if isinstance(value, Mapping):
            unknown = sorted(set(value) - {"per_hour", "overtime"})
            if unknown:
                raise ConfigError(
                    "roster.costs",
                    f"{group}.{unknown[0]}",
                    "unknown key; allowed: per_hour, overtime",
                )
            if "per_hour" not in value:
                raise ConfigError("roster.costs", f"{group}.per_hour", "a value is required")
            costs[str(group)] = GroupCost(
                _rate(value["per_hour"], f"{group}.per_hour"),
                _rate(value.get("overtime", overtime), f"{group}.overtime"),
            )
        else:
            costs[str(group)] = GroupCost(_rate(value, str(group)), overtime)
    return costs


def _rate(value: object, field: str) -> float:
    try:
        number = math.nan if isinstance(value, bool) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if not 0 <= number < math.inf:
        raise ConfigError("roster.costs", field, f"expected a number >= 0, got {value!r}")
    return number
