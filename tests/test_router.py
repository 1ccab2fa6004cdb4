"""The router on hand-made days: overflow stages, preference ranks, idle-agent selection.

Every contact takes a known deterministic time, so each answer time and agent can be worked
out by hand (the comments do it).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.distributions import Deterministic
from sim.model import Agent, Channel, ContactType, Demand, Model, Routing, Segment, Shift, Stage
from tests.conftest import hand_run

DAY = Shift(0, 86400)


def centre(agents: list[Agent], routing: Routing, types=("orders", "complaints")) -> Model:
    """Phone types `orders` (skill phone) and `complaints` (skill senior), 100 s each."""
    skills = {"orders": "phone", "complaints": "senior", "chats": "chat"}
    return Model(
        name="hand",
        channels=(Channel("phone", 0.0, 86400.0, 20.0),),
        segments=(Segment("vip", 0.5, 1), Segment("regular", 0.5, 0)),
        contact_types=tuple(
            ContactType(t, "phone", skills[t], Deterministic(100), Deterministic(0)) for t in types
        ),
        demand=Demand(3600.0, np.zeros((len(types), 24))),
        agents=tuple(agents),
        routing=routing,
    )


def agent(name, group, skills, start=0.0, **kw) -> Agent:
    return Agent(name, frozenset(skills), (Shift(start, 86400),), group, **kw)


def names(model, records) -> list[str | None]:
    return [model.agents[a].name if a >= 0 else None for a in records.agent_index]


OVERFLOW = Routing(
    stages={"orders": (Stage(("phone_team",)), Stage(("chat_team",), 30.0))},
)


def test_overflow_reaches_the_next_group_after_its_delay_and_not_before():
    model = centre(
        [agent("p1", "phone_team", {"phone"}), agent("c1", "chat_team", {"chat"})], OVERFLOW
    )
    # p1 takes call 0 (0-100). Call 1 waits from 10 although c1 is idle; at 10 + 30 it
    # overflows to c1. Call 2 (at 50) waits its own 30 s: c1 is busy then (40-140), so p1
    # takes it when free at 100.
    records = hand_run(model, [0, 10, 50], segments=1)
    assert records.answer_s.tolist() == [0, 40, 100]
    assert names(model, records) == ["p1", "c1", "p1"]


def test_a_freed_overflow_agent_takes_a_contact_only_once_its_delay_has_passed():
    model = centre(
        [agent("p1", "phone_team", {"phone"}), agent("c1", "chat_team", {"chat"})],
        OVERFLOW,
        types=("orders", "chats"),
    )
    # c1 is busy with a chat 0-100 and p1 with call 1 (0-100). Call 2 arrives at 85: when c1
    # is freed at 100 it has waited 15 s, less than c1's 30, but p1 is freed at the same
    # moment and takes it (its own group, no delay).
    records = hand_run(model, [0, 0, 85], types=[1, 0, 0], segments=1)
    assert records.answer_s.tolist() == [0, 0, 100]
    assert names(model, records)[2] == "p1"
    # Now p1 is busy longer (call 1 takes 300 s): c1, freed at 100, leaves call 2 (waited 15)
    # and takes it when its overflow is due, at 85 + 30.
    records = hand_run(model, [0, 0, 85], types=[1, 0, 0], segments=1, handle=[100, 300, 100])
    assert records.answer_s.tolist() == [0, 0, 115]
    assert names(model, records)[2] == "c1"


def test_a_stage_with_no_delay_is_a_preference_order():
    routing = Routing(stages={"orders": (Stage(("phone_team",)), Stage(("chat_team",)))})
    # c1 idle longer than p1 (p1 logs in at 5): still p1 first, c1 only when p1 is busy.
    model = centre(
        [agent("c1", "chat_team", {"chat"}), agent("p1", "phone_team", {"phone"}, start=5)],
        routing,
    )
    records = hand_run(model, [10, 20], segments=1)
    assert names(model, records) == ["p1", "c1"]
    assert records.answer_s.tolist() == [10, 20]


@pytest.mark.parametrize(
    "prefer, first", [({}, "orders"), ({"seniors": ("complaints",)}, "complaints")]
)
def test_a_freed_agent_takes_its_groups_preferred_type_first(prefer, first):
    model = centre([agent("s1", "seniors", {"phone", "senior"})], Routing(prefer=prefer))
    # s1 busy 0-100; an order waits from 5, a complaint from 10. Without a preference the
    # older order goes first; preferring complaints, the complaint does.
    records = hand_run(model, [0, 5, 10], types=[0, 0, 1], segments=1)
    answered_at_100 = ["orders", "orders", "complaints"][
        int(np.flatnonzero(records.answer_s == 100)[0])
    ]
    assert answered_at_100 == first


def test_preference_ranks_go_before_priority():
    """Seniors preferring complaints take a regular complaint before a VIP order."""
    model = centre(
        [agent("s1", "seniors", {"phone", "senior"})],
        Routing(prefer={"seniors": ("complaints",)}),
    )
    records = hand_run(model, [0, 5, 10], types=[0, 0, 1], segments=[1, 0, 1])
    assert records.answer_s.tolist() == [0, 200, 100]


SELECTION_CASES = [
    # g1's a1 holds two skills and is idle since 0; g2's a2 holds one, is faster (0.8) and
    # idle since 10. An order at 100 goes to:
    ("longest_idle", ("g1", "g2"), "a1"),
    ("best_skill", ("g1", "g2"), "a2"),
    ("least_skilled", ("g1", "g2"), "a2"),
    ("group_rank", ("g1", "g2"), "a1"),
    ("group_rank", ("g2", "g1"), "a2"),
]


@pytest.mark.parametrize("selection, groups, chosen", SELECTION_CASES)
def test_idle_agent_selection(selection, groups, chosen):
    routing = Routing(selection=selection, stages={"orders": (Stage(groups),)})
    model = centre(
        [
            agent("a1", "g1", {"phone", "senior"}),
            agent("a2", "g2", {"phone"}, start=10, speed=0.8),
        ],
        routing,
    )
    records = hand_run(model, [100], segments=1)
    assert names(model, records) == [chosen]
    assert records.handle_s[0] == (80 if chosen == "a2" else 100)  # proficiency applied


def test_proficiency_applies_to_the_agent_and_the_skill():
    model = centre(
        [agent("n1", "novices", {"phone", "senior"}, speeds=(("senior", 1.5),))],
        Routing(),
    )
    # The order takes its base 100 s, the complaint 150 s (n1's factor on `senior`).
    records = hand_run(model, [0, 10], types=[0, 1], segments=1)
    assert records.handle_s.tolist() == [100, 150]
    assert records.speed.tolist() == [1.0, 1.5]
    assert records.answer_s.tolist() == [0, 100]


def test_overflow_on_the_default_day_respects_every_stage_delay():
    from sim.inputs.config import build_model
    from sim.paths import PROJECT_ROOT
    from sim.runner import replicate
    from tests.conftest import composed

    model = build_model(composed("routing=overflow"), PROJECT_ROOT)
    records = replicate(model, 11, 0)
    group = np.array([a.group for a in model.agents] + [""])[records.agent_index]
    general = model.queues.index("phone_general")
    first_legs = (records.queue_index == general) & (records.transfer_of < 0)
    answered = first_legs & ~np.isnan(records.answer_s)
    wait = records.wait_s
    assert (wait[answered & (group == "senior")] >= 30 - 1e-9).all()
    assert (wait[answered & (group == "chat_team")] >= 90 - 1e-9).all()
    assert (answered & (group == "senior")).sum() > 50  # the overflow really happens
    assert (answered & (group == "chat_team")).any()


POLICIES = [
    Routing(discipline=d, ageing_per_s=r, selection=s)
    for d, r in (("priority", 0.0), ("fifo", 0.0), ("ageing", 0.02))
    for s in ("longest_idle", "best_skill", "least_skilled", "group_rank")
]


def test_every_policy_conserves_contacts_and_meets_the_same_customers():
    """Under each discipline and selector, on the default day: every contact ends in exactly
    one outcome, and the day's customers (arrival, type, segment, patience, base handle time)
    are the same (common random numbers)."""
    from dataclasses import replace

    from sim.inputs.config import build_model
    from sim.paths import PROJECT_ROOT
    from sim.records import OUTCOMES
    from sim.runner import replicate
    from tests.conftest import composed

    base = build_model(composed(), PROJECT_ROOT)
    days, called_back = [], []
    for routing in POLICIES:
        records = replicate(replace(base, routing=routing), 3, 0)
        outcome = records.outcome
        assert set(outcome) <= set(OUTCOMES)
        assert sum((outcome == o).sum() for o in OUTCOMES) == len(outcome)
        answered = ~np.isnan(records.answer_s)
        assert ((records.agent_index >= 0) == answered).all()
        day = (records.attempt == 0) & (records.transfer_of < 0)
        base_handle = records.handle_s / records.speed / records.stretch
        days.append(
            np.column_stack(
                [
                    records.arrival_s[day],
                    records.type_index[day],
                    records.segment_index[day],
                    records.patience_s[day],
                    base_handle[day],
                ]
            )
        )
        called_back.append(records.callback[day])
    # (a callback's agent time adds the call attempt to the customer's draw: left out)
    keep = ~np.any(called_back, axis=0)
    for customers in days[1:]:
        np.testing.assert_allclose(customers[keep], days[0][keep], rtol=1e-12)
