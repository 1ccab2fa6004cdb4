"""engine/followups: what happens after. Retrials of customers who leave unanswered
(abandoned, balked, blocked), on the same or another channel; transfer legs and misrouted
calls' way back, ahead of the queue they join."""

from __future__ import annotations

import numpy as np

from sim.distributions import Deterministic, Exponential
from sim.model import Announcement, FrontEnd, Retrial
from tests.engine.days import (
    INF,
    VIP_AND_REGULAR,
    agent,
    calls,
    centre,
    channel,
    day,
    served_by,
)

EVERY_TIME = Retrial(1.0, 1.0, Deterministic(100))


def retrying(retrial: Retrial, agents=None, **phone):
    """Phone calls (patience 2000 s) and chats (patience 50 s), both retrying by `retrial`;
    one agent on both by default."""
    from sim.model import Segment  # (the segment the patience is keyed by)

    return centre(
        agents or [agent("a1", ("calls", "chats"))],
        types=(calls(handle=1000), calls("chats", "chat", handle=1000)),
        channels=(channel("phone", **phone), channel("chat", 30.0)),
        segments=(Segment("regular", 1.0, 0),),
        patience={
            ("phone", "regular"): Deterministic(2000),
            ("chat", "regular"): Deterministic(50),
        },
        retrials={"phone": retrial, "chat": retrial},
    )


def two_calls(model, **kw):
    """Call 0 holds the one agent 0-1000; call 1 at 10 gives up after 50 s."""
    return day(model, [0.0, 10.0], patience=[INF, 50.0], handle=1000.0, seed=1, **kw)


def test_an_abandoned_caller_retries_after_the_delay_and_is_answered():
    """The retry arrives at 60 + 100 with the phone's 2000 s patience: answered at 1000."""
    records = two_calls(retrying(Retrial(1.0, 0.0, Deterministic(100))))
    assert records.customer.tolist() == [0, 1, 1]
    assert records.attempt.tolist() == [0, 0, 1]
    assert records.arrival_s.tolist() == [0, 10, 160]
    assert records.outcome.tolist() == ["answered", "abandoned", "answered"]
    assert records.answer_s[2] == 1000


def test_a_retry_can_switch_channel_and_retries_stop_at_the_limit():
    """Retries come on chat (patience 50): they abandon too, once more, then stop at two."""
    records = two_calls(retrying(Retrial(1.0, 1.0, Deterministic(100), 2, (("chats", 1.0),))))
    assert records.type_index.tolist() == [0, 0, 1, 1]
    assert records.attempt.tolist() == [0, 0, 1, 2]
    assert records.outcome.tolist() == ["answered", "abandoned", "abandoned", "abandoned"]
    assert records.arrival_s.tolist() == [0, 10, 160, 310]


def test_the_first_and_later_probabilities():
    """Never after the first attempt: no retry. Always after the first, never after a
    retry: one retry (it abandons too, on chat, and stops there)."""
    never = two_calls(retrying(Retrial(0.0, 1.0, Deterministic(100))))
    assert never.attempt.tolist() == [0, 0]
    once = two_calls(retrying(Retrial(1.0, 0.0, Deterministic(100), 3, (("chats", 1.0),))))
    assert once.attempt.tolist() == [0, 0, 1]
    assert once.outcome.tolist() == ["answered", "abandoned", "abandoned"]


def test_a_caller_answered_in_time_does_not_retry():
    """Call 1 waits from 10 for the agent, free at 1000; its retry is planned for when its
    patience runs out, plus 100 s. With 950 s of patience it has gone at 960 and retries at
    1060; with 995 s it is still there at 1000: answered, and the planned retry (at 1105)
    does nothing."""
    model = retrying(EVERY_TIME)
    left = day(model, [0.0, 10.0], patience=[INF, 950.0], handle=1000.0)
    assert left.attempt.tolist() == [0, 0, 1] and left.arrival_s[2] == 1060
    stayed = day(model, [0.0, 10.0], patience=[INF, 995.0], handle=1000.0)
    assert stayed.attempt.tolist() == [0, 0]
    assert stayed.outcome.tolist() == ["answered", "answered"]


def test_a_blocked_caller_retries_counting_from_the_busy_signal():
    """One line: call 1 (at 10) is blocked and retries at 10 + 100, when the line is still
    taken (call 0 talks until 1000): blocked again, and again at 210, ..."""
    model = retrying(Retrial(1.0, 1.0, Deterministic(100), 2), lines=1)
    records = day(model, [0.0, 10.0], handle=1000.0)
    assert records.outcome.tolist() == ["answered", "blocked", "blocked", "blocked"]
    assert records.arrival_s.tolist() == [0, 10, 110, 210]


def test_a_balking_caller_retries_counting_from_the_announcement():
    ivr = FrontEnd("ivr", Deterministic(0), announce=Announcement(balk=((0.0, 0.0), (1.0, 1.0))))
    model = retrying(Retrial(1.0, 0.0, Deterministic(100)), front_end=ivr)
    records = day(model, [0.0, 10.0], handle=1000.0, announce=(0.5, 1, 1, 0))
    # Call 0 hears 0 (the agent is free) and stays; call 1 hears 1000 s and balks at 10.
    assert records.outcome.tolist()[:2] == ["answered", "balked"]
    assert records.arrival_s.tolist() == [0, 10, 110]
    assert records.outcome[2] == "balked"  # (the retry hears of a long wait too)


def test_a_retry_that_comes_when_the_channel_is_closed_is_lost():
    """The phone closes at 150: the retry due at 160 does not get through."""
    model = retrying(Retrial(1.0, 0.0, Deterministic(100)), close_s=150.0)
    assert two_calls(model).attempt.tolist() == [0, 0]


def test_a_customers_retry_is_the_same_under_any_staffing_that_lets_it_leave():
    """The retry's draws come from its customer's own stream: with another agent on another
    skill, or a later break, the same customer retries at the same time with the same
    patience and handle time; another seed draws another retry."""
    retrial = Retrial(1.0, 0.0, Exponential(300))

    def retry_row(agents, seed=1):
        model = retrying(retrial, agents)
        records = day(model, [0.0, 10.0], patience=[INF, 50.0], handle=1000.0, seed=seed)
        assert records.attempt.tolist() == [0, 0, 1]
        return records.arrival_s[2], records.patience_s[2], records.handle_s[2]

    base = retry_row([agent("a1", ("calls", "chats"))])
    assert retry_row([agent("a1", ("calls", "chats")), agent("x1", ("other",))]) == base
    assert retry_row([agent("a1", ("calls", "chats"), breaks=[(3000, 600)])]) == base
    assert retry_row([agent("a1", ("calls", "chats"))], seed=2) != base


# --- transfers ------------------------------------------------------------------------------


def sales_and_tech(segments=None):
    return centre(
        [agent("s1", ("sales",)), agent("t1", ("tech",))],
        types=(calls("sales", transfer_to="tech"), calls("tech")),
        **({"segments": segments} if segments else {}),
    )


def test_a_transferred_contact_goes_ahead_of_the_second_queue():
    """Sales call 0 (100 s) goes on to tech (50 s). Tech's one agent is busy 0-300 with
    call 1, and call 2 waits for tech from 10. At 300 the transfer goes first."""
    model = sales_and_tech()
    records = day(
        model,
        [0, 0, 10],
        types=["sales", "tech", "tech"],
        handle=[100, 300, 300],
        legs={0: ("tech", 50.0)},
    )
    assert records.transfer_of.tolist() == [-1, -1, -1, 0]
    assert records.arrival_s[3] == 100  # the leg joins tech when sales is done
    assert records.answer_s.tolist() == [0, 0, 350, 300]  # the transfer first, then call 2
    assert records.customer[3] == 0 and served_by(model, records)[3] == "t1"


def test_a_transfer_goes_ahead_of_a_vip_and_keeps_its_customers_segment():
    model = sales_and_tech(VIP_AND_REGULAR)
    records = day(
        model,
        [0, 0, 10],
        types=["sales", "tech", "tech"],
        segments=["regular", "regular", "vip"],
        handle=[100, 300, 300],
        legs={0: ("tech", 50.0)},
    )
    assert records.answer_s.tolist() == [0, 0, 350, 300]
    assert records.segment_index[3] == records.segment_index[0]


def test_the_leg_starts_when_the_talk_ends_while_the_first_agent_wraps_up():
    """Sales talks 0-100 then wraps up until 160; the leg reaches tech at 100."""
    records = day(sales_and_tech(), [0], types="sales", wrapup=60.0, legs={0: ("tech", 50.0)})
    assert records.arrival_s.tolist() == [0, 100]
    assert records.answer_s.tolist() == [0, 100]


def test_a_held_customer_does_not_abandon_its_second_leg():
    """Patience 30 s on the first leg; tech is busy until 2000, the leg waits 1900 s."""
    records = day(
        sales_and_tech(),
        [0, 0],
        types=["tech", "sales"],
        handle=[2000, 100],
        patience=30.0,
        legs={1: ("tech", 50.0)},
    )
    assert records.outcome.tolist() == ["answered", "answered", "answered"]
    assert records.answer_s[2] == 2000


def test_a_misrouted_call_is_handled_in_the_wrong_queue_then_goes_back_to_its_own():
    """The IVR sent call 0 (billing) to the sales queue: a sales agent spends its short
    handle (30 s) on it, then it joins billing, where b1 takes it at 30 (its work: 200 s)."""
    model = centre(
        [agent("s1", ("sales",)), agent("b1", ("billing",))],
        types=(calls("sales"), calls("billing", misroute=0.1)),
    )
    records = day(
        model,
        [0],
        types="billing",
        handle=30.0,
        wrong_queue={0: "sales"},
        legs={0: ("billing", 200.0)},
    )
    queues = np.array(model.queues)[records.queue_index].tolist()
    assert queues == ["sales", "billing"]
    assert served_by(model, records) == ["s1", "b1"]
    assert records.answer_s.tolist() == [0, 30] and records.handle_s.tolist() == [30, 200]


def test_a_chat_transfer_starts_when_the_stretched_chat_ends():
    """c1 holds two chats (stretch 0.5): chat 0 from 0, chat 1 from 1, which takes
    100 x 1.5 = 150 s and then goes to tech at 151, not 101."""
    model = centre(
        [agent("c1", ("chat",), max_chats=2), agent("t1", ("tech",))],
        types=(calls("sales", "chat", skill="chat", transfer_to="tech"), calls("tech", "chat")),
        channels=(channel("chat", 30.0, concurrency_stretch=0.5),),
    )
    records = day(model, [0.0, 1.0], legs={1: ("tech", 50.0)})
    assert records.stretch.tolist()[:2] == [1.0, 1.5]
    assert records.transfer_of.tolist() == [-1, -1, 1]
    assert records.arrival_s[2] == 151 and records.answer_s[2] == 151
