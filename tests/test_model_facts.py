"""Facts the Model derives from its description (deferred queues, reserves, chat stretch,
places kept from arrival, announcements), on a model built here."""

from __future__ import annotations

import numpy as np

from sim.distributions import Deterministic
from sim.model import (
    Agent,
    Announcement,
    Channel,
    ContactType,
    Demand,
    FrontEnd,
    Model,
    Segment,
    Shift,
    Transfer,
)

WORK = Deterministic(60)
ANNOUNCE = Announcement(callback_above_s=60.0)


def model() -> Model:
    ivr = FrontEnd("ivr", Deterministic(5), announce=ANNOUNCE)
    bot = FrontEnd("bot", Deterministic(30))
    return Model(
        name="facts",
        channels=(
            Channel("phone", 0.0, 86400.0, 20.0, front_end=ivr),
            Channel("chat", 0.0, 86400.0, 30.0, front_end=bot, concurrency_stretch=0.25),
            Channel("email", 0.0, 86400.0, 86400.0, deferrable=True, reserved_share=0.2),
            Channel("letters", 0.0, 86400.0, 86400.0, deferrable=True, reserved_share=0.3),
        ),
        segments=(Segment("all", 1.0, 0),),
        contact_types=(
            ContactType(
                "sales", "phone", "sales", WORK, WORK, transfer=Transfer("tech", 0.1, WORK)
            ),
            ContactType("help", "chat", "help", WORK, WORK),
            ContactType("mail", "email", "mail", WORK, WORK),
            ContactType("post", "letters", "post", WORK, WORK),
        ),
        demand=Demand(3600.0, np.zeros((4, 1))),
        agents=(
            Agent("phones", frozenset({"sales", "tech"}), (Shift(0, 3600),)),
            Agent("mail", frozenset({"help", "mail"}), (Shift(0, 3600),)),
            Agent("post", frozenset({"mail", "post"}), (Shift(0, 3600),)),
        ),
    )


def test_queues_of_types_and_types_by_name():
    m = model()
    assert m.queues == ("sales", "help", "mail", "post", "tech")
    assert m.queue_of_type == (0, 1, 2, 3)
    assert [m.type_index(t.name) for t in m.contact_types] == [0, 1, 2, 3]


def test_deferred_queues_and_chat_stretch():
    m = model()
    assert [m.is_deferred(q) for q in m.queues] == [False, False, True, True, False]
    # A queue only transfers reach ("tech") takes a whole agent.
    assert [m.stretch_of(q) for q in m.queues] == [None, 0.25, None, None, None]


def test_an_agents_reserve_is_the_largest_share_of_the_deferrable_queues_it_serves():
    m = model()
    phones, mail, post = m.agents
    assert (m.reserve_of(phones), m.reserve_of(mail), m.reserve_of(post)) == (0.0, 0.2, 0.3)


def test_only_a_bot_hand_over_keeps_its_place_and_only_the_ivr_announces():
    m = model()
    assert [m.keeps_place(t) for t in range(4)] == [False, True, False, False]
    assert [m.announcement_of(t) for t in range(4)] == [ANNOUNCE, None, None, None]
