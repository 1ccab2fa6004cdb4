"""Writing a run directory (`sim.rundir.write`): staging, the lock, model.json among the
files, summary.json last; through `run_scenario` and the command line, which are what write it."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from sim.rundir.read import read_facts
from tests.conftest import run, run_cli

SMALL = ("scenario=erlang", "scenario.hours=8", "scenario.patience_s=120", "scenario.vip_share=0.2")


def test_a_second_run_into_the_same_directory_leaves_only_its_own_files(tmp_path):
    """Same hydra.run.dir twice (different scenario options, seed and replications): every
    file is the second run's, nothing of the first remains, no staging or lock is left."""
    first = run_cli(tmp_path, *SMALL, "replications=3", "seed=1", "scenario.agents=12", report=True)
    assert first.returncode == 0, first.stderr
    (tmp_path / ".staging-999999").mkdir()  # a crashed run's leftovers
    (tmp_path / "error.txt").write_text("an earlier failure\n")
    second = run_cli(
        tmp_path, "scenario=erlang", "scenario.hours=6", "replications=2", "seed=2", report=True
    )
    assert second.returncode == 0, second.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["seed"] == 2 and summary["replications"] == 2
    contacts = pd.read_parquet(tmp_path / "contacts.parquet")
    assert sorted(contacts["replication"].unique()) == [0, 1]
    assert contacts["arrival_s"].max() < 6 * 3600
    agents = pd.read_parquet(tmp_path / "agents.parquet")
    assert sorted(agents["replication"].unique()) == [0, 1]
    intervals = pd.read_csv(tmp_path / "intervals.csv")
    assert intervals["offered"].sum() == pytest.approx(summary["kpis"]["all"]["offered"]["mean"])
    assert summary["staffing"]["agents"] != 12
    facts = read_facts(tmp_path)  # the second run's model: 6 hours of half hours
    assert facts.n_intervals == 12 and facts.interval_s == 1800.0
    report = (tmp_path / "report.html").read_text()
    assert f"<code>{tmp_path.name}</code>" in report and ".staging" not in report
    left = {p.name for p in tmp_path.iterdir()}
    assert not {n for n in left if n.startswith((".staging", ".ccsim.lock", "error.txt"))}
    assert not any(p.name.endswith(".part") for p in tmp_path.rglob("*"))


def test_a_directory_another_live_run_is_writing_is_refused(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        run(tmp_path, *SMALL, "replications=1")
        before = (tmp_path / "summary.json").read_bytes()
        (tmp_path / ".ccsim.lock").write_text(f"{sleeper.pid}\n")
        refused = run_cli(tmp_path, *SMALL, "replications=1")
        assert refused.returncode == 2
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "another run" in lines[0] and str(sleeper.pid) in lines[0]
        assert (tmp_path / "summary.json").read_bytes() == before  # left alone
        assert (tmp_path / ".ccsim.lock").read_text().strip() == str(sleeper.pid)
    finally:
        sleeper.kill()
        sleeper.wait()
    # Its process gone, the lock is stale: taken over, and removed at the end.
    again = run_cli(tmp_path, *SMALL, "replications=1")
    assert again.returncode == 0, again.stderr
    assert not (tmp_path / ".ccsim.lock").exists() and (tmp_path / "summary.json").is_file()


def test_every_output_is_in_place_and_complete_before_the_summary(tmp_path, monkeypatch):
    """The report, figures and tables are written in staging and renamed into place; the
    summary comes last. A crash while writing leaves a directory that does not look finished."""
    from sim.rundir import write as outputs

    seen = {}
    real = outputs.write_json_atomically

    def check_then_write(path, data):
        run_dir = path.parent
        seen["report"] = (run_dir / "report.html").read_text().rstrip().endswith("</html>")
        seen["model"] = json.loads((run_dir / "model.json").read_text())["interval_s"]
        seen["figures"] = len(list((run_dir / "figures").glob("*.png")))
        seen["parts"] = [p.name for p in run_dir.rglob("*") if p.name.endswith(".part")]
        seen["staging"] = [p.name for p in run_dir.glob(".staging-*")]
        real(path, data)

    monkeypatch.setattr(outputs, "write_json_atomically", check_then_write)
    run(tmp_path, *SMALL, "replications=1", report=True)
    assert seen == {
        "report": True,
        "model": 1800.0,
        "figures": seen["figures"],
        "parts": [],
        "staging": [],
    }
    assert seen["figures"] > 3

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    import sim.pages.run

    monkeypatch.setattr(sim.pages.run, "render_run_report", crash)
    with pytest.raises(RuntimeError):
        run(tmp_path, *SMALL, "replications=1", "seed=5", report=True)
    assert not (tmp_path / "summary.json").exists() and not (tmp_path / ".ccsim.lock").exists()
