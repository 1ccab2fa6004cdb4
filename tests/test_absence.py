"""Absenteeism and late log-ins from the config: the realised hours and the config's errors.
The engine's rules are tested on hand-made days in tests/engine/test_roster.py."""

from __future__ import annotations

from sim.analysis.figure import mean_ci
from sim.distributions import Deterministic
from sim.inputs.config import build_model
from sim.model import Absence
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


def test_absence_and_lateness_are_read_per_group():
    """`all` covers every group; a late log-in's distribution is kept. (What the engine does
    with them, absent rows, late log-ins, draws that follow the agent's name: on hand-made
    days in tests/engine/test_roster.py.)"""
    model = build_model(
        quiet_day(all={"p": 0.1, "late": {"dist": "deterministic", "mean": 600}}), PROJECT_ROOT
    )
    groups = {a.group for a in model.agents}
    assert model.absence == {g: Absence(0.1, Deterministic(600)) for g in groups}
    assert build_model(quiet_day(all=0), PROJECT_ROOT).absence == {}  # (nothing to draw)
