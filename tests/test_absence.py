"""Absenteeism and late log-ins: drawn per agent and shift, on a stream of their own."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis.metrics import mean_ci
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from sim.runner import replicate
from tests.conftest import composed

AGENTS, HOURS = 100, 8


def quiet_day(**absence) -> dict:
    """The erlang scenario with no calls at all (no overtime to blur the hours)."""
    cfg = composed(
        "scenario=erlang",
        f"scenario.agents={AGENTS}",
        f"scenario.hours={HOURS}",
        "scenario.rate_per_hour=0",
    )
    cfg["workforce"] = {"absence": absence}
    return cfg


def logged_in_share(records) -> float:
    log = records.agent_log
    worked = sum(
        e - s for k, s, e in zip(log.kind, log.start_s, log.end_s, strict=True) if k == "shift"
    )
    return worked / (AGENTS * HOURS * 3600)


def test_realised_hours_are_one_minus_p_of_the_planned():
    model = build_model(quiet_day(all=0.2), PROJECT_ROOT)
    shares = [logged_in_share(replicate(model, 9, r)) for r in range(30)]
    mean, low, high = mean_ci(shares)
    assert high - low < 0.04
    assert low <= 0.8 <= high


def test_a_late_agent_logs_in_late_and_the_delay_is_logged():
    model = build_model(
        quiet_day(all={"p": 0, "late": {"dist": "deterministic", "mean": 600}}), PROJECT_ROOT
    )
    records = replicate(model, 1, 0)
    log = records.agent_log
    late = [(s, e) for k, s, e in zip(log.kind, log.start_s, log.end_s, strict=True) if k == "late"]
    assert late == [(0, 600)] * AGENTS
    assert logged_in_share(records) == pytest.approx(1 - 600 / (HOURS * 3600))


def absent(records, model) -> set[tuple[str, float]]:
    log = records.agent_log
    return {
        (model.agents[a].name, s)
        for a, k, s in zip(log.agent, log.kind, log.start_s, strict=True)
        if k == "absent"
    }


def test_absences_follow_the_agent_not_the_roster_and_change_no_customer():
    base_cfg = composed()
    base_cfg["workforce"] = {"absence": {"all": 0.15}}
    more_cfg = composed("roster.extra_agents=3")
    more_cfg["workforce"] = {"absence": {"all": 0.15}}
    base, more = build_model(base_cfg, PROJECT_ROOT), build_model(more_cfg, PROJECT_ROOT)
    nobody_absent = build_model(composed("workforce=none"), PROJECT_ROOT)
    a, b, c = replicate(base, 4, 0), replicate(more, 4, 0), replicate(nobody_absent, 4, 0)
    shared = {name for name, _ in absent(a, base)}
    assert shared  # some absences at 15%
    assert absent(a, base) == {x for x in absent(b, more) if x[0] in {g.name for g in base.agents}}
    day = (a.attempt == 0) & (a.transfer_of < 0)
    day_c = (c.attempt == 0) & (c.transfer_of < 0)
    np.testing.assert_array_equal(a.arrival_s[day], c.arrival_s[day_c])
    np.testing.assert_array_equal(a.patience_s[day], c.patience_s[day_c])
