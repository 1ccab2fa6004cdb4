"""The report's "Labour rules" (`sim.pages.labour`): the rules in force in words, then the
planned and realised violations, the first forty listed."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from sim.model import LabourRules
from sim.pages.labour import labour_section, rules_text
from sim.rundir.read import load_run
from tests.conftest import run
from tests.pages.sections import render_section

SECTION = '{% include "run/labour.html" %}'


@pytest.fixture(scope="module")
def tight_run(tmp_path_factory):
    """An Erlang day of 8-hour shifts under a 7.9-hour limit: every shift breaks it."""
    run_dir = tmp_path_factory.mktemp("tight")
    run(run_dir, "scenario=erlang", "scenario.hours=8", "replications=2", "labour.max_shift_h=7.9")
    return load_run(run_dir)


def test_the_section_lists_the_violations(tight_run):
    labour = tight_run.summary["labour"]
    section = labour_section(tight_run.summary)
    page = render_section(SECTION, labour=section)
    assert "<h2>Labour rules</h2>" in page and "shifts of at most 7.9 h" in page
    assert labour["planned"] and section.planned == len(labour["planned"])
    listed = min(40, len(labour["planned"]) + len(labour["realised"]))
    assert page.count("<tr data-labour=") == listed
    assert labour["planned"][0]["detail"] in page
    assert f"{section.planned} planned and {section.realised} realised violations" in page


def test_without_violations_and_past_forty():
    rules = asdict(LabourRules(max_week_h=None))
    none = labour_section({"labour": {"rules": rules, "planned": [], "realised": []}})
    page = render_section(SECTION, labour=none)
    assert "No violations, planned or realised." in page and "<table" not in page
    assert rules_text(rules) == (
        "shifts of at most 10 h; a break of 30 min in a shift over 6 h; at most 5 h of work "
        "without a break of 15 min; at least 11 h of rest between shifts; each limit with 1 min's "
        "tolerance"
    )
    exact = {**rules, "tolerance_min": 0.0, "max_shift_h": None}
    assert rules_text(exact).endswith("at least 11 h of rest between shifts")
    many = [
        {"agent": f"a<{k}>", "group": "g", "rule": "max_shift", "when": "planned", "detail": "d"}
        for k in range(45)
    ]
    section = labour_section({"labour": {"rules": rules, "planned": many, "realised": []}})
    page = render_section(SECTION, labour=section)
    assert page.count('data-labour="planned"') == 40 and "5 more" in page
    assert "a&lt;0&gt;" in page and "Longest shift" in page
