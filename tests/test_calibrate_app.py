"""`python -m sim.calibrate`: the round trip (simulate a known scenario, calibrate on its
contacts.parquet, recover the truth, re-simulate and reproduce it) and bad logs via the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibrate.app import main
from sim.calibrate.patience import kaplan_meier
from sim.paths import PROJECT_ROOT
from sim.run import run_scenario

DAYS = 20
PATIENCE = {"vip": 300.0, "regular": 180.0}  # exponential means
HANDLE = {"orders": ("lognormal", 240.0), "complaints": ("gamma", 420.0)}


def known_config() -> dict:
    """One phone channel, two types on their own queues (one multi-skilled agent), two
    segments of equal priority, exponential patience per segment, no wrap-up, shifts (two
    agents with a break at the morning peak), busyness CV 0.1; 20 replications serve as 20
    days."""
    hours = (np.arange(48) + 0.5) / 2
    open_ = (hours > 8) & (hours < 20)
    curve = open_ * (
        0.6
        + 0.7 * np.exp(-(((hours - 10.5) / 1.5) ** 2))
        + 0.5 * np.exp(-(((hours - 15) / 1.5) ** 2))
    )
    return {
        "seed": 7,
        "replications": DAYS,
        "progress": False,
        "targets": {"threshold_s": 20, "service_level": 0.8},
        "scenario": {
            "name": "known",
            "interval_min": 30,
            "busyness_cv": 0.1,
            "channels": {"phone": {"open": "08:00", "close": "20:00"}},
            "segments": {"vip": {"share": 0.2, "priority": 0}, "regular": {"priority": 0}},
            "contact_types": {
                "orders": {
                    "channel": "phone",
                    "skill": "orders",
                    "handle": {"dist": "lognormal", "mean": 240, "cv": 0.8},
                },
                "complaints": {
                    "channel": "phone",
                    "skill": "complaints",
                    "handle": {"dist": "gamma", "mean": 420, "cv": 0.6},
                },
            },
            "patience": {
                "phone": {s: {"dist": "exponential", "mean": m} for s, m in PATIENCE.items()}
            },
            "forecast": {
                "values": {
                    "orders": np.round(30 * curve, 3).tolist(),
                    "complaints": np.round(6 * curve, 3).tolist(),
                }
            },
        },
        "roster": {
            "name": "known",
            "agents": [
                {"agent": "a", "count": 2, "skills": "orders", "start": "08:00", "end": "14:00"},
                {
                    "agent": "e",
                    "count": 2,
                    "skills": "orders",
                    "start": "08:00",
                    "end": "14:00",
                    "breaks": "11:00+20",
                },
                {"agent": "b", "count": 2, "skills": "orders", "start": "09:00", "end": "13:00"},
                {"agent": "c", "count": 4, "skills": "orders", "start": "14:00", "end": "20:00"},
                {"agent": "d", "count": 2, "skills": "orders", "start": "13:30", "end": "17:30"},
                {"agent": "s", "skills": "complaints", "start": "08:00", "end": "14:00"},
                {"agent": "t", "skills": "complaints", "start": "14:00", "end": "20:00"},
                {"agent": "f", "skills": "orders;complaints", "start": "10:00", "end": "16:00"},
            ],
        },
        "routing": {"name": "fifo", "discipline": "fifo"},
    }


def sim_cli(cwd: Path, run_dir: Path, *overrides: str) -> subprocess.CompletedProcess:
    """`python -m sim` as a user runs it from `cwd`, with this checkout's sim and the
    calibrated configs of `cwd/configs` on Hydra's search path."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            f"hydra.searchpath=[file://{cwd / 'configs'}]",
            f"hydra.run.dir={run_dir}",
            "progress=false",
            *overrides,
        ],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )


# The round trip simulates 2 x 20 days and calibrates: about 30 s on two cores.
slow = pytest.mark.slow


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("round_trip")
    original = base / "original"
    run_scenario(known_config(), original)
    root = base / "root"
    code = main(
        [
            str(original / "contacts.parquet"),
            "--name",
            "recovered",
            "--map",
            "type=contact_type,arrival=arrival_s",
            "--day-column",
            "replication",
            "--root",
            str(root),
        ]
    )
    assert code == 0
    again = base / "again"
    done = sim_cli(
        root, again, "scenario=recovered", "routing=fifo", f"replications={DAYS}", "seed=8"
    )
    assert done.returncode == 0, done.stderr
    return {
        "original": original,
        "root": root,
        "again": again,
        "estimates": json.loads((root / "scenarios/recovered/calibration.json").read_text()),
    }


@slow
def test_files_written(round_trip):
    root = round_trip["root"]
    assert (root / "configs/scenario/recovered.yaml").is_file()
    assert (root / "configs/roster/recovered.yaml").is_file()
    data = root / "scenarios/recovered"
    for name in ["forecast.csv", "roster.csv", "calibration.json", "calibration.html"]:
        assert (data / name).is_file(), name
    page = (data / "calibration.html").read_text()
    assert page.count("data:image/png;base64,") == 5
    assert sorted(p.name for p in (data / "figures").iterdir()) == [
        "arrivals.png",
        "handle.png",
        "patience.png",
        "segments.png",
        "staffing.png",
    ]


@slow
def test_rates_recovered(round_trip):
    estimates = round_trip["estimates"]
    scenario = known_config()["scenario"]
    assert estimates["days"]["n"] == DAYS
    for name in ["orders", "complaints"]:
        truth = np.array(scenario["forecast"]["values"][name])
        got = estimates["types"][name]
        ci = np.array(got["rate_ci95"], dtype=float)
        busy = truth > 0
        inside = (ci[busy, 0] <= truth[busy]) & (truth[busy] <= ci[busy, 1])
        assert inside.mean() >= 0.85, (name, inside.mean())
        assert np.all(np.array(got["rate_per_interval"])[~busy] == 0)
    busyness = estimates["busyness"]
    assert busyness["ci95"][0] <= 0.1 <= busyness["ci95"][1]


@slow
def test_handle_recovered(round_trip):
    for name, (family, mean) in HANDLE.items():
        handle = round_trip["estimates"]["types"][name]["handle"]
        assert handle["mean_ci95"][0] <= mean <= handle["mean_ci95"][1]
        assert handle["chosen"] == family
        assert not handle["aht_varies"]


@slow
def test_patience_recovered(round_trip):
    contacts = pd.read_parquet(round_trip["original"] / "contacts.parquet")
    for name in HANDLE:
        patience = round_trip["estimates"]["types"][name]["patience"]
        assert set(patience) == set(PATIENCE)  # per segment: each had enough abandons
        for segment, mean in PATIENCE.items():
            mle = patience[segment]["exponential_mle"]
            assert mle["ci95"][0] <= mean <= mle["ci95"][1], (name, segment, mle)
            rows = contacts[(contacts["contact_type"] == name) & (contacts["segment"] == segment)]
            km = kaplan_meier(
                rows["wait_s"].to_numpy(), (rows["outcome"] == "abandoned").to_numpy()
            )
            lo, hi = km.band_at(np.array([60.0]))
            assert lo[0] <= np.exp(-60.0 / mean) <= hi[0]


@slow
def test_resimulation_reproduces_service_level_and_abandonment(round_trip):
    before = pd.read_csv(round_trip["original"] / "intervals.csv")
    after = pd.read_csv(round_trip["again"] / "intervals.csv")
    both = before.merge(after, on=["queue", "interval"], suffixes=("_0", "_1"))
    both = both[both["offered_0"] >= 3]
    for metric in ["service_level", "abandon_rate"]:
        a, b = both[f"{metric}_0"], both[f"{metric}_1"]
        half = np.hypot(
            (both[f"{metric}_hi_0"] - both[f"{metric}_lo_0"]) / 2,
            (both[f"{metric}_hi_1"] - both[f"{metric}_lo_1"]) / 2,
        )
        agree = (a - b).abs() <= half
        assert agree.mean() >= 0.9, (metric, agree.mean())
    s0 = json.loads((round_trip["original"] / "summary.json").read_text())["kpis"]
    s1 = json.loads((round_trip["again"] / "summary.json").read_text())["kpis"]
    for group in ["all", "queue=orders", "queue=complaints"]:
        for metric in ["service_level", "abandon_rate"]:
            lo, hi = s0[group][metric]["ci95"]
            assert lo <= s1[group][metric]["mean"] <= hi, (group, metric)


@slow
def test_an_existing_scenario_is_not_overwritten(round_trip, capsys):
    root = round_trip["root"]
    args = [
        str(round_trip["original"] / "contacts.parquet"),
        "--name",
        "recovered",
        "--root",
        str(root),
    ]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ccsim: error: ") and "--force" in err and "\n" not in err


HEADER = "arrival,type,wait_s,outcome,handle_s\n09:00:00,orders,12,answered,200\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "arrival,type,outcome,handle_s\n09:00:00,orders,answered,200\n",
            "wait_s: required column",
        ),
        (HEADER + "half past nine,orders,5,answered,180\n", "arrival: line 3"),
        (HEADER + "09:01:00,orders,-5,abandoned,\n", "wait_s: line 3"),
        (HEADER + "09:01:00,orders,5,hung_up,\n", "outcome: line 3"),
    ],
)
def test_bad_logs_exit_2_with_one_line(tmp_path: Path, text, expected, capsys):
    log = tmp_path / "log.csv"
    log.write_text(text)
    assert main([str(log), "--name", "x", "--root", str(tmp_path)]) == 2
    lines = capsys.readouterr().err.strip().split("\n")
    assert len(lines) == 1
    assert lines[0].startswith(f"ccsim: error: {log}: ") and expected in lines[0]
    assert not (tmp_path / "configs").exists() and not (tmp_path / "scenarios").exists()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--name", "a b"], "ccsim: error: --name: a b: use letters"),
        (["--name", "x", "--days", "weekday"], "ccsim: error: --days: weekday: day-of-week"),
        (["--name", "x", "--map", "type"], "ccsim: error: --map: type: write ours=theirs"),
        (["--name", "x", "--day-column", "shift"], "column asked for is not in the log"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, options, expected, capsys):
    log = tmp_path / "log.csv"
    log.write_text("arrival,type,wait_s,outcome,handle_s\n0,orders,1,answered,9\n")
    assert main([str(log), "--root", str(tmp_path), *options]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and expected in err


def test_the_command_line_as_a_user_runs_it(tmp_path: Path):
    log = tmp_path / "log.csv"
    log.write_text(HEADER + "09:01:00,orders,abc,answered,180\n")
    done = subprocess.run(
        [sys.executable, "-m", "sim.calibrate", str(log), "--name", "x", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert (
        done.stderr.strip() == f"ccsim: error: {log}: wait_s: line 3: cannot read 'abc' as a number"
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "the following arguments are required"),
        (["x.csv", "--name", "n", "--interval-min", "20"], "invalid choice"),
    ],
)
def test_usage_mistakes_are_one_line_too(argv, expected, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("ccsim: error: ") and expected in err and "\n" not in err
