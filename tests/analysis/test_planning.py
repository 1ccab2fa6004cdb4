"""Erlang planning (`sim.analysis.planning`) on hand-made models: the traffic the forecast
sends to a queue, its work and patience per interval, chat slots, the agents required."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.analysis.erlang import agents_required
from sim.analysis.planning import abandon_rate, chat_slots, offered_traffic, required_agents
from sim.distributions import Deterministic, Exponential
from sim.model import Agent, Channel, ContactType, Demand, Model, Segment, Shift

DAY_S = 86400.0
REGULAR = (Segment("regular", 1.0, 0),)


def phone_model(
    types: tuple[ContactType, ...],
    volumes: list[list[float]],
    handle_factor: list[list[float]] | None = None,
    patience: dict | None = None,
    segments: tuple[Segment, ...] = REGULAR,
) -> Model:
    """A phone channel (20 s, target 80%) whose types all queue for `calls`; half-hour
    intervals; one agent."""
    factor = None if handle_factor is None else np.array(handle_factor, dtype=float)
    return Model(
        name="plan",
        channels=(Channel("phone", 0.0, DAY_S, 20.0),),
        segments=segments,
        contact_types=types,
        demand=Demand(1800.0, np.array(volumes, dtype=float), handle_factor=factor),
        agents=(Agent("a", frozenset({"calls"}), (Shift(0, DAY_S),)),),
        patience=patience or {},
    )


def calls(name: str = "calls", handle: float = 180.0, **fields) -> ContactType:
    return ContactType(name, "phone", "calls", Deterministic(handle), Deterministic(0), **fields)


def test_the_queued_traffic_is_the_forecast_less_what_the_front_end_contains():
    model = phone_model((calls(contained=0.25), calls("orders")), [[4, 8], [2, 2]])
    traffic = offered_traffic(model, "phone", "calls")
    assert traffic.queued.tolist() == [4 * 0.75 + 2, 8 * 0.75 + 2]
    assert traffic.work_s.tolist() == [180.0, 180.0] and traffic.patience_s == [None, None]


def test_each_interval_is_sized_on_its_own_handle_time():
    """A forecast giving handle times (`handle_factor`): each interval's mean work is its own;
    with two types, their volume-weighted mean in that interval."""
    one = phone_model((calls(),), [[10, 10, 10]], handle_factor=[[1, 2, 1]])
    assert offered_traffic(one, "phone", "calls").work_s.tolist() == [180.0, 360.0, 180.0]
    two = phone_model(
        (calls(), calls("complaints", 240.0)),
        [[20, 20], [10, 10]],
        handle_factor=[[1, 2], [1, 1]],
    )
    work = offered_traffic(two, "phone", "calls").work_s
    assert work == pytest.approx([(2 * 180 + 240) / 3, (2 * 360 + 240) / 3])


def test_patience_follows_the_type_mix_and_a_type_that_never_abandons():
    """Calls abandon after 120 s on average, complaints never: with a third of the volume
    complaints the mean abandonment rate is 2/3 of 1/120, a mean patience of 180 s; an interval
    without volume takes the day's mix."""
    model = phone_model(
        (calls(), calls("complaints", patience=(("regular", None),))),
        [[20, 0], [10, 0]],
        patience={("phone", "regular"): Exponential(120.0)},
    )
    assert offered_traffic(model, "phone", "calls").patience_s == pytest.approx([180.0, 180.0])
    assert abandon_rate(model, 0) == pytest.approx(1 / 120) and abandon_rate(model, 1) == 0.0


def test_abandon_rate_averages_over_segments():
    segments = (Segment("vip", 0.2, 1), Segment("regular", 0.8, 0))
    model = phone_model(
        (calls(),), [[1]], patience={("phone", "regular"): Exponential(100.0)}, segments=segments
    )
    assert abandon_rate(model, 0) == pytest.approx(0.8 / 100)  # VIPs never abandon


def chat_model(stretch: float | None) -> Model:
    return Model(
        name="chat",
        channels=(Channel("chat", 0.0, DAY_S, 60.0, concurrency_stretch=stretch),),
        segments=REGULAR,
        contact_types=(ContactType("chats", "chat", "chat", Deterministic(300), Deterministic(0)),),
        demand=Demand(1800.0, np.array([[30.0, 60.0]])),
        agents=(
            Agent("two", frozenset({"chat"}), (Shift(0, DAY_S),), max_chats=2),
            Agent("four", frozenset({"chat"}), (Shift(0, DAY_S),), max_chats=4),
            Agent("other", frozenset({"calls"}), (Shift(0, DAY_S),), max_chats=3),
        ),
    )


def test_chat_is_sized_in_slots_of_the_agents_holding_the_skill():
    slots, per_chat = chat_slots(chat_model(0.25), "chat", "chat")
    assert slots == 3.0  # (2 + 4) / 2; the agent without the skill does not count
    assert per_chat == 1 + 0.25 * (3 - 1)
    assert chat_slots(chat_model(None), "chat", "chat") == (1.0, 1.0)


def test_required_agents_are_erlang_c_and_a_at_the_target_and_threshold():
    model = phone_model(
        (calls(),), [[50, 100, 0]], patience={("phone", "regular"): Exponential(300.0)}
    )
    erlang_c, erlang_a = required_agents(
        model, "phone", "calls", offered_traffic(model, "phone", "calls")
    )
    for k, volume in enumerate([50, 100]):
        rate = volume / 1800.0
        assert erlang_c[k] == agents_required(rate, 180.0, 20.0, 0.8)
        assert erlang_a[k] == agents_required(rate, 180.0, 20.0, 0.8, patience=300.0)
    assert erlang_c[2] == erlang_a[2] == 0
    assert erlang_a[1] <= erlang_c[1]  # abandonment relieves the queue


def test_required_chat_agents_are_the_slots_over_the_mean_slots():
    model = chat_model(0.25)
    erlang_c, _ = required_agents(model, "chat", "chat", offered_traffic(model, "chat", "chat"))
    for k, volume in enumerate([30, 60]):
        slots = agents_required(volume / 1800.0, 300.0 * 1.5, 60.0, 0.8)
        assert erlang_c[k] == math.ceil(slots / 3)
