"""Hand-made models and run tables shared by the analysis tests: a phone channel and a
deferrable email channel, and one replication of five contacts on them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.distributions import Deterministic
from sim.model import Agent, Channel, ContactType, Demand, Model, Segment, Shift

DAY_S = 86400.0


def two_channel_model(email_threshold: float) -> Model:
    """Phone (20 s) and a second channel, `email`, deferrable, with the given threshold;
    segments vip and regular; one agent per channel, on all day."""
    return Model(
        name="mix",
        channels=(
            Channel("phone", 0.0, DAY_S, 20.0),
            Channel("email", 0.0, DAY_S, email_threshold, deferrable=True),
        ),
        segments=(Segment("vip", 0.2, 1), Segment("regular", 0.8, 0)),
        contact_types=(
            ContactType("calls", "phone", "phone", Deterministic(60), Deterministic(0)),
            ContactType("mails", "email", "email", Deterministic(60), Deterministic(0)),
        ),
        demand=Demand(3600.0, np.zeros((2, 24))),
        agents=(
            Agent("p", frozenset({"phone"}), (Shift(0, DAY_S),), "phone"),
            Agent("e", frozenset({"email"}), (Shift(0, DAY_S),), "email"),
        ),
    )


def mixed_day() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two phone calls and three emails (two answered, one left at the end), one replication:
    the contacts and agents tables as a run writes them (the columns the analysis reads)."""
    rows = [
        # channel, segment, outcome, join, wait, agent
        ("phone", "vip", "answered", 100.0, 10.0, "p"),
        ("phone", "regular", "answered", 200.0, 30.0, "p"),
        ("email", "vip", "answered", 300.0, 3600.0, "e"),
        ("email", "regular", "answered", 400.0, 7200.0, "e"),
        ("email", "regular", "unserved", 80000.0, DAY_S - 80000.0, None),
    ]
    frame = pd.DataFrame(
        rows, columns=["channel", "segment", "outcome", "join_s", "wait_s", "agent"]
    )
    frame["queue"] = frame["channel"]
    frame["arrival_s"] = frame["join_s"]
    frame["interval"] = (frame["arrival_s"] // 3600).astype(int)
    frame["answer_s"] = np.where(
        frame["outcome"].eq("answered"), frame["join_s"] + frame["wait_s"], np.nan
    )
    frame["threshold_s"] = np.where(frame["channel"].eq("phone"), 20.0, DAY_S)
    frame["handle_s"], frame["wrapup_s"] = 60.0, 0.0
    frame["replication"], frame["attempt"] = 0, 0
    frame["customer"] = np.arange(len(frame))
    agents = pd.DataFrame(
        {
            "agent": ["p", "e"],
            "skills": ["phone", "email"],
            "group": ["phone", "email"],
            "replication": [0, 0],
            "kind": ["shift", "shift"],
            "start_s": [0.0, 0.0],
            "end_s": [DAY_S, DAY_S],
            "planned_end_s": [DAY_S, DAY_S],
        }
    )
    return frame, agents
