"""engine/router: who meets whom. Overflow stages (a contact is offered to more groups as it
waits), preference ranks, real-time work before deferrable work, and the expected wait the
IVR announces. Every contact takes a known time, so each answer and agent is worked out by
hand (the docstrings do it)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.distributions import Deterministic
from sim.model import Announcement, FrontEnd, Routing, Stage
from tests.engine.days import (
    DAY,
    VIP_AND_REGULAR,
    agent,
    calls,
    centre,
    channel,
    day,
    served_by,
)

ORDERS_AND_COMPLAINTS = (calls("orders", skill="phone"), calls("complaints", skill="senior"))
OVERFLOW = Routing(stages={"orders": (Stage(("phone_team",)), Stage(("chat_team",), 30.0))})


def test_overflow_reaches_the_next_group_after_its_delay_and_not_before():
    """p1 takes call 0 (0-100). Call 1 waits from 10 although c1 is idle; at 10 + 30 it
    overflows to c1. Call 2 (at 50) waits its own 30 s: c1 is busy then (40-140), so p1
    takes it when free at 100."""
    model = centre(
        [agent("p1", ("phone",), group="phone_team"), agent("c1", ("chat",), group="chat_team")],
        types=ORDERS_AND_COMPLAINTS,
        routing=OVERFLOW,
    )
    records = day(model, [0, 10, 50])
    assert records.answer_s.tolist() == [0, 40, 100]
    assert served_by(model, records) == ["p1", "c1", "p1"]


def test_a_freed_overflow_agent_takes_a_contact_only_once_its_delay_has_passed():
    """c1 is busy with a chat 0-100 and p1 with call 1 (0-100). Call 2 arrives at 85: when
    c1 is freed at 100 it has waited 15 s, less than c1's 30, but p1 is freed at the same
    moment and takes it (its own group, no delay). With p1 busy longer (call 1 takes 300 s)
    c1, freed at 100, leaves call 2 and takes it when its overflow is due, at 85 + 30."""
    model = centre(
        [agent("p1", ("phone",), group="phone_team"), agent("c1", ("chat",), group="chat_team")],
        types=(calls("orders", skill="phone"), calls("chats", skill="chat")),
        routing=OVERFLOW,
    )
    records = day(model, [0, 0, 85], types=["chats", "orders", "orders"])
    assert records.answer_s.tolist() == [0, 0, 100]
    assert served_by(model, records)[2] == "p1"
    records = day(model, [0, 0, 85], types=["chats", "orders", "orders"], handle=[100, 300, 100])
    assert records.answer_s.tolist() == [0, 0, 115]
    assert served_by(model, records)[2] == "c1"


def test_a_stage_with_no_delay_is_a_preference_order():
    """c1 is idle longer than p1 (p1 logs in at 5): still p1 first, c1 only when p1 is
    busy."""
    model = centre(
        [
            agent("c1", ("chat",), group="chat_team"),
            agent("p1", ("phone",), group="phone_team", start=5),
        ],
        types=ORDERS_AND_COMPLAINTS,
        routing=Routing(stages={"orders": (Stage(("phone_team",)), Stage(("chat_team",)))}),
    )
    records = day(model, [10, 20])
    assert served_by(model, records) == ["p1", "c1"]
    assert records.answer_s.tolist() == [10, 20]


def seniors(prefer: dict, segments=VIP_AND_REGULAR):
    return centre(
        [agent("s1", ("phone", "senior"), group="seniors")],
        types=ORDERS_AND_COMPLAINTS,
        segments=segments,
        routing=Routing(prefer=prefer),
    )


@pytest.mark.parametrize(
    "prefer, first", [({}, "orders"), ({"seniors": ("complaints",)}, "complaints")]
)
def test_a_freed_agent_takes_its_groups_preferred_type_first(prefer, first):
    """s1 busy 0-100; an order waits from 5, a complaint from 10. Without a preference the
    older order goes first; preferring complaints, the complaint does."""
    records = day(seniors(prefer), [0, 5, 10], types=[0, 0, 1], segments="regular")
    at_100 = int(np.flatnonzero(records.answer_s == 100)[0])
    assert ["orders", "orders", "complaints"][at_100] == first


def test_preference_ranks_go_before_priority():
    """Seniors preferring complaints take a regular complaint before a VIP order."""
    records = day(
        seniors({"seniors": ("complaints",)}),
        [0, 5, 10],
        types=[0, 0, 1],
        segments=["regular", "vip", "regular"],
    )
    assert records.answer_s.tolist() == [0, 200, 100]


def test_deferrable_contacts_wait_for_real_time_ones():
    """An agent holding chat and email takes a waiting chat (20) before an older email
    (10)."""
    model = centre(
        [agent("a1", ("chats", "emails"))],
        types=(calls("chats", "chat"), calls("emails", "email")),
        channels=(channel("chat", 30.0), channel("email", DAY, deferrable=True)),
    )
    records = day(model, [0, 10, 20], types=["chats", "emails", "chats"])
    assert records.answer_s.tolist() == [0, 200, 100]


def test_every_overflow_answer_respects_its_stage_delay():
    """A busy hour for a team of 3, seniors (2) from 30 s and the chat team (2) from 90 s:
    whoever answers, the wait is at least that group's stage delay, and every stage serves."""
    rng = np.random.default_rng(11)
    arrivals = np.sort(rng.uniform(0, 3600, 180)).tolist()
    handles = rng.exponential(150, 180).tolist()
    team = [agent(f"t{k}", ("phone",), group="team") for k in range(3)]
    helpers = [agent(f"s{k}", ("senior",), group="senior") for k in range(2)]
    helpers += [agent(f"c{k}", ("chat",), group="chat_team") for k in range(2)]
    stages = (Stage(("team",)), Stage(("senior",), 30.0), Stage(("chat_team",), 90.0))
    model = centre(
        team + helpers,
        types=ORDERS_AND_COMPLAINTS,
        routing=Routing(stages={"orders": stages}),
    )
    records = day(model, arrivals, handle=handles, patience=600.0)
    group = np.array([model.agents[a].group if a >= 0 else "" for a in records.agent_index])
    wait = records.wait_s + 1e-9  # (an overflow at join + 30, less join: 30 within rounding)
    assert (wait[group == "senior"] >= 30).all() and (wait[group == "chat_team"] >= 90).all()
    assert (wait[group == "senior"] < 31).any()  # (some at the very delay: the stage event)
    assert {"team", "senior", "chat_team"} <= set(group)


def announcing(agents, segments=VIP_AND_REGULAR):
    ivr = FrontEnd("ivr", Deterministic(0), announce=Announcement())
    return centre(agents, channels=(channel("phone", front_end=ivr),), segments=segments)


def test_the_expected_wait_is_those_ahead_plus_one_times_the_work_over_agents_on_shift():
    """Two agents, calls of 100 s. Calls 0 and 1 find an agent free: 0 announced. Then, with
    both busy: call 2 (0 ahead) hears 1 x 100 / 2 = 50 s; call 3 (1 ahead) 100 s; VIP call 4
    has nobody of its rank ahead: 50 s; regular call 5 has all three ahead: 200 s."""
    model = announcing([agent("a1"), agent("a2")])
    records = day(
        model,
        [0, 1, 2, 3, 4, 5],
        segments=["regular"] * 4 + ["vip", "regular"],
    )
    assert records.announced_s.tolist() == [0, 0, 50, 100, 50, 200]


def test_the_expected_wait_counts_agents_on_shift_only():
    """a2's shift ends at 50 (it finishes its call, 0-100, then leaves): call 2 at 60 hears
    1 x 100 s / 1 agent on shift."""
    model = announcing([agent("a1"), agent("a2", end=50)])
    records = day(model, [0, 0, 60], segments="regular")
    assert records.announced_s.tolist() == [0, 0, 100]
