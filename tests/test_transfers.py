"""Transfers and IVR misroutes: a second leg, ahead of the queue it joins."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.figure import mean_ci
from sim.analysis.kpis import OUTCOME_COUNTS
from sim.distributions import Deterministic
from sim.model import Agent, Channel, ContactType, Demand, Model, Segment, Shift, Transfer
from tests.conftest import composed, run_config


def test_a_transferred_contact_goes_ahead_of_the_second_queue():
    """Sales call 0 (100 s) is transferred to tech (50 s). Tech's one agent is busy 0-300
    with call 1, and call 2 waits for tech from 10. At 300 the transfer goes first."""
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
        agents=(
            Agent("s1", frozenset({"sales"}), (Shift(0, 3600),)),
            Agent("t1", frozenset({"tech"}), (Shift(0, 3600),)),
        ),
    )
    from sim.arrivals.forecast import routing_draws

    _, _, _, queue, work = routing_draws(model, 0, [100.0], [0.0], np.random.default_rng(0))
    assert queue.tolist() == [1] and work.tolist() == [50.0]
    # hand_run has no routing draws: give call 0 its transfer by running the engine directly.
    from sim.arrivals.contacts import Contacts
    from sim.engine.centre import Centre

    contacts = Contacts(
        arrival_s=np.array([0.0, 0.0, 10.0]),
        type_index=np.array([0, 1, 1], dtype=np.int32),
        segment_index=np.zeros(3, dtype=np.int32),
        patience_s=np.full(3, np.inf),
        handle_s=np.array([100.0, 300.0, 300.0]),
        wrapup_s=np.zeros(3),
        front_s=np.zeros(3),
        contained=np.zeros(3, dtype=bool),
        queue_override=np.full(3, -1, dtype=np.int32),
        transfer_queue=np.array([1, -1, -1], dtype=np.int32),
        transfer_work_s=np.array([50.0, np.nan, np.nan]),
    )
    run = Centre(model, contacts)
    run.run()
    records = run.records()
    assert records.transfer_of.tolist() == [-1, -1, -1, 0]
    assert records.arrival_s[3] == 100  # the leg joins tech when sales is done
    assert records.answer_s.tolist() == [0, 0, 350, 300]  # the transfer first, then call 2
    assert records.customer[3] == 0


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


def test_a_chat_transfer_starts_when_the_stretched_chat_ends():
    """Regression: the second leg of a chat held beside another used to start after the
    unstretched handle time. Agent c1 holds two chats (stretch 0.5): chat 0 from 0, chat 1
    from 1, which takes 100 x 1.5 = 150 s and then goes to tech at 151, not 101."""
    sales = ContactType(
        "sales",
        "chat",
        "chat",
        Deterministic(100),
        Deterministic(0),
        transfer=Transfer("tech", 1.0, Deterministic(50)),
    )
    model = Model(
        name="chat transfer",
        channels=(Channel("chat", 0.0, 86400.0, 30.0, concurrency_stretch=0.5),),
        segments=(Segment("regular", 1.0, 0),),
        contact_types=(sales,),
        demand=Demand(3600.0, np.zeros((1, 24))),
        agents=(
            Agent("c1", frozenset({"chat"}), (Shift(0, 3600),), max_chats=2),
            Agent("t1", frozenset({"tech"}), (Shift(0, 3600),)),
        ),
    )
    from sim.arrivals.contacts import Contacts
    from sim.engine.centre import Centre

    contacts = Contacts(
        arrival_s=np.array([0.0, 1.0]),
        type_index=np.zeros(2, dtype=np.int32),
        segment_index=np.zeros(2, dtype=np.int32),
        patience_s=np.full(2, np.inf),
        handle_s=np.array([100.0, 100.0]),
        wrapup_s=np.zeros(2),
        front_s=np.zeros(2),
        contained=np.zeros(2, dtype=bool),
        queue_override=np.full(2, -1, dtype=np.int32),
        transfer_queue=np.array([-1, 1], dtype=np.int32),
        transfer_work_s=np.array([np.nan, 50.0]),
    )
    run = Centre(model, contacts)
    run.run()
    records = run.records()
    assert records.stretch.tolist()[:2] == [1.0, 1.5]
    assert records.transfer_of.tolist() == [-1, -1, 1]
    assert records.arrival_s[2] == 151 and records.answer_s[2] == 151
