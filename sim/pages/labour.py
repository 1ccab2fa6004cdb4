"""The run report's "Labour rules" section, from summary.json's `labour`: the rules in force,
then the planned and realised violations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.analysis.labour import RULES

SHOWN = 40  # violations listed; the rest are in summary.json


def rules_text(rules: Mapping[str, Any]) -> str:
    """The rules in force (summary `labour.rules`) in a sentence; null limits are left out, the
    tolerance (`tolerance_min`) closes it."""

    def n(key: str) -> str:
        return f"{rules[key]:g}"

    texts = {
        "max_shift_h": lambda: f"shifts of at most {n('max_shift_h')} h",
        "break_after_h": lambda: (
            f"a break of {n('min_break_min')} min in a shift over {n('break_after_h')} h"
        ),
        "max_work_without_break_h": lambda: (
            f"at most {n('max_work_without_break_h')} h of work without a break of "
            f"{n('shortest_break_min')} min"
        ),
        "min_rest_h": lambda: f"at least {n('min_rest_h')} h of rest between shifts",
        "max_week_h": lambda: f"at most {n('max_week_h')} h in any 7 days",
    }
    checked = [text() for key, text in texts.items() if rules.get(key) is not None]
    tolerance = rules.get("tolerance_min") or 0  # summaries written before it: none
    if checked and tolerance:
        checked.append(f"each limit with {tolerance:g} min's tolerance")
    return "; ".join(checked) or "none"


@dataclass(frozen=True)
class ViolationRow:
    agent: str
    group: str
    rule: str  # the rule in words
    when: str
    detail: str


@dataclass(frozen=True)
class LabourSection:
    rules: str
    planned: int
    realised: int
    rows: list[ViolationRow]  # the first SHOWN, planned then realised
    more: int  # violations not listed


def labour_section(summary: Mapping[str, Any], limit: int = SHOWN) -> LabourSection:
    labour = summary["labour"]
    planned, realised = labour["planned"], labour["realised"]
    found = [*planned, *realised]
    rows = [
        ViolationRow(
            str(v["agent"]),
            str(v["group"]),
            RULES[v["rule"]][0] if v["rule"] in RULES else str(v["rule"]),
            str(v["when"]),
            str(v["detail"]),
        )
        for v in found[:limit]
    ]
    return LabourSection(
        rules_text(labour["rules"]), len(planned), len(realised), rows, max(0, len(found) - limit)
    )
