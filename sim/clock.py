"""Clock times as planners write them ("08:30", "25:15" for 01:15 the next day) and back."""

from __future__ import annotations

import re

DAY_S = 86400.0  # seconds in a day
_CLOCK = re.compile(r"^\s*(\d{1,3}):([0-5]\d)(?::([0-5]\d))?\s*$")


def parse_clock(value: object, *, numbers: bool = True) -> float:
    """Seconds from midnight of day one for "HH:MM[:SS]" (hours may pass 24 for later days) or,
    with `numbers`, a plain number of hours. Raises ValueError with the accepted forms.

    YAML 1.1 (PyYAML, OmegaConf) reads an unquoted `12:00` as the base-60 integer 720 while
    `07:00` stays a string, so a number cannot be told apart from a clock time written without
    quotes; where numbers are not allowed (`numbers=False`) the message says to quote it."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a time; use 'HH:MM' or a number of hours")
    if isinstance(value, int | float):
        if not numbers:
            raise ValueError(unquoted_clock_hint(value))
        return float(value) * 3600.0
    match = _CLOCK.match(str(value))
    if match is None:
        raise ValueError(
            f"{value!r} is not a time; use 'HH:MM' (e.g. '08:30') or a number of hours"
        )
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600.0 + int(minutes) * 60.0 + int(seconds or 0)


def format_clock(seconds: float) -> str:
    """'HH:MM' for times on day one; later days keep counting hours ('25:30')."""
    minutes = int(round(seconds / 60.0))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def unquoted_clock_hint(value: object) -> str:
    """The message for a number where a clock time is needed: YAML turned an unquoted `HH:MM`
    from 1:00 on into minutes (`12:00` -> 720)."""
    text = f"expected a clock time 'HH:MM' in quotes, got the number {value!r}"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 60:
        clock = f"{value // 60:02d}:{value % 60:02d}"
        text += f' (YAML reads an unquoted {clock} as {value}: write "{clock}" in quotes)'
    return text
