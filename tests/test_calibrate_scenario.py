"""The written scenario: files, loadable by the config reader as is, no overwrite without
--force; and what each estimate becomes in it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.calibrate.calibration import calibrate_log
from sim.calibrate.days import select_days
from sim.calibrate.scenario import write_scenario
from sim.distributions import Empirical, Survival
from sim.errors import ConfigError
from sim.inputs.config import build_model


def synthetic_log(days: int = 6, seed: int = 1) -> pd.DataFrame:
    """A normalised log (sim.inputs.contact_log's frame): phone calls through an IVR (some contained),
    two-humped chat handle times, two segments, agent ids; times in seconds from day 0."""
    rng = np.random.default_rng(seed)
    rows = []
    for day in range(days):
        for type_, channel, n in [("calls", "phone", 400), ("chats", "chat", 300)]:
            arrival = day * 86400 + rng.uniform(9 * 3600, 17 * 3600, n)
            for k in range(n):
                contained = channel == "phone" and rng.random() < 0.2
                patience = rng.exponential(120.0)
                wait = rng.exponential(40.0)
                gave_up = not contained and patience < wait
                handle = (
                    rng.lognormal(np.log(200), 0.5)
                    if channel == "phone"
                    else (rng.normal(60, 5) if rng.random() < 0.5 else rng.normal(500, 20))
                )
                outcome = "contained" if contained else ("abandoned" if gave_up else "answered")
                rows.append(
                    {
                        "arrival_s": arrival[k],
                        "type": type_,
                        "channel": channel,
                        "segment": "vip" if rng.random() < 0.25 else "regular",
                        "outcome": outcome,
                        "wait_s": np.nan if contained else min(patience, wait),
                        "handle_s": handle if outcome == "answered" else np.nan,
                        "front_s": rng.gamma(4, 10) if channel == "phone" else 0.0,
                        "agent": f"{channel}_{rng.integers(8)}" if outcome == "answered" else None,
                    }
                )
    frame = pd.DataFrame(rows).sort_values("arrival_s").reset_index(drop=True)
    frame["day"] = (frame["arrival_s"] // 86400).astype(int)
    frame["line"] = np.arange(2, len(frame) + 2)
    return frame


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    root = tmp_path_factory.mktemp("root")
    cal = calibrate_log(select_days(synthetic_log(), None), "log.csv", 1800.0)
    write_scenario(cal, "syn", root, force=False)
    return root


def load(root: Path, name: str) -> dict:
    scenario = yaml.safe_load((root / f"configs/scenario/{name}.yaml").read_text())
    roster = yaml.safe_load((root / f"configs/roster/{name}.yaml").read_text())
    assert scenario.pop("defaults") == [{"override /roster@_global_.roster": name}]
    return {"scenario": scenario, "roster": roster}


def test_the_written_scenario_loads(written, monkeypatch):
    monkeypatch.chdir(written)  # the data files are named relative to the project root
    cfg = load(written, "syn")
    model = build_model(cfg, written)
    types = {t.name: t for t in model.contact_types}
    assert set(types) == {"calls", "chats"}
    assert types["calls"].contained == pytest.approx(0.2, abs=0.02)
    phone = model.channel("phone")
    assert phone.front_end is not None and phone.front_end.kind == "ivr"
    assert phone.front_end.time.mean == pytest.approx(40, rel=0.05)
    assert model.channel("chat").front_end is None
    # chats are two-humped: written as the sample itself
    assert isinstance(types["chats"].handle, Empirical)
    assert types["calls"].handle.mean == pytest.approx(200 * np.exp(0.125), rel=0.05)
    # patience per segment from Kaplan-Meier, exponential truth of mean 120 s
    for segment in ["vip", "regular"]:
        dist = model.patience_of(0, [s.name for s in model.segments].index(segment))
        assert isinstance(dist, Survival)
        assert dist.mean == pytest.approx(120, rel=0.2)
    assert dict(types["calls"].segment_mix or ())["vip"] == pytest.approx(0.25, abs=0.03)
    assert len(model.agents) > 0


def test_estimates_saved_beside(written):
    estimates = json.loads((written / "scenarios/syn/calibration.json").read_text())
    assert estimates["days"]["n"] == 6
    assert estimates["types"]["chats"]["handle"]["chosen"] == "empirical"
    assert estimates["staffing"]["method"] == "agents seen working"
    assert estimates["not_estimated"]


def test_existing_name_refused_and_force_replaces(written):
    cal = calibrate_log(select_days(synthetic_log(days=2, seed=2), None), "other.csv", 1800.0)
    with pytest.raises(ConfigError, match="already exists"):
        write_scenario(cal, "syn", written, force=False)
    write_scenario(cal, "syn", written, force=True)
    estimates = json.loads((written / "scenarios/syn/calibration.json").read_text())
    assert estimates["days"]["n"] == 2 and estimates["source"] == "other.csv"
    assert not list((written / "scenarios").glob(".syn.staging-*"))


def test_without_agent_ids_staffing_comes_from_busy_agents(tmp_path: Path, monkeypatch):
    log = synthetic_log(days=2).drop(columns=["agent"])
    cal = calibrate_log(select_days(log, None), "log.csv", 1800.0)
    assert cal.staffing.method == "busy while waiting"
    assert {p.name for p in cal.staffing.pools} == {"phone", "chat"}
    assert any("no agent ids" in note for note in cal.notes)
    write_scenario(cal, "nobody", tmp_path, force=False)
    monkeypatch.chdir(tmp_path)
    build_model(load(tmp_path, "nobody"), tmp_path)


def test_aht_over_the_day_written_as_forecast_columns(tmp_path: Path, monkeypatch):
    log = synthetic_log(days=3)
    afternoon = (log["arrival_s"] % 86400 > 13 * 3600) & (log["type"] == "calls")
    log.loc[afternoon, "handle_s"] *= 1.6
    cal = calibrate_log(select_days(log, None), "log.csv", 1800.0)
    assert cal.handle["calls"].aht is not None
    write_scenario(cal, "aht", tmp_path, force=False)
    forecast = pd.read_csv(tmp_path / "scenarios/aht/forecast.csv")
    assert "calls_aht" in forecast.columns
    monkeypatch.chdir(tmp_path)
    model = build_model(load(tmp_path, "aht"), tmp_path)
    factor = model.demand.handle_factor
    assert factor is not None
    calls = [t.name for t in model.contact_types].index("calls")
    assert factor[calls, 30] / factor[calls, 20] == pytest.approx(1.6, rel=0.15)


def test_a_bad_name_is_refused(tmp_path: Path):
    cal = calibrate_log(select_days(synthetic_log(days=1), None), "log.csv", 1800.0)
    with pytest.raises(ConfigError, match="letters, digits"):
        write_scenario(cal, "../up", tmp_path, force=False)


def test_same_log_same_files(tmp_path: Path):
    log = synthetic_log(days=2)
    first = {}
    for force in (False, True):
        cal = calibrate_log(select_days(log, None), "log.csv", 1800.0)
        write_scenario(cal, "same", tmp_path, force=force)
        folder = tmp_path / "scenarios/same"
        data = {p.name: p.read_bytes() for p in sorted(folder.glob("*.*"))}
        assert "calibration.json" in data and any(n.startswith("patience_") for n in data)
        data["yaml"] = (tmp_path / "configs/scenario/same.yaml").read_bytes()
        if not first:
            first = data
    assert data == first


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("type", "a;b", "may not hold ';'"),
        ("type", "calls_aht", "end in _aht"),
        ("segment", "all", "reserved"),
    ],
)
def test_names_the_files_cannot_hold_are_refused(column, value, message):
    log = synthetic_log(days=1)
    log.loc[5, column] = value
    with pytest.raises(ConfigError, match=f"{column}: line 7: .*{message}"):
        calibrate_log(select_days(log, None), "log.csv", 1800.0)
