"""`python -m sim.report DIR` (`sim.report`): rebuilds whatever page DIR holds, a run's report,
a staffing search's page or a sweep's, from its files alone; anything else, or a directory of
an older ccsim, is one line `ccsim: error: ...` and exit status 2."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from sim.pages.run_figures import FIGURE_NAMES
from sim.paths import PROJECT_ROOT
from sim.report import main
from sim.staffing.app import run_staffing
from tests.conftest import run
from tests.pages.test_sweep import make_sweep
from tests.test_staffing import _erlang_setup, _half_hours

SMALL = ("scenario=erlang", "scenario.hours=4", "replications=2")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("erlang")
    run(run_dir, *SMALL)
    return run_dir


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.report", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ccsim: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_the_cli_rebuilds_a_runs_report(small_run, tmp_path):
    copy = tmp_path / "run"
    shutil.copytree(small_run, copy)
    done = _cli(str(copy))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(copy / "report.html")
    assert len(list((copy / "figures").glob("*.png"))) == len(FIGURE_NAMES)


def test_the_cli_refuses_a_directory_that_holds_no_page(tmp_path):
    done = _cli(str(tmp_path))
    assert done.returncode == 2
    line = _one_error_line(done.stderr)
    assert "summary.json" in line and "missing" in line and "staffing.json" in line
    assert not (tmp_path / "report.html").exists()


def test_a_run_of_an_older_ccsim_is_refused(small_run, tmp_path, capsys):
    copy = tmp_path / "old"
    shutil.copytree(small_run, copy)
    (copy / "model.json").unlink()
    assert main([str(copy)]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert "older ccsim" in line and "re-run" in line
    assert main([str(tmp_path / "nowhere")]) == 2
    assert "no such directory" in _one_error_line(capsys.readouterr().err)


def test_a_usage_mistake_is_one_line_too(capsys):
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "python -m sim.report --help" in _one_error_line(capsys.readouterr().err)


def test_the_cli_rebuilds_a_staffing_search_page(tmp_path, capsys):
    cfg, _, _ = _erlang_setup(2, 200, _half_hours("01:30"), replications=2, max_evaluations=2)
    run_staffing({**cfg, "report": False, "progress": False}, tmp_path)
    assert not (tmp_path / "staffing.html").exists()
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "staffing.html")
    assert "<h1>Staffing search: erlang</h1>" in (tmp_path / "staffing.html").read_text()


def test_the_cli_rebuilds_a_sweeps_page(tmp_path, capsys):
    make_sweep(tmp_path, [["scenario.agents=12"], ["scenario.agents=15"]])
    (tmp_path / "sweep.csv").unlink()
    (tmp_path / "sweep.html").unlink()
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "sweep.html")
    assert (tmp_path / "sweep.csv").is_file() and (tmp_path / "sweep.html").is_file()
