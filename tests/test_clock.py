"""Clock times as planners write them (`sim.clock`)."""

from __future__ import annotations

import pytest

from sim.clock import format_clock, parse_clock


def test_clock_round_trip():
    assert parse_clock("08:30") == 8.5 * 3600
    assert parse_clock("25:15") == 25.25 * 3600
    assert parse_clock(2) == 7200
    assert format_clock(parse_clock("23:45")) == "23:45"
    with pytest.raises(ValueError, match="HH:MM"):
        parse_clock("8h30")
