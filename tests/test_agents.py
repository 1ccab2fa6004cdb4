"""The agent pool: the one definition of an agent's time on a contact, and agent profiles."""

from __future__ import annotations

import math
from dataclasses import replace

from sim.arrivals.forecast import generate_contacts
from sim.engine.centre import Centre
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.conftest import composed


def test_every_contact_took_the_time_work_time_defines():
    """On the default day with temps at 1.3 and seniors at 0.8 on their own desk, the time
    each answered contact took (as recorded) is `work_time` of its agent, with the chats its
    agent already held when it took it."""
    model = build_model(composed(), PROJECT_ROOT)
    agents = tuple(
        replace(a, speed=1.3)
        if a.group == "temps"
        else replace(a, speeds=(("phone_senior", 0.8),))
        if a.group == "senior"
        else a
        for a in model.agents
    )
    model = replace(model, agents=agents)
    centre = Centre(model, generate_contacts(model, 7, 0), 7, 0)
    centre.run()
    records = centre.records()
    pool = centre.pool
    checked = set()
    for i, a in enumerate(records.agent_index.tolist()):
        if a < 0:
            continue
        held = records.chats_held[i]
        before = 0 if math.isnan(held) else int(held) - 1
        took = records.handle_s[i] + records.wrapup_s[i]
        assert math.isclose(pool.work_time(a, i, before), took, rel_tol=1e-12)
        checked.add((model.agents[a].group, before > 0))
    assert {("temps", False), ("senior", False), ("chat_team", True)} <= checked


def test_agents_alike_share_a_profile():
    model = build_model(composed(), PROJECT_ROOT)
    centre = Centre(model, generate_contacts(model, 1, 0))
    profiles = centre.pool.profiles
    assert len(profiles) < len(model.agents)
    for a, p in enumerate(centre.pool.profile_of):
        agent, profile = model.agents[a], profiles[p]
        assert (agent.group, agent.skills, agent.max_chats) == (
            profile.group,
            profile.skills,
            profile.max_chats,
        )
