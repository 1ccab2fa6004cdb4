"""Limited lines (`channels.<name>.lines`) against queueing theory, and their bookkeeping.

- Erlang B: with as many lines as agents and nobody abandoning, no queue can form (every caller
  who gets a line gets an agent at once), so the share of callers blocked is Erlang B.
- M/M/c/K+M: with K lines > c agents and exponential patience, the number of callers present
  is a birth-death chain on 0..K; blocking, abandonment and the mean wait follow from it.
- Conservation with lines and retrials: one outcome per contact, blocked callers retry, and at
  every arrival the lines taken are exactly what the contacts present hold.

The validation runs use the `erlang` scenario long enough for tight confidence intervals (the
width is asserted too), with fixed seeds, so they are deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.erlang import erlang_b
from sim.analysis.figure import mean_ci
from sim.analysis.kpis import OUTCOME_COUNTS
from sim.records import OUTCOMES
from tests.conftest import composed, run, run_config
from tests.test_validation import assert_within

RATE_PER_HOUR = 200
AHT = 180.0
HOURS = 100  # as tests/test_validation.py: 16 days of 100 hours, about 320,000 calls
REPLICATIONS = 16


def erlang_run(tmp_path, agents: int, lines: int, *extra: str) -> tuple[dict, pd.DataFrame]:
    summary = run(
        tmp_path,
        "scenario=erlang",
        f"scenario.agents={agents}",
        f"+scenario.channels.phone.lines={lines}",
        f"scenario.hours={HOURS}",
        f"scenario.rate_per_hour={RATE_PER_HOUR}",
        f"scenario.aht_s={AHT}",
        "scenario.interval_min=60",
        f"replications={REPLICATIONS}",
        "seed=2",
        *extra,
    )
    return summary, pd.read_parquet(tmp_path / "contacts.parquet")


def per_replication(contacts: pd.DataFrame, share) -> dict:
    """`share(rows)` per replication, as a summary figure: mean and 95% CI."""
    values = [share(rows) for _, rows in contacts.groupby("replication")]
    mean, low, high = mean_ci(values)
    return {"mean": mean, "ci95": [low, high]}


def blocked_share(rows: pd.DataFrame) -> float:
    return float(rows["outcome"].eq("blocked").mean())


def abandoned_share(rows: pd.DataFrame) -> float:
    return float(rows["outcome"].eq("abandoned").mean())


def mm_c_k_m(lam: float, mu: float, theta: float, c: int, k: int) -> dict[str, float]:
    """M/M/c/K+M: the stationary law of the number present, n = 0..K (birth lam below K;
    death min(n, c) mu + max(n - c, 0) theta), and blocking, abandonment per offered call
    and the mean wait of the callers who got a line (Little: E[queue] / admitted rate)."""
    n = np.arange(k + 1)
    death = np.minimum(n, c) * mu + np.maximum(n - c, 0) * theta
    pi = np.ones(k + 1)
    for m in range(1, k + 1):
        pi[m] = pi[m - 1] * lam / death[m]
    pi /= pi.sum()
    queue = float((pi * np.maximum(n - c, 0)).sum())
    return {
        "blocking": float(pi[k]),
        "abandonment": queue * theta / lam,
        "mean_wait": queue / (lam * (1 - pi[k])),
    }


@pytest.mark.slow
def test_erlang_b(tmp_path):
    agents = 12
    exact = erlang_b(agents, RATE_PER_HOUR * AHT / 3600)  # 0.1197
    summary, contacts = erlang_run(tmp_path, agents, agents)
    assert_within(per_replication(contacts, blocked_share), exact, 0.004)
    # The summary's block_rate is the share pooled over the replications (all days' blocked
    # calls over all days' calls, as an ACD report over those days).
    assert summary["kpis"]["all"]["block_rate"]["mean"] == pytest.approx(
        contacts["outcome"].eq("blocked").mean()
    )
    answered = contacts[contacts["outcome"].eq("answered")]
    assert (answered["wait_s"] == 0).all()  # no queue ever forms
    assert set(contacts["outcome"]) == {"answered", "blocked"}
    blocked = contacts[contacts["outcome"].eq("blocked")]
    assert blocked["join_s"].isna().all() and blocked["wait_s"].isna().all()
    # Blocked callers never reached a queue: the service level counts only those who did.
    assert summary["kpis"]["all"]["service_level"]["mean"] == 1.0


@pytest.mark.slow
def test_mm_c_k_with_abandonment(tmp_path):
    agents, lines, patience = 10, 14, 300.0
    exact = mm_c_k_m(RATE_PER_HOUR / 3600, 1 / AHT, 1 / patience, agents, lines)
    summary, contacts = erlang_run(tmp_path, agents, lines, f"scenario.patience_s={patience}")
    assert_within(per_replication(contacts, blocked_share), exact["blocking"], 0.004)
    assert_within(per_replication(contacts, abandoned_share), exact["abandonment"], 0.0025)
    assert_within(summary["kpis"]["all"]["mean_wait_s"], exact["mean_wait"], 0.6)
    # abandon_rate is of the callers who reached the queue: blocked ones are left out.
    reached = exact["abandonment"] / (1 - exact["blocking"])
    assert_within(summary["kpis"]["all"]["abandon_rate"], reached, 0.0025)


def test_lines_with_retrials_keep_the_books(tmp_path):
    lines = 14
    cfg = composed(
        "scenario=erlang",
        "scenario.agents=12",
        f"+scenario.channels.phone.lines={lines}",
        "scenario.patience_s=180",
        "replications=3",
    )
    cfg["scenario"]["retrials"] = {"phone": {"first": 0.6, "delay": 120}}
    summary = run_config(cfg, tmp_path, report=True)
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")

    # Exactly one outcome per contact, and the outcomes add up to offered everywhere.
    assert contacts["outcome"].notna().all() and contacts["outcome"].isin(OUTCOMES).all()
    for figures in summary["kpis"].values():
        parts = sum(figures[m]["mean"] for m in OUTCOME_COUNTS)
        assert figures["offered"]["mean"] == pytest.approx(parts)
    intervals = pd.read_csv(tmp_path / "intervals.csv")
    assert np.allclose(intervals["offered"], intervals[list(OUTCOME_COUNTS)].sum(axis=1))
    assert summary["kpis"]["all"]["blocked"]["mean"] > 0

    # Blocked callers retry: some retries follow a blocked attempt of the same customer.
    keys = ["replication", "customer", "attempt"]
    previous = contacts[keys + ["outcome"]].assign(attempt=lambda t: t["attempt"] + 1)
    retries = contacts[contacts["attempt"] > 0].merge(
        previous, on=keys, suffixes=("", "_before"), validate="one_to_one"
    )
    assert len(retries) == (contacts["attempt"] > 0).sum()
    after_block = retries[retries["outcome_before"].eq("blocked")]
    assert len(after_block) > 0
    assert set(retries["outcome_before"]) <= {"blocked", "abandoned"}
    blocked = contacts[contacts["outcome"].eq("blocked")]
    assert blocked["join_s"].isna().all() and blocked["wait_s"].isna().all()
    assert (blocked["end_s"] == blocked["arrival_s"]).all()

    # The report shows them where it shows balks: the journey table and the events figure.
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert ">Blocked</th>" in page and ">Block rate</th>" in page
    assert 'data-figure="events"' in page

    # From the outside: a caller is blocked exactly when the contacts present (arrived, not
    # yet gone: answered and talked, or abandoned) hold every line.
    for _, rows in contacts.groupby("replication"):
        admitted = rows[~rows["outcome"].eq("blocked")]
        starts = np.sort(admitted["arrival_s"].to_numpy())
        ends = np.sort(admitted["end_s"].to_numpy())
        at = rows["arrival_s"].to_numpy()
        present = np.searchsorted(starts, at, side="left") - np.searchsorted(ends, at, "right")
        is_blocked = rows["outcome"].eq("blocked").to_numpy()
        assert (present[is_blocked] == lines).all()
        assert (present[~is_blocked] < lines).all()
