"""The run report's "The log vs the replay" section, from summary.json's `log` and `kpis`: per
group, each measure as the log had it beside the replay's mean and 95% CI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.pages.format import Cell

# (metric, label, kind) shown side by side, the log then the replay.
MEASURES = (
    ("offered", "Offered", "count"),
    ("answered", "Answered", "count"),
    ("service_level", "Service level", "percent"),
    ("abandon_rate", "Abandoned", "percent"),
    ("asa_s", "ASA", "duration"),
)


def logged(value: float | None, kind: str) -> str:
    """A figure of the log (one day as it happened: no interval)."""
    return Cell.of({"mean": value}, kind).text


@dataclass(frozen=True)
class LogRow:
    group: str
    label: str
    cells: list[tuple[str, Cell]]  # per measure: the log's, the replay's


@dataclass(frozen=True)
class LogSection:
    file: str
    contacts: int
    days: int
    what: str  # what came from the log
    handle: bool  # handle times from the log
    labels: list[str]
    rows: list[LogRow]


def log_section(summary: Mapping[str, Any]) -> LogSection | None:
    """None for a run that replayed no log."""
    log = summary.get("log")  # written only for a replay
    if not log:
        return None
    rows = []
    for group, measures in log["kpis"].items():
        if group.startswith("segment="):
            continue
        replayed = summary["kpis"][group]
        cells = [
            (logged(measures[metric], kind), Cell.of(replayed[metric], kind))
            for metric, _, kind in MEASURES
        ]
        label = "All contacts" if group == "all" else group.replace("=", ": ")
        rows.append(LogRow(group, label, cells))
    what = ["arrivals, types and outcomes", "the abandoners' patience"]
    if log["handle"]:
        what.append("the answered contacts' handle times")
    if log["customers"]:
        what.append("customers")
    return LogSection(
        file=str(log["file"]),
        contacts=int(log["contacts"]),
        days=int(log["days"]),
        what=", ".join(what),
        handle=bool(log["handle"]),
        labels=[label for _, label, _ in MEASURES],
        rows=rows,
    )
