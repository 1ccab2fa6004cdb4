"""The run report's "Labour rules" section, from summary.json's `labour`."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from sim.analysis.labour import RULES


def rules_text(rules: Mapping[str, Any]) -> str:
    """The rules in force (summary `labour.rules`) in a sentence; null limits are left out."""

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
    return "; ".join(text() for key, text in texts.items() if rules.get(key) is not None) or "none"


def report_section(summary: Mapping[str, Any], limit: int = 40) -> str:
    """The run report's "Labour rules" section (HTML) from the summary's `labour`: the rules
    in force, then "no violations" or a table of them (the first `limit` rows). Empty for a
    run from before labour rules."""
    labour = summary.get("labour")
    if not labour:
        return ""
    esc = html.escape
    planned, realised = labour.get("planned", []), labour.get("realised", [])
    intro = (
        '\n<h2>Labour rules</h2>\n<p class="muted">Rules in force (<code>labour</code> in the '
        f"config): {esc(rules_text(labour.get('rules', {})))}. Planned: the roster as written. "
        "Realised: the simulated days (overtime, late or lapsed breaks) where the plan did not "
        "already break the rule, with the replications it happened in.</p>\n"
    )
    rows = [*planned, *realised]
    if not rows:
        return intro + '<p class="good-text">No violations, planned or realised.</p>\n'
    body = "".join(
        f'<tr data-labour="{esc(str(v.get("when")))}"><th>{esc(str(v.get("agent")))}</th>'
        f"<td>{esc(str(v.get('group')))}</td>"
        f"<td>{esc(RULES[v['rule']][0] if v.get('rule') in RULES else str(v.get('rule')))}</td>"
        f"<td>{esc(str(v.get('when')))}</td><td>{esc(str(v.get('detail')))}</td></tr>"
        for v in rows[:limit]
    )
    more = len(rows) - limit
    note = f'<p class="muted">{more} more, not listed here, are in summary.json.</p>' * (more > 0)
    return (
        f"{intro}<p>{len(planned)} planned and {len(realised)} realised violations, one row "
        "per agent and rule with the worst case.</p>"
        '<table class="labour"><thead><tr><th>Agent</th><th>Group</th><th>Rule</th>'
        f"<th>When</th><th>Detail</th></tr></thead><tbody>{body}</tbody></table>{note}\n"
    )
