"""Reading a run directory (`sim.rundir.read`): the one loader of every page, the verdict and
the sweep, on a run made once for the module; directories that are not runs, or were written
by an older ccsim, are refused with one clear message."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
import yaml

from sim.analysis.summary import SCHEMA_VERSION
from sim.rundir.read import (
    RunDirError,
    collect_jobs,
    failed_jobs,
    load_run,
    load_staffing,
    read_facts,
    read_intervals,
)
from tests.conftest import run

SMALL = ("scenario=erlang", "scenario.hours=4", "replications=2")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("erlang")
    return run_dir, run(run_dir, *SMALL)


def copy_of(run_dir, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    return copy


def test_the_model_facts_come_from_model_json(small_run):
    run_dir, summary = small_run
    loaded = load_run(run_dir)
    assert loaded.summary == summary and loaded.name == run_dir.name
    assert (loaded.interval_s, loaded.n_intervals, loaded.horizon_s) == (1800.0, 8, 4 * 3600.0)
    assert loaded.edges.tolist() == [k * 1800.0 for k in range(9)]
    assert loaded.channels == ["phone"] and loaded.thresholds == {"phone": 20.0}
    assert loaded.target == summary["service_level"]["target"]
    assert loaded.replications == 2 and loaded.alerts is None and loaded.staffing_after is None
    facts = read_facts(run_dir)
    assert facts.channels[0].queues == ("calls",) and not facts.deferrable
    assert facts.monitor_period_s is None and facts.alerts == ()
    assert set(loaded.contacts["channel"]) == {"phone"}


def test_the_summary_passed_in_and_the_runs_name_when_read_from_staging(small_run, tmp_path):
    """The app renders the report from its staging directory before summary.json is written."""
    run_dir, summary = small_run
    staging = copy_of(run_dir, tmp_path)
    (staging / "summary.json").unlink()
    loaded = load_run(staging, summary, name="2026-11-22_holiday")
    assert loaded.name == "2026-11-22_holiday" and loaded.run_dir == staging


@pytest.mark.parametrize(
    ("remove", "edit", "words"),
    [
        ("summary.json", None, ["not a finished ccsim run", "missing summary.json"]),
        ("contacts.parquet", None, ["missing contacts.parquet"]),
        ("model.json", None, ["older ccsim", "no model.json", "re-run"]),
        (None, {"schema_version": None}, ["older ccsim", "no schema_version", "re-run"]),
        (
            None,
            {"schema_version": SCHEMA_VERSION + 1},
            [f"schema_version {SCHEMA_VERSION + 1}", f"reads {SCHEMA_VERSION}"],
        ),
    ],
)
def test_a_directory_that_is_not_this_versions_run_is_refused(
    small_run, tmp_path, remove, edit, words
):
    copy = copy_of(small_run[0], tmp_path)
    if remove:
        (copy / remove).unlink()
    if edit:
        summary = json.loads((copy / "summary.json").read_text())
        summary.update(edit)
        if edit["schema_version"] is None:
            del summary["schema_version"]
        (copy / "summary.json").write_text(json.dumps(summary))
    with pytest.raises(RunDirError) as raised:
        load_run(copy)
    message = str(raised.value)
    assert str(copy) in message and "\n" not in message
    for word in words:
        assert word in message


def test_model_json_of_another_layout_is_older(small_run, tmp_path):
    copy = copy_of(small_run[0], tmp_path)
    (copy / "model.json").write_text('{"interval_s": 1800}')
    with pytest.raises(RunDirError, match="model.json lacks this version's fields"):
        load_run(copy)
    with pytest.raises(RunDirError, match="no such directory"):
        load_run(tmp_path / "nowhere")


def test_a_staffing_search_result_beside_the_run_is_read(small_run, tmp_path):
    copy = copy_of(small_run[0], tmp_path)
    shutil.copy(copy / "intervals.csv", copy / "intervals_after.csv")
    assert load_run(copy).staffing_after is None  # no staffing.json: not a search's result
    (copy / "staffing.json").write_text("{}")
    after = load_run(copy).staffing_after
    assert (
        after is not None and after["queue"].tolist() == load_run(copy).intervals["queue"].tolist()
    )


def test_interval_tables_read_their_names_as_text(tmp_path):
    path = tmp_path / "intervals.csv"
    pd.DataFrame(
        {"interval": [0], "start": ["00:00"], "channel": ["1"], "queue": ["2"], "offered": [3.0]}
    ).to_csv(path, index=False)
    table = read_intervals(path)
    assert table["queue"].tolist() == ["2"] and table["start"].tolist() == ["00:00"]
    pd.DataFrame({"interval": [0]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match="lacks the columns channel, offered, queue, start"):
        read_intervals(path)


def test_a_staffing_search_directory_needs_its_files(small_run, tmp_path):
    with pytest.raises(RunDirError, match="not a staffing search run directory: missing"):
        load_staffing(small_run[0])


def _job(sweep_dir, number: int, overrides: list[str]):
    job_dir = sweep_dir / str(number)
    (job_dir / ".hydra").mkdir(parents=True)
    (job_dir / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
    return job_dir


def test_collect_jobs_reads_finished_jobs_and_names_the_others(small_run, tmp_path):
    run_dir, summary = small_run
    sweep = tmp_path / "sweep"
    finished = _job(sweep, 0, ["scenario.agents=12"])
    for name in ("summary.json", "model.json", "intervals.csv", "contacts.parquet"):
        shutil.copy(run_dir / name, finished / name)
    failed = _job(sweep, 1, ["scenario.agents=x"])
    (failed / "error.txt").write_text("Traceback ...\nValueError: x\n")
    _job(sweep, 2, ["scenario.agents=14"])  # no summary: it did not finish
    jobs = collect_jobs(sweep)
    assert [j.number for j in jobs] == [0, 1, 2]
    assert jobs[0].summary == summary and jobs[0].interval_s == 1800.0
    assert jobs[0].overrides == {"scenario.agents": "12"}
    assert set(jobs[0].per_rep_sl) == {"phone"} and len(jobs[0].per_rep_sl["phone"]) == 2
    assert jobs[1].error is not None and jobs[1].error.endswith("ValueError: x")
    assert jobs[2].error == "did not finish"
    assert [j.number for j in failed_jobs(sweep)] == [1, 2]
