"""engine/core: when things happen. `Clock.at` runs one callback with one value at an absolute
time; the run loop goes on until nothing is left and reports progress per simulated hour."""

from __future__ import annotations

import gc

import pytest

from sim.engine.core import Call, Clock, paused_gc


def recorder(clock: Clock, seen: list):
    """A callback noting (time, value) of each call."""

    def note(event: Call) -> None:
        seen.append((clock.now, event._value))

    return note


def test_calls_run_at_their_times_in_order_and_ties_in_the_order_scheduled():
    clock, seen = Clock(), []
    note = recorder(clock, seen)
    for time, value in [(30.0, "c"), (10.0, "a"), (30.0, "d"), (20.0, "b")]:
        clock.at(time, note, value)
    clock.run(100.0)
    assert seen == [(10, "a"), (20, "b"), (30, "c"), (30, "d")]
    assert clock.now == 30  # the loop stops when nothing is left, not at the horizon


def test_a_call_in_the_past_runs_now_not_back_in_time():
    clock, seen = Clock(), []
    note = recorder(clock, seen)

    def late(event: Call) -> None:
        clock.at(5.0, note, "past")  # at 50, asking for 5
        clock.at(50.0, note, "now")

    clock.at(50.0, late, None)
    clock.run(100.0)
    assert seen == [(50, "past"), (50, "now")]


def test_calls_scheduled_by_calls_run_too_past_the_horizon():
    clock, seen = Clock(), []

    def chain(event: Call) -> None:
        seen.append((clock.now, event._value))
        if event._value < 3:
            clock.at(clock.now + 4000.0, chain, event._value + 1)

    clock.at(0.0, chain, 0)
    clock.run(3600.0)  # (the horizon only paces the progress reports)
    assert seen == [(0, 0), (4000, 1), (8000, 2), (12000, 3)]


def test_progress_is_reported_by_the_simulated_hour_and_last_at_the_horizon():
    clock, reported = Clock(), []
    clock.at(9000.0, lambda event: None, None)  # the last event: 2.5 h
    clock.run(5 * 3600.0, reported.append)
    assert reported[:3] == [3600, 7200, 10800]  # (then, at most, the idle hours)
    assert reported == sorted(reported) and reported[-1] == 5 * 3600
    assert all(t % 3600 == 0 for t in reported)


def test_progress_reports_stop_at_the_horizon_while_events_go_on():
    clock, reported = Clock(), []
    clock.at(3 * 3600.0 + 1, lambda event: None, None)
    clock.run(2 * 3600.0, reported.append)
    assert max(reported) == 7200 and reported[:2] == [3600, 7200]
    assert clock.now == 3 * 3600.0 + 1


def test_reporting_progress_changes_no_result():
    """A progress reporter changes nothing: either way the run ends at its last event.
    Fixed: `Clock.run` reaches each hour by stepping through the events up to it, not with
    SimPy's `until` stop events, whose processing moved `now` to the hour."""
    quiet, reported = Clock(), Clock()
    for clock in (quiet, reported):
        clock.at(9000.0, lambda event: None, None)
    quiet.run(5 * 3600.0)
    reported.run(5 * 3600.0, lambda t: None)
    assert quiet.now == 9000
    assert reported.now == quiet.now


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_for_a_run_and_restored_after(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with paused_gc():
            assert not gc.isenabled()
        assert gc.isenabled() == enabled
        with pytest.raises(RuntimeError), paused_gc():
            raise RuntimeError("a failing replication")
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()
