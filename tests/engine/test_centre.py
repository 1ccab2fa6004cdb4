"""engine/centre: one replication, wired and run. What holds whatever the routing: every
contact ends in one outcome, an agent serves one call at a time and only while logged in,
the same inputs give the same records, and a plan worked out once serves every run."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.distributions import Deterministic
from sim.engine.centre import Centre
from sim.engine.router import plan_routing
from sim.model import Retrial, Routing
from sim.records import OUTCOMES
from tests.engine.days import (
    DAY,
    VIP_AND_REGULAR,
    agent,
    calls,
    centre,
    channel,
    contacts,
    day,
    run,
)

POLICIES = [
    Routing(discipline=d, ageing_per_s=r, selection=s)
    for d, r in (("priority", 0.0), ("fifo", 0.0), ("ageing", 0.02))
    for s in ("longest_idle", "best_skill", "least_skilled", "group_rank")
]


def busy_model(routing: Routing | None = None):
    """Phone (eight lines, retrials), chat (two slots, stretch 0.25) and email (deferrable)
    for a blended team with breaks, a slower temp and short shifts."""
    agents = [
        agent("p1", ("calls",), breaks=[(1200, 300)], group="phone"),
        agent("p2", ("calls", "chats"), end=2400, group="phone", speed=0.9),
        agent("t1", ("calls",), start=600, group="temps", speed=1.3),
        agent("c1", ("chats",), breaks=[(1800, 600)], group="chat", max_chats=2),
        agent("e1", ("emails", "calls"), group="back_office", speeds=(("calls", 1.2),)),
    ]
    return centre(
        agents,
        types=(calls(), calls("chats", "chat"), calls("emails", "email")),
        channels=(
            channel("phone", lines=8),
            channel("chat", 30.0, concurrency_stretch=0.25),
            channel("email", DAY, deferrable=True),
        ),
        segments=VIP_AND_REGULAR,
        retrials={"phone": Retrial(0.5, 0.3, Deterministic(120))},
        routing=routing or Routing(),
    )


def busy_contacts(model, n: int = 150, seed: int = 3):
    rng = np.random.default_rng(seed)
    return contacts(
        model,
        np.sort(rng.uniform(0, 3600, n)).tolist(),
        types=rng.choice(3, n, p=[0.6, 0.3, 0.1]).tolist(),
        segments=rng.integers(0, 2, n).tolist(),
        patience=rng.exponential(120, n).tolist(),
        handle=rng.gamma(4.0, 40.0, n).tolist(),
        wrapup=rng.exponential(15, n).tolist(),
    )


@pytest.mark.parametrize("routing", POLICIES, ids=lambda r: f"{r.discipline}-{r.selection}")
def test_every_contact_ends_once_and_agents_serve_one_call_at_a_time(routing):
    model = busy_model(routing)
    records = run(model, busy_contacts(model)).records()
    outcome = records.outcome
    assert set(outcome) <= set(OUTCOMES) and len(outcome) == len(records.arrival_s)
    answered = ~np.isnan(records.answer_s)
    assert ((records.agent_index >= 0) == answered).all()
    assert (records.answer_s[answered] >= records.join_s[answered] - 1e-9).all()
    abandoned = outcome == "abandoned"
    assert np.isfinite(records.patience_s[abandoned]).all()
    assert set(outcome) >= {"answered", "abandoned"}
    # Retries only follow an attempt of the same customer that went unanswered.
    for i in np.flatnonzero(records.attempt > 0):
        before = np.flatnonzero(
            (records.customer == records.customer[i]) & (records.attempt == records.attempt[i] - 1)
        )
        assert len(before) == 1 and outcome[before[0]] in ("abandoned", "blocked")
    # One contact at a time per agent, except on chat (up to its slots); always logged in.
    chat = records.type_index == 1
    end = records.answer_s + records.handle_s + records.wrapup_s
    log = records.agent_log
    for a, who in enumerate(model.agents):
        mine = np.flatnonzero(answered & (records.agent_index == a))
        sessions = [
            (s, e)
            for b, k, s, e in zip(log.agent, log.kind, log.start_s, log.end_s, strict=True)
            if b == a and k == "shift"
        ]
        for i in mine:
            assert any(s <= records.answer_s[i] and end[i] <= e + 1e-9 for s, e in sessions)
        for t in records.answer_s[mine]:
            held = (records.answer_s[mine] <= t) & (end[mine] > t)
            assert held[~chat[mine]].sum() + math.ceil(held[chat[mine]].sum() / who.max_chats) <= 1


def test_the_same_inputs_give_the_same_records_and_a_plan_serves_every_run():
    model = busy_model()
    first = run(model, busy_contacts(model), seed=7, replication=2).records()
    again = run(model, busy_contacts(model), seed=7, replication=2).records()
    plan = plan_routing(model)
    planned = Centre(model, busy_contacts(model), 7, 2, plan)
    planned.run()
    for records in (again, planned.records()):
        np.testing.assert_array_equal(records.answer_s, first.answer_s)
        np.testing.assert_array_equal(records.agent_index, first.agent_index)
        np.testing.assert_array_equal(records.arrival_s, first.arrival_s)
        assert records.agent_log == first.agent_log
    assert first.replication == 2
    other_seed = run(model, busy_contacts(model), seed=8, replication=2).records()
    assert not np.array_equal(other_seed.arrival_s, first.arrival_s)  # (retries: own streams)


def test_a_day_without_contacts_still_logs_the_shifts():
    model = centre([agent("a1", end=100), agent("a2", start=50, end=200)])
    records = day(model, [])
    assert len(records.arrival_s) == 0 and records.stop_s == 200
    assert records.agent_log.kind == ["shift", "shift"]


def test_the_run_stops_when_the_last_contact_is_done_not_at_the_horizon():
    records = day(centre([agent("a1", end=50)]), [10])
    assert records.stop_s == 110  # the call 10-110 (its shift ended at 50)


def test_reporting_progress_changes_no_record():
    """A progress bar changes no record: neither the run's end nor the unserved call's wait.
    Fixed: the clock no longer ends a reported run at the hour after its last event, and
    `stop_s` is the last contact or agent moment (`last_moment`), not the clock's last event."""
    model = centre([agent("a1", end=100)])
    quiet = run(model, contacts(model, [200.0])).records()
    shown = Centre(model, contacts(model, [200.0]))
    shown.run(lambda t: None)
    assert quiet.outcome.tolist() == ["unserved"]
    assert shown.records().stop_s == quiet.stop_s
    np.testing.assert_array_equal(shown.records().wait_s, quiet.wait_s)
