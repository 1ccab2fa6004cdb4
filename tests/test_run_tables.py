"""The run report's derived tables (`sim.analysis.run_tables`), functions of a run's frames:
queue length accounts for every second waited (Little's law), counted from joining the queue;
the alert timeline adds up to the hours raised; call-ins to the agents who arrived."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from sim.analysis import run_tables
from sim.analysis.kpis import contact_kpis, queued, waiting_spans
from sim.rundir.read import load_run
from tests.conftest import composed, run, run_config
from tests.pages.test_run_figures import WORKFORCE


def test_queue_length_accounts_for_every_second_waited(tmp_path):
    """Little's law: the time-average queue length over the horizon is the total waiting time
    (by the KPIs' definitions: mean wait x contacts that reached a queue, per replication)
    divided by the horizon (less any waiting past the horizon)."""
    summary = run(
        tmp_path, "scenario=erlang", "scenario.hours=8", "scenario.patience_s=120", "replications=2"
    )
    loaded = load_run(tmp_path)
    contacts = loaded.contacts
    per_rep = contact_kpis(contacts, [], summary["service_level"]["short_abandon_s"])
    reached_n = per_rep[["answered", "abandoned", "unserved", "balked", "callbacks_failed"]]
    total = float((per_rep["mean_wait_s"] * reached_n.sum(axis=1)).sum())
    start, end = waiting_spans(queued(contacts))
    after = float(np.clip(end - np.maximum(start, loaded.horizon_s), 0, None).sum())
    waiting = run_tables.mean_waiting(contacts, ["phone"], 2, loaded.edges)
    assert waiting["phone"].mean() == pytest.approx((total - after) / 2 / loaded.horizon_s)
    longest = run_tables.longest_wait(contacts, ["phone"], loaded.n_intervals)
    assert longest.shape == (loaded.n_intervals, 1) and (longest["phone"].dropna() >= 0).all()


def test_queue_length_counts_from_joining_the_queue():
    """Hand-made: a call 10 min in the IVR then 30 min waiting is in the queue 00:10-00:40,
    not from its arrival; Little's law holds over two channels and two replications."""
    rows = [
        # replication, channel, outcome, arrival, join, wait
        (0, "phone", "answered", 0.0, 600.0, 1800.0),
        (0, "phone", "contained", 0.0, np.nan, np.nan),
        (0, "chat", "abandoned", 900.0, 960.0, 300.0),
        (1, "phone", "balked", 100.0, 100.0, 0.0),
        (1, "chat", "answered", 1800.0, 1800.0, 1200.0),
    ]
    contacts = pd.DataFrame(
        rows, columns=["replication", "channel", "outcome", "arrival_s", "join_s", "wait_s"]
    )
    waiting = run_tables.mean_waiting(
        contacts, ["phone", "chat"], 2, np.array([0.0, 1800.0, 3600.0])
    )
    # phone, replication 0: 00:10-00:30 in the first interval (1200 s), 00:30-00:40 (600 s)
    assert waiting["phone"].tolist() == pytest.approx([1200 / 1800 / 2, 600 / 1800 / 2])
    total = (1800.0 + 300.0 + 1200.0) / 2  # waiting seconds per replication
    assert waiting.to_numpy().sum() * 1800.0 == pytest.approx(total)


def test_alert_spells_run_from_raised_to_cleared_or_the_end():
    alerts = pd.DataFrame(
        {
            "replication": [0, 0, 0, 1],
            "time_s": [600.0, 1500.0, 3000.0, 1800.0],
            "rule": ["q", "q", "q", "q"],
            "state": ["raised", "cleared", "raised", "raised"],
        }
    )
    starts, ends = run_tables.alert_spans(alerts, "q", 3600.0)
    assert starts.tolist() == [600.0, 3000.0, 1800.0] and ends.tolist() == [1500.0, 3600.0, 3600.0]
    raised = run_tables.alert_raised(alerts, ["q"], 2, np.array([0.0, 1800.0, 3600.0]))
    assert raised["q"].tolist() == pytest.approx([900 / 3600, (600 + 1800) / 3600])


def test_the_alert_timeline_adds_up_to_the_hours_raised(tmp_path):
    """The share raised per interval, summed over the day, is the summary's hours raised; the
    call-ins per interval add up to the call_in rows that arrived in the run."""
    cfg = composed("scenario=erlang", "scenario.hours=4", "replications=3")
    cfg["workforce"] = copy.deepcopy(WORKFORCE)
    run_config(cfg, tmp_path)
    loaded = load_run(tmp_path)
    rules = [rule.name for rule in loaded.facts.alerts]
    raised = run_tables.alert_raised(loaded.alerts, rules, 3, loaded.edges)
    hours = raised.sum() * loaded.interval_s / 3600
    for rule, figures in loaded.summary["workforce"]["alerts"].items():
        assert hours[rule] == pytest.approx(figures["raised_h"]["mean"], rel=1e-6)
    agents = loaded.agents
    arrived = agents["kind"].eq("call_in") & (agents["end_s"] < loaded.horizon_s)
    activity = run_tables.workforce_activity(agents, 3, loaded.edges)
    assert activity["call_ins"].sum() * 3 == pytest.approx(arrived.sum())
    assert activity["moved"].sum() == 0  # no moves configured
    occupancy = run_tables.group_occupancy(loaded.contacts, agents, 3, loaded.edges)
    assert set(occupancy.index) == set(agents["group"]) and occupancy.shape[1] == 8
    assert np.nanmax(occupancy.to_numpy()) <= 1.0
