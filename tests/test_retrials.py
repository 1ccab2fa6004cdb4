"""Retrials: customers who abandon try again, on the same or another channel."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.figure import mean_ci
from sim.analysis.kpis import OUTCOME_COUNTS
from sim.distributions import Deterministic
from sim.model import Agent, Channel, ContactType, Demand, Model, Retrial, Segment, Shift
from tests.conftest import composed, hand_run, run_config


def centre(retrial: Retrial, agents=1) -> Model:
    return Model(
        name="retry",
        channels=(Channel("phone", 0.0, 86400.0, 20.0), Channel("chat", 0.0, 86400.0, 30.0)),
        segments=(Segment("regular", 1.0, 0),),
        contact_types=(
            ContactType("calls", "phone", "phone", Deterministic(1000), Deterministic(0)),
            ContactType("chats", "chat", "chat", Deterministic(1000), Deterministic(0)),
        ),
        demand=Demand(3600.0, np.zeros((2, 24))),
        agents=tuple(
            Agent(f"a{k}", frozenset({"phone", "chat"}), (Shift(0, 3600),)) for k in range(agents)
        ),
        patience={
            ("phone", "regular"): Deterministic(2000),
            ("chat", "regular"): Deterministic(50),
        },
        retrials={"phone": retrial, "chat": retrial},
    )


def two_calls(model: Model):
    """Call 0 holds the one agent 0-1000; call 1 at 10 gives up after 50 s."""
    return hand_run(model, [0.0, 10.0], patience=[math.inf, 50.0], handle=1000.0, seed=1)


def test_an_abandoned_caller_retries_after_the_delay_and_is_answered():
    records = two_calls(centre(Retrial(1.0, 0.0, Deterministic(100))))
    # The retry arrives at 60 + 100 with the phone's 2000 s patience: answered at 1000.
    assert records.customer.tolist() == [0, 1, 1]
    assert records.attempt.tolist() == [0, 0, 1]
    assert records.arrival_s.tolist() == [0, 10, 160]
    assert records.outcome.tolist() == ["answered", "abandoned", "answered"]
    assert records.answer_s[2] == 1000


def test_a_retry_can_switch_channel_and_retries_stop_at_the_limit():
    records = two_calls(centre(Retrial(1.0, 1.0, Deterministic(100), 2, (("chats", 1.0),))))
    # Retries come on chat (patience 50): they abandon too, once more, then stop.
    assert records.type_index.tolist() == [0, 0, 1, 1]
    assert records.attempt.tolist() == [0, 0, 1, 2]
    assert records.outcome.tolist() == ["answered", "abandoned", "abandoned", "abandoned"]
    assert records.arrival_s.tolist() == [0, 10, 160, 310]


def test_retry_share_matches_its_probability_and_customers_are_counted(tmp_path):
    cfg = composed(
        "scenario=erlang",
        "scenario.agents=10",
        "scenario.patience_s=60",
        "scenario.hours=24",
        "replications=6",
        "seed=1",
    )
    cfg["scenario"]["retrials"] = {
        "phone": {"first": 0.6, "later": 0.0, "delay": {"dist": "exponential", "mean": 300}}
    }
    summary = run_config(cfg, tmp_path)
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")
    first_abandons = contacts[(contacts["attempt"] == 0) & (contacts["outcome"] == "abandoned")]
    retries = contacts[contacts["attempt"] == 1]
    assert contacts["attempt"].max() == 1  # later = 0: no second retry
    share = retries.groupby("replication").size() / first_abandons.groupby("replication").size()
    mean, low, high = mean_ci(share)
    assert low <= 0.6 <= high and high - low < 0.05
    k = summary["kpis"]["all"]
    assert k["retrials"]["mean"] == len(retries) / 6
    assert k["customers"]["mean"] == pytest.approx(k["offered"]["mean"] - k["retrials"]["mean"])
    parts = sum(k[m]["mean"] for m in OUTCOME_COUNTS)
    assert k["offered"]["mean"] == parts
    # A customer counts as served well if any attempt was: better than per attempt.
    assert k["customer_service_level"]["mean"] > k["service_level"]["mean"]
