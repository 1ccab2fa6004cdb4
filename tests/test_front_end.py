"""The omnichannel front end: IVR and chat-bot containment, and hand-over with place kept."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.metrics import OUTCOME_COUNTS, mean_ci
from sim.distributions import Deterministic
from sim.model import Agent, Channel, ContactType, Demand, FrontEnd, Model, Segment, Shift
from tests.conftest import composed, hand_run, run_config

CORE = ("scenario=erlang", "scenario.patience_s=120", "scenario.vip_share=0.2", "replications=3")


def erlang_with(tmp_path, *overrides, phone=None, calls=None) -> tuple[dict, pd.DataFrame]:
    cfg = composed(*CORE, *overrides)
    cfg["scenario"]["channels"]["phone"].update(phone or {})
    cfg["scenario"]["contact_types"]["calls"].update(calls or {})
    summary = run_config(cfg, tmp_path)
    return summary, pd.read_parquet(tmp_path / "contacts.parquet")


def test_with_the_front_end_off_results_equal_the_core_model(tmp_path):
    """Pinned from the core model before the front end existed (commit f7a6207): same config
    and seed, same customers and the same outcome for every one of them."""
    summary, contacts = erlang_with(tmp_path)
    k = summary["kpis"]["all"]
    assert (k["offered"]["mean"], k["abandoned"]["mean"]) == (1551.0, 25.666666666666668)
    assert k["service_level"]["mean"] == 0.9527266636806192
    assert contacts["wait_s"].sum() == pytest.approx(8655.893983412956, rel=1e-12)
    assert contacts["answer_s"].sum() == pytest.approx(65982270.47487184, rel=1e-12)


def test_a_zero_time_front_end_that_contains_nothing_changes_nothing(tmp_path):
    base, _ = erlang_with(tmp_path / "base")
    same, _ = erlang_with(
        tmp_path / "ivr", phone={"ivr": {"menu": {"dist": "deterministic", "mean": 0}}}
    )
    assert same["kpis"] == base["kpis"]


def test_ivr_containment_share_matches_its_probability(tmp_path):
    share = 0.3
    summary, contacts = erlang_with(
        tmp_path,
        "scenario.hours=24",
        "replications=8",
        phone={"ivr": {"menu": {"dist": "lognormal", "mean": 40, "cv": 0.3}}},
        calls={"contained": share},
    )
    per_rep = contacts.groupby("replication")["outcome"].apply(lambda o: (o == "contained").mean())
    mean, low, high = mean_ci(per_rep)
    assert low <= share <= high and high - low < 0.02
    k = summary["kpis"]["channel=phone"]
    parts = sum(k[m]["mean"] for m in OUTCOME_COUNTS)
    assert k["offered"]["mean"] == pytest.approx(parts)
    contained = contacts[contacts["outcome"] == "contained"]
    assert contained["agent"].isna().all() and contained["wait_s"].isna().all()
    queued = contacts[contacts["outcome"] != "contained"]
    assert np.allclose(queued["join_s"] - queued["arrival_s"], queued["front_s"])
    assert (queued["front_s"] > 0).all()


def test_the_same_customers_meet_the_ivr_under_any_staffing(tmp_path):
    ivr = {"ivr": {"menu": 30}}
    _, few = erlang_with(tmp_path / "a", "scenario.agents=11", phone=ivr, calls={"contained": 0.2})
    _, many = erlang_with(tmp_path / "b", "scenario.agents=16", phone=ivr, calls={"contained": 0.2})
    columns = ["arrival_s", "front_s", "patience_s", "handle_s"]
    pd.testing.assert_frame_equal(few[columns], many[columns])
    assert (few["outcome"] == "contained").equals(many["outcome"] == "contained")


def test_bot_hands_over_with_place_kept_and_patience_from_escalation():
    """One chat agent, busy 0-100 with a chat that skipped the bot. Chat A arrives at 5 and is
    with the bot for 45 s (joins at 50); chat B arrives at 10 and is with it 10 s (joins at
    20). A arrived first, so at 100 A is answered though it joined later; its patience (60 s)
    runs from escalation at 50, so it is still there. B's 100 s run out at 120: abandoned."""
    bot = FrontEnd("bot", Deterministic(0))
    model = Model(
        name="bot",
        channels=(Channel("chat", 0.0, 86400.0, 30.0, front_end=bot),),
        segments=(Segment("regular", 1.0, 0),),
        contact_types=(ContactType("chats", "chat", "chat", Deterministic(60), Deterministic(0)),),
        demand=Demand(3600.0, np.zeros((1, 24))),
        agents=(Agent("a1", frozenset({"chat"}), (Shift(0, 3600),)),),
    )
    records = hand_run(
        model,
        [0.0, 5.0, 10.0],
        patience=[math.inf, 60.0, 100.0],
        handle=[100.0, 60.0, 60.0],
        front=[0.0, 45.0, 10.0],
    )
    assert records.outcome.tolist() == ["answered", "answered", "abandoned"]
    assert records.answer_s[:2].tolist() == [0, 100]
    assert records.wait_s.tolist() == [0, 50, 100]


def chat_model(slots: int, stretch: float) -> Model:
    return Model(
        name="chat",
        channels=(Channel("chat", 0.0, 86400.0, 30.0, concurrency_stretch=stretch),),
        segments=(Segment("regular", 1.0, 0),),
        contact_types=(ContactType("chats", "chat", "chat", Deterministic(100), Deterministic(0)),),
        demand=Demand(3600.0, np.zeros((1, 24))),
        agents=(Agent("a1", frozenset({"chat"}), (Shift(0, 3600),), max_chats=slots),),
    )


def test_chat_concurrency_respects_slots_and_stretches_handle_times():
    """Two slots, each chat 50% slower per other chat held when it starts. Chat 0 alone:
    0-100. Chat 1 joins it at 10: 150 s, to 160. Chat 2 at 20 finds no free slot and starts
    when chat 0 ends at 100, beside chat 1: 150 s, to 250."""
    records = hand_run(chat_model(2, 0.5), [0, 10, 20])
    assert records.answer_s.tolist() == [0, 10, 100]
    assert records.handle_s.tolist() == [100, 150, 150]
    assert (records.answer_s + records.handle_s).tolist() == [100, 160, 250]


def test_concurrency_one_is_the_single_contact_model(tmp_path):
    base, _ = erlang_with(tmp_path / "base")
    cfg = composed(*CORE)
    cfg["scenario"]["channels"]["phone"]["concurrency"] = {"stretch": 0.5}
    cfg["roster"]["agents"][0]["chats"] = 1
    one = run_config(cfg, tmp_path / "one")["kpis"]
    for figures in (*one.values(), *base["kpis"].values()):
        figures.pop("chats_held")  # 1 chat held versus not a chat channel: the only difference
    assert one == base["kpis"]


def test_more_chat_slots_serve_more_with_slot_time_occupancy(tmp_path):
    cfg = composed(*CORE, "scenario.agents=8")
    cfg["scenario"]["channels"]["phone"]["concurrency"] = {"stretch": 0.3}
    one = run_config(cfg, tmp_path / "one")["kpis"]["all"]
    cfg["roster"]["agents"][0]["chats"] = 3
    three = run_config(cfg, tmp_path / "three")["kpis"]["all"]
    contacts = pd.read_parquet(tmp_path / "three" / "contacts.parquet")
    answered = contacts[contacts["outcome"] == "answered"]
    assert (answered["agent_share"] == 1 / 3).all()
    assert (answered["handle_s"] >= 0).all()
    assert three["service_level"]["mean"] > one["service_level"]["mean"] + 0.2
    assert one["chats_held"]["mean"] == 1 and 1.5 < three["chats_held"]["mean"] <= 3
    assert 0 < three["occupancy"]["mean"] < one["occupancy"]["mean"] <= 1
