"""Expected-wait announcements, balking and callbacks (virtual hold) on the erlang day: no
customer lost, the figures add up. The engine's rules (what is announced, who balks, the
callback's place and time) are tested on hand-made days in tests/engine/test_frontend.py."""

from __future__ import annotations

import pandas as pd

from tests.conftest import composed, run_config


def test_callbacks_never_lose_a_customer_and_the_estimator_is_reported(tmp_path):
    cfg = composed(
        "scenario=erlang",
        "scenario.agents=12",
        "scenario.patience_s=120",
        "scenario.hours=24",
        "replications=4",
    )
    cfg["scenario"]["channels"]["phone"]["ivr"] = {
        "menu": 20,
        "announce": {
            "balk": [[0, 0.0], [120, 0.1], [600, 0.5]],
            "callback": {"offer_above_s": 60, "accept": 0.5, "reach": 0.9},
        },
    }
    summary = run_config(cfg, tmp_path)
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")
    accepted = contacts[contacts["callback"]]
    assert len(accepted) > 100
    assert set(accepted["outcome"]) <= {"answered", "callback_failed", "unserved"}
    k = summary["kpis"]["all"]
    parts = ("contained", "answered", "abandoned", "balked", "callbacks_failed", "unserved")
    assert k["offered"]["mean"] == sum(k[m]["mean"] for m in parts)
    assert (
        k["balked"]["mean"] > 0
        and 0 < k["callbacks_completed"]["mean"] <= k["callbacks_accepted"]["mean"]
    )
    assert k["callbacks_accepted"]["mean"] <= k["callbacks_offered"]["mean"]
    failed_share = k["callbacks_failed"]["mean"] / k["callbacks_accepted"]["mean"]
    assert 0.05 < failed_share < 0.15  # reach 0.9
    assert 0 < k["announce_error_s"]["mean"] < 600
    heard = contacts["announced_s"].notna()
    assert heard.sum() == (contacts["outcome"] != "contained").sum()  # every caller hears it
