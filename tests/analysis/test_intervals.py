"""The interval table (`sim.analysis.intervals`) on a hand-made model and run tables: the plan
beside what was measured, one row per interval x channel x queue."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from sim.analysis.erlang import agents_required
from sim.analysis.intervals import forecast_offered, interval_table, scheduled_agents
from sim.analysis.kpis import METRICS, OUTCOME_COUNTS
from sim.distributions import Deterministic
from sim.model import Agent, Break, Channel, ContactType, Demand, Model, Segment, Shift
from tests.analysis.samples import DAY_S, mixed_day, two_channel_model


def test_forecast_offered_counts_what_the_front_end_will_contain_too():
    """forecast_offered: every contact the forecast expects; forecast_queued (the Erlang
    columns' traffic) only those expected to reach the queue."""
    types = (
        ContactType("calls", "phone", "calls", Deterministic(60), Deterministic(0), contained=0.25),
        ContactType("orders", "phone", "calls", Deterministic(60), Deterministic(0)),
    )
    model = Model(
        "ivr",
        (Channel("phone", 0.0, DAY_S, 20.0),),
        (Segment("regular", 1.0, 0),),
        types,
        Demand(1800.0, np.array([[4.0, 8.0], [2.0, 2.0]])),
        (Agent("a", frozenset({"calls"}), (Shift(0, 3600),)),),
    )
    assert forecast_offered(model, "phone", "calls").tolist() == [6.0, 10.0]
    table = interval_table(model, *_no_contacts(), 1)
    assert table["forecast_offered"].tolist() == [6.0, 10.0]
    assert table["forecast_queued"].tolist() == [5.0, 8.0]


def test_scheduled_agents_are_the_shifts_less_planned_breaks_of_the_queues_agents():
    agents = (
        Agent("a", frozenset({"calls"}), (Shift(0, 3600, (Break(900, 900),)),)),
        Agent("b", frozenset({"calls", "chat"}), (Shift(1800, 3600),)),
        Agent("c", frozenset({"chat"}), (Shift(0, 3600),)),
    )
    model = replace(two_channel_model(DAY_S), agents=agents)
    edges = np.array([0.0, 1800.0, 3600.0, 5400.0])
    assert scheduled_agents(model, "calls", edges).tolist() == [0.5, 2.0, 0.0]
    assert scheduled_agents(model, "chat", edges).tolist() == [1.0, 2.0, 0.0]


def test_one_row_per_interval_channel_and_queue_with_the_plan_and_the_measures():
    volumes = np.zeros((2, 24))
    volumes[0, :2] = [40.0, 80.0]  # phone calls in the first two hours
    model = replace(two_channel_model(DAY_S), demand=Demand(3600.0, volumes))
    contacts, agents = mixed_day()
    table = interval_table(model, contacts, agents, 1)
    assert len(table) == 24 * 2
    # Sorted by interval, then channel and queue by name.
    assert table[["interval", "channel"]].head(4).values.tolist() == [
        [0, "email"],
        [0, "phone"],
        [1, "email"],
        [1, "phone"],
    ]
    plan = ["channel", "queue", "interval", "start", "open", "forecast_offered", "forecast_queued"]
    assert list(table.columns[:7]) == plan
    assert {f"{m}{s}" for m in METRICS for s in ("", "_lo", "_hi")} <= set(table.columns)
    phone = table[table["channel"].eq("phone")].set_index("interval")
    assert phone.loc[0, "start"] == "00:00" and phone.loc[1, "start"] == "01:00"
    # Both calls arrived in the first hour: one answered within 20 s, one not.
    assert phone.loc[0, "offered"] == 2 and phone.loc[0, "service_level"] == 0.5
    assert phone.loc[1, "offered"] == 0 and math.isnan(phone.loc[1, "service_level"])
    assert phone.loc[0, "occupancy"] == pytest.approx(120 / 3600)
    assert phone.loc[0, "agents_scheduled"] == 1.0
    assert phone.loc[1, "erlang_c_required"] == agents_required(80 / 3600, 60.0, 20.0, 0.8)
    assert phone.loc[2, "erlang_c_required"] == 0
    every = table[[*OUTCOME_COUNTS]].sum(axis=1)
    assert (every == table["offered"]).all()  # conservation in every row


def _no_contacts():
    contacts, agents = mixed_day()
    return contacts.iloc[:0], agents.iloc[:0]
