"""Alerts and the reserve on hand-made days, where every check and arrival can be timed."""

from __future__ import annotations

import math

import numpy as np

from sim.distributions import Deterministic
from sim.model import (
    Agent,
    AlertRule,
    Channel,
    ContactType,
    Demand,
    Model,
    Monitor,
    Move,
    OnCall,
    Segment,
    Shift,
)
from tests.conftest import hand_run


def centre(monitor: Monitor | None, extra: tuple[Agent, ...] = (), email: bool = False) -> Model:
    """One agent a1 on calls from 0 to 10,000 s (the days below give calls 1,000 s each;
    nobody abandons)."""
    channels = [Channel("phone", 0.0, 86400.0, 20.0)]
    types = [ContactType("calls", "phone", "calls", Deterministic(1000), Deterministic(0))]
    if email:
        channels.append(Channel("email", 0.0, 86400.0, 86400.0, deferrable=True))
        types.append(ContactType("mail", "email", "email", Deterministic(500), Deterministic(0)))
    return Model(
        name="monitor",
        channels=tuple(channels),
        segments=(Segment("regular", 1.0, 0),),
        contact_types=tuple(types),
        demand=Demand(3600.0, np.zeros((len(types), 3))),
        agents=(Agent("a1", frozenset({"calls"}), (Shift(0, 10000),)), *extra),
        monitor=monitor,
    )


QUEUE_ALERT = AlertRule("long_queue", "queue_length", 2, True, queue="calls")


def log_rows(records, kind: str) -> list[tuple]:
    log = records.agent_log
    return [
        (log.agent[k], log.start_s[k], log.end_s[k])
        for k in range(len(log.kind))
        if log.kind[k] == kind
    ]


def test_an_alert_calls_in_the_reserve_which_arrives_after_its_delay():
    """a1 takes call 0; calls at 10, 20, 30 wait. The check at 100 finds 3 waiting (> 2):
    raised, the on-call agent is called and arrives 300 s later, at 400, taking the oldest
    call. The check at 400 (after that arrival) finds 2: cleared. Its minimum 600 s ends at
    1,000 with the alert clear: it finishes its call (400-1,400) and leaves; a1, on shift,
    takes the rest."""
    pool = OnCall("helpers", "on_call", (1,), Deterministic(300), ("long_queue",), 600, 3600, 1)
    reserve = Agent("r1", frozenset({"calls"}), (), "on_call")
    model = centre(Monitor(100, (QUEUE_ALERT,), (pool,)), (reserve,))
    records = hand_run(model, [0, 10, 20, 30], handle=1000.0)
    alerts = records.alert_log
    assert list(zip(alerts.time_s, alerts.state, alerts.value, strict=True)) == [
        (100, "raised", 3),
        (400, "cleared", 2),
    ]
    assert records.answer_s.tolist() == [0, 400, 1000, 2000]
    assert records.agent_index.tolist() == [0, 1, 0, 0]
    assert log_rows(records, "call_in") == [(1, 100, 400)]
    assert [row for row in log_rows(records, "shift") if row[0] == 1] == [(1, 400, 1400)]


def test_the_reserve_stays_its_minimum_and_goes_at_its_maximum():
    """Calls every 50 s: 3 wait at the check at 200 (the one at 100 found 1 or 2), so the
    reserve arrives at 500; the queue never clears, so it is called out at its maximum,
    500 + 1,200, and finishes the call in hand."""
    pool = OnCall("helpers", "on_call", (1,), Deterministic(300), ("long_queue",), 600, 1200, 1)
    reserve = Agent("r1", frozenset({"calls"}), (), "on_call")
    model = centre(Monitor(100, (QUEUE_ALERT,), (pool,)), (reserve,))
    records = hand_run(model, np.arange(0, 3000, 50).tolist(), handle=1000.0)
    sessions = [row for row in log_rows(records, "shift") if row[0] == 1]
    start, end = sessions[0][1:]
    assert start == 500 and 1700 <= end < 1700 + 1000
    assert len(sessions) == 1 and "cleared" not in records.alert_log.state


def test_a_move_puts_email_agents_on_calls_while_the_alert_lasts():
    """e1 holds only email. At the check at 100, three calls wait: raised, e1 is moved onto
    calls and takes the one from 10 at once. The check at 200 finds two: cleared, e1 is back
    on email. A mail arriving at 150 waits for e1 (free at 1,100), and the call from 30 for a1
    (after the one from 20: 1,000-2,000)."""
    mover = Agent("e1", frozenset({"email"}), (Shift(0, 10000),), "email_team")
    move = Move("email", "calls", ("long_queue",))
    model = centre(Monitor(100, (QUEUE_ALERT,), moves=(move,)), (mover,), email=True)
    records = hand_run(
        model, [0, 10, 20, 30, 150], types=[0, 0, 0, 0, 1], handle=[1000] * 4 + [500]
    )
    assert records.answer_s.tolist() == [0, 100, 1000, 2000, 1100]
    assert records.agent_index.tolist() == [0, 1, 0, 0, 1]
    assert log_rows(records, "move") == [(1, 100, 200)]


def test_an_alert_that_never_fires_changes_nothing():
    quiet = AlertRule("never", "oldest_wait_s", 1e9, True, queue="calls")
    arrivals = np.arange(0, 5000, 37.0).tolist()
    without = hand_run(centre(None), arrivals, handle=1000.0)
    watched = hand_run(centre(Monitor(60, (quiet,))), arrivals, handle=1000.0)
    np.testing.assert_array_equal(without.answer_s, watched.answer_s)
    assert watched.alert_log.state == []


def test_service_level_and_occupancy_alerts():
    """The service level of calls that arrived in the last 10 minutes falls below 0.5 once
    two of them have waited past 20 s; occupancy of a1 is 1 from the first call."""
    rules = (
        AlertRule("sl", "service_level", 0.5, False, queue="calls", window_s=600),
        AlertRule("busy", "occupancy", 0.9, True, queue="calls", window_s=600),
    )
    records = hand_run(centre(Monitor(100, rules)), [0, 10, 20], handle=1000.0)
    alerts = list(
        zip(records.alert_log.time_s, records.alert_log.rule, records.alert_log.state, strict=True)
    )
    assert (100, "sl", "raised") in alerts  # 1 good (call 0), 2 past 20 s: 1/3
    assert (100, "busy", "raised") in alerts
    assert math.isclose(
        records.alert_log.value[records.alert_log.rule.index("sl")], 1 / 3, rel_tol=1e-12
    )


def duties(records, agent: int, rest_s: float) -> list[tuple[float, float]]:
    """An on-call agent's sessions joined into duties (less than `rest_s` apart): (first
    arrival, latest planned end) each."""
    log = records.agent_log
    sessions = sorted(
        (log.start_s[k], log.planned_end_s[k])
        for k in range(len(log.kind))
        if log.kind[k] == "shift" and log.agent[k] == agent
    )
    out: list[list[float]] = []
    for start, end in sessions:
        if out and start - out[-1][1] < rest_s:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def test_helpers_are_called_within_the_longest_shift_and_the_rest_between_duties():
    """A queue burst every 2,500 s raises the alert again and again. Without a limit the helper
    is called each time, one duty running 400-6,600 s. With the labour rules' longest shift
    (4,000 s here) and rest (3,000 s), no duty spans more than 4,000 s from its first arrival
    to its latest end; the call at 5,100 is skipped (no room left), and after resting the
    helper is called again for a new duty."""
    reserve = Agent("r1", frozenset({"calls"}), (), "on_call")
    arrivals = [t + k for t in range(0, 40000, 2500) for k in (0, 10, 20, 30)]

    def day(limit: float | None):
        pool = OnCall(
            "helpers", "on_call", (1,), Deterministic(300), ("long_queue",), 600, 1200, 1,
            max_duty_s=limit, rest_s=3000.0,
        )  # fmt: skip
        model = centre(Monitor(100, (QUEUE_ALERT,), (pool,)), (reserve,))
        return hand_run(model, arrivals, handle=1000.0)

    unlimited = duties(day(None), 1, 3000.0)
    assert max(end - start for start, end in unlimited) > 4000
    limited_day = day(4000.0)
    limited = duties(limited_day, 1, 3000.0)
    assert all(end - start <= 4000 for start, end in limited), limited
    assert len(limited) >= 2  # called again after resting
    calls = [row[1] for row in log_rows(limited_day, "call_in") if row[0] == 1]
    assert 5100 not in calls and 5100 in [r[1] for r in log_rows(day(None), "call_in")]
