"""Bad input ends in one clear line naming the file, the field and what is allowed, and nothing
written. These run in-process (`run_scenario` raises the ConfigError whose text `python -m sim`
prints after `ccsim: error: `); the command line's part (exit code 2, that one line on stderr,
no traceback, no run directory) is checked for a table of bad inputs in
tests/validation_inputs/test_bad_inputs_cli.py."""

from __future__ import annotations

import pytest

from sim.errors import ConfigError
from tests.conftest import composed, run_config

ERLANG = ("scenario=erlang", "replications=1", "scenario.hours=1")


def roster_csv(tmp_path, text: str) -> str:
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return str(path)


def user_error(run_dir, *overrides: str) -> str:
    """The line `python -m sim OVERRIDES` prints for bad input; nothing may be written."""
    with pytest.raises(ConfigError) as err:
        run_config(composed(*overrides), run_dir)
    assert not run_dir.exists()
    return f"ccsim: error: {err.value}"


def assert_one_line(message: str, *expected: str) -> None:
    assert "\n" not in message
    for text in expected:
        assert text in message, message


def assert_user_error(result, run_dir, *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("ccsim: error:")
    for text in expected:
        assert text in message, message
    assert not (run_dir / "summary.json").exists()


def test_negative_rate(tmp_path):
    message = user_error(tmp_path / "run", *ERLANG, "scenario.rate_per_hour=-5")
    assert_one_line(message, "scenario.forecast", "values.calls", ">= 0")


def test_skill_no_agent_holds(tmp_path):
    message = user_error(tmp_path / "run", *ERLANG, "scenario.contact_types.calls.skill=billing")
    assert_one_line(message, "skills", "'billing'", "skills held: ['calls']")


def test_shift_ending_before_it_starts(tmp_path):
    path = roster_csv(tmp_path, "agent,skills,start,end\nwang_fang,calls,17:00,09:00\n")
    message = user_error(tmp_path / "run", *ERLANG, "roster=holiday_peak", f"roster.file={path}")
    assert_one_line(message, "roster.csv", "end", "line 2", "before it starts")


def test_roster_csv_missing_a_column(tmp_path):
    path = roster_csv(tmp_path, "agent,skills,start\nwang_fang,calls,09:00\n")
    message = user_error(tmp_path / "run", *ERLANG, "roster=holiday_peak", f"roster.file={path}")
    assert_one_line(message, "roster.csv", "end", "missing column", "required")


def test_unknown_distribution(tmp_path):
    message = user_error(
        tmp_path / "run", *ERLANG, "scenario.contact_types.calls.handle={dist:weibull,mean:180}"
    )
    assert_one_line(message, "handle.dist", "'weibull'", "exponential, deterministic")


@pytest.mark.parametrize(
    "override, expected",
    [
        ("replications=0", "replications"),
        ("seed=-1", "seed"),
        ("scenario.interval_min=0", "interval_min"),
    ],
)
def test_bad_run_settings(tmp_path, override, expected):
    message = user_error(tmp_path / "run", *ERLANG, override)
    assert_one_line(message, expected)
