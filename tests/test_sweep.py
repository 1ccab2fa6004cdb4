"""Hydra multirun sweeps: every job's run directory, the sweep report, failed jobs, launchers."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from hydra import compose, initialize_config_dir

from sim.paths import PROJECT_ROOT
from sim.sweep import main as sweep_main
from tests.conftest import CONFIGS

SWEEP = ("scenario=erlang", "scenario.hours=6", "scenario.patience_s=300", "replications=4")


def multirun(sweep_dir, *overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "-m",
            "progress=false",
            f"hydra.sweep.dir={sweep_dir}",
            *overrides,
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    sweep_dir = tmp_path_factory.mktemp("sweep")
    # agents=0 is invalid: that job fails, the others must not be lost.
    result = multirun(sweep_dir, *SWEEP, "scenario.agents=11,15,16,0")
    (sweep_dir / "result.txt").write_text(f"{result.returncode}\n{result.stderr}")
    return sweep_dir


def test_a_sweep_with_failed_jobs_exits_non_zero_after_the_others(sweep):
    returncode, stderr = (sweep / "result.txt").read_text().split("\n", 1)
    assert returncode == "1"
    assert "ccsim: error: 1 of the sweep's jobs failed (job 3)" in stderr.splitlines()[-1]
    assert (sweep / "sweep.csv").is_file() and (sweep / "2" / "summary.json").is_file()
    assert (sweep / "sweep.html").is_file()  # the callback wrote the page (tests/pages)


def test_every_job_has_its_run_directory(sweep):
    for job in range(3):
        assert (sweep / str(job) / "summary.json").is_file()
        assert not (sweep / str(job) / "report.html").exists()  # report: auto, in a sweep
    assert (sweep / "3" / "error.txt").is_file() and not (sweep / "3" / "summary.json").exists()


def test_sweep_table_ranks_by_the_judgement_then_cost(sweep):
    table = pd.read_csv(sweep / "sweep.csv")
    assert len(table) == 4
    assert table["scenario.agents"].tolist() == [11, 15, 16, 0]
    assert table["status"].tolist() == ["ok", "ok", "ok", "failed"]
    assert "agents" in table.loc[3, "error"]
    ok = table[table["status"] == "ok"].set_index("scenario.agents")
    assert (
        not ok.loc[11, "meets_target"] and ok.loc[15, "meets_target"] and ok.loc[16, "meets_target"]
    )
    assert ok.loc[11, "level"] != "holds" and (ok.loc[[15, 16], "level"] == "holds").all()
    # The cheapest of all (11 agents) does not hold: it comes after both that do.
    assert ok["rank"].tolist() == [3, 1, 2] and ok["recommended"].tolist() == [False, True, False]
    assert (ok["paid_hours"].to_numpy() == [66, 90, 96]).all()


def test_without_costs_the_ranking_uses_paid_hours(sweep):
    table = pd.read_csv(sweep / "sweep.csv")
    assert table["cost"].isna().all() and (table["rank_by"].dropna() == "paid_hours").all()


def test_sweep_ranks_by_cost_when_every_variant_has_one(tmp_path):
    # More agents at a lower rate cost less than fewer at a higher one: by paid hours the two
    # 15-agent variants would come first.
    result = multirun(tmp_path, *SWEEP, "scenario.agents=15,16", "+roster.costs.agents=30,20")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(tmp_path / "sweep.csv").set_index("job")
    assert table["meets_target"].all() and (table["rank_by"] == "cost").all()
    assert table["scenario.agents"].tolist() == [15, 15, 16, 16]
    assert table["+roster.costs.agents"].tolist() == [30, 20, 30, 20]
    assert table["planned_cost"].tolist() == [2700, 1800, 2880, 1920]
    assert (table["cost"] >= table["planned_cost"]).all()  # the queue is cleared after close
    assert table["rank"].tolist() == [3, 1, 4, 2]
    assert (table["reference_job"] == 1).all()
    # With costs, the cost-judgement frontier: all hold, so only the cheapest is on it.
    assert (
        table["pareto"].tolist() == [False, True, False, False]
        and (tmp_path / "figures" / "sweep_frontier.png").is_file()
    )


def test_paired_differences_are_narrower_than_unpaired(sweep):
    table = pd.read_csv(sweep / "sweep.csv")
    assert (table["reference_job"].dropna() == 1).all()  # 15 agents: the cheapest that holds
    others = table[(table["status"] == "ok") & (table["job"] != 1)]
    paired = others["paired_hi_phone"] - others["paired_lo_phone"]
    unpaired = others["unpaired_hi_phone"] - others["unpaired_lo_phone"]
    assert (paired < unpaired).all()
    # More agents, better service: the differences have the right sign.
    diff = others.set_index("job")["diff_phone"]
    assert diff.loc[0] < 0 < diff.loc[2]
    # Per channel only: no difference blended over channels.
    assert "sl_diff" not in table and not any(c.endswith("_all") for c in table)


def test_sweep_table_says_per_channel_why_a_variant_misses(sweep):
    table = pd.read_csv(sweep / "sweep.csv").set_index("scenario.agents")
    ok = table[table["status"] == "ok"]
    assert "asa_s" not in table and {"sl_phone", "sl_phone_lo", "asa_phone"} <= set(table)
    assert (ok["level_phone"] == ok["level"]).all()  # one channel
    eleven = ok.loc[11]
    assert not eleven["met_phone"] and eleven["fails"].startswith("phone: ")
    assert "intervals below target" in eleven["fails"] or "over the run" in eleven["fails"]
    assert ok.loc[[15, 16], "fails"].isna().all() and ok.loc[[15, 16], "met_phone"].all()


def test_sweep_report_regenerates_from_the_directory(sweep, capsys):
    before = (sweep / "sweep.csv").read_text()
    (sweep / "sweep.csv").unlink()
    assert sweep_main([str(sweep)]) == 0
    assert (sweep / "sweep.csv").read_text() == before
    assert sweep_main([str(sweep / "missing")]) == 2
    assert sweep_main([str(sweep / "0")]) == 2  # a job, not a sweep


def test_joblib_launcher_runs_the_same_sweep_on_both_cores(tmp_path, sweep):
    """Two of the module sweep's variants again, on joblib's two processes: the same results,
    summary.json byte for byte, as the basic launcher's jobs."""
    result = multirun(
        tmp_path,
        *SWEEP,
        "scenario.agents=11,15",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
    )
    assert result.returncode == 0, result.stderr
    assert "Joblib" in result.stdout + result.stderr
    assert pd.read_csv(tmp_path / "sweep.csv")["status"].tolist() == ["ok", "ok"]
    for job in ("0", "1"):
        on_joblib = (tmp_path / job / "summary.json").read_bytes()
        assert on_joblib == (sweep / job / "summary.json").read_bytes(), job


@pytest.mark.parametrize(
    "launcher, target",
    [
        ("slurm", "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher"),
        ("ray_cluster", "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher"),
        ("joblib", "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"),
    ],
)
def test_cluster_launcher_configs_compose_and_their_plugins_import(launcher, target):
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose(
            config_name="config", overrides=[f"hydra/launcher={launcher}"], return_hydra_config=True
        )
    assert cfg.hydra.launcher._target_ == target
    module, _, name = target.rpartition(".")
    assert getattr(__import__(module, fromlist=[name]), name)


@pytest.mark.slow
def test_local_ray_run(tmp_path):
    result = multirun(
        tmp_path,
        *SWEEP,
        "scenario.agents=12,15",
        "hydra/launcher=ray",
        "+hydra.launcher.ray.init.num_cpus=2",
    )
    assert result.returncode == 0, result.stderr
    assert pd.read_csv(tmp_path / "sweep.csv")["status"].tolist() == ["ok", "ok"]
