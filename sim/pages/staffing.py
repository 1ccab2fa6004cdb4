"""staffing.html: the staffing search's page, built from the files of its run directory only.

`save_intervals` (called by the app) writes the interval tables of the two rosters the search
evaluated, the roster as given and the recommendation, as intervals_before.csv and
intervals_after.csv (`sim.analysis.metrics.interval_table` plus `erlang_required`, the search's own
starting requirement per queue and interval). `render_staffing_page` reads them with
staffing.json, roster.csv and .hydra/config.yaml (if there) and writes figures/staffing_*.png
and staffing.html. Rebuild with `python -m sim.pages.staffing RUN_DIR`.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.pages.run import CSS
from sim.rundir.read import RunDirError, interval_seconds_of, read_config

if TYPE_CHECKING:
    from sim.staffing.search import Result

BEFORE, AFTER = "intervals_before.csv", "intervals_after.csv"
NEEDED = ("staffing.json", BEFORE, AFTER)


def save_intervals(run_dir: Path, result: Result) -> None:
    """intervals_before.csv and intervals_after.csv from the search's own evaluations."""
    assert result.before is not None and result.after is not None
    need = dict(zip(result.erlang.queues, result.erlang.need, strict=True))
    for name, evaluation in ((BEFORE, result.before), (AFTER, result.after)):
        table = evaluation.table.copy()
        table["erlang_required"] = [
            need[q][k] if q in need else np.nan
            for q, k in zip(table["queue"], table["interval"], strict=True)
        ]
        table.to_csv(run_dir / name, index=False)


# --- reading ------------------------------------------------------------------------------------


def _load(run_dir: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame, dict]:
    if not run_dir.is_dir():
        raise RunDirError(f"{run_dir}: no such directory")
    missing = [name for name in NEEDED if not (run_dir / name).is_file()]
    if missing:
        raise RunDirError(
            f"{run_dir}: not a staffing search run directory (missing {', '.join(missing)})"
        )
    summary = json.loads((run_dir / "staffing.json").read_text(encoding="utf-8"))
    before = pd.read_csv(run_dir / BEFORE)
    after = pd.read_csv(run_dir / AFTER)
    return summary, before, after, read_config(run_dir)


def _target_pairs(label: str, table: pd.DataFrame) -> list[tuple[str, str]]:
    """The (channel, queue) pairs a target ("channel=phone", "queue=chat") covers."""
    kind, _, name = label.partition("=")
    column = "channel" if kind == "channel" else "queue"
    rows = table[table[column].eq(name)]
    return list(dict.fromkeys(zip(rows["channel"], rows["queue"], strict=True)))


def target_pairs(summary: dict, table: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """Every (channel, queue) pair some target covers, with the targets covering it."""
    pairs: dict[tuple[str, str], list[dict]] = {}
    for target in summary.get("targets", []):
        for pair in _target_pairs(target["target"], table):
            pairs.setdefault(pair, []).append(target)
    return pairs


def _added_rows(summary: dict, roster: pd.DataFrame | None) -> list[dict]:
    """Per menu option added: template, start, end, group, skills and count (end, group and
    skills from roster.csv, where the added agents are named <option>_<k>)."""
    templates = sorted(summary.get("added_per_template", {}), key=len, reverse=True)
    rows = []
    for option, count in summary.get("added", {}).items():
        template = next((t for t in templates if option.startswith(f"{t}_")), option)
        stamp = option[len(template) + 1 :]
        start = f"{stamp[:-2]}:{stamp[-2:]}" if stamp.isdigit() and len(stamp) >= 4 else "–"
        row = {"template": template, "start": start, "end": "–", "group": "–", "skills": "–"}
        if roster is not None:
            mine = roster[roster["agent"].astype(str).str.fullmatch(rf"{option}_\d+")]
            if len(mine):
                first = mine.iloc[0]
                row.update(
                    end=str(first["end"]),
                    group=str(first["group"]),
                    skills=str(first["skills"]).replace(";", ", "),
                )
        rows.append({**row, "count": int(count)})
    return sorted(rows, key=lambda r: (r["template"], r["start"]))


# --- the page -----------------------------------------------------------------------------------


def _esc(value: object) -> str:
    return html.escape(str(value))


def _money(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != round(value) else f"{value:,.0f}"


def _met(value: bool | None) -> str:
    if value is None:
        return '<span class="na">–</span>'
    return '<b class="good-text">met</b>' if value else '<b class="bad-text">not met</b>'


def _target_text(target: dict) -> str:
    parts = [f"service level ≥ {target['service_level']:.0%}"]
    if target.get("abandon_max") is not None:
        parts.append(f"abandonment ≤ {target['abandon_max']:.0%}")
    if target.get("occupancy_max") is not None:
        parts.append(f"occupancy ≤ {target['occupancy_max']:.0%}")
    misses = int(target.get("misses") or 0)
    allowed = f"{misses} interval{'s' if misses != 1 else ''} short allowed per queue"
    return f"{', '.join(parts)} in every interval; {allowed}"


def _headline(summary: dict) -> str:
    before, after = summary.get("cost_before"), summary.get("cost_after")
    change = summary.get("cost_change")
    if change is not None and before:
        change_text = f"{'+' if change >= 0 else '−'}{_money(abs(change))} ({change / before:+.1%})"
    else:
        change_text = "–"
    met = summary.get("targets_met")
    cost_card = (
        f'<div class="card {"good" if met else "bad"}"><div class="label">Planned cost</div>'
        f'<div class="big wide">{_money(before)} → {_money(after)}</div>'
        f"<div>change {_esc(change_text)}</div>"
        f'<div class="muted">planned paid hours × each group\'s rate</div></div>'
    )
    target_items = "".join(
        f"<li><span>{_esc(t['target'])}</span>"
        f"<span>{_met(t.get('met_before'))} → {_met(t.get('met_after'))}</span></li>"
        for t in summary.get("targets", [])
    )
    targets_card = (
        f'<div class="card {"good" if met else "bad"}"><div class="label">Targets</div>'
        f'<div class="big">{"all met" if met else "not all met"}</div>'
        f'<div class="muted">before → after, on the simulated days</div>'
        f'<ul class="split">{target_items}</ul></div>'
    )
    agents_card = (
        '<div class="card"><div class="label">Rostered agents</div>'
        f'<div class="big">{summary.get("agents_before", "–")} → '
        f"{summary.get('agents_after', '–')}</div>"
        '<div class="muted">agents with a shift (on-call pools not counted)</div></div>'
    )
    search_card = (
        '<div class="card"><div class="label">Search</div>'
        f'<div class="big">{summary.get("evaluations", "–")} evaluations</div>'
        f"<div>{summary.get('rounds', '–')} rounds of raising, then one pass of lowering</div>"
        f'<div class="muted">{summary.get("replications", "–")} replications each, '
        f"seed {_esc(summary.get('seed', '–'))}</div></div>"
    )
    return f'<div class="headline">{cost_card}{targets_card}{agents_card}{search_card}</div>'


def _targets_table(summary: dict, before: pd.DataFrame, after: pd.DataFrame) -> str:
    rows = []
    for target in summary.get("targets", []):
        short = target.get("failing_after") or []
        short_text = (
            ", ".join(f"{s['queue']} {_start(after, s['interval'])}" for s in short) or "none"
        )
        rows.append(
            f"<tr><th>{_esc(target['target'])}</th><td>{_esc(_target_text(target))}</td>"
            f"<td>{_met(target.get('met_before'))}</td><td>{_met(target.get('met_after'))}</td>"
            f"<td>{_esc(short_text)}</td></tr>"
        )
    return (
        '<table class="targets"><thead><tr><th>Target</th><th>Goal</th><th>Before</th>'
        "<th>After</th><th>Intervals still short after (start)</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _start(table: pd.DataFrame, interval: int) -> str:
    starts = table.loc[table["interval"].eq(interval), "start"]
    return str(starts.iloc[0]) if len(starts) else f"#{interval}"


def _changes_table(summary: dict, roster: pd.DataFrame | None) -> str:
    added = _added_rows(summary, roster)
    body = [
        f"<tr><td>added</td><td>{_esc(r['template'])}</td><td>{_esc(r['start'])}–"
        f"{_esc(r['end'])}</td><td>{_esc(r['group'])}</td><td>{_esc(r['skills'])}</td>"
        f'<td class="num">+{r["count"]}</td></tr>'
        for r in added
    ]
    body += [
        f"<tr><td>removed</td><td>–</td><td>–</td><td>{_esc(group)}</td><td>–</td>"
        f'<td class="num">−{int(n)}</td></tr>'
        for group, n in summary.get("removed_per_group", {}).items()
    ]
    if not body:
        return "<p>No change: the roster as given already meets the targets at least cost.</p>"
    per_template = ", ".join(
        f"{_esc(t)} +{n}" for t, n in summary.get("added_per_template", {}).items()
    )
    note = f'<p class="muted">Added per template: {per_template or "none"}.</p>'
    return (
        '<table class="changes"><thead><tr><th>Change</th><th>Template</th><th>Shift</th>'
        '<th>Group</th><th>Skills</th><th class="num">Shifts</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


def _uncoverable(summary: dict, after: pd.DataFrame) -> str:
    gaps = summary.get("uncoverable_intervals") or {}
    if not gaps:
        return ""
    items = "; ".join(
        f"{_esc(q)}: {', '.join(_esc(_start(after, k)) for k in ks)}" for q, ks in gaps.items()
    )
    return f'<p class="warn-text">No menu shift covers these intervals (uncoverable): {items}.</p>'


def _erlang_kind(config: dict) -> str:
    kind = str((config.get("staffing") or {}).get("erlang", "")).upper()
    return f"Erlang {kind}" if kind in ("A", "C") else "Erlang"


def _caption(
    channel: str,
    queue: str,
    targets: list[dict],
    before: pd.DataFrame,
    after: pd.DataFrame,
    goal: float,
    confidence: str,
    kind: str,
) -> str:
    def below(rows: pd.DataFrame) -> tuple[int, int]:
        rows = rows[rows["offered"] > 0]
        column = "service_level" if confidence == "mean" else "service_level_lo"
        values = rows[column].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        return int((values < goal - 1e-12).sum()), len(values)

    (b, n), (a, _) = below(before), below(after)
    measure = "mean" if confidence == "mean" else "95% CI lower bound"
    misses = min(int(t.get("misses") or 0) for t in targets)
    agents = (
        f"{after['agents_scheduled'].max():.0f} at the peak after, "
        f"{before['agents_scheduled'].max():.0f} before"
    )
    return (
        f"Intervals below the {goal:.0%} target ({measure}): {b} of {n} with contacts before, "
        f"{a} after ({misses} allowed). Top: service level of contacts arriving in each "
        f"interval, before (grey) and after (colour), mean of replications with the 95% CI "
        f"band. Bottom: agents holding the queue's skill on duty and off break per interval "
        f"({agents}; a multi-skilled agent counts in each of its queues), and the "
        f"{kind} requirement the search started from (dashed)."
    )


def render_staffing_page(run_dir: Path) -> Path:
    """Write run_dir/figures/staffing_*.png and run_dir/staffing.html from the run directory's
    files; returns the page's path. Raises RunDirError when files are missing."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:  # leave an interactive session's backend alone
        matplotlib.use("Agg")
    from sim.pages import figures

    run_dir = Path(run_dir)
    summary, before, after, config = _load(run_dir)
    roster_path = run_dir / "roster.csv"
    roster = pd.read_csv(roster_path, dtype=str) if roster_path.is_file() else None
    interval_s = interval_seconds_of(after, config)
    n_intervals = int(after["interval"].max()) + 1 if len(after) else 0
    colours = figures.channel_colours(after["channel"])
    kind = _erlang_kind(config)
    confidence = str(summary.get("confidence", "mean"))
    out_dir = run_dir / "figures"
    out_dir.mkdir(exist_ok=True)
    figures_html = []
    for number, ((channel, queue), targets) in enumerate(
        target_pairs(summary, after).items(), start=1
    ):
        goal = max(float(t["service_level"]) for t in targets)
        short = sorted(
            {
                int(s["interval"])
                for t in targets
                for s in t.get("failing_after") or []
                if s["queue"] == queue
            }
        )

        def of(table: pd.DataFrame, channel=channel, queue=queue) -> pd.DataFrame:
            return table[table["channel"].eq(channel) & table["queue"].eq(queue)]

        fig = figures.staffing_change(
            of(before),
            of(after),
            channel,
            queue,
            goal,
            interval_s,
            n_intervals,
            colours[channel],
            requirement=f"{kind} requirement (start of the search)",
            short_after=short,
        )
        name = f"staffing_{channel}_{queue}" if channel != queue else f"staffing_{queue}"
        path = out_dir / f"{name}.png"
        fig.savefig(path, dpi=figures.DPI, metadata={"Software": None})
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        label = channel if channel == queue else f"{channel}: {queue}"
        caption = _caption(channel, queue, targets, of(before), of(after), goal, confidence, kind)
        figures_html.append(
            f'<figure id="fig-{_esc(name)}"><img src="data:image/png;base64,{data}" '
            f'alt="{_esc(label)}: before and after" data-figure="{_esc(name)}">'
            f"<figcaption><b>Figure {number}. {_esc(label)}.</b> {_esc(caption)} "
            f'<span class="muted">(figures/{_esc(path.name)})</span></figcaption></figure>'
        )
    page = run_dir / "staffing.html"
    page.write_text(
        _page(run_dir, summary, before, after, config, roster, "".join(figures_html), kind),
        encoding="utf-8",
    )
    return page


EXTRA_CSS = """
.bad-text { color: var(--bad); } .warn-text { color: var(--warn); }
.targets td:nth-child(3), .targets td:nth-child(4) { white-space: nowrap; }
.changes { width: auto; min-width: 720px; }
.card .big.wide { font-size: 24px; white-space: nowrap; }
"""


def _page(
    run_dir: Path,
    summary: dict,
    before: pd.DataFrame,
    after: pd.DataFrame,
    config: dict,
    roster: pd.DataFrame | None,
    figures_html: str,
    kind: str,
) -> str:
    name = str(summary.get("scenario") or run_dir.name)
    description = str((config.get("scenario") or {}).get("description") or "")
    confidence = str(summary.get("confidence", "mean"))
    judged = (
        "the mean of the replications"
        if confidence == "mean"
        else "the lower bound of the 95% confidence interval"
    )
    reps = summary.get("replications", "–")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ccsim staffing search: {_esc(name)}</title>
<style>{CSS}{EXTRA_CSS}</style>
</head>
<body>
<main>
<h1>Staffing search: {_esc(name)}</h1>
<p class="lead">{_esc(description or "The cheapest roster found that meets the targets")}</p>
<div class="meta"><div><span>Seed:</span> {_esc(summary.get("seed", "–"))}</div>
<div><span>Replications per evaluation:</span> {_esc(reps)}</div>
<div><span>Targets judged on:</span> {_esc(judged)}</div>
<div><span>Starting requirement:</span> {_esc(kind)}</div>
<div><span>Evaluations:</span> {_esc(summary.get("evaluations", "–"))}</div>
<div><span>Rounds:</span> {_esc(summary.get("rounds", "–"))}</div></div>

{_headline(summary)}

<h2>Targets</h2>
{_targets_table(summary, before, after)}
{_uncoverable(summary, after)}

<h2>Changes to the roster</h2>
<p class="muted">Shifts added from the menu, per template and start, and existing shifts
dropped, per group. The recommended roster is <code>roster.csv</code> beside this page; run it
with <code>python -m sim roster.file=roster.csv</code> for the full report.</p>
{_changes_table(summary, roster)}

<h2>Per queue: before and after</h2>
<p class="muted">One figure per queue a target covers. Service level per interval of the roster
as given (grey) and of the recommendation (colour), each the mean of the same {_esc(reps)}
simulated days (common random numbers) with its 95% confidence interval; agents scheduled
before and after, with the Erlang requirement the search started from. Times are clock times
from 00:00.</p>
{figures_html}

<h2>How it was found</h2>
<p>The {_esc(kind)} requirement per queue and interval was covered at least cost by an integer
program (<code>scipy.optimize.milp</code>, HiGHS) over the menu's shifts (and the removable
groups' existing shifts). Each candidate was simulated on the same seeds (common random
numbers); where a target failed, the requirement of its failing intervals was raised to one
agent above the candidate's and the program re-solved. Once a candidate passed, one pass
lowered the requirement on the intervals with the most slack, keeping a cheaper roster only if
it still passed. In the spirit of Atlason, Epelman &amp; Henderson's simulation-based cutting
planes and Cezik &amp; L'Ecuyer's sample-average approach, much simplified.</p>
<p><b>What it guarantees:</b> the recommendation met the targets, judged on {_esc(judged)},
on the simulated days it was evaluated on (those seeds); the covering program is solved to
optimality for each requirement. <b>What it does not:</b> optimality (a local search on a
sample-average approximation, started from Erlang), nor meeting the targets on other days;
re-simulate with another seed, or search with <code>confidence: lower</code>, for more
assurance.</p>

<footer>Generated by ccsim (<code>sim.pages.staffing</code>; rebuild with
<code>python -m sim.pages.staffing RUN_DIR</code>) from the files of run
<code>{_esc(run_dir.name)}</code> (staffing.json, intervals_before.csv, intervals_after.csv,
roster.csv).</footer>
</main>
</body>
</html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.pages.staffing",
        description="(Re)build staffing.html and its figures from a staffing search run directory.",
    )
    parser.add_argument("run_dir", type=Path, help="a run directory of python -m sim.staffing")
    args = parser.parse_args(argv)
    try:
        path = render_staffing_page(args.run_dir)
    except RunDirError as err:
        print(f"ccsim: error: {err}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
