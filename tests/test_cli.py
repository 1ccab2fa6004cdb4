"""`python -m sim` with a mistyped top-level key: one ccsim line naming the keys that exist."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sim.cli import top_level_keys, unknown_key_message
from sim.paths import PROJECT_ROOT
from sim.report import main as report_main
from sim.sweep import main as sweep_main
from tests.conftest import composed, run_cli
from tests.validation_inputs.test_errors import assert_user_error


def test_mistyped_top_level_key_names_the_keys_that_exist(tmp_path):
    result = run_cli(tmp_path / "run", "replicatons=3")
    assert_user_error(
        result,
        tmp_path / "run",
        "config: replicatons: unknown key; allowed:",
        "seed",
        "replications",
        "scenario",
    )
    assert "Could not override" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_mistyped_nested_key_names_the_sections_keys(tmp_path):
    result = run_cli(tmp_path / "run", "scenario.busynes_cv=0")
    assert_user_error(
        result,
        tmp_path / "run",
        "config: scenario.busynes_cv: unknown key; scenario's keys:",
        "busyness_cv",
        "contact_types",
    )
    assert "Could not override" not in result.stderr


def test_unknown_key_messages_for_every_depth():
    from hydra.errors import ConfigCompositionException

    def message(key: str) -> str | None:
        return unknown_key_message(ConfigCompositionException(f"Could not override '{key}'."))

    assert "targets's keys: abandon_max, asa_max_s, channels" in str(message("targets.treshold_s"))
    deep = str(message("scenario.channels.phone.opn"))
    assert "scenario.channels.phone.opn: unknown key (or +" in deep  # no list that deep
    assert message("replications") is None  # a real key: Hydra's error is about something else
    assert message("hydra.run.dri") is None


def test_top_level_keys_are_those_of_the_composed_config():
    assert set(top_level_keys()) == set(composed()) - {"hydra"}


def test_other_hydra_errors_are_left_to_hydra(tmp_path):
    result = run_cli(tmp_path / "run", "scenario=no_such_scenario")
    assert "Could not find 'scenario/no_such_scenario'" in result.stderr
    assert "ccsim: error" not in result.stderr


def test_help_describes_ccsim():
    """`--help` of every entry point: Hydra's apps show ccsim's own text (configs/hydra/help)."""
    apps = {
        name: subprocess.Popen(
            [sys.executable, "-m", name, *args, "--help"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=PROJECT_ROOT,
        )
        # a roster without `extra` agents (erlang) must not break the help's current values
        for name, args in (("sim", []), ("sim.staffing", ["scenario=erlang"]))
    }
    for name, app in apps.items():
        out, err = app.communicate()
        assert app.returncode == 0, err
        assert out.startswith("ccsim: a discrete-event contact-centre simulator"), name
        for text in ("python -m sim -m", "scenario: ", "erlang", "routing: ", "README.md"):
            assert text in out, (name, text)
        assert "seed=N" in out and "[20261111]" in out  # the current value, from the config
        assert "powered by Hydra" not in out
        shown = "[none in this roster]" if name == "sim.staffing" else "[0]"
        assert f"(holiday temps) {shown}" in out


@pytest.mark.parametrize(
    ("main", "usage"), [(sweep_main, "sim.sweep"), (report_main, "sim.report")]
)
def test_tools_have_help(main, usage, capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: python -m {usage}")


def test_messages_are_logged_into_the_run_directory(tmp_path):
    """The result line and a later run's error go to stderr and into Hydra's app.log; bad input
    into an earlier run's directory leaves its files (only summary.json goes: its config no
    longer matches the directory's .hydra/)."""
    small = ("scenario=erlang", "scenario.hours=2", "replications=1")
    done = run_cli(tmp_path, *small)
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    sl = summary["kpis"]["channel=phone"]["service_level"]["mean"]
    level = summary["verdict"]["phone"]["level"]
    line = f"ccsim: erlang: {level}: phone {sl:.1%} {level}; outputs in {tmp_path}"
    assert line in done.stderr and line in (tmp_path / "app.log").read_text()
    bad = run_cli(tmp_path, *small, "replications=0")
    assert bad.returncode == 2
    log = (tmp_path / "app.log").read_text()
    assert line in log and f"[ERROR] - {bad.stderr.strip()}" in log
    assert (tmp_path / "contacts.parquet").is_file() and (tmp_path / ".hydra").is_dir()
