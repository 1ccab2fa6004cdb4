"""The run report's "Workforce on the day" section, and the alert rules in words.

Planned against realised hours per agent group, then how often and how long each alert rule
was raised (summary.json's `workforce`), each rule with its condition and what it sets off as
the model defines them (model.json's `monitor`: `sim.analysis.facts`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.analysis.facts import AlertFacts, ModelFacts
from sim.model import ALERT_MEASURES
from sim.pages.format import Cell, duration, hours_cell, scaled, value

SHARES = ("service_level", "occupancy")


def condition(rule: AlertFacts) -> str:
    """When the rule is raised, e.g. "chat oldest wait > 1.5 min"."""
    if rule.measure in SHARES:
        limit = f"{rule.threshold:.0%}"
    elif rule.measure.endswith("_s"):
        limit = duration(rule.threshold)
    else:
        limit = f"{rule.threshold:g}"
    where = rule.queue or rule.channel or ""
    measure = ALERT_MEASURES.get(rule.measure, rule.measure)
    text = f"{where} {measure} {'>' if rule.above else '<'} {limit}".strip()
    if rule.measure in SHARES:
        text += f" (last {rule.window_s / 60:g} min)"
    return text


def actions(facts: ModelFacts) -> dict[str, str]:
    """Per alert rule, what it sets off (on-call pools called in, agents moved)."""
    out: dict[str, list[str]] = {rule.name: [] for rule in facts.alerts}
    for pool in facts.on_call:
        for rule in pool.when:
            out.setdefault(rule, []).append(f"calls in on-call {pool.name}")
    for move in facts.moves:
        for rule in move.when:
            out.setdefault(rule, []).append(f"moves {move.source} agents onto {move.to}")
    return {rule: "; ".join(texts) for rule, texts in out.items()}


def rule_channels(facts: ModelFacts) -> dict[str, str]:
    """Per alert rule, the channel it watches (its channel, or its queue's)."""
    of_queue = facts.channel_of_queue()
    out = {}
    for rule in facts.alerts:
        channel = rule.channel or of_queue.get(rule.queue or "")
        if channel:
            out[rule.name] = channel
    return out


def times_raised(workforce: Mapping[str, Any], rule: str) -> float:
    """How often the rule was raised per replication (NaN when the summary has no figure)."""
    mean = workforce["alerts"][rule]["raised"]["mean"]
    return float(mean) if isinstance(mean, int | float) else math.nan


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    on_call: bool  # an on-call pool (no planned hours), marked as such
    planned: str
    cells: list[Cell]  # realised, shrinkage, absent shifts, late, call-ins, moved


@dataclass(frozen=True)
class AlertRow:
    rule: str
    condition: str
    action: str
    cells: list[Cell]  # times and hours raised per day


@dataclass(frozen=True)
class WorkforceSection:
    totals: str  # one sentence: realised against planned hours, on-call hours
    groups: list[GroupRow]
    alerts: list[AlertRow]
    any_action: bool
    period: str  # the monitor's period ("5 min")
    alert_figure: bool  # the alerts figure is drawn (a rule was raised)


def workforce_section(
    summary: Mapping[str, Any], facts: ModelFacts, alert_figure: bool
) -> WorkforceSection | None:
    """The section, or None for a run without a workforce (no absences, no monitor)."""
    workforce = summary.get("workforce")  # written only for a run with a workforce
    if not workforce:
        return None
    groups = workforce["groups"]
    conditions = {rule.name: condition(rule) for rule in facts.alerts}
    sets_off = actions(facts)
    alerts = [
        AlertRow(
            rule,
            conditions.get(rule) or "–",
            sets_off.get(rule) or "–",
            [
                Cell(scaled(Cell.of(figures["raised"], "count").figure, 1 / facts.days), "count"),
                hours_cell(figures["raised_h"], facts.days),
            ],
        )
        for rule, figures in workforce["alerts"].items()
    ]
    return WorkforceSection(
        totals=totals(groups),
        groups=group_rows(groups),
        alerts=alerts,
        any_action=any(sets_off.get(row.rule) for row in alerts),
        period="" if facts.monitor_period_s is None else duration(facts.monitor_period_s),
        alert_figure=alert_figure,
    )


def group_rows(groups: Mapping[str, Any]) -> list[GroupRow]:
    """Rostered groups first, then the on-call pools (no planned hours)."""
    rows = []
    for group, figures in sorted(groups.items(), key=lambda item: not item[1]["planned_h"]):
        label = group.partition("=")[2] or group
        planned = figures["planned_h"]
        called = figures["call_ins"]["mean"]
        rows.append(
            GroupRow(
                key=group,
                label=label,
                on_call=bool(not planned and called and "call" not in label.lower()),
                planned=value(planned, "hours"),
                cells=[
                    hours_cell(figures["realised_h"]),
                    Cell.of(figures.get("shrinkage"), "percent"),  # none for on-call pools
                    Cell.of(figures["absent_shifts"], "count"),
                    hours_cell(figures["late_h"]),
                    Cell.of(figures["call_ins"], "count"),
                    hours_cell(figures["moved_h"]),
                ],
            )
        )
    return rows


def totals(groups: Mapping[str, Any]) -> str:
    """One sentence: the rostered groups' realised against planned hours, and on-call hours."""

    def mean(figures: Mapping[str, Any]) -> float:
        value_ = figures["realised_h"]["mean"]
        return float(value_) if isinstance(value_, int | float) else math.nan

    rostered = [f for f in groups.values() if f["planned_h"] > 0]
    planned = sum(float(f["planned_h"]) for f in rostered)
    realised = sum(mean(f) for f in rostered)
    extra = sum(mean(f) for f in groups.values() if not f["planned_h"])
    if not rostered or not math.isfinite(realised):
        return ""
    text = (
        f"Together the rostered groups were logged in for {value(realised, 'hours')} "
        f"of {value(planned, 'hours')} planned (shrinkage "
        f"{value(1 - realised / planned, 'percent')})"
    )
    if math.isfinite(extra) and extra > 0:
        text += f"; on-call agents added {value(extra, 'hours')}"
    return text + "."
