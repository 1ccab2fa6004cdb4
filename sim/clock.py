"""Clock times as planners write them ("08:30", "25:15" for 01:15 the next day) and back."""

from __future__ import annotations

import re

_CLOCK = re.compile(r"^\s*(\d{1,3}):([0-5]\d)(?::([0-5]\d))?\s*$")


def parse_clock(value: object) -> float:
    """Seconds from midnight of day one for "HH:MM[:SS]" (hours may pass 24 for later days) or a
    plain number of hours. Raises ValueError with the accepted forms."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a time; use 'HH:MM' or a number of hours")
    if isinstance(value, int | float):
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
