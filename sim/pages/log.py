"""The run report's "The log vs the replay" section, from summary.json's `log`."""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

from sim.analysis.figure import Figure

# (metric, label, kind) shown side by side, the log then the replay.
REPORT_MEASURES = (
    ("offered", "Offered", "count"),
    ("answered", "Answered", "count"),
    ("service_level", "Service level", "percent"),
    ("abandon_rate", "Abandoned", "percent"),
    ("asa_s", "ASA", "duration"),
)


def report_section(summary: Mapping[str, Any]) -> str:
    """The run report's "The log vs the replay" section (HTML) from summary.json's `log` and
    `kpis`: per group, each measure as the log had it and as replayed (mean, 95% CI). Empty
    for a run that replayed no log."""
    log = summary.get("log")
    if not log:
        return ""
    kpis = summary.get("kpis", {})
    head = "".join(
        f'<th class="num">{label}<br><span class="muted">log</span></th>'
        f'<th class="num">{label}<br><span class="muted">replay</span></th>'
        for _, label, _ in REPORT_MEASURES
    )
    rows = []
    for group, measures in log.get("kpis", {}).items():
        if group.startswith("segment="):
            continue
        replayed = kpis.get(group, {})
        cells = "".join(
            f'<td class="num">{_shown(kind, measures.get(metric))}</td>'
            f'<td class="num">{_shown(kind, (replayed.get(metric) or {}).get("mean"))}'
            f'<span class="ci">{_ci(kind, replayed.get(metric))}</span></td>'
            for metric, _, kind in REPORT_MEASURES
        )
        label = "All contacts" if group == "all" else group.replace("=", ": ")
        rows.append(
            f'<tr data-log-group="{html.escape(group)}"><th>{html.escape(label)}</th>{cells}</tr>'
        )
    what = ["arrivals, types and outcomes", "the abandoners' patience"]
    if log.get("handle"):
        what.append("the answered contacts' handle times")
    if log.get("customers"):
        what.append("customers")
    return (
        "\n<h2>The log vs the replay</h2>\n"
        f'<p class="muted">This run replayed <code>{html.escape(str(log.get("file")))}</code> '
        f"({log.get('contacts', 0):,} contacts over {log.get('days', 1)} day"
        f"{'s' * (log.get('days', 1) != 1)}). From the log: {html.escape(', '.join(what))}; "
        "drawn per replication: the patience of everyone else (beyond the wait they were "
        "logged with), front-end times not in the log"
        f"{'' if log.get('handle') else ', handle times'} and wrap-up. The log's figures are "
        "one day as it happened (same definitions, no interval); the replay's are the mean "
        "and 95% CI over replications with this roster.</p>\n"
        '<table class="kpi log-vs-replay"><thead><tr><th>Group</th>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>\n"
    )


def _shown(kind: str, value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if kind == "percent":
        return f"{value * 100:.1f}%"
    if kind == "duration":
        if value < 600:
            return f"{value:.1f} s" if value < 100 else f"{value:,.0f} s"
        return f"{value / 60:,.1f} min"
    return f"{value:,.0f}"


def _ci(kind: str, data: dict | None) -> str:
    figure = Figure.from_json(data)
    if not figure.has_ci:
        return ""
    low, high = figure.low, figure.high
    if kind == "percent":
        return f"[{low * 100:.1f}, {high * 100:.1f}]"
    if kind == "duration":
        return f"[{_shown(kind, low)}, {_shown(kind, high)}]"
    return f"[{low:,.0f}, {high:,.0f}]"
