"""Bad input ends in one clear line naming the file, the field and what is allowed; exit code 2;
no traceback; and no summary.json, so nothing looks complete."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli

ERLANG = ("scenario=erlang", "replications=1", "scenario.hours=1")


def roster_csv(tmp_path, text: str) -> str:
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return str(path)


def assert_user_error(result, run_dir, *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("ccsim: error:")
    for text in expected:
        assert text in message, message
    assert not (run_dir / "summary.json").exists()


def test_negative_rate(tmp_path):
    result = run_cli(tmp_path / "run", *ERLANG, "scenario.rate_per_hour=-5")
    assert_user_error(result, tmp_path / "run", "scenario.forecast", "values.calls", ">= 0")


def test_skill_no_agent_holds(tmp_path):
    result = run_cli(tmp_path / "run", *ERLANG, "scenario.contact_types.calls.skill=billing")
    assert_user_error(result, tmp_path / "run", "skills", "'billing'", "skills held: ['calls']")


def test_shift_ending_before_it_starts(tmp_path):
    path = roster_csv(tmp_path, "agent,skills,start,end\nwang_fang,calls,17:00,09:00\n")
    result = run_cli(tmp_path / "run", *ERLANG, "roster=holiday_peak", f"roster.file={path}")
    assert_user_error(result, tmp_path / "run", "roster.csv", "end", "line 2", "before it starts")


def test_roster_csv_missing_a_column(tmp_path):
    path = roster_csv(tmp_path, "agent,skills,start\nwang_fang,calls,09:00\n")
    result = run_cli(tmp_path / "run", *ERLANG, "roster=holiday_peak", f"roster.file={path}")
    assert_user_error(result, tmp_path / "run", "roster.csv", "end", "missing column", "required")


def test_unknown_distribution(tmp_path):
    result = run_cli(
        tmp_path / "run", *ERLANG, "scenario.contact_types.calls.handle={dist:weibull,mean:180}"
    )
    assert_user_error(
        result, tmp_path / "run", "handle.dist", "'weibull'", "exponential, deterministic"
    )


@pytest.mark.parametrize(
    "override, expected",
    [
        ("replications=0", "replications"),
        ("seed=-1", "seed"),
        ("scenario.interval_min=0", "interval_min"),
    ],
)
def test_bad_run_settings(tmp_path, override, expected):
    result = run_cli(tmp_path / "run", *ERLANG, override)
    assert_user_error(result, tmp_path / "run", expected)
