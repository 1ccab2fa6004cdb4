"""User mistakes, reported as one clear line instead of a traceback.

Every check on configs and CSV files raises `ConfigError` naming where the bad value lives (the
file, or the config key path), which field, and what is allowed. The app turns it into a message
on stderr and exit code 2 before anything is written to the run directory.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


class ConfigError(Exception):
    def __init__(self, source: str, field: str, problem: str):
        self.source = source
        self.field = field
        self.problem = problem
        super().__init__(f"{source}: {field}: {problem}")


# The small checks every reader of user input uses.


def expect_mapping(value: object, where: str, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(where, field, f"expected a mapping of keys to values, got {value!r}")
    return value


def check_keys(section: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(section) - allowed)
    if unknown:
        raise ConfigError(
            where, unknown[0], f"unknown key; allowed keys are {', '.join(sorted(allowed))}"
        )


def number(
    value: object,
    where: str,
    field: str,
    *,
    minimum: float | None = None,
    above: float | None = None,
    maximum: float | None = None,
) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ConfigError(where, field, f"expected a number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ConfigError(where, field, f"must be at least {minimum:g}, got {value!r}")
    if above is not None and value <= above:
        raise ConfigError(where, field, f"must be greater than {above:g}, got {value!r}")
    if maximum is not None and value > maximum:
        raise ConfigError(where, field, f"must be at most {maximum:g}, got {value!r}")
    return float(value)


def whole(value: object, where: str, field: str, *, minimum: int | None = None) -> int:
    """A whole number (2, or 2.0 as YAML may give it); 2.5 is refused, not truncated."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(where, field, f"expected a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ConfigError(where, field, f"must be at least {minimum}, got {value!r}")
    return value


def queue_skills(value: object, queues: Sequence[str], where: str) -> list[str]:
    """A list of skills (a YAML list, or one `;`-separated string), each one of `queues`."""
    skills = [s.strip() for s in value.split(";") if s.strip()] if isinstance(value, str) else value
    if not isinstance(skills, list) or not skills:
        raise ConfigError(where, "skills", "name the skills (queues), as a list")
    for skill in skills:
        if skill not in queues:
            raise ConfigError(where, "skills", f"{skill!r} is not a queue; queues: {list(queues)}")
    return [str(skill) for skill in skills]
