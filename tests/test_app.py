"""The app's `report` key: report.html for a single run, not for a sweep's jobs unless asked,
never with report=false; a bad value is an input error."""

from __future__ import annotations

import pytest

from sim.errors import ConfigError
from sim.run import report_wanted, run_scenario
from tests.conftest import composed, run_cli
from tests.test_sweep import multirun

SMALL = ("scenario=erlang", "scenario.hours=2", "scenario.patience_s=300", "replications=2")


def test_report_key_auto_is_on_for_a_single_run_and_off_in_a_sweep():
    assert report_wanted({}, in_sweep=False) and not report_wanted({}, in_sweep=True)
    assert report_wanted({"report": "auto"}, in_sweep=False)
    assert not report_wanted({"report": "auto"}, in_sweep=True)
    for in_sweep in (False, True):
        assert report_wanted({"report": True}, in_sweep)
        assert not report_wanted({"report": False}, in_sweep)


@pytest.mark.parametrize("value", ["yes", "off", 1, 0, None, ["auto"]])
def test_a_bad_report_value_is_an_input_error_and_writes_nothing(tmp_path, value):
    cfg = composed(*SMALL)
    cfg["report"] = value
    with pytest.raises(ConfigError, match="report: expected auto, true or false"):
        run_scenario(cfg, tmp_path / "run")
    assert not (tmp_path / "run").exists()


def test_a_single_run_writes_its_report_and_report_false_does_not(tmp_path):
    result = run_cli(tmp_path, *SMALL, report=None)  # the default: auto
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "report.html").is_file() and (tmp_path / "figures").is_dir()
    # The same directory again without a report: the previous run's report goes too.
    result = run_cli(tmp_path, *SMALL, report=False)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "summary.json").is_file() and (tmp_path / "intervals.csv").is_file()
    assert (tmp_path / "contacts.parquet").is_file()
    assert not (tmp_path / "report.html").exists() and not (tmp_path / "figures").exists()


def test_sweep_jobs_write_no_report_unless_asked_and_the_sweep_page_still_builds(tmp_path):
    result = multirun(tmp_path, *SMALL, "report=auto,true,false")
    assert result.returncode == 0, result.stderr
    for job in range(3):
        assert (tmp_path / str(job) / "summary.json").is_file()
    assert not (tmp_path / "0" / "report.html").exists()  # auto, in a sweep
    assert (tmp_path / "1" / "report.html").is_file()  # true
    assert not (tmp_path / "2" / "report.html").exists()  # false
    assert (tmp_path / "sweep.html").is_file() and (tmp_path / "sweep.csv").is_file()
    assert len((tmp_path / "sweep.csv").read_text().splitlines()) == 4
