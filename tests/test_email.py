"""Email: a deferrable backlog with a deadline, reserved agent time, carried over at the end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.distributions import Deterministic
from sim.model import Agent, Channel, ContactType, Demand, Model, Segment, Shift
from tests.conftest import hand_run, run_config

DAY = 86400.0


def email_cfg(agents_end: str, hours: int) -> dict:
    """Emails all day one (12 an hour, 8 min each, 24 h deadline), two agents 08:00-`end`."""
    return {
        "scenario": {
            "name": "email_day",
            "interval_min": 60,
            "hours": hours,
            "channels": {"email": {"threshold_s": 86400, "deferrable": True}},
            "contact_types": {
                "refunds": {
                    "channel": "email",
                    "skill": "email",
                    "handle": {"dist": "gamma", "mean": 480, "cv": 0.5},
                }
            },
            "patience": {"email": None},
            "forecast": {"values": {"refunds": [12] * 24}},
        },
        "roster": {
            "agents": [
                {
                    "name": "day1",
                    "count": 2,
                    "skills": "email",
                    "start": "08:00",
                    "end": agents_end,
                },
                {"name": "day2", "count": 2, "skills": "email", "start": "32:00", "end": "44:00"},
            ]
        },
        "seed": 3,
        "replications": 3,
        "progress": False,
    }


def test_an_email_day_with_enough_capacity_clears_its_backlog(tmp_path):
    summary = run_config(email_cfg("20:00", 48), tmp_path)
    email = summary["kpis"]["channel=email"]
    assert email["unserved"]["mean"] == 0 and email["abandoned"]["mean"] == 0
    assert email["service_level"]["mean"] == 1.0  # all within the 24 h deadline
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")
    night = contacts[contacts["arrival_s"] > 20 * 3600]
    assert (night["answer_s"] >= 32 * 3600).all()  # the evening's mail waits for day two


def test_backlog_at_the_end_is_carried_over_not_worked_in_overtime(tmp_path):
    cfg = email_cfg("20:00", 24)
    cfg["roster"]["agents"] = cfg["roster"]["agents"][:1]
    summary = run_config(cfg, tmp_path)
    email = summary["kpis"]["channel=email"]
    assert email["unserved"]["mean"] > 40  # 20:00-24:00 mail and more: the backlog
    agents = pd.read_parquet(tmp_path / "agents.parquet")
    assert (agents["end_s"] - agents["planned_end_s"]).max() < 3600  # only the email in hand
    # Backlog still within its deadline is neither met nor missed yet.
    assert email["service_level"]["mean"] == 1.0


def blended(reserved: float) -> list[str]:
    """One agent on chat and email; a chat always waiting; ten emails at 00:00:01, once the
    first chat has the agent. Returns which emails were answered within the hour."""
    model = Model(
        name="blend",
        channels=(
            Channel("chat", 0.0, DAY, 30.0),
            Channel("email", 0.0, DAY, DAY, deferrable=True, reserved_share=reserved),
        ),
        segments=(Segment("regular", 1.0, 0),),
        contact_types=(
            ContactType("chats", "chat", "chat", Deterministic(60), Deterministic(0)),
            ContactType("emails", "email", "email", Deterministic(60), Deterministic(0)),
        ),
        demand=Demand(3600.0, np.zeros((2, 24))),
        agents=(Agent("a1", frozenset({"chat", "email"}), (Shift(0, 3600),)),),
    )
    chats, emails = np.arange(0, 3600, 10.0), np.ones(10)
    arrivals = np.concatenate([chats[:1], emails, chats[1:]])
    types = [0] + [1] * len(emails) + [0] * (len(chats) - 1)
    records = hand_run(model, arrivals, types=types, handle=60.0)
    email_answers = records.answer_s[1 : 1 + len(emails)]
    return ~np.isnan(email_answers) & (email_answers < 3600)


def test_email_waits_for_real_time_work_unless_time_is_reserved():
    assert blended(0.0).sum() == 0  # chats always wait, so email never comes up in the hour
    assert blended(0.3).sum() == 10  # 30% of the hour is 18 min: all ten emails (10 min)
