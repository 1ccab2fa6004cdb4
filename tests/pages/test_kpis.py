"""The report's tables of figures (`sim.pages.kpis`): every group of the summary in its section,
every figure with its CI, the journey's columns only when used, the agent groups with costs
when the roster has rates."""

from __future__ import annotations

import pytest

from sim.pages.format import Cell
from sim.pages.kpis import (
    JOURNEY_COLUMNS,
    KPI_COLUMNS,
    agent_table,
    headline_cards,
    journey_table,
    kpi_table,
)
from sim.rundir.read import load_run
from tests.conftest import composed, run_config
from tests.pages.sections import render_section, row

TABLES = '{% import "run/tables.html" as t %}'


@pytest.fixture(scope="module")
def retrial_run(tmp_path_factory):
    """A short Erlang day with VIPs, whose abandoners retry: a journey to show."""
    run_dir = tmp_path_factory.mktemp("retrials")
    cfg = composed(
        "scenario=erlang",
        "scenario.hours=6",
        "scenario.agents=11",
        "scenario.patience_s=60",
        "scenario.vip_share=0.2",
        "replications=2",
    )
    cfg["scenario"]["retrials"] = {"phone": {"first": 0.5, "delay": 300}}
    run_config(cfg, run_dir)
    return load_run(run_dir)


def test_every_group_in_its_section_with_its_figures(retrial_run):
    kpis = retrial_run.summary["kpis"]
    table = kpi_table(kpis, retrial_run.thresholds)
    titles = [s.title for s in table.sections]
    assert titles == ["Overall", "By channel", "By queue", "By segment", "By channel and segment"]
    rows = {r.key: r for s in table.sections for r in s.rows}
    assert list(rows) == list(kpis)
    assert rows["channel=phone"].label == "phone (≤ 20 s)"
    assert rows["channel=phone/segment=vip"].label == "phone · vip"
    unserved = any((g["unserved"]["mean"] or 0) > 0 for g in kpis.values())
    assert [c.metric for c in table.columns] == [
        c.metric for c in KPI_COLUMNS if unserved or c.metric != "unserved"
    ]
    html = render_section(TABLES + "{{ t.kpi_table(table) }}", table=table)
    for group, figures in kpis.items():
        cells = row(html, "data-group", group)
        for column in table.columns:
            cell = Cell.of(figures[column.metric], column.kind)
            shown = f'<td class="num">{cell.text}' if cell.known else '<td class="num na">–</td>'
            assert shown in cells, (group, column.metric)
            if cell.ci:
                assert f'<span class="ci" title="95% confidence interval">{cell.ci}</span>' in cells


def test_the_journey_shows_only_what_happened(retrial_run):
    kpis = retrial_run.summary["kpis"]
    table = journey_table(kpis, retrial_run.thresholds)
    assert table is not None
    metrics = [c.metric for c in table.columns]
    assert "retrials" in metrics and "customers" in metrics and "customer_service_level" in metrics
    assert "transfers" not in metrics and "blocked" not in metrics  # none happened
    assert metrics == [c.metric for c in JOURNEY_COLUMNS if c.metric in metrics]
    assert [s.title for s in table.sections] == ["Overall", "By channel", "By queue"]
    zero = {"mean": 0.0, "ci95": [0.0, 0.0]}
    nothing = {g: {c.metric: zero for c in JOURNEY_COLUMNS} for g in kpis}
    assert journey_table(nothing, {}) is None


def test_agent_groups_with_their_hours_and_costs(retrial_run):
    summary = retrial_run.summary
    table = agent_table(summary)
    assert [r.key for r in table.rows] == list(summary["agents"])
    costed = any(f["planned_cost"]["mean"] is not None for f in summary["agents"].values())
    assert table.costed == costed and len(table.rows[0].cells) == (5 if costed else 3)
    everyone = table.rows[[r.key for r in table.rows].index("all")]
    assert everyone.label == "all groups"
    assert everyone.cells[0] == Cell.of(summary["kpis"]["all"]["occupancy"], "percent")
    html = render_section(TABLES + "{{ t.agent_table(agents) }}", agents=table)
    assert f'<td class="num">{everyone.agents}</td>' in row(html, "data-agent-group", "all")


def test_headline_cards_per_channel(retrial_run):
    abandon, asa, busy = headline_cards(retrial_run)
    kpis = retrial_run.summary["kpis"]
    assert abandon.big == Cell.of(kpis["all"]["abandon_rate"], "percent").text
    assert asa.big == "" and [name for name, _ in asa.items] == ["phone"]
    assert busy.note.startswith("busy / available, all agents · 95% CI [")


def test_a_service_level_blending_thresholds_is_left_out():
    """All contacts (and a segment across channels) mix a 20 s phone threshold with a 24 h
    email one: their service level judges nothing and shows "–"; a channel's stays."""
    figure = {"mean": 0.777, "ci95": [0.7, 0.8]}
    kpis = {
        group: {c.metric: figure for c in KPI_COLUMNS}
        for group in ("all", "channel=phone", "segment=vip")
    }

    def shown(thresholds):
        table = kpi_table(kpis, thresholds)
        column = [c.metric for c in table.columns].index("service_level")
        return {r.key: r.cells[column].text for s in table.sections for r in s.rows}

    assert shown({"phone": 20.0, "email": 86400.0}) == {
        "all": "–",
        "channel=phone": "77.7%",
        "segment=vip": "–",
    }
    assert set(shown({"phone": 20.0}).values()) == {"77.7%"}  # one threshold: nothing blends
