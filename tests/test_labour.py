"""Labour rules through the CLI: the shipped roster against the default rules, strict mode
(exit 2), summary.json and the report. Reading the `labour:` section: tests/inputs/test_labour.py;
the rules themselves: tests/analysis/test_labour.py."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from sim.analysis.labour import RULES, check_planned
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.inputs.labour import rules_from_config
from sim.model import LabourRules
from sim.paths import PROJECT_ROOT
from tests.conftest import composed, run, run_cli, run_config

DEFAULTS = LabourRules()


def test_the_default_roster_against_the_default_rules():
    """holiday_peak keeps every default rule but one: hu_jun's late shift works 5 h 15 min
    before its first break (the limit is 5 h)."""
    cfg = composed()
    found = check_planned(build_model(cfg, PROJECT_ROOT), rules_from_config(cfg)[0])
    assert [(v.agent, v.rule, v.detail) for v in found] == [
        (
            "hu_jun",
            "work_without_break",
            "shift 13:00-22:00: 5.25 h of work 13:00-18:15 without a break of 15 min or more, "
            "longest allowed 5 h",
        )
    ]


def test_strict_turns_planned_violations_into_an_input_error(tmp_path):
    """The erlang scenario's textbook agents work 8 h without a break: two rules each."""
    cfg = composed("scenario=erlang", "scenario.hours=8", "labour.strict=true")
    with pytest.raises(ConfigError) as err:
        run_config(cfg, tmp_path / "run")
    assert err.value.source == "roster.agents"
    assert err.value.field == "labour.break_after_h"
    assert err.value.problem.startswith(
        "agent agent_001 (agents): shift 00:00-08:00 is 8 h with no break of 30 min or more; "
        "a shift over 6 h needs one; 27 more labour-rule violations"
    )
    assert not (tmp_path / "run").exists()  # nothing simulated, nothing written


STRICT_ROSTER = "agent,skills,start,end,breaks\nwang_fang,calls,00:00,11:30,04:00+30;08:00+15\n"


def test_strict_from_the_cli_exits_2_with_one_line(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(STRICT_ROSTER)
    result = run_cli(
        tmp_path / "run",
        "scenario=erlang",
        "scenario.hours=1",
        "replications=1",
        "roster=holiday_peak",
        f"roster.file={path}",
        "~roster.costs",  # (the holiday roster's rates name groups this roster lacks)
        "labour.strict=true",
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0] == (
        f"ccsim: error: {path}: labour.max_shift_h: agent wang_fang (agents): shift 00:00-11:30 "
        "is 11.5 h, longest allowed 10 h (labour.strict is true; labour.strict=false runs the "
        "roster and reports them)"
    )
    assert not (tmp_path / "run" / "summary.json").exists()


def test_without_strict_the_same_roster_runs_and_reports(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(STRICT_ROSTER)
    summary = run(
        tmp_path / "run",
        "scenario=erlang",
        "scenario.hours=1",
        "replications=1",
        "roster=holiday_peak",
        f"roster.file={path}",
        "~roster.costs",
    )
    assert [(v["agent"], v["rule"]) for v in summary["labour"]["planned"]] == [
        ("wang_fang", "max_shift")
    ]


# --- summary.json and the report ----------------------------------------------------------------

# The default day with a 9.05-hour longest shift: overtime on the 9-hour shifts breaks it.
TIGHT = ("replications=2", "labour.max_shift_h=9.05")


@pytest.fixture(scope="module")
def tight_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("tight")
    return run_dir, run(run_dir, *TIGHT)


def test_summary_lists_rules_and_violations_in_a_fixed_order(tight_run, tmp_path):
    run_dir, summary = tight_run
    labour = summary["labour"]
    assert set(labour) == {"rules", "planned", "realised"}
    assert labour["rules"] == {**asdict(DEFAULTS), "max_shift_h": 9.05}
    assert [(v["agent"], v["rule"]) for v in labour["planned"]] == [
        ("hu_jun", "work_without_break")
    ]
    realised_rows = labour["realised"]
    assert len(realised_rows) > 5
    assert {"max_shift"} <= {v["rule"] for v in realised_rows}
    for v in realised_rows:
        assert set(v) == {"agent", "group", "rule", "when", "detail", "replications"}
        assert v["when"] == "realised" and 1 <= v["replications"] <= 2
        assert v["detail"].endswith(f"in {v['replications']} of 2 days")
    order = list(RULES)
    keys = [(v["group"], v["agent"], order.index(v["rule"])) for v in realised_rows]
    assert keys == sorted(keys)
    again = run(tmp_path, *TIGHT)
    assert json.dumps(again["labour"]) == json.dumps(labour)
