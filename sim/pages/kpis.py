"""The run report's tables of figures: the KPIs per group, the customers' journey, the agent
groups, and the headline cards above them, each figure with its 95% CI (`sim.pages.format`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.analysis.figure import Figure
from sim.pages.format import Cell, duration, value
from sim.rundir.read import Run


@dataclass(frozen=True)
class Column:
    metric: str
    label: str
    kind: str  # how the value is written (sim.pages.format.value)
    note: str  # what it means (the heading's tooltip)


# The KPI table: every group's contact measures.
KPI_COLUMNS = (
    Column("offered", "Offered", "count", "contacts that arrived"),
    Column("answered", "Answered", "count", "taken by an agent"),
    Column("abandoned", "Abandoned", "count", "gave up waiting"),
    Column("unserved", "Unserved", "count", "still waiting when the run stopped"),
    Column(
        "service_level", "Service level", "percent", "answered within threshold / reached queue"
    ),
    Column("abandon_rate", "Abandon rate", "percent", "abandoned / reached queue"),
    Column("asa_s", "ASA", "duration", "mean wait of answered contacts"),
    Column("mean_wait_s", "Mean wait", "duration", "mean wait of all that reached a queue"),
    Column("p90_wait_s", "P90 wait", "duration", "90th percentile of waits"),
    Column("aht_s", "AHT", "duration", "mean handle + wrap-up of answered contacts"),
    Column("occupancy", "Occupancy", "percent", "busy / available time of the agents behind it"),
)
# The customers' side: the front end, callbacks, retries and transfers (shown when used).
JOURNEY_COLUMNS = (
    Column("contained", "Contained", "count", "resolved by the IVR or bot"),
    Column("balked", "Balked", "count", "left on hearing the announced wait"),
    Column("blocked", "Blocked", "count", "found every line taken (busy signal)"),
    Column("block_rate", "Block rate", "percent", "blocked / offered"),
    Column("callbacks_accepted", "Callbacks", "count", "took a callback instead of waiting"),
    Column("callbacks_completed", "Called back", "count", "callbacks that reached the customer"),
    Column("callbacks_failed", "Missed", "count", "callbacks that did not reach the customer"),
    Column("retrials", "Retries", "count", "attempts that were retries"),
    Column("customers", "Customers", "count", "distinct customers behind the attempts"),
    Column(
        "customer_service_level",
        "Customer SL",
        "percent",
        "customers with an attempt answered in time",
    ),
    Column("transfers", "Transfers", "count", "second legs after a transfer or misroute"),
    Column("announce_error_s", "Announce error", "duration", "mean |announced - actual| wait"),
    Column("chats_held", "Chats held", "number", "mean chats an agent held once it took a chat"),
)
SECTIONS = {
    "all": "Overall",
    "channel": "By channel",
    "queue": "By queue",
    "segment": "By segment",
    "channel/segment": "By channel and segment",
}


@dataclass(frozen=True)
class Row:
    key: str  # the summary's group ("channel=phone"), the row's data attribute
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[Row]


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    sections: list[Section]


def _mean(figure: Mapping[str, Any]) -> object:
    return figure["mean"]


def kpi_table(
    kpis: Mapping[str, Mapping[str, Any]],
    thresholds: Mapping[str, float],
    columns: tuple[Column, ...] | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Table:
    """The groups of summary.json's `kpis` (of `kinds` only, when given) in sections, each
    figure in `columns` (the KPI columns; unserved only when any group has some)."""
    if kinds is not None:
        kpis = {g: f for g, f in kpis.items() if g.partition("=")[0] in kinds and "/" not in g}
    if columns is None:
        columns = tuple(c for c in KPI_COLUMNS if c.metric != "unserved")
        if any(_mean(g["unserved"]) for g in kpis.values()):
            columns = KPI_COLUMNS
    sections: list[Section] = []
    for group, figures in kpis.items():
        kind, _, name = group.partition("=")
        if "/" in group:  # channel=phone/segment=vip
            kind = "channel/segment"
            name = " · ".join(part.partition("=")[2] for part in group.split("/"))
        title = SECTIONS.get(kind, kind)
        if not sections or sections[-1].title != title:
            sections.append(Section(title, []))
        label = "All contacts" if group == "all" else name
        if kind == "channel" and name in thresholds:
            label += f" (≤ {duration(thresholds[name])})"
        cells = [
            Cell.of(None if blends(group, c.metric, thresholds) else figures[c.metric], c.kind)
            for c in columns
        ]
        sections[-1].rows.append(Row(group, label, cells))
    return Table(columns, sections)


BLENDED = ("service_level", "customer_service_level")  # shares "within the threshold"


def blends(group: str, metric: str, thresholds: Mapping[str, float]) -> bool:
    """A service level over contacts of channels with different thresholds (all contacts, a
    segment across channels) blends 20 s with 24 h: it judges nothing and is left out."""
    kind = group.partition("=")[0]
    mixed = group == "all" or (kind == "segment" and "/" not in group)
    return metric in BLENDED and mixed and len(set(thresholds.values())) > 1


def journey_table(
    kpis: Mapping[str, Mapping[str, Any]], thresholds: Mapping[str, float]
) -> Table | None:
    """The journey columns any group has a non-zero figure for (customers with retries or a
    customer service level), overall, per channel and per queue; None if none."""
    used = [
        c
        for c in JOURNEY_COLUMNS
        if c.metric != "customers" and any(_mean(g[c.metric]) for g in kpis.values())
    ]
    if not used:
        return None
    if any(c.metric in ("retrials", "customer_service_level") for c in used):
        used += [c for c in JOURNEY_COLUMNS if c.metric in ("customers", "customer_service_level")]
    columns = tuple(c for c in JOURNEY_COLUMNS if c in used)
    return kpi_table(kpis, thresholds, columns, ("all", "channel", "queue"))


@dataclass(frozen=True)
class AgentRow:
    key: str
    label: str
    agents: int
    cells: list[Cell]  # occupancy, logged-in and overtime hours (then planned cost and cost)


@dataclass(frozen=True)
class AgentTable:
    costed: bool  # the roster gives rates: cost columns
    rows: list[AgentRow]


def agent_table(summary: Mapping[str, Any]) -> AgentTable:
    """summary.json's `agents` per group, `all` last as "all groups" with the run's occupancy."""
    groups = summary["agents"]
    costed = any(_mean(f["planned_cost"]) is not None for f in groups.values())
    rows = []
    for group, figures in groups.items():
        name = group.partition("=")[2] or group
        if group == "all":  # the total has no occupancy of its own: the run's
            name, occupancy = "all groups", summary["kpis"]["all"]["occupancy"]
        else:
            occupancy = figures["occupancy"]
        cells = [
            Cell.of(occupancy, "percent"),
            Cell.of(figures["logged_in_h"], "hours"),
            Cell.of(figures["overtime_h"], "hours"),
        ]
        if costed:
            # the planned cost is the same every replication: its interval says nothing
            cells += [
                Cell.of({"mean": _mean(figures["planned_cost"])}, "cost"),
                Cell.of(figures["cost"], "cost"),
            ]
        rows.append(AgentRow(group, name, int(figures["agents"]), cells))
    return AgentTable(costed, rows)


@dataclass(frozen=True)
class HeadlineCard:
    label: str
    big: str
    note: str
    items: list[tuple[str, str]]  # per channel


def headline_cards(run: Run) -> list[HeadlineCard]:
    """The measures that are not the verdict, per channel: abandonment, ASA and occupancy (the
    ASA only per channel: waits of channels with different thresholds are never averaged)."""
    kpis = run.summary["kpis"]

    def per_channel(metric: str, kind: str) -> list[tuple[str, str]]:
        items = []
        for channel in run.channels:
            figure = Figure.from_json(kpis[f"channel={channel}"][metric])
            if figure.known:
                items.append((channel, value(figure.mean, kind)))
        return items

    def overall(metric: str, kind: str, note: str) -> tuple[str, str]:
        cell = Cell.of(kpis["all"][metric], kind)
        return cell.text, note + (f" · 95% CI {cell.ci}" if cell.ci else "")

    abandon, abandon_note = overall("abandon_rate", "percent", "of contacts that reached a queue")
    busy, busy_note = overall("occupancy", "percent", "busy / available, all agents")
    return [
        HeadlineCard("Abandonment", abandon, abandon_note, per_channel("abandon_rate", "percent")),
        HeadlineCard(
            "Average speed of answer",
            "",
            "mean wait of answered contacts, per channel",
            per_channel("asa_s", "duration"),
        ),
        HeadlineCard("Occupancy", busy, busy_note, per_channel("occupancy", "percent")),
    ]
