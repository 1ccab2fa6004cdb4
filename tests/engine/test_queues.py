"""engine/queues: who is waiting, in what order. One deque per line and discipline level, in
order of place; contacts that are gone leave lazily, when they reach the head."""

from __future__ import annotations

import math
from collections.abc import Sequence

from sim.engine.contacts import ContactTable
from sim.engine.disciplines import Level
from sim.engine.queues import Slot, WaitingLines
from tests.engine.days import agent, centre, day

INF = math.inf


def waiting(
    keys: Sequence[float],
    deadlines: Sequence[float] | None = None,
    levels: Sequence[Level] = (Level(0),),
    level_of: Sequence[int] | None = None,
    line_of: Sequence[int] | None = None,
    keeps_place: Sequence[bool] = (False,),
) -> WaitingLines:
    """Waiting lines over contacts 0..n-1 with these places (`key`) and deadlines, none pushed."""
    n = len(keys)
    table = ContactTable()
    table.extend(
        n,
        key=list(keys),
        deadline=list(deadlines or [INF] * n),
        level_of=list(level_of or [0] * n),
        line_of=list(line_of or [0] * n),
    )
    return WaitingLines(table, len(keeps_place), list(levels), list(keeps_place))


def slot(lines: WaitingLines, line: int = 0, level: int = 0, order: int = 0, delay: float = 0.0):
    return Slot(order, lines.deques[line][level], delay, lines.levels[level].offset, line)


def taken(lines: WaitingLines, slots: list[Slot], now: float) -> list[int]:
    """Everything an agent scanning `slots` takes at `now`, in order, until nothing is left."""
    out = []
    while (i := lines.take(slots, now)) >= 0:
        out.append(i)
    return out


def test_a_line_is_first_come_first_served():
    lines = waiting([0.0, 1.0, 2.0])
    for i in (0, 1, 2):
        lines.push(i)
    assert taken(lines, [slot(lines)], now=10.0) == [0, 1, 2]
    assert lines.take([slot(lines)], 10.0) == -1


def test_contacts_whose_patience_ran_out_are_dropped_when_they_reach_the_head():
    """Contact 0's deadline passed at 5, contact 1's is exactly now (still there: it leaves
    after), contact 2 was taken out of the middle by an overflow (deadline -inf)."""
    lines = waiting([0.0, 1.0, 2.0, 3.0], deadlines=[5.0, 10.0, -INF, INF])
    for i in range(4):
        lines.push(i)
    assert taken(lines, [slot(lines)], now=10.0) == [1, 3]


def test_a_bot_hand_over_keeps_its_place_from_arrival():
    """Contacts joining with an earlier place (a chat that spent longer with the bot) go
    before those with later places, on a line that keeps places; elsewhere by joining."""
    keys = [10.0, 20.0, 5.0, 15.0]
    kept = waiting(keys, keeps_place=(True,))
    joined = waiting(keys)
    for lines in (kept, joined):
        for i in range(4):
            lines.push(i)
    assert taken(kept, [slot(kept)], 100.0) == [2, 0, 3, 1]
    assert taken(joined, [slot(joined)], 100.0) == [0, 1, 2, 3]


def test_a_lower_order_always_wins_then_the_smaller_place_plus_offset():
    """Line 0 (order 0) has a newer contact than line 1 (order 1): line 0 first. Among equal
    orders the smallest place plus the level's offset (ageing) goes first."""
    lines = waiting([50.0, 10.0], line_of=[0, 1], keeps_place=(False, False))
    lines.push(0), lines.push(1)
    assert taken(lines, [slot(lines, 0, order=0), slot(lines, 1, order=1)], 100.0) == [0, 1]
    levels = (Level(0, -30.0), Level(0, 0.0))  # level 0: 30 s of head start
    lines = waiting([50.0, 10.0, 30.0], levels=levels, level_of=[0, 1, 1])
    for i in range(3):
        lines.push(i)
    both = [slot(lines, level=0), slot(lines, level=1)]
    # Places compared: 50 - 30 = 20 (contact 0), 10 and 30 (contacts 1 and 2): 1, 0, 2.
    assert taken(lines, both, 100.0) == [1, 0, 2]


def test_a_delayed_slot_takes_the_head_only_once_it_has_waited_the_delay():
    lines = waiting([0.0, 20.0])
    lines.push(0), lines.push(1)
    later = [slot(lines, delay=30.0)]
    assert lines.take(later, 29.0) == -1  # the head waited 29 s
    assert lines.take(later, 30.0) == 0
    assert lines.take(later, 30.0) == -1  # the next waited only 10 s
    assert lines.take(later, 50.0) == 1


def test_waiting_ahead_counts_contacts_still_there_that_go_first():
    """Levels ranked 0 (VIP) and 1 (regular): a VIP newcomer has the waiting VIPs ahead, a
    regular one everybody; a contact gone (deadline passed) is not counted."""
    lines = waiting(
        [0.0, 1.0, 2.0, 3.0],
        deadlines=[INF, 2.0, INF, INF],
        levels=(Level(0), Level(1)),
        level_of=[0, 0, 1, 1],
    )
    for i in range(4):
        lines.push(i)
    assert lines.waiting_ahead(0, 0, now=5.0) == 1
    assert lines.waiting_ahead(0, 1, now=5.0) == 3
    assert lines.waiting_ahead(0, 1, now=1.0) == 4


def test_abandonment_at_the_deadline_costs_no_agent_time():
    """One agent busy 0-100; call 1 gives up at 10 + 50 = 60, before its turn: call 2 is
    answered at 100, as if call 1 had never been there."""
    model = centre([agent("a1")])
    records = day(model, [0, 10, 20], patience=[INF, 50, 500])
    assert records.outcome.tolist() == ["answered", "abandoned", "answered"]
    assert records.wait_s.tolist() == [0, 50, 80]
    assert records.answer_s[2] == 100


def test_a_contact_still_there_at_its_deadline_is_answered():
    """Patience 90 from 10: its deadline is 100, when the agent frees. It is taken (it would
    leave only after)."""
    model = centre([agent("a1")])
    records = day(model, [0, 10], patience=[INF, 90])
    assert records.outcome.tolist() == ["answered", "answered"]
    assert records.answer_s[1] == 100
