"""engine/frontend: what happens before the queue. The IVR or bot (time, containment, the bot's
hand-over keeping the chat's place), lines (trunks) and blocking, the expected-wait
announcement with balking, and callbacks."""

from __future__ import annotations

import math

import pytest

from sim.distributions import Deterministic
from sim.model import Announcement, FrontEnd
from tests.engine.days import INF, agent, calls, centre, channel, day, served_by


def phone(front_end: FrontEnd | None = None, lines: int | None = None, agents=1, **types_kw):
    return centre(
        [agent(f"a{k}", end=3600) for k in range(1, agents + 1)],
        types=(calls(**types_kw),),
        channels=(channel("phone", front_end=front_end, lines=lines),),
    )


IVR = FrontEnd("ivr", Deterministic(30))


def test_the_ivr_comes_before_the_queue_and_the_wait_counts_from_leaving_it():
    """Call 0 spends 30 s in the IVR (0-30) and is answered then; call 1 (at 10, 20 s in
    the IVR) joins at 30 too but after call 0, and waits for the agent until 130."""
    records = day(phone(IVR), [0, 10], front=[30, 20])
    assert records.join_s.tolist() == [30, 30]
    assert records.answer_s.tolist() == [30, 130]
    assert records.wait_s.tolist() == [0, 100]


def test_a_contained_contact_never_reaches_an_agent():
    model = phone(IVR, contained=0.5)
    records = day(model, [0, 10], front=30.0, contained=[True, False])
    assert records.outcome.tolist() == ["contained", "answered"]
    assert served_by(model, records) == [None, "a1"]
    assert records.answer_s[1] == 40  # the agent was free for call 1: call 0 took none of it


def test_bot_hands_over_with_place_kept_and_patience_from_escalation():
    """One chat agent, busy 0-100 with a chat that skipped the bot. Chat A arrives at 5 and
    is with the bot for 45 s (joins at 50); chat B arrives at 10 and is with it 10 s (joins
    at 20). A arrived first, so at 100 A is answered though it joined later; its patience
    (60 s) runs from escalation at 50, so it is still there. B's 100 s run out at 120."""
    model = centre(
        [agent("a1", ("chats",))],
        types=(calls("chats", "chat"),),
        channels=(channel("chat", 30.0, front_end=FrontEnd("bot", Deterministic(0))),),
    )
    records = day(
        model,
        [0.0, 5.0, 10.0],
        patience=[INF, 60.0, 100.0],
        handle=[100.0, 60.0, 60.0],
        front=[0.0, 45.0, 10.0],
    )
    assert records.outcome.tolist() == ["answered", "answered", "abandoned"]
    assert records.answer_s[:2].tolist() == [0, 100]
    assert records.wait_s.tolist() == [0, 50, 100]


# --- lines (trunks) ------------------------------------------------------------------------


def test_an_arrival_finding_every_line_taken_is_blocked():
    """Two lines, one agent: call 0 talks (0-100), call 1 waits on the second line, call 2
    (at 20) finds both taken: blocked, it never queues. Call 3 (at 150) gets the line call 0
    gave back at 100."""
    records = day(phone(lines=2), [0, 10, 20, 150])
    assert records.outcome.tolist() == ["answered", "answered", "blocked", "answered"]
    assert math.isnan(records.join_s[2]) and math.isnan(records.wait_s[2])


def test_the_line_is_given_back_when_the_talk_ends_not_after_wrapup():
    """One line: call 0 talks 0-100 and the agent wraps up until 200. Call 1 (at 150) gets
    the line and waits for the agent until 200."""
    records = day(phone(lines=1), [0, 150], wrapup=[100, 0])
    assert records.outcome.tolist() == ["answered", "answered"]
    assert records.answer_s.tolist() == [0, 200]


def test_a_caller_who_abandons_gives_its_line_back():
    """One line for the waiting call, one for the talk: call 1 waits from 10 and gives up at
    40; call 2 (at 50) gets its line. Call 3 (at 60) finds both taken (call 2 waits)."""
    records = day(phone(lines=2), [0, 10, 50, 60], patience=[INF, 30, INF, INF])
    assert records.outcome.tolist() == ["answered", "abandoned", "answered", "blocked"]


def test_a_contained_call_holds_a_line_until_the_end_of_the_ivr():
    """One line: call 0 is contained after 30 s in the IVR; call 1 at 20 is blocked, call 2
    at 30 gets the line."""
    model = phone(IVR, lines=1, contained=0.5)
    records = day(model, [0, 20, 30], front=30.0, contained=[True, False, False])
    assert records.outcome.tolist() == ["contained", "blocked", "answered"]


def test_a_transferred_call_holds_its_line_until_its_last_leg_ends():
    """One line: call 0 talks with sales 0-100, then with tech (50 s, 100-150). Call 1 at 120
    is blocked (the customer is still on the line); call 2 at 160 gets it."""
    model = centre(
        [agent("s1", ("sales",)), agent("t1", ("tech",))],
        types=(calls("sales", transfer_to="tech"), calls("tech")),
        channels=(channel("phone", lines=1),),
    )
    records = day(model, [0, 120, 160], legs={0: ("tech", 50.0)})
    assert records.outcome[:3].tolist() == ["answered", "blocked", "answered"]
    assert records.transfer_of.tolist() == [-1, -1, -1, 0]


# --- announcements and callbacks ------------------------------------------------------------


def announcing(announcement: Announcement, front_s: float = 10.0):
    ivr = FrontEnd("ivr", Deterministic(front_s), Deterministic(30), announcement)
    return phone(ivr)


def test_balk_probability_is_linear_between_its_points_and_flat_beyond():
    balk = Announcement(balk=((30.0, 0.1), (90.0, 0.4), (150.0, 1.0))).balk_probability
    assert [balk(w) for w in (0, 30, 60, 90, 120, 150, 1000)] == pytest.approx(
        [0.1, 0.1, 0.25, 0.4, 0.7, 1.0, 1.0]
    )


def test_a_caller_told_of_a_long_wait_may_balk():
    """Call 0 leaves the IVR at 10 to a free agent (announced 0). Call 1 leaves it at 15:
    nobody ahead, the one agent busy, so 1 x 100 s / 1 agent = 100 s announced; at that
    wait everybody balks."""
    model = announcing(Announcement(balk=((0.0, 0.0), (50.0, 1.0))))
    records = day(model, [0.0, 5.0], front=10.0, announce=(0.5, 1, 1, 0))
    assert records.announced_s.tolist() == [0, 100]
    assert records.outcome.tolist() == ["answered", "balked"]
    assert records.wait_s[1] == 0


def test_an_ivr_that_takes_no_time_still_announces():
    """Call 1 joins at 5, hears (0 ahead + 1) x 100 s and balks (probability 0.5 at 100 s,
    its draw 0.4)."""
    model = announcing(Announcement(balk=((0.0, 0.0), (100.0, 0.5))), front_s=0.0)
    records = day(model, [0.0, 5.0], announce=(0.4, 1, 1, 0))
    assert records.announced_s.tolist() == [0, 100]
    assert records.outcome.tolist() == ["answered", "balked"]


CALLBACK = Announcement(
    callback_above_s=50,
    callback_accept=1.0,
    callback_attempt=Deterministic(30),
    callback_reach=1.0,
)


def test_an_accepted_callback_keeps_its_place_and_never_abandons():
    """Call 1 would give up after 20 s; it takes the callback offered above 50 s instead,
    and at 110 (its turn) the agent spends 30 s calling back, then the 100 s call: done at
    240."""
    records = day(
        announcing(CALLBACK),
        [0.0, 5.0],
        front=10.0,
        patience=[INF, 20.0],
        announce=(0.5, 0, 0, 30),
    )
    assert records.outcome.tolist() == ["answered", "answered"]
    assert records.callback.tolist() == [False, True]
    assert records.answer_s[1] == 110 and records.handle_s[1] == 130


def test_a_callback_that_misses_the_customer_costs_only_the_attempt():
    missed = Announcement(
        callback_above_s=50,
        callback_accept=1.0,
        callback_attempt=Deterministic(30),
        callback_reach=0.0,
    )
    records = day(announcing(missed), [0.0, 5.0], front=10.0, announce=(0.5, 0, 0.5, 30))
    assert records.outcome.tolist() == ["answered", "callback_failed"]
    assert records.handle_s[1] == 30


def test_a_callback_is_offered_only_above_its_threshold():
    """Two agents busy: call 2 hears 1 x 100 / 2 = 50 s, not above 50: no offer; call 3
    hears 100 s: offered, and it accepts (its draw 0 < 1)."""
    ivr = FrontEnd("ivr", Deterministic(0), announce=CALLBACK)
    records = day(phone(ivr, agents=2), [0, 1, 2, 3], announce=(1, 0, 0, 30))
    assert records.announced_s.tolist() == [0, 0, 50, 100]
    assert records.callback_offered.tolist() == [False, False, False, True]
    assert records.callback.tolist() == [False, False, False, True]


def test_a_callback_gives_the_line_back_when_the_caller_hangs_up():
    """One agent, two lines: call 1 takes a callback at 5 and hangs up, so call 2 (at 6)
    gets a line; call 3 (at 7) is blocked (calls 0 and 2 hold both)."""
    ivr = FrontEnd("ivr", Deterministic(0), announce=CALLBACK)
    model = phone(ivr, lines=2)
    records = day(
        model, [0, 5, 6, 7], announce=[(1, 1, 1, 0), (1, 0, 0, 30), (1, 1, 1, 0), (1, 1, 1, 0)]
    )
    assert records.callback.tolist() == [False, True, False, False]
    assert records.outcome.tolist() == ["answered", "answered", "answered", "blocked"]
