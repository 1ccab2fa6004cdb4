"""Expected-wait announcements, balking and callbacks (virtual hold)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

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
)
from tests.conftest import composed, hand_run, run_config


def phone(announcement: Announcement) -> Model:
    ivr = FrontEnd("ivr", Deterministic(10), Deterministic(30), announcement)
    return Model(
        name="announce",
        channels=(Channel("phone", 0.0, 86400.0, 20.0, front_end=ivr),),
        segments=(Segment("regular", 1.0, 0),),
        contact_types=(
            ContactType("calls", "phone", "calls", Deterministic(100), Deterministic(0)),
        ),
        demand=Demand(3600.0, np.zeros((1, 24))),
        agents=(Agent("a1", frozenset({"calls"}), (Shift(0, 3600),)),),
    )


def test_a_caller_told_of_a_long_wait_may_balk():
    """Call 0 leaves the IVR at 10 to a free agent (announced 0). Call 1 leaves it at 15:
    nobody ahead, the one agent busy, so 1 x 100 s / 1 agent = 100 s announced; at that wait
    everybody balks."""
    model = phone(Announcement(balk=((0.0, 0.0), (50.0, 1.0))))
    records = hand_run(model, [0.0, 5.0], front=10.0, announce=[0.5, 1, 1, 0])
    assert records.announced_s.tolist() == [0, 100]
    assert records.outcome.tolist() == ["answered", "balked"]
    assert records.wait_s[1] == 0


def test_an_accepted_callback_keeps_its_place_and_never_abandons():
    """Call 1 would give up after 20 s; it takes the callback offered above 50 s instead, and
    at 110 (its turn) the agent spends 30 s calling back, then the 100 s call: done at 240."""
    callback = Announcement(
        callback_above_s=50,
        callback_accept=1.0,
        callback_attempt=Deterministic(30),
        callback_reach=1.0,
    )
    records = hand_run(
        phone(callback), [0.0, 5.0], front=10.0, patience=[math.inf, 20.0], announce=[0.5, 0, 0, 30]
    )
    assert records.outcome.tolist() == ["answered", "answered"]
    assert records.callback.tolist() == [False, True]
    assert records.answer_s[1] == 110 and records.handle_s[1] == 130


def test_a_callback_that_misses_the_customer_costs_only_the_attempt():
    callback = Announcement(
        callback_above_s=50,
        callback_accept=1.0,
        callback_attempt=Deterministic(30),
        callback_reach=0.0,
    )
    records = hand_run(phone(callback), [0.0, 5.0], front=10.0, announce=[0.5, 0, 0.5, 30])
    assert records.outcome.tolist() == ["answered", "callback_failed"]
    assert records.handle_s[1] == 30


def test_callbacks_never_lose_a_customer_and_the_estimator_is_reported(tmp_path):
    cfg = composed(
        "scenario=erlang",
        "scenario.agents=12",
        "scenario.patience_s=120",
        "scenario.hours=24",
        "replications=4",
    )
    cfg["scenario"]["channels"]["phone"]["ivr"] = {
        "menu": 20,
        "announce": {
            "balk": [[0, 0.0], [120, 0.1], [600, 0.5]],
            "callback": {"offer_above_s": 60, "accept": 0.5, "reach": 0.9},
        },
    }
    summary = run_config(cfg, tmp_path)
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")
    accepted = contacts[contacts["callback"]]
    assert len(accepted) > 100
    assert set(accepted["outcome"]) <= {"answered", "callback_failed", "unserved"}
    k = summary["kpis"]["all"]
    parts = ("contained", "answered", "abandoned", "balked", "callbacks_failed", "unserved")
    assert k["offered"]["mean"] == sum(k[m]["mean"] for m in parts)
    assert (
        k["balked"]["mean"] > 0
        and 0 < k["callbacks_completed"]["mean"] <= k["callbacks_accepted"]["mean"]
    )
    assert k["callbacks_accepted"]["mean"] <= k["callbacks_offered"]["mean"]
    failed_share = k["callbacks_failed"]["mean"] / k["callbacks_accepted"]["mean"]
    assert 0.05 < failed_share < 0.15  # reach 0.9
    assert 0 < k["announce_error_s"]["mean"] < 600
    heard = contacts["announced_s"].notna()
    assert heard.sum() == (contacts["outcome"] != "contained").sum()  # every caller hears it


def test_an_ivr_that_takes_no_time_still_announces():
    """Same day as above with a zero-time menu: call 1 joins at 5, hears (0 ahead + 1) x 100 s
    and balks (probability 0.5 at 100 s, its draw 0.4)."""
    model = phone(Announcement(balk=((0.0, 0.0), (100.0, 0.5))))
    records = hand_run(model, [0.0, 5.0], front=0.0, announce=[0.4, 1, 1, 0])
    assert records.announced_s.tolist() == [0, 100]
    assert records.outcome.tolist() == ["answered", "balked"]
