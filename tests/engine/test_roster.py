"""engine/roster: who is on duty. Log-in at shift start (later when late, never when absent),
breaks taken as soon as the agent is free after their time, the contact in hand finished at
shift end (overtime), the last agent on a line clearing its real-time queue, and the agent log
that records all of it."""

from __future__ import annotations

from sim.distributions import Deterministic
from sim.engine.roster import absences
from sim.model import Absence
from tests.engine.days import (
    DAY,
    INF,
    agent,
    calls,
    centre,
    channel,
    day,
    planned_ends,
    rows,
    served_by,
)


def test_a_break_is_taken_when_free_after_the_planned_time():
    """Busy 10-110, so the 100 s break planned at 50 runs 110-210 and the call at 120 waits
    for it."""
    model = centre([agent("a1", breaks=[(50, 100)])])
    records = day(model, [10, 120])
    assert records.answer_s.tolist() == [10, 210]
    assert rows(model, records, "break") == [("a1", 110, 210)]


def test_an_idle_agent_goes_on_its_break_at_once_and_back_to_the_queue_after():
    model = centre([agent("a1", breaks=[(50, 100)])])
    records = day(model, [60, 70])
    assert rows(model, records, "break") == [("a1", 50, 150)]
    assert records.answer_s.tolist() == [150, 250]


def test_a_break_due_during_another_follows_it():
    """Breaks planned at 50 (100 s) and 100 (30 s): the second falls due during the first
    and runs 150-180."""
    model = centre([agent("a1", breaks=[(50, 100), (100, 30)])])
    records = day(model, [])
    assert rows(model, records, "break") == [("a1", 50, 150), ("a1", 150, 180)]


def test_a_break_not_taken_by_the_end_of_the_shift_lapses():
    """The break at 900 falls due while the agent is on a call until 1100, past its shift end
    at 1000: it finishes the call and leaves, no break."""
    model = centre([agent("a1", end=1000, breaks=[(900, 60)]), agent("a2", end=2000)])
    records = day(model, [800], handle=300.0)
    assert rows(model, records, "break") == []
    assert ("a1", 0, 1100) in rows(model, records, "shift")


def test_shift_end_finishes_the_contact_in_hand_and_records_overtime():
    """a1 takes the call at 5 until 105, past its end at 100: 5 s of overtime; then it leaves
    though the call at 95 waits, because a2 is still on shift and takes it at 190."""
    model = centre([agent("a1", end=100), agent("a2", end=1000)])
    records = day(model, [5, 90, 95])
    assert rows(model, records, "shift") == [("a1", 0, 105), ("a2", 0, 1000)]
    assert planned_ends(model, records) == {"a1": [100], "a2": [1000]}
    assert records.answer_s.tolist() == [5, 90, 190]
    assert served_by(model, records) == ["a1", "a2", "a2"]


def test_the_last_agent_on_duty_clears_the_queue_before_leaving():
    model = centre([agent("a1", end=100)])
    records = day(model, [50, 60, 70])
    assert records.answer_s.tolist() == [50, 150, 250]
    assert rows(model, records, "shift") == [("a1", 0, 350)]
    assert planned_ends(model, records) == {"a1": [100]}


def test_the_last_agent_leaves_a_deferrable_backlog_for_the_next_day():
    """The call waiting at shift end is served in overtime; the older email is not (email
    waits for the next shift, or is carried over)."""
    model = centre(
        [agent("a1", ("calls", "emails"), end=100)],
        types=(calls(), calls("emails", "email")),
        channels=(channel("phone"), channel("email", DAY, deferrable=True)),
    )
    records = day(model, [50, 60, 70], types=["calls", "emails", "calls"])
    assert records.outcome.tolist() == ["answered", "unserved", "answered"]
    assert rows(model, records, "shift") == [("a1", 0, 250)]


def test_contacts_nobody_can_serve_are_unserved_or_abandon():
    """Nobody is on duty after 100: the patient contact is unserved (its wait runs to the end
    of the run), the other abandons."""
    model = centre([agent("a1", end=100)])
    records = day(model, [200, 300], patience=[INF, 60])
    assert records.outcome.tolist() == ["unserved", "abandoned"]
    assert records.wait_s.tolist() == [records.stop_s - 200, 60]


def test_a_shift_running_on_past_its_end_runs_into_the_next_one():
    """a1 works 0-100 and 150-300; its call 50-250 runs past the first end and into the
    second shift, which it then simply goes on with: one session, 0-300."""
    model = centre([agent("a1", shifts=[(0, 100), (150, 300)])])
    records = day(model, [50, 260], handle=[200, 10])
    assert records.answer_s.tolist() == [50, 260]
    assert rows(model, records, "shift") == [("a1", 0, 300)]
    assert planned_ends(model, records) == {"a1": [300]}


def test_back_to_back_shifts_keep_the_agent_on_duty():
    """a1 works 0-100 and 100-200 (a split shift, or one day's night into the next): the
    call at 150 is its. Fixed: the second shift's start (which runs first at 100) finds the
    agent on duty and extends its session; the first shift's end is then stale and ignored."""
    model = centre([agent("a1", shifts=[(0, 100), (100, 200)])])
    records = day(model, [150], handle=10.0)
    assert records.answer_s.tolist() == [150]
    assert rows(model, records, "shift") == [("a1", 0, 200)]


def test_a_break_is_cut_at_the_end_of_the_shift():
    """The break planned at 850 waits for the call (800-950) and starts at 950; the shift ends
    at 1000: the agent goes then. Fixed: a shift end finding the agent on a break cuts the
    break there and the agent leaves (no overtime); the break's planned end is ignored."""
    model = centre([agent("a1", end=1000, breaks=[(850, 300)]), agent("a2", end=2000)])
    records = day(model, [800], handle=150.0)
    assert ("a1", 0, 1000) in rows(model, records, "shift")


def test_the_last_agent_on_a_cut_break_still_closes_down():
    """As above, alone: the call at 960 waits while a1 is on its break; at 1000 the break is
    cut (logged 950-1000) and a1, the last on shift, serves the waiting call (1000-1150)
    before it goes. The break's planned end, 1250, then changes nothing."""
    model = centre([agent("a1", end=1000, breaks=[(850, 300)])])
    records = day(model, [800, 960], handle=150.0)
    assert records.answer_s.tolist() == [800, 1000]
    assert rows(model, records, "break") == [("a1", 950, 1000)]
    assert rows(model, records, "shift") == [("a1", 0, 1150)]
    assert records.stop_s == 1150


# --- absences and late log-ins --------------------------------------------------------------


def test_an_absent_agent_never_logs_in_and_the_absence_is_logged():
    model = centre(
        [agent("a1", group="temps"), agent("a2", end=1000)],
        absence={"temps": Absence(p=1.0)},
    )
    records = day(model, [10])
    assert rows(model, records, "absent") == [("a1", 0, 3600)]
    assert served_by(model, records) == ["a2"]
    assert [row[0] for row in rows(model, records, "shift")] == ["a2"]


def test_a_late_agent_logs_in_late_and_its_earlier_breaks_lapse():
    """a1 is 600 s late: logged in 600-3600; its break at 300 lapses, the one at 1200
    stands. The call at 100 waits for it."""
    model = centre(
        [agent("a1", breaks=[(300, 60), (1200, 60)])],
        absence={"agents": Absence(0.0, Deterministic(600))},
    )
    records = day(model, [100])
    assert rows(model, records, "late") == [("a1", 0, 600)]
    assert rows(model, records, "shift") == [("a1", 600, 3600)]
    assert rows(model, records, "break") == [("a1", 1200, 1260)]
    assert records.answer_s.tolist() == [600]


def test_an_agent_late_past_the_end_of_its_shift_is_absent():
    model = centre(
        [agent("a1", end=500), agent("a2", end=1000)],
        absence={"agents": Absence(0.0, Deterministic(600))},
    )
    records = day(model, [])
    assert rows(model, records, "absent") == [("a1", 0, 500)]
    assert rows(model, records, "late") == [("a2", 0, 600)]


def test_absences_follow_the_agent_not_its_place_in_the_roster():
    """Absences are drawn from the agent's name: with more agents listed before them, the same
    agents miss the same shifts (and on the day, the same absent rows)."""
    absence = {"agents": Absence(0.5)}
    names = [f"a{k}" for k in range(20)]
    small = centre([agent(n, end=100) for n in names], absence=absence)
    large = centre(
        [agent(f"new{k}", end=100) for k in range(5)] + list(small.agents), absence=absence
    )
    drawn = {a.name: absences(small, a, 4, 0) for a in small.agents}
    assert drawn == {a.name: absences(large, a, 4, 0) for a in large.agents if a.name in drawn}
    assert {missed for ((missed, _),) in drawn.values()} == {True, False}  # (both at p = 0.5)

    def absent(model):
        return {row[0] for row in rows(model, day(model, [], seed=4), "absent")}

    assert absent(small) == absent(large) & set(names)
    assert absent(small) == {n for n, ((missed, _),) in drawn.items() if missed}
