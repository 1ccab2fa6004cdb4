"""The engine's rules on small hand-made days where every time can be worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.distributions import Deterministic
from sim.model import Agent, Break, Channel, ContactType, Demand, Model, Routing, Segment, Shift
from tests.conftest import hand_run

WORK = 100.0


def centre(shifts: list[Shift], routing: Routing | None = None) -> Model:
    return Model(
        name="hand",
        channels=(Channel("phone", 0.0, 86400.0, 20.0),),
        segments=(Segment("vip", 0.5, 1), Segment("regular", 0.5, 0)),
        contact_types=(
            ContactType("calls", "phone", "calls", Deterministic(WORK), Deterministic(0)),
        ),
        demand=Demand(3600.0, np.zeros((1, 24))),
        agents=tuple(
            Agent(f"a{k}", frozenset({"calls"}), (shift,))
            for k, shift in enumerate(shifts, start=1)
        ),
        routing=routing or Routing(),
    )


def day(model: Model, arrivals, segments=None, patience=None):
    """Run the model on contacts arriving at `arrivals` (each WORK seconds of work)."""
    return hand_run(
        model,
        arrivals,
        segments=1 if segments is None else segments,
        patience=math.inf if patience is None else patience,
        handle=WORK,
    )


def names(model, records):
    return [model.agents[a].name if a >= 0 else None for a in records.agent_index]


def test_arrival_goes_to_the_agent_idle_longest():
    model = centre([Shift(0, 3600)] * 3)
    records = day(model, [10, 20, 200])
    # a1 and a2 take the first two; at 200 a3 (idle since 0) beats a1 (idle since 110).
    assert names(model, records) == ["a1", "a2", "a3"]
    assert records.answer_s.tolist() == [10, 20, 200]


@pytest.mark.parametrize(
    "discipline, answers", [("priority", [0, 200, 100]), ("fifo", [0, 100, 200])]
)
def test_vip_is_served_first_without_preemption(discipline, answers):
    model = centre([Shift(0, 3600)], Routing("test", discipline))
    # A regular call in service from 0; a regular (10) then a VIP (20) wait. With priority the
    # VIP is next at 100 (the call in hand is not interrupted); FIFO keeps arrival order.
    records = day(model, [0, 10, 20], segments=[1, 1, 0])
    assert records.answer_s.tolist() == answers


def test_abandonment_at_the_deadline_costs_no_agent_time():
    model = centre([Shift(0, 3600)])
    records = day(model, [0, 10, 20], patience=[math.inf, 50, 500])
    assert records.outcome.tolist() == ["answered", "abandoned", "answered"]
    assert records.wait_s.tolist() == [0, 50, 80]
    assert records.answer_s[2] == 100  # the abandoned call did not hold the agent


def test_break_is_taken_when_free_after_the_planned_time():
    model = centre([Shift(0, 3600, (Break(50, 100),))])
    records = day(model, [10, 120])
    # Busy 10-110, so the 50 s break runs 110-210 and the 120 call waits for it.
    assert records.answer_s.tolist() == [10, 210]
    log = records.agent_log
    breaks = [
        (s, e) for k, s, e in zip(log.kind, log.start_s, log.end_s, strict=True) if k == "break"
    ]
    assert breaks == [(110, 210)]


def test_shift_end_finishes_the_contact_in_hand_and_records_overtime():
    model = centre([Shift(0, 100), Shift(0, 1000)])
    records = day(model, [5, 90, 95])
    log = records.agent_log
    shifts = {
        model.agents[a].name: (end, planned)
        for a, k, end, planned in zip(
            log.agent, log.kind, log.end_s, log.planned_end_s, strict=True
        )
        if k == "shift"
    }
    # a1 takes the 5 s call until 105, past its end at 100: 5 s overtime, then it leaves even
    # though the 95 s call waits, because a2 is still on shift and takes it at 190.
    assert shifts["a1"] == (105, 100)
    assert records.answer_s.tolist() == [5, 90, 190]
    assert names(model, records) == ["a1", "a2", "a2"]


def test_last_agent_on_duty_clears_the_queue_before_leaving():
    model = centre([Shift(0, 100)])
    records = day(model, [50, 60, 70])
    assert records.answer_s.tolist() == [50, 150, 250]
    log = records.agent_log
    assert log.end_s == [350] and log.planned_end_s == [100]


def test_contacts_nobody_can_serve_are_counted_unserved():
    model = centre([Shift(0, 100)])
    records = day(model, [200, 300], patience=[math.inf, 60])
    assert records.outcome.tolist() == ["unserved", "abandoned"]
    assert records.wait_s[1] == 60


def test_deferrable_contacts_wait_for_real_time_ones():
    """An agent holding chat and email takes a waiting chat before an older email."""
    channels = (Channel("chat", 0.0, 86400.0, 30.0), Channel("email", 0.0, 86400.0, 86400.0, True))
    types = (
        ContactType("chats", "chat", "chat", Deterministic(WORK), Deterministic(0)),
        ContactType("emails", "email", "email", Deterministic(WORK), Deterministic(0)),
    )
    model = Model(
        name="blend",
        channels=channels,
        segments=(Segment("regular", 1.0, 0),),
        contact_types=types,
        demand=Demand(3600.0, np.zeros((2, 24))),
        agents=(Agent("a1", frozenset({"chat", "email"}), (Shift(0, 3600),)),),
    )
    records = hand_run(model, [0.0, 10.0, 20.0], types=[0, 1, 0], handle=WORK)
    assert records.answer_s.tolist() == [0, 200, 100]
