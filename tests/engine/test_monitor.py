"""engine/monitor: when to react. Alert rules checked every period (queue length, oldest wait,
service level, occupancy), logged as they cross; on-call agents called in after a delay and
released within their minimum, maximum and the labour rules; moves of email agents onto
calls while an alert lasts. Every check and arrival can be timed by hand."""

from __future__ import annotations

import math

import numpy as np

from sim.distributions import Deterministic
from sim.model import AlertRule, Monitor, Move, OnCall
from tests.engine.days import DAY, agent, calls, centre, channel, contacts, day, rows, run

QUEUE_ALERT = AlertRule("long_queue", "queue_length", 2, True, queue="calls")
RESERVE = agent("r1", shifts=(), group="on_call")


def watched(monitor: Monitor | None, extra=(), email: bool = False, **phone):
    """One agent a1 on calls from 0 to 10,000 s (calls of 1,000 s below; nobody abandons)
    over three hours, and `extra` agents (1, 2, ...)."""
    types = [calls(handle=1000)]
    channels = [channel("phone", **phone)]
    if email:
        types.append(calls("email", "email", handle=500))
        channels.append(channel("email", DAY, deferrable=True))
    return centre(
        [agent("a1", end=10000), *extra],
        types=types,
        channels=channels,
        hours=3,
        monitor=monitor,
    )


def on_call(max_on_s: float = 3600, **kw) -> OnCall:
    """A pool of one helper (agent 1), called when the queue is long: arrives 300 s after
    the call, stays at least 600 s."""
    return OnCall(
        "helpers", "on_call", (1,), Deterministic(300), ("long_queue",), 600, max_on_s, 1, **kw
    )


def crossings(records) -> list[tuple]:
    log = records.alert_log
    return list(zip(log.time_s, log.rule, log.state, log.value, strict=True))


def test_an_alert_calls_in_the_reserve_which_arrives_after_its_delay():
    """a1 takes call 0; calls at 10, 20, 30 wait. The check at 100 finds 3 waiting (> 2):
    raised, the helper is called and arrives 300 s later, at 400, taking the oldest call.
    The check at 400 (after that arrival) finds 2: cleared. Its minimum 600 s ends at 1,000
    with the alert clear: it finishes its call (400-1,400) and leaves; a1 takes the rest."""
    model = watched(Monitor(100, (QUEUE_ALERT,), (on_call(),)), (RESERVE,))
    records = day(model, [0, 10, 20, 30], handle=1000.0)
    assert crossings(records) == [
        (100, "long_queue", "raised", 3),
        (400, "long_queue", "cleared", 2),
    ]
    assert records.answer_s.tolist() == [0, 400, 1000, 2000]
    assert records.agent_index.tolist() == [0, 1, 0, 0]
    assert rows(model, records, "call_in") == [("r1", 100, 400)]
    assert [row for row in rows(model, records, "shift") if row[0] == "r1"] == [("r1", 400, 1400)]


def test_the_reserve_stays_its_minimum_and_goes_at_its_maximum():
    """Calls every 50 s: 3 wait at the check at 200 (the one at 100 found 1 or 2), so the
    helper arrives at 500; the queue never clears, so it is called out at its maximum,
    500 + 1,200, and finishes the call in hand."""
    model = watched(Monitor(100, (QUEUE_ALERT,), (on_call(1200),)), (RESERVE,))
    records = day(model, np.arange(0, 3000, 50).tolist(), handle=1000.0)
    sessions = [row for row in rows(model, records, "shift") if row[0] == "r1"]
    assert len(sessions) == 1
    (_, start, end) = sessions[0]
    assert start == 500 and 1700 <= end < 1700 + 1000
    assert "cleared" not in records.alert_log.state


def test_a_move_puts_email_agents_on_calls_while_the_alert_lasts():
    """e1 holds only email. At the check at 100, three calls wait: raised, e1 is moved onto
    calls and takes the one from 10 at once. The check at 200 finds two: cleared, e1 is back
    on email. A mail arriving at 150 waits for e1 (free at 1,100), and the call from 30 for
    a1 (after the one from 20: 1,000-2,000)."""
    mover = agent("e1", ("email",), end=10000, group="email_team")
    move = Move("email", "calls", ("long_queue",))
    model = watched(Monitor(100, (QUEUE_ALERT,), moves=(move,)), (mover,), email=True)
    records = day(model, [0, 10, 20, 30, 150], types=[0, 0, 0, 0, 1], handle=[1000] * 4 + [500])
    assert records.answer_s.tolist() == [0, 100, 1000, 2000, 1100]
    assert records.agent_index.tolist() == [0, 1, 0, 0, 1]
    assert rows(model, records, "move") == [("e1", 100, 200)]


def test_an_alert_that_never_fires_changes_nothing():
    quiet = AlertRule("never", "oldest_wait_s", 1e9, True, queue="calls")
    arrivals = np.arange(0, 5000, 37.0).tolist()
    without = day(watched(None), arrivals, handle=1000.0)
    with_it = day(watched(Monitor(60, (quiet,))), arrivals, handle=1000.0)
    np.testing.assert_array_equal(without.answer_s, with_it.answer_s)
    assert with_it.alert_log.state == []


def test_the_oldest_wait_is_that_of_the_longest_waiting_contact_still_there():
    """At the check at 100 the call from 10 has waited 90 s; the one from 5 gave up at 35
    and is not counted. At 200: 190 s."""
    rule = AlertRule("old", "oldest_wait_s", 80, True, queue="calls")
    records = day(watched(Monitor(100, (rule,))), [0, 5, 10], patience=[math.inf, 30, 5000])
    assert crossings(records)[0] == (100, "old", "raised", 90)


def test_service_level_and_occupancy_alerts():
    """The service level of calls that arrived in the last 10 minutes falls below 0.5 once
    two of them have waited past 20 s; occupancy of a1 is 1 from the first call."""
    rules = (
        AlertRule("sl", "service_level", 0.5, False, queue="calls", window_s=600),
        AlertRule("busy", "occupancy", 0.9, True, queue="calls", window_s=600),
    )
    records = day(watched(Monitor(100, rules)), [0, 10, 20], handle=1000.0)
    raised = [(t, rule, state) for t, rule, state, _ in crossings(records)]
    assert (100, "sl", "raised") in raised  # 1 good (call 0), 2 past 20 s: 1/3
    assert (100, "busy", "raised") in raised
    first_sl = next(value for _, rule, _, value in crossings(records) if rule == "sl")
    assert math.isclose(first_sl, 1 / 3, rel_tol=1e-12)


def test_a_closed_channel_raises_nothing():
    """The phone closes at 150: the long queue raised at 100 clears at 200 (no measure: the
    value is missing), whoever is still waiting."""
    model = watched(Monitor(100, (QUEUE_ALERT,)), close_s=150.0)
    records = day(model, [0, 10, 20, 30], handle=1000.0)
    (t0, _, s0, v0), (t1, _, s1, v1) = crossings(records)
    assert (t0, s0, v0) == (100, "raised", 3)
    assert (t1, s1) == (200, "cleared") and math.isnan(v1)


def test_checks_stop_at_the_horizon_once_the_reserve_has_gone():
    """Three hours: the last check is at 10,800 s, the horizon (the reserve is never
    called): the clock's last event. The run's end (`stop_s`) is a1's log-off at 10,000, the
    last thing that happened to an agent or contact: checks are bookkeeping. (Before the fix
    of `stop_s` this test read the last check from `stop_s`.)"""
    rule = AlertRule("busy", "occupancy", 2.0, True, queue="calls")  # (never raised)
    model = watched(Monitor(100, (rule,)))
    engine = run(model, contacts(model, [0], handle=1000.0))
    assert engine.clock.now == 10800
    assert engine.records().stop_s == 10000


def test_checks_go_on_past_the_horizon_while_a_helper_is_on_duty():
    """a1 has gone at 10,000. Four calls from 10,700 s raise the alert at the check at
    10,800, the horizon; the helper called then arrives at 11,100 and works them off by
    11,500. The check at 11,200 clears the alert (2 waiting), so at the end of its minimum,
    11,700, the helper leaves, and the check then finds nobody left out: the last check."""
    model = watched(Monitor(100, (QUEUE_ALERT,), (on_call(),)), (RESERVE,))
    records = day(model, [10700, 10710, 10720, 10730], handle=100.0)
    assert rows(model, records, "call_in") == [("r1", 10800, 11100)]
    assert [t for t, _, state, _ in crossings(records)] == [10800, 11200]
    assert records.answer_s.tolist() == [11100, 11200, 11300, 11400]
    assert ("r1", 11100, 11700) in rows(model, records, "shift")
    assert records.stop_s > 11100


def test_a_monitor_that_never_fires_changes_no_wait():
    """A monitor whose rule is never raised changes no wait of an unserved contact.
    Fixed: `stop_s` is the last contact or agent moment (arrival, service end, abandonment,
    log-off: `last_moment`), so the monitor's checks, bookkeeping, no longer move it."""
    quiet = AlertRule("never", "oldest_wait_s", 1e9, True, queue="calls")
    model = centre([agent("a1", end=100)], hours=3)
    watching = centre([agent("a1", end=100)], hours=3, monitor=Monitor(60, (quiet,)))
    without, with_it = day(model, [200.0]), day(watching, [200.0])
    assert without.outcome.tolist() == with_it.outcome.tolist() == ["unserved"]
    np.testing.assert_array_equal(with_it.wait_s, without.wait_s)


def duties(records, agent_index: int, rest_s: float) -> list[tuple[float, float]]:
    """An on-call agent's sessions joined into duties (less than `rest_s` apart): (first
    arrival, latest planned end) each."""
    log = records.agent_log
    sessions = sorted(
        (log.start_s[k], log.planned_end_s[k])
        for k in range(len(log.kind))
        if log.kind[k] == "shift" and log.agent[k] == agent_index
    )
    out: list[list[float]] = []
    for start, end in sessions:
        if out and start - out[-1][1] < rest_s:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def test_helpers_are_called_within_the_longest_shift_and_the_rest_between_duties():
    """A queue burst every 2,500 s raises the alert again and again. Without a limit the
    helper is called each time, one duty running 400-6,600 s. With the labour rules' longest
    shift (4,000 s here) and rest (3,000 s), no duty spans more than 4,000 s from its first
    arrival to its latest end; the call at 5,100 is skipped (no room left), and after
    resting the helper is called again for a new duty."""
    arrivals = [t + k for t in range(0, 40000, 2500) for k in (0, 10, 20, 30)]

    def with_limit(limit: float | None):
        pool = on_call(1200, max_duty_s=limit, rest_s=3000.0)
        model = watched(Monitor(100, (QUEUE_ALERT,), (pool,)), (RESERVE,))
        return model, day(model, arrivals, handle=1000.0)

    _, unlimited_day = with_limit(None)
    unlimited = duties(unlimited_day, 1, 3000.0)
    assert max(end - start for start, end in unlimited) > 4000
    model, limited_day = with_limit(4000.0)
    limited = duties(limited_day, 1, 3000.0)
    assert all(end - start <= 4000 for start, end in limited), limited
    assert len(limited) >= 2  # called again after resting
    called = [start for _, start, _ in rows(model, limited_day, "call_in")]
    assert 5100 not in called
    assert 5100 in [start for _, start, _ in rows(model, unlimited_day, "call_in")]


def test_helpers_called_least_so_far_go_first():
    """Two helpers, one called per alert. The first alert calls r1 (neither called yet); the
    second, once r1 has gone, calls r2."""
    helpers = (agent("r1", shifts=(), group="on_call"), agent("r2", shifts=(), group="on_call"))
    pool = OnCall("helpers", "on_call", (1, 2), Deterministic(300), ("long_queue",), 600, 600, 1)
    model = watched(Monitor(100, (QUEUE_ALERT,), (pool,)), helpers)
    arrivals = [t + k for t in (0, 5000) for k in (0, 10, 20, 30)]
    records = day(model, arrivals, handle=200.0)
    assert [name for name, _, _ in rows(model, records, "call_in")] == ["r1", "r2"]
