"""A replayed contact log as the scenario's arrivals (`sim.inputs.trace`): the horizon it
makes, the column map, and the settings and rows that do not fit the scenario. Replaying it is
tests/test_replay.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import ConfigError
from sim.inputs.config import build_model
from tests.conftest import PROJECT_ROOT, composed

ERLANG = ("scenario=erlang", "scenario.patience_s=120", "scenario.agents=13", "workforce=none")


def replay_overrides(log: Path, *extra: str) -> tuple[str, ...]:
    return ("~scenario.forecast", f"+scenario.trace.file={log}", *extra)


def hand_log(
    tmp_path: Path, rows: list[str], header="arrival,type,wait_s,outcome,handle_s"
) -> Path:
    path = tmp_path / "log.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_the_horizon_is_the_logs_whole_days_or_the_scenarios_hours(tmp_path):
    log = hand_log(
        tmp_path,
        ["2026-11-11 09:00:05,calls,0,answered,200", "2026-11-12 10:30:00,calls,3,answered,150"],
    )
    cfg = composed(*ERLANG, *replay_overrides(log, "scenario.hours=48"))
    assert build_model(cfg, PROJECT_ROOT).demand.horizon_s == 48 * 3600
    cfg["scenario"]["hours"] = None  # (after the roster's shifts took 48 h from it)
    model = build_model(cfg, PROJECT_ROOT)
    assert model.demand.horizon_s == 2 * 86400  # the log's two days, whole
    assert model.demand.volumes.sum() == 2 and model.demand.volumes.shape[1] == 96
    cfg["scenario"]["hours"] = 24
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)  # ends before the log's last arrival
    assert (err.value.source, err.value.field) == ("scenario", "hours")
    assert "24 h ends before the last arrival" in err.value.problem


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ((), ["scenario", "forecast", "not both"]),
        (("+scenario.retrials={phone: {first: 0.5, delay: 60}}",), ["retrials"]),
        (("+scenario.trace.bogus=1",), ["scenario.trace", "bogus"]),
        (("+scenario.trace.handle=yes",), ["scenario.trace", "handle"]),
    ],
)
def test_conflicting_settings_are_refused(tmp_path, extra, words):
    log = hand_log(tmp_path, ["0,calls,0,answered,100"])
    overrides = [f"+scenario.trace.file={log}", *extra]
    if "not both" not in words:
        overrides.insert(0, "~scenario.forecast")
    with pytest.raises(ConfigError) as err:
        build_model(composed(*ERLANG, *overrides), PROJECT_ROOT)
    for word in words:
        assert word in str(err.value)


@pytest.mark.parametrize(
    ("header", "extra", "words"),
    [
        ("arrival,type,wait_s,outcome,handle_s,channel", "chat", ["channel", "line 2", "'chat'"]),
        ("arrival,type,wait_s,outcome,handle_s,segment", "gold", ["segment", "line 2", "'gold'"]),
        ("arrival,type,wait_s,outcome,handle_s", None, ["customer", "customers: true"]),
    ],
)
def test_rows_that_do_not_fit_the_scenario_are_named(tmp_path, header, extra, words):
    row = "0,calls,0,answered,100" + ("" if extra is None else f",{extra}")
    log = hand_log(tmp_path, [row], header=header)
    cfg = composed(*ERLANG, *replay_overrides(log, "+scenario.trace.customers=true"))
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    for word in words:
        assert word in str(err.value)


@pytest.mark.parametrize("column_map", ["{type: queue_name}", "'type=queue_name'"])
def test_a_column_map_renames_the_logs_columns(tmp_path, column_map):
    log = hand_log(
        tmp_path, ["0,calls,0,answered,100"], header="arrival,queue_name,wait_s,outcome,handle_s"
    )
    cfg = composed(*ERLANG, *replay_overrides(log, f"+scenario.trace.map={column_map}"))
    model = build_model(cfg, PROJECT_ROOT)
    assert model.trace is not None and model.trace.type_index.tolist() == [0]
