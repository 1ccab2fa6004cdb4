"""The simulator against queueing theory: Erlang C, Erlang A and Cobham's priority formula.

Each check runs the built-in `erlang` scenario long enough that the 95% confidence interval is
tight (its width is asserted too, so a check cannot pass on a vague estimate), then requires
the exact figure to lie inside that interval. Seeds are fixed, so the outcome is deterministic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.erlang import erlang_a, erlang_c
from sim.analysis.figure import mean_ci
from tests.conftest import run

pytestmark = pytest.mark.slow

# The published worked example: 100 calls per 30 minutes, AHT 180 s, 20-second threshold.
RATE_PER_HOUR = 200
AHT = 180.0
HOURS = 100
REPLICATIONS = 16


def erlang_run(tmp_path, agents: int, *extra: str) -> tuple[dict, pd.DataFrame]:
    summary = run(
        tmp_path,
        "scenario=erlang",
        f"scenario.agents={agents}",
        f"scenario.hours={HOURS}",
        f"scenario.rate_per_hour={RATE_PER_HOUR}",
        f"scenario.aht_s={AHT}",
        "scenario.interval_min=60",
        f"replications={REPLICATIONS}",
        "seed=1",
        *extra,
    )
    return summary, pd.read_parquet(tmp_path / "contacts.parquet")


def assert_within(figure: dict, exact: float, max_half_width: float) -> None:
    low, high = figure["ci95"]
    assert high - low < 2 * max_half_width, f"CI {low:.4f}..{high:.4f} too wide to test anything"
    assert low <= exact <= high, (
        f"exact {exact:.4f} outside the simulated 95% CI {low:.4f}..{high:.4f}"
    )


def p_wait(contacts: pd.DataFrame) -> dict:
    per_rep = contacts.groupby("replication")["wait_s"].apply(lambda w: float((w > 0).mean()))
    mean, low, high = mean_ci(per_rep)
    return {"mean": mean, "ci95": [low, high]}


@pytest.mark.parametrize("agents", [13, 14])
def test_erlang_c(tmp_path, agents):
    exact = erlang_c(agents, RATE_PER_HOUR / 3600, AHT, 20.0)
    summary, contacts = erlang_run(tmp_path, agents)
    kpis = summary["kpis"]["all"]
    assert kpis["abandoned"]["mean"] == 0 and kpis["unserved"]["mean"] == 0
    assert_within(kpis["service_level"], exact.service_level, 0.01)
    assert_within(kpis["asa_s"], exact.asa, 1.5)
    assert_within(p_wait(contacts), exact.p_wait, 0.015)
    assert_within(kpis["occupancy"], exact.occupancy, 0.01)


def test_erlang_a(tmp_path):
    exact = erlang_a(14, RATE_PER_HOUR / 3600, AHT, 300.0, 20.0)
    summary, contacts = erlang_run(tmp_path, 14, "scenario.patience_s=300")
    kpis = summary["kpis"]["all"]
    assert_within(kpis["abandon_rate"], exact.p_abandon, 0.003)
    assert_within(kpis["service_level"], exact.service_level, 0.01)
    assert_within(p_wait(contacts), exact.p_wait, 0.015)
    assert_within(kpis["mean_wait_s"], exact.mean_wait, 1.0)


def test_non_preemptive_priority_matches_cobham(tmp_path):
    """M/M/c with two priority classes and equal service rates (Cobham 1954):
    W_k = C(c, a) / (c mu (1 - sigma_{k-1}) (1 - sigma_k)), sigma_k the load of classes 1..k."""
    agents, vip_share = 14, 0.3
    c = erlang_c(agents, RATE_PER_HOUR / 3600, AHT, 20.0).p_wait
    capacity = agents / AHT  # c * mu
    sigma_vip = vip_share * RATE_PER_HOUR / 3600 / capacity
    rho = RATE_PER_HOUR / 3600 / capacity
    w_vip = c / (capacity * (1 - sigma_vip))
    w_regular = c / (capacity * (1 - sigma_vip) * (1 - rho))
    summary, _ = erlang_run(tmp_path, agents, f"scenario.vip_share={vip_share}")
    assert_within(summary["kpis"]["segment=vip"]["mean_wait_s"], w_vip, 0.5)
    assert_within(summary["kpis"]["segment=regular"]["mean_wait_s"], w_regular, 2.0)
    # And the priority visibly matters: FIFO waits sit between the two classes.
    assert w_vip < summary["kpis"]["all"]["mean_wait_s"]["mean"] < w_regular


def test_fifo_routing_ignores_priority(tmp_path):
    summary, _ = erlang_run(tmp_path, 14, "scenario.vip_share=0.3", "routing=fifo")
    vip = summary["kpis"]["segment=vip"]["mean_wait_s"]
    regular = summary["kpis"]["segment=regular"]["mean_wait_s"]
    # Same discipline for both classes: their CIs overlap.
    assert vip["ci95"][0] <= regular["ci95"][1] and regular["ci95"][0] <= vip["ci95"][1]
    assert np.isclose(vip["mean"], regular["mean"], rtol=0.15)
