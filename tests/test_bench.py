"""The benchmark's three models still run and agree on a small workload (no timing checks)."""

from __future__ import annotations

from bench.__main__ import run_ccsim
from bench.baselines import Workload, run_ciw, run_textbook_simpy


def test_bench_models_run_and_count_every_call():
    w = Workload(calls_per_min=4, agents=20, hours=2)
    for runner in (run_ccsim, run_textbook_simpy, run_ciw):
        result = runner(w, seed=3)
        assert result.calls > 300
        assert result.answered + result.abandoned == result.calls
        assert 0 <= result.answered_within <= result.answered
