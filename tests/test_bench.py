"""The benchmark's three models still run and agree on a small workload, and the full-featured
workload builds and exercises every feature (no timing checks)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.__main__ import run_ccsim
from bench.baselines import Workload, run_ciw, run_textbook_simpy
from bench.erlang_scale import AHT, erlang_cases, textbook_p_wait
from bench.workloads import full_config, summarise
from sim.analysis.erlang import erlang_c
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from sim.records import OUTCOMES
from sim.runner import replicate


def test_bench_models_run_and_count_every_call():
    w = Workload(calls_per_min=4, agents=20, hours=2)
    for runner in (run_ccsim, run_textbook_simpy, run_ciw):
        result = runner(w, seed=3)
        assert result.calls > 300
        assert result.answered + result.abandoned == result.calls
        assert 0 <= result.answered_within <= result.answered


def test_full_workload_exercises_every_feature_on_twelve_queues():
    """The full-featured workload at 2% of its size (about 2,000 contacts, 15 agents): every
    contact ends with one outcome, and the holiday_peak features really happen."""
    config = full_config(scale=0.02)
    model = build_model(config, PROJECT_ROOT)
    assert len(model.queues) == 12
    assert len(model.contact_types) == 18
    assert {a.group.rsplit("_", 1)[0] for a in model.agents} == {
        "phone_team",
        "senior",
        "chat_team",
        "email_team",
        "temps",
    }
    records = replicate(model, 5, 0)
    n = len(records.arrival_s)
    assert 1500 < n < 3000

    # Conservation: one known outcome per contact, and the counts add up.
    outcome = records.outcome
    assert len(outcome) == n
    assert set(np.unique(outcome)) <= set(OUTCOMES)
    counts = {o: int((outcome == o).sum()) for o in OUTCOMES}
    assert sum(counts.values()) == n
    answered = ~np.isnan(records.answer_s)
    assert answered.sum() == counts["answered"] + counts["callback_failed"]
    assert (records.agent_index[answered] >= 0).all()
    assert (records.agent_index[~answered] == -1).all()
    summary = summarise(model, records)
    assert summary.contacts == n
    assert sum(summary.outcomes.values()) + summary.legs == n

    # All 12 queues take contacts, and agents answer in each.
    assert set(records.queue_index[answered]) == set(range(12))
    # The features: IVR and bot containment, misroutes and escalations (legs), retries (some
    # switching from phone to chat), announcements with balking and callbacks, chat
    # concurrency, VIPs, the email backlog, breaks.
    types = [t.name.rsplit("_", 1)[0] for t in model.contact_types]
    kind = np.array([t.channel.rsplit("_", 1)[0] for t in model.contact_types])
    channel = kind[records.type_index]
    assert counts["contained"] > 0
    assert (records.contained & (channel == "phone")).any()
    assert (records.contained & (channel == "chat")).any()
    legs = records.transfer_of >= 0
    assert legs.sum() > 0
    senior = [k for k, q in enumerate(model.queues) if q.startswith("phone_senior")]
    assert np.isin(records.queue_index[legs], senior).any()  # escalations to the senior desk
    assert (records.attempt > 0).sum() > 20
    first_type = records.type_index[records.customer]
    switched = (records.attempt > 0) & (kind[first_type] == "phone") & (channel == "chat")
    assert switched.any()
    assert counts["balked"] > 0
    assert records.callback.sum() > 0
    assert np.nanmax(records.chats_held) > 1
    assert (records.segment_index == 0).any()  # vip
    assert np.isinf(records.patience_s[channel == "email"]).all()
    assert types.count("refunds") == 3
    breaks = [k for k in records.agent_log.kind if k == "break"]
    assert len(breaks) > 0


def test_report_bench_times_whole_commands_with_and_without_the_report():
    """The planner's measure: `python -m sim` against `report=false`, both whole processes
    (they ran: check=True raises otherwise; no timing thresholds)."""
    from bench.report import time_commands

    with_report, without = time_commands(1, ["scenario=erlang", "scenario.hours=2"])
    assert with_report > 0 and without > 0


def test_report_bench_times_the_run_and_its_report_apart():
    """`python -m bench --report` on a small run: both parts timed, the report not inside the
    run's time (no timing thresholds: those belong to the benchmark, not the tests)."""
    from bench.report import time_report

    timing = time_report(1, ["scenario=erlang", "scenario.hours=2", "replications=2"])
    assert timing.run_s > 0 and timing.report_s > 0 and timing.ratio > 1
    assert timing.first_report_s == timing.report_s  # one repeat: the only report is the first


def test_end_to_end_runs_the_cli_and_the_textbook_model_on_the_same_workload(capsys):
    """A half-hour of the week's workload: the CLI as a subprocess writes its summary, and both
    models see about the same calls (no timing checks)."""
    from bench.end_to_end import end_to_end

    ratio = end_to_end(hours=0.5, repeat=1, report="false")
    assert ratio > 0
    out = capsys.readouterr().out
    cli, textbook = (
        float(line.split("calls")[0].split()[-1].replace(",", ""))
        for line in out.splitlines()
        if "calls" in line and "/min" not in line
    )
    assert 1000 < cli < 1400 and 1000 < textbook < 1400  # 40 a minute for 30 minutes


def test_erlang_bench_cases_run_and_agree_with_the_textbook():
    """`python -m bench --workload erlang` at a small size: every case runs, and the textbook
    recursion it is timed against gives Erlang C's P(wait) (no timing checks)."""
    cases = erlang_cases(agents=200, erlangs=100, repeat=1)
    assert [c.name.split(",")[0] for c in cases] == [
        "erlang_c",
        "erlang_a",
        "agents_required C",
        "agents_required A",
    ]
    rate = 100 / AHT
    assert textbook_p_wait(120, 100.0) == pytest.approx(erlang_c(120, rate, AHT, 20).p_wait)
