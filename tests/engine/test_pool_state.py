"""The agent pool keeps its own state consistent, whoever asks it to change: checked every
simulated minute of a day with breaks, chats, email reserves, on-call agents and moves."""

from __future__ import annotations

from sim.arrivals.forecast import generate_contacts
from sim.engine.agents import BREAK, BUSY, IDLE, OFF
from sim.engine.centre import Centre
from sim.engine.core import Call
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.conftest import composed


def test_idle_agents_and_chat_room_match_the_agents_states_all_day():
    model = build_model(composed("workforce=holiday_peak"), PROJECT_ROOT)
    assert model.monitor is not None and model.monitor.moves and model.monitor.on_call
    centre = Centre(model, generate_contacts(model, 3, 0), 3, 0)
    pool = centre.pool
    seen: set[int] = set()
    problems: list[str] = []

    def inspect(event: Call) -> None:
        now = centre.clock.now
        for a, state in enumerate(pool.state):
            seen.add(state)
            idle = a in pool.idle[pool.profile_of[a]]
            if idle != (state == IDLE):
                problems.append(f"{now}: agent {a} state {state}, in the idle agents: {idle}")
            others = [p for p, agents in enumerate(pool.idle) if p != pool.profile_of[a]]
            if any(a in pool.idle[p] for p in others):
                problems.append(f"{now}: agent {a} idle under another profile")
            if state in (OFF, IDLE, BREAK) and pool.held[a]:
                problems.append(f"{now}: agent {a} holds chats in state {state}")
        if now + 60 <= model.demand.horizon_s:
            centre.clock.at(now + 60, inspect, None)

    centre.clock.at(0.0, inspect, None)
    centre.run()
    assert not problems, problems[:5]
    assert seen == {OFF, IDLE, BUSY, BREAK}
    moved = [a for a, p in enumerate(pool.profile_of) if p != centre.plan.profile_of[a]]
    assert not moved  # every move has ended; the plan itself never changed
    assert pool.profile_of is not centre.plan.profile_of
