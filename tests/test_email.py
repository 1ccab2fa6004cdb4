"""Email: a deferrable backlog with a deadline, carried over at the end, and its figures. The
engine's rules (email after real-time work, the reserved share, the backlog left at close)
are tested on hand-made days in tests/engine/test_agents.py and tests/engine/test_roster.py."""

from __future__ import annotations

import pandas as pd

from tests.conftest import run_config

DAY = 86400.0


def email_cfg(agents_end: str, hours: int) -> dict:
    """Emails all day one (12 an hour, 8 min each, 24 h deadline), two agents 08:00-`end`."""
    return {
        "scenario": {
            "name": "email_day",
            "interval_min": 60,
            "hours": hours,
            "channels": {"email": {"deferrable": True}},
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
        "targets": {"channels": {"email": {"threshold_s": 86400}}},
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
