"""Retrials on the erlang day: the share who retry matches its probability, and customers are
counted apart from attempts. The engine's retrial rules (timing, limits, switching channel,
blocked and balked callers) are tested on hand-made days in tests/engine/test_followups.py."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.analysis.figure import mean_ci
from sim.analysis.kpis import OUTCOME_COUNTS
from tests.conftest import composed, run_config


def test_retry_share_matches_its_probability_and_customers_are_counted(tmp_path):
    cfg = composed(
        "scenario=erlang",
        "scenario.agents=10",
        "scenario.patience_s=60",
        "scenario.hours=24",
        "replications=6",
        "seed=1",
    )
    cfg["scenario"]["retrials"] = {
        "phone": {"first": 0.6, "later": 0.0, "delay": {"dist": "exponential", "mean": 300}}
    }
    summary = run_config(cfg, tmp_path)
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")
    first_abandons = contacts[(contacts["attempt"] == 0) & (contacts["outcome"] == "abandoned")]
    retries = contacts[contacts["attempt"] == 1]
    assert contacts["attempt"].max() == 1  # later = 0: no second retry
    share = retries.groupby("replication").size() / first_abandons.groupby("replication").size()
    mean, low, high = mean_ci(share)
    assert low <= 0.6 <= high and high - low < 0.05
    k = summary["kpis"]["all"]
    assert k["retrials"]["mean"] == len(retries) / 6
    assert k["customers"]["mean"] == pytest.approx(k["offered"]["mean"] - k["retrials"]["mean"])
    parts = sum(k[m]["mean"] for m in OUTCOME_COUNTS)
    assert k["offered"]["mean"] == parts
    # A customer counts as served well if any attempt was: better than per attempt.
    assert k["customer_service_level"]["mean"] > k["service_level"]["mean"]
