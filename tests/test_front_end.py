"""The omnichannel front end on the erlang day: containment shares, common random numbers,
chat concurrency's figures. The engine's rules (IVR and bot times, the bot's hand-over
keeping its place, chat slots and stretch) are tested on hand-made days in
tests/engine/test_frontend.py and tests/engine/test_agents.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.figure import mean_ci
from sim.analysis.kpis import OUTCOME_COUNTS
from tests.conftest import composed, run_config

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
    # (the pooled service level since schema 2: every day's good calls over every day's calls)
    assert k["service_level"]["mean"] == 0.9529335912314636
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
