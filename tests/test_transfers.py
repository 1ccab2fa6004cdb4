"""Transfers and IVR misroutes: a second leg, ahead of the queue it joins."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.figure import mean_ci
from sim.analysis.kpis import OUTCOME_COUNTS
from sim.distributions import Deterministic
from sim.model import Agent, Channel, ContactType, Demand, Model, Segment, Shift, Transfer
from tests.conftest import composed, run_config


def test_a_transfer_draw_gives_the_leg_its_queue_and_work():
    """`routing_draws` for a type transferring all its contacts to tech for 50 s. (The legs
    themselves, on the engine: tests/engine/test_followups.py.)"""
    from sim.arrivals.forecast import routing_draws

    sales = ContactType(
        "sales",
        "phone",
        "sales",
        Deterministic(100),
        Deterministic(0),
        transfer=Transfer("tech", 1.0, Deterministic(50)),
    )
    tech = ContactType("tech", "phone", "tech", Deterministic(300), Deterministic(0))
    model = Model(
        name="transfer",
        channels=(Channel("phone", 0.0, 86400.0, 20.0),),
        segments=(Segment("regular", 1.0, 0),),
        contact_types=(sales, tech),
        demand=Demand(3600.0, np.zeros((2, 24))),
        agents=(Agent("s1", frozenset({"sales"}), (Shift(0, 3600),)),),
    )
    handle, wrapup, override, queue, work = routing_draws(
        model, 0, [100.0], [0.0], np.random.default_rng(0)
    )
    assert queue.tolist() == [1] and work.tolist() == [50.0]
    assert handle.tolist() == [100.0] and override.tolist() == [-1]


def ivr_cfg(**calls) -> dict:
    cfg = composed(
        "scenario=erlang", "scenario.hours=24", "scenario.agents=16", "replications=6", "seed=2"
    )
    scenario = cfg["scenario"]
    scenario["channels"]["phone"]["ivr"] = {
        "menu": 20,
        "misroute_handle": {"dist": "deterministic", "mean": 30},
    }
    scenario["contact_types"]["billing"] = {"channel": "phone", "skill": "billing", "handle": 240}
    scenario["forecast"]["values"]["billing"] = 50
    scenario["contact_types"]["calls"].update(calls)
    cfg["roster"]["agents"].append(
        {"name": "biller", "count": 6, "skills": ["billing"], "start": 0, "end": 24}
    )
    return cfg


def test_misrouted_calls_cost_a_short_handle_then_reach_their_queue(tmp_path):
    summary = run_config(ivr_cfg(misroute=0.1), tmp_path)
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")
    calls = contacts[(contacts["contact_type"] == "calls") & (contacts["transfer_of"] < 0)]
    wrong = calls[calls["queue"] == "billing"]
    share = wrong.groupby("replication").size() / calls.groupby("replication").size()
    mean, low, high = mean_ci(share)
    assert low <= 0.1 <= high and high - low < 0.02
    answered_wrong = wrong[wrong["outcome"] == "answered"]
    assert (answered_wrong["handle_s"] == 30).all()
    legs = contacts[contacts["transfer_of"] >= 0]
    assert (legs["queue"] == "calls").all()
    # Every misrouted call answered in the wrong queue has exactly one leg back to calls.
    assert len(legs) == len(answered_wrong)
    k = summary["kpis"]["all"]
    assert k["transfers"]["mean"] == len(legs) / 6
    parts = sum(k[m]["mean"] for m in OUTCOME_COUNTS)
    assert k["offered"]["mean"] == parts  # legs are not new contacts


def test_transfer_share_matches_its_probability(tmp_path):
    cfg = ivr_cfg(transfer={"to": "billing", "share": 0.25, "handle": 120})
    run_config(cfg, tmp_path)
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")
    answered = contacts[
        (contacts["contact_type"] == "calls")
        & (contacts["outcome"] == "answered")
        & (contacts["transfer_of"] < 0)
    ]
    legs = contacts[contacts["transfer_of"] >= 0]
    assert (legs["queue"] == "billing").all()
    share = legs.groupby("replication").size() / answered.groupby("replication").size()
    mean, low, high = mean_ci(share)
    assert low <= 0.25 <= high and high - low < 0.03


def test_a_contained_call_is_never_misrouted(tmp_path):
    cfg = ivr_cfg(misroute=0.5, contained=0.5)
    run_config(cfg, tmp_path)
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")
    calls = contacts[contacts["contact_type"] == "calls"]
    assert (calls.loc[calls["outcome"] == "contained", "queue"] == "calls").all()
    assert (calls.loc[calls["outcome"] != "contained", "queue"] == "billing").any()
