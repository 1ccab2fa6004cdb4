"""Replaying a contact log (`scenario.trace`, sim/replay.py).

The validation: a log made by ccsim itself, replayed with the same roster, reproduces its
abandonment and ASA. With the log's handle times and no front end, nothing is left to draw
that can change the day (the answered customers' patience is drawn beyond their logged wait),
so every replication is the logged day again, contact by contact. With the IVR times drawn
instead of logged, the replications spread around the log, which must lie inside their 95%
prediction interval (the log is one more day of the same kind, not their mean).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.kpis import contact_kpis
from sim.arrivals.trace import replay_contacts
from sim.distributions import Exponential
from sim.inputs.config import build_model
from sim.model import Trace
from tests.conftest import PROJECT_ROOT, composed, run, run_cli

ERLANG = ("scenario=erlang", "scenario.patience_s=120", "scenario.agents=13", "workforce=none")
LOG_COLUMNS = {"arrival_s": "arrival", "contact_type": "type"}


def replay_overrides(log: Path, *extra: str) -> tuple[str, ...]:
    return ("~scenario.forecast", f"+scenario.trace.file={log}", *extra)


def ccsim_log(run_dir: Path, *overrides: str) -> pd.DataFrame:
    """One simulated day of ccsim, as its contacts.parquet."""
    run(run_dir, *ERLANG, "replications=1", *overrides)
    return pd.read_parquet(run_dir / "contacts.parquet")


def write_log(contacts: pd.DataFrame, path: Path, columns: list[str]) -> Path:
    """A log file in the documented format from ccsim's contacts (CSV or Parquet by suffix)."""
    log = contacts[columns].rename(columns=LOG_COLUMNS)
    if path.suffix == ".csv":
        log.to_csv(path, index=False)
    else:
        log.to_parquet(path, index=False)
    return path


def test_replay_of_a_ccsim_log_is_that_day_again(tmp_path):
    original = ccsim_log(tmp_path / "original")
    log = write_log(
        original,
        tmp_path / "log.parquet",
        ["arrival_s", "contact_type", "wait_s", "outcome", "handle_s", "segment", "front_s"],
    )
    summary = run(
        tmp_path / "replay",
        *ERLANG,
        "replications=3",
        *replay_overrides(log, "+scenario.trace.handle=true"),
    )
    logged = summary["log"]["kpis"]["all"]
    assert 0.01 < logged["abandon_rate"] < 0.2 and logged["asa_s"] > 1  # a day worth replaying
    replayed = pd.read_parquet(tmp_path / "replay" / "contacts.parquet")
    for rep, day in replayed.groupby("replication"):
        # Contact by contact: same arrivals, outcomes and answer times as the logged day.
        np.testing.assert_array_equal(day["arrival_s"], original["arrival_s"])
        assert (day["outcome"].to_numpy() == original["outcome"].to_numpy()).all(), rep
        np.testing.assert_allclose(day["wait_s"], original["wait_s"], atol=1e-9)
    for metric in ("abandon_rate", "asa_s", "service_level", "offered"):
        figure = summary["kpis"]["all"][metric]
        assert figure["mean"] == pytest.approx(logged[metric], abs=1e-9), metric
        assert figure["ci95"][0] <= logged[metric] + 1e-9 <= figure["ci95"][1] + 2e-9, metric


def test_replay_with_drawn_ivr_times_spreads_around_the_log(tmp_path):
    ivr = "+scenario.channels.phone.ivr.menu=30"
    original = ccsim_log(tmp_path / "original", ivr)
    log = write_log(
        original,
        tmp_path / "log.csv",
        ["arrival_s", "contact_type", "wait_s", "outcome", "handle_s", "segment"],
    )
    replications = 20
    summary = run(
        tmp_path / "replay",
        *ERLANG,
        ivr,
        f"replications={replications}",
        *replay_overrides(log, "+scenario.trace.handle=true"),
    )
    replayed = pd.read_parquet(tmp_path / "replay" / "contacts.parquet")
    assert replayed["front_s"].nunique() > len(original)  # drawn afresh each replication
    days = contact_kpis(replayed, [], 0.0)
    t = stats.t.ppf(0.975, replications - 1)
    for metric in ("abandon_rate", "asa_s"):
        values = days[metric].to_numpy()
        half = t * values.std(ddof=1) * np.sqrt(1 + 1 / replications)
        logged = summary["log"]["kpis"]["all"][metric]
        assert abs(logged - values.mean()) <= half, (metric, logged, values.mean(), half)
        assert half < 0.5 * values.mean()  # a spread narrow enough to mean something


def hand_log(
    tmp_path: Path, rows: list[str], header="arrival,type,wait_s,outcome,handle_s"
) -> Path:
    path = tmp_path / "log.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_exactly_the_logs_arrivals_with_timestamps_and_segments(tmp_path):
    log = hand_log(
        tmp_path,
        [
            "2026-11-11 09:00:05,calls,0,answered,200,vip",
            "2026-11-11 09:00:01,calls,12.5,abandoned,,regular",
            "2026-11-12 10:30:00,calls,3,answered,150,regular",
        ],
        header="arrival,type,wait_s,outcome,handle_s,segment",
    )
    whole_days = replay_overrides(log, "scenario.hours=48")
    model = build_model(composed(*ERLANG, *whole_days, "+scenario.trace.handle=true"), PROJECT_ROOT)
    assert model.demand.horizon_s == 2 * 86400
    assert model.demand.volumes.sum() == 3
    contacts = replay_contacts(model, 7, 0)
    np.testing.assert_array_equal(contacts.arrival_s, [9 * 3600 + 1, 9 * 3600 + 5, 34.5 * 3600])
    assert contacts.segment_index.tolist() == [1, 0, 1]  # regular, vip, regular
    assert contacts.patience_s[0] == 12.5  # the abandoner's: its logged wait
    assert contacts.patience_s[1] > 0 and contacts.patience_s[2] > 3  # beyond their waits
    assert contacts.handle_s[1] == 200 and contacts.handle_s[2] == 150  # the log's
    summary = run(tmp_path / "run", *ERLANG, *whole_days, "replications=2")
    days = pd.read_parquet(tmp_path / "run" / "contacts.parquet")
    assert len(days) == 6 and summary["log"]["contacts"] == 3
    assert summary["log"]["kpis"]["segment=vip"]["offered"] == 1


def test_customers_and_attempts_from_the_log(tmp_path):
    log = hand_log(
        tmp_path,
        ["100,calls,5,abandoned,,c1", "200,calls,0,answered,90,c2", "300,calls,1,answered,80,c1"],
        header="arrival,type,wait_s,outcome,handle_s,customer",
    )
    cfg = composed(*ERLANG, *replay_overrides(log, "+scenario.trace.customers=true"))
    contacts = replay_contacts(build_model(cfg, PROJECT_ROOT), 1, 0)
    assert contacts.customer is not None and contacts.attempt is not None
    assert contacts.customer.tolist() == [0, 1, 0] and contacts.attempt.tolist() == [0, 0, 1]
    summary = run(tmp_path / "run", *ERLANG, *replay_overrides(log), "replications=2")
    assert summary["kpis"]["all"]["customers"]["mean"] == 3  # customers: false: one each


def test_drawn_parts_are_the_usual_streams_and_patience_beyond_the_wait():
    """An answered customer's patience: drawn beyond the wait they were logged with, from
    the type's distribution (exponential: the wait plus an exponential of the same mean)."""
    cfg = composed(*ERLANG, "scenario.vip_share=0")
    base = build_model(cfg, PROJECT_ROOT)
    n = 4000
    waits = np.linspace(0, 300, n)
    trace = Trace(
        source="hand",
        arrival_s=np.sort(np.linspace(0, 3600, n)),
        type_index=np.zeros(n, dtype=np.int32),
        segment_index=np.full(n, -1, dtype=np.int32),
        outcome=np.array(["answered"] * n, dtype=object),
        wait_s=waits,
        handle_s=np.full(n, 60.0),
        front_s=np.full(n, np.nan),
    )
    model = replace(base, trace=trace)
    first, again = replay_contacts(model, 3, 0), replay_contacts(model, 3, 0)
    np.testing.assert_array_equal(first.patience_s, again.patience_s)
    assert (first.patience_s > waits).all()
    excess = first.patience_s - waits
    assert isinstance(base.patience_of(0, 1), Exponential)
    assert stats.kstest(excess, "expon", args=(0, 120)).pvalue > 0.001
    # Handle times not taken from the log (handle: false) are the type's, drawn.
    assert not np.allclose(first.handle_s, 60.0)
    assert replay_contacts(model, 3, 1).patience_s.tolist() != first.patience_s.tolist()
    # Common random numbers: another roster replaying the log meets the very same customers.
    other = replace(model, agents=model.agents[:5])
    for name in ("patience_s", "handle_s", "wrapup_s", "segment_index", "front_s"):
        np.testing.assert_array_equal(
            getattr(replay_contacts(other, 3, 0), name), getattr(first, name)
        )


def test_same_seed_same_summary_byte_for_byte(tmp_path):
    log = hand_log(tmp_path, [f"{60 * k},calls,{k % 7},answered,{100 + k}" for k in range(200)])
    for name in ("a", "b"):
        run(tmp_path / name, *ERLANG, *replay_overrides(log), "replications=2")
    a = (tmp_path / "a" / "summary.json").read_bytes()
    assert a == (tmp_path / "b" / "summary.json").read_bytes()
    assert json.loads(a)["log"]["kpis"]["all"]["offered"] == 200
    intervals = pd.read_csv(tmp_path / "a" / "intervals.csv")
    assert intervals["log_offered"].sum() == 200
    assert intervals["forecast_offered"].sum() == 200  # the log's counts


def test_bad_trace_input_exits_2_with_one_clear_line(tmp_path):
    log = hand_log(tmp_path, ["0,calls,0,answered,100", "60,sales,1,answered,90"])
    cases = [
        ((log,), [str(log), "type", "line 3", "'sales'", "calls"]),
        ((tmp_path / "nowhere.csv",), ["scenario.trace", "file", "not found"]),
    ]
    for (path,), words in cases:
        run_dir = tmp_path / f"run_{path.stem}"
        done = run_cli(run_dir, *ERLANG, *replay_overrides(path), "replications=1")
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2, done.stderr[-500:]
        assert len(lines) == 1 and lines[0].startswith("ccsim: error: "), lines
        assert "Traceback" not in done.stderr
        for word in words:
            assert word in lines[0], (word, lines[0])
        assert not (run_dir / "summary.json").exists()


def test_logged_handle_times_are_as_worked_by_the_logged_agent():
    """A roster agent at 0.8 logged 240 s: the customer needed 300 s (worked again by whoever
    answers in the replay). Agents not in the roster, or not logged, leave the time as is."""
    base = build_model(composed(*ERLANG), PROJECT_ROOT)
    fast = replace(base.agents[0], speed=0.8)
    n = 3
    trace = Trace(
        source="hand",
        arrival_s=np.array([0.0, 10.0, 20.0]),
        type_index=np.zeros(n, dtype=np.int32),
        segment_index=np.ones(n, dtype=np.int32),
        outcome=np.array(["answered"] * n, dtype=object),
        wait_s=np.zeros(n),
        handle_s=np.full(n, 240.0),
        front_s=np.full(n, np.nan),
        use_handle=True,
        agent=np.array([fast.name, "someone else", None], dtype=object),
    )
    model = replace(base, agents=(fast, *base.agents[1:]), trace=trace)
    np.testing.assert_allclose(replay_contacts(model, 1, 0).handle_s, [300.0, 240.0, 240.0])


def test_logged_chat_times_are_brought_back_from_the_concurrency_they_were_worked_at():
    """Agent x answered chat A at 0 (100 s), chat B at 10 while holding A, chat C at 150 after
    both ended: only B's logged time was stretched (1 + stretch x 1 chat held). A phone call
    and a chat without a logged agent are left as they are."""
    from sim.arrivals.trace import _logged_stretch

    model = build_model(composed(), PROJECT_ROOT)
    types = model.contact_types
    chat = next(k for k, t in enumerate(types) if model.channel(t.channel).concurrency_stretch)
    phone = next(k for k, t in enumerate(types) if t.channel == "phone")
    stretch = model.channel(types[chat].channel).concurrency_stretch
    n = 5
    trace = Trace(
        source="hand",
        arrival_s=np.array([0.0, 10.0, 150.0, 20.0, 30.0]),
        type_index=np.array([chat, chat, chat, phone, chat], dtype=np.int32),
        segment_index=np.full(n, -1, dtype=np.int32),
        outcome=np.array(["answered"] * n, dtype=object),
        wait_s=np.zeros(n),
        handle_s=np.full(n, 100.0),
        front_s=np.zeros(n),
        use_handle=True,
        agent=np.array(["x", "x", "x", "x", None], dtype=object),
    )
    np.testing.assert_allclose(_logged_stretch(model, trace), [1, 1 + stretch, 1, 1, 1])
