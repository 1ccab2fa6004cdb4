"""engine/agents: who is free, and how long will it take. One function gives agent a's time on
contact i (base handle x proficiency on the queue x chat stretch, plus wrap-up); agents alike
share a profile; chat slots; the reserve of time for deferrable work."""

from __future__ import annotations

import math

import numpy as np

from sim.engine.agents import BREAK, BUSY, IDLE, OFF
from sim.engine.centre import Centre
from tests.engine.days import DAY, agent, calls, centre, channel, contacts, day, run, served_by


def test_an_agents_time_is_base_handle_times_proficiency_and_stretch_plus_wrapup():
    """n1 is a novice (1.3 on everything), s1 a senior (0.8 on complaints only), c1 holds up
    to three chats, each 50% slower per chat already held. Every answered contact took
    exactly `work_time` of its agent: 100 x 1.3 + 10 for the call, 100 x 0.8 + 10 for the
    complaint, and 100, 150, 200 for the chats c1 took beside 0, 1 and 2 others."""
    model = centre(
        [
            agent("n1", ("calls",), speed=1.3),
            agent("s1", ("calls", "complaints"), speeds=(("complaints", 0.8),)),
            agent("c1", ("chats",), max_chats=3),
        ],
        types=(calls(), calls("complaints"), calls("chats", channel="chat")),
        channels=(channel("phone"), channel("chat", 30.0, concurrency_stretch=0.5)),
    )
    engine = run(
        model,
        contacts(
            model,
            [0, 0, 5, 10, 20],
            types=["calls", "chats", "complaints", "chats", "chats"],
            wrapup=[10, 0, 10, 0, 0],
        ),
    )
    records = engine.records()
    assert served_by(model, records) == ["n1", "c1", "s1", "c1", "c1"]
    assert records.handle_s.tolist() == [130, 100, 80, 150, 200]
    assert records.speed.tolist() == [1.3, 1.0, 0.8, 1.0, 1.0]
    assert records.stretch.tolist() == [1.0, 1.0, 1.0, 1.5, 2.0]
    assert records.chats_held[[1, 3, 4]].tolist() == [1, 2, 3]
    for i, a in enumerate(records.agent_index.tolist()):
        held = records.chats_held[i]
        before = 0 if math.isnan(held) else int(held) - 1
        took = records.handle_s[i] + records.wrapup_s[i]
        assert engine.pool.work_time(a, i, before) == took


def test_proficiency_is_the_agents_on_the_queue():
    """n1 is a novice on complaints only (1.5): the call takes its base 100 s, the complaint
    150 s."""
    model = centre(
        [agent("n1", ("calls", "complaints"), speeds=(("complaints", 1.5),))],
        types=(calls(), calls("complaints")),
    )
    records = day(model, [0, 10], types=["calls", "complaints"])
    assert records.handle_s.tolist() == [100, 150]
    assert records.speed.tolist() == [1.0, 1.5]
    assert records.answer_s.tolist() == [0, 100]


def test_wrapup_holds_the_agent_but_not_the_customer():
    """Call 0 talks 0-100 and the agent wraps up until 130: call 1 (at 50) is answered at
    130, not 100."""
    model = centre([agent("a1")])
    records = day(model, [0, 50], wrapup=[30, 0])
    assert records.answer_s.tolist() == [0, 130]


def test_agents_alike_share_a_profile():
    model = centre(
        [
            agent("a1"),
            agent("a2", start=600),  # another shift: still alike
            agent("a3", speed=1.2),
            agent("a4", group="temps"),
            agent("a5", ("calls", "email")),
            agent("a6", max_chats=2),
            agent("a7"),
        ],
        types=(calls(), calls("email", channel="email")),
    )
    engine = run(model, contacts(model, []))
    pool = engine.pool
    assert pool.profile_of == [0, 0, 1, 2, 3, 4, 0]
    for a, p in enumerate(pool.profile_of):
        who, profile = model.agents[a], pool.profiles[p]
        assert (who.group, who.skills, who.max_chats) == (
            profile.group,
            profile.skills,
            profile.max_chats,
        )
        assert profile.speed == tuple(who.speed_on(q) for q in model.queues)


def test_agent_states_over_a_day():
    """Off before the shift (100-400), idle, busy with the call 150-250, idle, on its break
    300-350, idle, and off once the shift is over."""
    model = centre([agent("a1", start=100, end=400, breaks=[(300, 50)])])
    engine = Centre(model, contacts(model, [150]))
    seen = []
    for t in (50, 120, 160, 260, 320, 360, 500):
        engine.clock.at(t, lambda event: seen.append(engine.pool.state[0]), None)
    engine.run()
    assert seen == [OFF, IDLE, BUSY, IDLE, BREAK, IDLE, OFF]


def chat_model(slots: int, stretch: float, **agent_kw):
    return centre(
        [agent("a1", ("chats",), max_chats=slots, **agent_kw)],
        types=(calls("chats", channel="chat"),),
        channels=(channel("chat", 30.0, concurrency_stretch=stretch),),
    )


def test_chat_concurrency_respects_slots_and_stretches_handle_times():
    """Two slots, each chat 50% slower per other chat held when it starts. Chat 0 alone:
    0-100. Chat 1 joins it at 10: 150 s, to 160. Chat 2 at 20 finds no free slot and starts
    when chat 0 ends at 100, beside chat 1: 150 s, to 250."""
    records = day(chat_model(2, 0.5), [0, 10, 20])
    assert records.answer_s.tolist() == [0, 10, 100]
    assert records.handle_s.tolist() == [100, 150, 150]
    assert (records.answer_s + records.handle_s).tolist() == [100, 160, 250]
    assert records.chats_held.tolist() == [1, 2, 2]


def test_an_agent_due_a_break_takes_no_new_chat():
    """a1 holds chat 0 (0-100) when its break falls due at 50: chat 1 (at 60) does not get
    the free slot; it waits for the end of the break, 100 + 100."""
    model = chat_model(2, 0.5, breaks=[(50, 100)])
    records = day(model, [0, 60])
    assert records.answer_s.tolist() == [0, 200]
    assert records.stretch.tolist() == [1.0, 1.0]


def test_a_leaving_agent_takes_no_new_chat():
    """c1 (two slots) holds chat A from 0; c2 takes chat B at 1 for 200 s. c1's shift ends
    at 50, so chat C (at 60) waits for c2 (free at 201) rather than take c1's free slot; c1
    logs off when chat A ends, at 100 (not the last on shift: c2 is)."""
    model = centre(
        [agent("c1", ("chats",), end=50, max_chats=2), agent("c2", ("chats",), end=1000)],
        types=(calls("chats", channel="chat"),),
        channels=(channel("chat", 30.0, concurrency_stretch=0.5),),
    )
    records = day(model, [0, 1, 60], handle=[100, 200, 100])
    assert served_by(model, records) == ["c1", "c2", "c2"]
    assert records.answer_s.tolist() == [0, 1, 201]
    log = records.agent_log
    assert (log.agent[0], log.end_s[0]) == (0, 100)


def blended(reserved: float) -> np.ndarray:
    """One agent on chat and email; a chat always waiting; ten emails at 00:00:01, once the
    first chat has the agent. Returns which emails were answered within the hour."""
    model = centre(
        [agent("a1", ("chats", "emails"))],
        types=(calls("chats", "chat", handle=60), calls("emails", "email", handle=60)),
        channels=(
            channel("chat", 30.0),
            channel("email", DAY, deferrable=True, reserved_share=reserved),
        ),
    )
    chats, emails = np.arange(0, 3600, 10.0), np.ones(10)
    arrivals = np.concatenate([chats[:1], emails, chats[1:]])
    types = [0] + [1] * len(emails) + [0] * (len(chats) - 1)
    records = day(model, arrivals.tolist(), types=types, handle=60.0)
    email_answers = records.answer_s[1 : 1 + len(emails)]
    return ~np.isnan(email_answers) & (email_answers < 3600)


def test_email_waits_for_real_time_work_unless_time_is_reserved():
    assert blended(0.0).sum() == 0  # chats always wait, so email never comes up in the hour
    assert blended(0.3).sum() == 10  # 30% of the hour is 18 min: all ten emails (10 min)


def test_the_reserve_is_kept_as_a_share_of_the_session():
    """With 25% reserved, after the first chat (0-60: 0 s of email in 60 s, behind) the agent
    takes an email (60-120: 60 s of 120, ahead), then a chat (120-180: 60 of 180, ahead),
    then chats until email falls behind 25% again: 60 < 0.25 x 240 is false at 240 (equal),
    so a chat; at 300 (60 < 75) an email."""
    model = centre(
        [agent("a1", ("chats", "emails"))],
        types=(calls("chats", "chat", handle=60), calls("emails", "email", handle=60)),
        channels=(
            channel("chat", 30.0),
            channel("email", DAY, deferrable=True, reserved_share=0.25),
        ),
    )
    chats, emails = np.arange(0, 600, 10.0), np.ones(5)
    arrivals = np.concatenate([chats[:1], emails, chats[1:]])
    types = [0] + [1] * len(emails) + [0] * (len(chats) - 1)
    records = day(model, arrivals.tolist(), types=types, handle=60.0)
    email_answers = records.answer_s[1 : 1 + len(emails)]
    assert email_answers[:2].tolist() == [60, 300]
