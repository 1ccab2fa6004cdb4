"""Calibration from an interval-counts report: rates, busyness and AHT; stand-ins said."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.calibrate.app import main
from sim.inputs.config import build_model


def counts_file(path: Path, aht: bool = True) -> Path:
    rng = np.random.default_rng(3)
    rows = []
    for d, date in enumerate(pd.date_range("2026-11-02", periods=7)):  # Mon..Sun
        for k in range(18, 40):  # 09:00-20:00 in 30-minute intervals
            row = {
                "date": date.date(),
                "interval": f"{k // 2:02d}:{k % 2 * 30:02d}",
                "type": "calls",
            }
            row["count"] = int(rng.poisson(20 if d < 5 else 8))
            if aht:
                row["aht_s"] = 300 if k < 28 else 240
            rows.append(row)
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_weekday_counts_give_a_scenario_that_loads(tmp_path: Path, monkeypatch, capsys):
    log = counts_file(tmp_path / "counts.csv")
    code = main(
        [str(log), "--counts", "--name", "wk", "--days", "weekday", "--root", str(tmp_path)]
    )
    assert code == 0, capsys.readouterr().err
    estimates = json.loads((tmp_path / "scenarios/wk/calibration.json").read_text())
    assert estimates["days"]["n"] == 5
    rates = np.array(estimates["types"]["calls"]["rate_per_interval"])
    assert rates[:18].sum() == 0 and rates[18:40].mean() == pytest.approx(20, abs=1.5)
    assert any("patience" in item for item in estimates["not_estimated"])
    assert "Erlang C" in estimates["staffing"]["method"]
    forecast = pd.read_csv(tmp_path / "scenarios/wk/forecast.csv")
    assert forecast["calls_aht"].iloc[20] == 300 and forecast["calls_aht"].iloc[30] == 240
    scenario = yaml.safe_load((tmp_path / "configs/scenario/wk.yaml").read_text())
    scenario.pop("defaults")
    roster = yaml.safe_load((tmp_path / "configs/roster/wk.yaml").read_text())
    monkeypatch.chdir(tmp_path)
    model = build_model({"scenario": scenario, "roster": roster}, tmp_path)
    assert model.patience_of(0, 0) is None  # not estimated: nobody abandons
    assert len(model.agents) > 0


def test_counts_without_aht_are_refused(tmp_path: Path, capsys):
    log = counts_file(tmp_path / "counts.csv", aht=False)
    assert main([str(log), "--counts", "--name", "x", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"ccsim: error: {log}: aht_s: ") and "\n" not in err


def test_coarser_intervals_than_asked_are_refused(tmp_path: Path, capsys):
    log = tmp_path / "hourly.csv"
    log.write_text(
        "date,interval,type,count,aht_s\n2026-11-02,09:00,calls,5,200\n2026-11-02,10:00,calls,6,200\n"
    )
    assert main([str(log), "--counts", "--name", "x", "--root", str(tmp_path)]) == 2
    assert "--interval-min 60" in capsys.readouterr().err
