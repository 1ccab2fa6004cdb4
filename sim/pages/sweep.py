"""The sweep page: `sweep.html` and its figures, from the table `sim.sweep` builds (itself from
the jobs' summary.json and intervals.csv; no job's report is read)."""

from __future__ import annotations

import base64
import html
import math
import sys
from pathlib import Path

import pandas as pd

from sim.analysis.sweep import diff_channels
from sim.pages.run import CSS


def render_sweep_page(
    sweep_dir: Path, table: pd.DataFrame, keys: list[str], scenarios: list[str] | None = None
) -> Path:
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    from sim.pages import figures

    out = sweep_dir / "figures"
    out.mkdir(exist_ok=True)
    images = {}
    ok = table[table["status"] == "ok"]
    channels = channels_of(table)
    if len(ok):
        target = float(ok["target"].iloc[0])
        staffing = [k for k in keys if k.startswith("roster")]
        series = [k for k in keys if k not in staffing]
        by = str(table["rank_by"].iloc[0])
        images["sweep_kpis"] = (
            figures.sweep_kpis(table, series, target, by, channels),
            "Each channel's service level over the run for every variant against its cost "
            f"({_COST_LABEL[by]}), with 95% CI bars; the dashed line is the target.",
        )
        if by == "cost":
            images["sweep_frontier"] = (
                figures.sweep_frontier(table, target),
                "Cost against the worst channel's service level (for a deferrable backlog, "
                "its deadline share with the items left at the end counted late). Filled and "
                "joined: the Pareto-efficient variants, which no other variant beats on both "
                "(cheaper and at least as good); hollow: dominated ones; numbers: the jobs of the "
                "table below. Pick along the "
                "frontier: each step right buys the service shown.",
            )
        reference = int(table["reference_job"].iloc[0])
        if len(ok) > 1:
            images["paired_differences"] = (
                figures.paired_differences(table, reference, keys, diff_channels(table)),
                f"Each channel's service-level difference of each variant from job {reference} "
                "(the cheapest meeting the target, else the first). Every variant met the same "
                "customers, so the per-replication difference (paired CI, black) is far more "
                "precise than comparing the two means (unpaired CI, grey).",
            )
    figures_html = []
    for name, (fig, caption) in images.items():
        path = out / f"{name}.png"
        fig.savefig(path, dpi=figures.DPI, metadata={"Software": None})
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        figures_html.append(
            f'<figure><img src="data:image/png;base64,{data}" alt="{name}" '
            f'data-figure="{name}"><figcaption>{html.escape(caption)} (figures/{name}.png)'
            "</figcaption></figure>"
        )
    page = sweep_dir / "sweep.html"
    text = _page(sweep_dir, table, keys, "".join(figures_html), scenarios or [])
    page.write_text(text, encoding="utf-8")
    return page


_COST_LABEL = {
    "cost": "the cost at the roster's rates per paid hour, overtime included",
    "paid_hours": "planned paid agent-hours",
}


def channels_of(table: pd.DataFrame) -> list[str]:
    """The channels of the sweep's `sl_<channel>` columns, in column order."""
    return [
        c.removeprefix("sl_")
        for c in table.columns
        if c.startswith("sl_") and not c.startswith("sl_queue_") and not c.endswith(("_lo", "_hi"))
    ]


def queues_of(table: pd.DataFrame) -> list[str]:
    return [c.removeprefix("sl_queue_") for c in table.columns if c.startswith("sl_queue_")]


def _ranking_rule(table: pd.DataFrame) -> str:
    if "rank_by" not in table:
        return "No variant finished, so none is ranked."
    met = (
        "the variants that meet the target (every channel and queue at or above it over the "
        "run and in every interval, every deferrable backlog kept: as each run's report judges)"
    )
    if table["rank_by"].iloc[0] == "cost":
        return (
            "Ranked by cost (the realised cost at the roster's rates per paid hour, overtime "
            f"included; mean over replications) among {met}."
        )
    return (
        f"Ranked by planned paid agent-hours among {met} (not by money: some variant has an "
        "agent group without a cost per hour in <code>roster.costs</code>)."
    )


def _title(sweep_dir: Path, scenarios: list[str]) -> str:
    name = ", ".join(scenarios) if scenarios else "sweep"
    return f"{name}: sweep {sweep_dir.name}"


def _page(
    sweep_dir: Path, table: pd.DataFrame, keys: list[str], figures_html: str, scenarios: list[str]
) -> str:
    by = str(table["rank_by"].iloc[0]) if "rank_by" in table else "paid_hours"
    ranked = table.sort_values(["rank", by], na_position="last") if "rank" in table else table
    failed = table[table["status"] != "ok"]
    title = html.escape(_title(sweep_dir, scenarios))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ccsim sweep: {title}</title>
<style>{CSS}</style></head><body><main>
<h1>{title}</h1>
<p class="lead">{len(table)} variants over {html.escape(", ".join(keys) or "(no swept keys)")};
{len(failed)} failed. {_ranking_rule(table)} {_met_sentence(table)}</p>
{_variants_table(ranked, keys)}
{_failed_list(failed)}
<h2>Figures</h2>
{figures_html}
<footer>Generated by <code>sim.sweep</code> from the jobs' summary.json, intervals.csv and
contacts.parquet (for the paired comparison); rebuild with
<code>python -m sim.sweep {html.escape(str(sweep_dir))}</code>. The same table is in
<code>sweep.csv</code>.</footer>
</main></body></html>
"""


def _met_sentence(table: pd.DataFrame) -> str:
    ok = table[table["status"] == "ok"]
    if ok.empty or "meets_target" not in ok:
        return ""
    meets = int(ok["meets_target"].fillna(False).astype(bool).sum())
    per_channel = [
        f"{c} {int((~ok[f'met_{c}'].fillna(False).astype(bool)).sum())} of {len(ok)}"
        for c in channels_of(ok)
        if f"met_{c}" in ok
    ]
    misses = (
        f" Variants missing the target, per channel: {', '.join(per_channel)}."
        if (per_channel)
        else ""
    )
    if meets:
        return f"{meets} of {len(ok)} variants meet the target.{misses}"
    return (
        f"None of the {len(ok)} variants meets the target.{misses} The column “why it misses” "
        "says where."
    )


def _percent(value: object) -> str:
    return f"{float(value):.1%}" if isinstance(value, int | float) and math.isfinite(value) else "–"


def _sl_cell(row: pd.Series, column: str) -> str:
    value = row.get(column)
    low, high = row.get(f"{column}_lo"), row.get(f"{column}_hi")
    ci = ""
    if isinstance(low, int | float) and isinstance(high, int | float) and math.isfinite(low):
        ci = f" <span class=muted>[{low:.0%}, {high:.0%}]</span>"
    return f'<td class="num">{_percent(value)}{ci}</td>'


def _asa(value: object) -> str:
    if not isinstance(value, int | float) or not math.isfinite(value):
        return "–"
    if value >= 3 * 3600:
        return f"{value / 3600:.1f} h"
    if value >= 600:
        return f"{value / 60:.0f} min"
    return f"{value:.1f} s"


def _variants_table(table: pd.DataFrame, keys: list[str]) -> str:
    ok = table[table["status"] == "ok"]
    if ok.empty:
        return "<p>No variant finished.</p>"
    channels, queues = channels_of(ok), queues_of(ok)
    head = "".join(f"<th>{html.escape(k)}</th>" for k in keys)
    costed = ok["cost"].notna().any()
    rows = []
    for _, r in ok.iterrows():
        cells = "".join(f"<td>{html.escape(str(r[k]))}</td>" for k in keys)
        rank = "" if pd.isna(r["rank"]) else f"{int(r['rank'])}"
        diff = "<br>".join(_diff_text(r, c) for c in diff_channels(table))
        cost = (
            ""
            if not costed
            else "<td>–</td>"
            if pd.isna(r["cost"])
            else f"<td>{r['cost']:,.0f}</td>"
            if pd.isna(r["cost_lo"])  # a single replication: no interval
            else f"<td>{r['cost']:,.0f} <span class=muted>[{r['cost_lo']:,.0f}, "
            f"{r['cost_hi']:,.0f}]</span></td>"
        )
        frontier = " ◆" if bool(r.get("pareto")) else ""
        per_channel = "".join(_sl_cell(r, f"sl_{c}") for c in channels)
        per_queue = "".join(f'<td class="num">{_percent(r[f"sl_queue_{q}"])}</td>' for q in queues)
        asa = "".join(f'<td class="num">{_asa(r.get(f"asa_{c}"))}</td>' for c in channels)
        verdict = (
            '<td class="good-text">yes</td>'
            if r["meets_target"]
            else "<td>no: "
            + "<br>".join(html.escape(part) for part in str(r.get("fails") or "").split(" | "))
            + "</td>"
        )
        rows.append(
            f'<tr data-job="{int(r["job"])}"><td>{int(r["job"])}{frontier}</td>{cells}'
            f"<td>{rank}</td>{cost}<td>{r['paid_hours']:.0f}</td>{per_channel}{per_queue}"
            f"{asa}<td>{r['abandon_rate']:.1%}</td><td>{r['occupancy']:.1%}</td>"
            f"{verdict}<td>{diff}</td></tr>"
        )
    sl_heads = "".join(f"<th>SL {html.escape(c)}</th>" for c in channels)
    queue_heads = "".join(f"<th>SL {html.escape(q)}</th>" for q in queues)
    asa_heads = "".join(f"<th>ASA {html.escape(c)}</th>" for c in channels)
    return (
        '<p class="muted">Service level (SL) over the run per channel [95% CI] and per queue; '
        "waits (ASA) per channel only; abandonment and occupancy over all channels. "
        "◆: on the cost-service frontier (no other variant is cheaper and serves its worst "
        "channel at least as well).</p>"
        f"<table><thead><tr><th>job</th>{head}<th>rank</th>{'<th>cost</th>' if costed else ''}"
        f"<th>paid h</th>{sl_heads}{queue_heads}{asa_heads}<th>abandon</th><th>occupancy</th>"
        "<th>meets target / why it misses</th>"
        "<th>SL vs reference per channel (paired CI)</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _failed_list(failed: pd.DataFrame) -> str:
    if failed.empty:
        return ""
    items = "".join(
        f"<li>job {int(r['job'])}: {html.escape(str(r['error']))}</li>"
        for _, r in failed.iterrows()
    )
    return f"<h2>Failed jobs</h2><ul>{items}</ul>"


def _diff_text(row: pd.Series, channel: str) -> str:
    """ "phone +3.1% [+2.2%, +4.1%]" with the unpaired interval muted beside; empty for the
    reference itself (and a channel one of the two lacks)."""
    diff = row.get(f"diff_{channel}")
    if diff is None or pd.isna(diff):
        return ""
    return (
        f"{html.escape(channel)} {diff:+.1%} [{row[f'paired_lo_{channel}']:+.1%}, "
        f"{row[f'paired_hi_{channel}']:+.1%}] <span class=muted>unpaired "
        f"[{row[f'unpaired_lo_{channel}']:+.1%}, {row[f'unpaired_hi_{channel}']:+.1%}]</span>"
    )
