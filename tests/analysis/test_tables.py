"""The contacts and agents tables (`sim.analysis.tables`) from hand-made replication records:
the named columns, built from codes, say what the records say."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.tables import CONTACT_COLUMNS, agents_frame, contacts_frame
from sim.distributions import Deterministic
from sim.model import Agent, Channel, ContactType, Demand, Model, Segment, Shift
from sim.records import AgentLog, Records

DAY_S = 86400.0
INF = np.inf


def model() -> Model:
    """Phone and chat (concurrent: agents hold up to `max_chats`); half-hour intervals."""
    return Model(
        name="tables",
        channels=(
            Channel("phone", 0.0, DAY_S, 20.0),
            Channel("chat", 0.0, DAY_S, 60.0, concurrency_stretch=0.2),
        ),
        segments=(Segment("vip", 0.5, 1), Segment("regular", 0.5, 0)),
        contact_types=(
            ContactType("calls", "phone", "calls", Deterministic(60), Deterministic(5)),
            ContactType("chats", "chat", "chat", Deterministic(300), Deterministic(0)),
        ),
        demand=Demand(1800.0, np.zeros((2, 48))),
        agents=(
            Agent("pat", frozenset({"calls"}), (Shift(0, 7200),), "phone"),
            Agent("cy", frozenset({"chat", "calls"}), (Shift(0, 7200),), "chat", max_chats=2),
        ),
    )


def records(replication: int, rows: list[dict]) -> Records:
    """A replication's records: each row's fields over these defaults (a phone call of a
    regular customer, waiting from its arrival, never answered, patient)."""
    default = {
        "arrival": 0.0,
        "type_of": 0,
        "segment_of": 1,
        "patience": INF,
        "handle": 60.0,
        "wrapup": 5.0,
        "front": 0.0,
        "contained": False,
        "answer": np.nan,
        "stretch": 1.0,
        "speed": 1.0,
        "agent_of": -1,
        "customer": 0,
        "attempt": 0,
        "transfer_of": -1,
        "queue_of": 0,
        "announced": np.nan,
        "balked": False,
        "blocked": False,
        "callback_offered": False,
        "callback": False,
        "callback_reached": False,
        "chats_held": np.nan,
    }
    columns = {key: np.array([{**default, **row}[key] for row in rows]) for key in default}
    log = AgentLog()
    log.add(0, "shift", 0.0, 7200.0, 7200.0)
    log.add(1, "shift", 0.0, 7300.0, 7200.0)
    log.add(1, "break", 3600.0, 4500.0, np.nan)
    return Records.from_columns(columns, replication, 7200.0, log)


RUNS = [
    records(
        0,
        [
            {"arrival": 100.0, "answer": 110.0, "agent_of": 0, "customer": 0},
            {"arrival": 200.0, "patience": 30.0, "customer": 1},  # abandons
            {"arrival": 1900.0, "front": 20.0, "contained": True, "customer": 2},
            {"arrival": 2000.0, "blocked": True, "customer": 3},
            {  # a chat, the agent's second at once
                "arrival": 2500.0,
                "type_of": 1,
                "segment_of": 0,
                "queue_of": 1,
                "answer": 2530.0,
                "agent_of": 1,
                "handle": 300.0,
                "stretch": 1.2,
                "chats_held": 2.0,
                "customer": 4,
            },
        ],
    ),
    records(1, [{"arrival": 7000.0, "type_of": 1, "queue_of": 1}]),  # unserved at the end
]


def test_one_row_per_contact_with_its_names_and_outcome():
    frame = contacts_frame(model(), RUNS)
    assert list(frame.columns) == CONTACT_COLUMNS
    assert frame["replication"].tolist() == [0] * 5 + [1]
    assert frame["contact"].tolist() == [0, 1, 2, 3, 4, 0]
    assert frame["channel"].tolist() == ["phone"] * 4 + ["chat", "chat"]
    assert frame["contact_type"].tolist() == ["calls"] * 4 + ["chats", "chats"]
    assert frame["queue"].tolist() == ["calls"] * 4 + ["chat", "chat"]
    assert frame["segment"].tolist() == ["regular"] * 4 + ["vip", "regular"]
    assert frame["outcome"].tolist() == [
        "answered",
        "abandoned",
        "contained",
        "blocked",
        "answered",
        "unserved",
    ]
    assert frame["interval"].tolist() == [0, 0, 1, 1, 1, 3]
    for column in ("channel", "contact_type", "queue", "segment", "outcome"):
        assert isinstance(frame[column].dtype, pd.CategoricalDtype)
    agent = [None if pd.isna(x) else x for x in frame["agent"]]
    group = [None if pd.isna(x) else x for x in frame["agent_group"]]
    assert agent == ["pat", None, None, None, "cy", None]
    assert group == ["phone", None, None, None, "chat", None]
    assert frame["agent"].dtype == pd.Series(["x"]).dtype  # the default string dtype
    assert frame["threshold_s"].tolist() == [20.0] * 4 + [60.0, 60.0]


def test_waits_ends_and_slot_shares():
    frame = contacts_frame(model(), RUNS)
    wait = frame["wait_s"].tolist()
    assert wait[0] == 10.0 and wait[1] == 30.0 and wait[4] == 30.0 and wait[5] == 200.0
    assert np.isnan(wait[2]) and np.isnan(wait[3])  # contained and blocked never queued
    end = frame["end_s"].tolist()
    assert end[0] == 170.0  # answered at 110, 60 s of handle
    assert end[1] == 230.0 and end[2] == 1920.0 and end[3] == 2000.0  # blocked: gone at once
    assert end[4] == 2530.0 + 360.0  # the chat's handle, stretched by the second chat
    # A chat takes 1/max_chats of its agent (slot-time); every other contact all of one.
    assert frame["agent_share"].tolist() == [1.0, 1.0, 1.0, 1.0, 0.5, 1.0]


def test_agents_table_has_sessions_and_breaks_with_names_groups_and_skills():
    frame = agents_frame(model(), RUNS)
    assert len(frame) == 6 and frame["replication"].tolist() == [0, 0, 0, 1, 1, 1]
    first = frame[frame["replication"].eq(0)]
    assert first["agent"].tolist() == ["pat", "cy", "cy"]
    assert first["group"].tolist() == ["phone", "chat", "chat"]
    assert first["skills"].tolist() == ["calls", "calls;chat", "calls;chat"]
    assert first["chats"].tolist() == [1, 2, 2]
    assert first["kind"].tolist() == ["shift", "shift", "break"]
    assert first["end_s"].tolist() == [7200.0, 7300.0, 4500.0]


def test_no_replications_no_rows():
    assert contacts_frame(model(), []).empty
