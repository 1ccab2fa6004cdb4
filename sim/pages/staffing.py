"""staffing.html: the staffing search's page, built from the files of its run directory only.

The search (`python -m sim.staffing`) writes staffing.json, model.json, roster.csv and the
interval tables of the two rosters it evaluated, as given and recommended
(intervals_before.csv, intervals_after.csv: `sim.staffing.output`). `render_staffing_page`
reads them (`sim.rundir.read.load_staffing`), draws figures/staffing_*.png, one per queue a
target covers, and writes staffing.html. Rebuild with `python -m sim.report RUN_DIR`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.pages import kit
from sim.pages.format import money
from sim.rundir.read import StaffingSearch, load_staffing

STAFFING_HTML = "staffing.html"


def render_staffing_page(run_dir: Path) -> Path:
    """Write run_dir/figures/staffing_*.png and run_dir/staffing.html from the run directory's
    files; returns the page's path. Raises RunDirError when files are missing or older."""
    search = load_staffing(Path(run_dir))
    page = kit.render("staffing.html", **page_context(search, draw_staffing_figures(search)))
    return kit.write_page(search.run_dir / STAFFING_HTML, page)


def erlang_kind(summary: dict[str, Any]) -> str:
    return f"Erlang {summary['erlang']}"


def page_context(search: StaffingSearch, shown: list[kit.Shown]) -> dict[str, Any]:
    summary, facts = search.summary, search.facts
    confidence = str(summary["confidence"])
    return {
        "name": facts.scenario,
        "description": facts.description or "The cheapest roster found that meets the targets",
        "s": summary,
        "kind": erlang_kind(summary),
        "judged": "the mean of the replications"
        if confidence == "mean"
        else "the lower bound of the 95% confidence interval",
        "cost": cost_text(summary),
        "targets": [target_row(t, search.after) for t in summary["targets"]],
        "uncoverable": [
            (queue, [start(search.after, k) for k in intervals])
            for queue, intervals in summary["uncoverable_intervals"].items()
        ],
        "changes": added_rows(summary, search.roster),
        "removed": [(group, int(n)) for group, n in summary["removed_per_group"].items()],
        "per_template": list(summary["added_per_template"].items()),
        "figures": shown,
        "run": search.run_dir.name,
    }


@dataclass(frozen=True)
class CostText:
    before: str
    after: str
    change: str


def cost_text(summary: dict[str, Any]) -> CostText:
    before, after, change = summary["cost_before"], summary["cost_after"], summary["cost_change"]
    if change is not None and before:
        change_text = f"{'+' if change >= 0 else '−'}{money(abs(change))} ({change / before:+.1%})"
    else:
        change_text = "–"
    return CostText(money(before), money(after), change_text)


def target_text(target: dict[str, Any]) -> str:
    parts = [f"service level ≥ {target['service_level']:.0%}"]
    if target["abandon_max"] is not None:
        parts.append(f"abandonment ≤ {target['abandon_max']:.0%}")
    if target["occupancy_max"] is not None:
        parts.append(f"occupancy ≤ {target['occupancy_max']:.0%}")
    misses = int(target["misses"])
    allowed = f"{misses} interval{'s' if misses != 1 else ''} short allowed per queue"
    return f"{', '.join(parts)} in every interval; {allowed}"


@dataclass(frozen=True)
class TargetRow:
    target: str
    goal: str
    met_before: bool | None
    met_after: bool | None
    short_after: str  # the intervals still short after, by queue and start


def target_row(target: dict[str, Any], after: pd.DataFrame) -> TargetRow:
    short = target["failing_after"]
    return TargetRow(
        target["target"],
        target_text(target),
        target["met_before"],
        target["met_after"],
        ", ".join(f"{s['queue']} {start(after, s['interval'])}" for s in short) or "none",
    )


def start(table: pd.DataFrame, interval: int) -> str:
    starts = table.loc[table["interval"].eq(interval), "start"]
    return str(starts.iloc[0]) if len(starts) else f"#{interval}"


def target_pairs(summary: dict[str, Any], table: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """Every (channel, queue) pair some target ("channel=phone", "queue=chat") covers, with
    the targets covering it."""
    pairs: dict[tuple[str, str], list[dict]] = {}
    for target in summary["targets"]:
        kind, _, name = str(target["target"]).partition("=")
        rows = table[table["channel" if kind == "channel" else "queue"].eq(name)]
        for pair in dict.fromkeys(zip(rows["channel"], rows["queue"], strict=True)):
            pairs.setdefault(pair, []).append(target)
    return pairs


def added_rows(summary: dict[str, Any], roster: pd.DataFrame) -> list[dict[str, Any]]:
    """Per menu option added: template, start, end, group, skills and count (end, group and
    skills from roster.csv, where the added agents are named <option>_<k>)."""
    templates = sorted(summary["added_per_template"], key=len, reverse=True)
    rows = []
    for option, count in summary["added"].items():
        template = next((t for t in templates if option.startswith(f"{t}_")), option)
        stamp = option[len(template) + 1 :]
        begin = f"{stamp[:-2]}:{stamp[-2:]}" if stamp.isdigit() and len(stamp) >= 4 else "–"
        row = {"template": template, "start": begin, "end": "–", "group": "–", "skills": "–"}
        mine = roster[roster["agent"].str.fullmatch(rf"{option}_\d+")]
        if len(mine):
            first = mine.iloc[0]
            row.update(
                end=str(first["end"]),
                group=str(first["group"]),
                skills=str(first["skills"]).replace(";", ", "),
            )
        rows.append({**row, "count": int(count)})
    return sorted(rows, key=lambda r: (r["template"], r["start"]))


def draw_staffing_figures(search: StaffingSearch) -> list[kit.Shown]:
    """One figure per (channel, queue) a target covers: service level and agents on duty,
    before and after."""
    kit.use_agg()
    from sim.pages import figures

    summary, before, after = search.summary, search.before, search.after
    colours = figures.channel_colours(search.facts.channel_names)
    kind = erlang_kind(summary)
    shown = []
    for (channel, queue), targets in target_pairs(summary, after).items():
        goal = max(float(t["service_level"]) for t in targets)
        short = sorted(
            {int(s["interval"]) for t in targets for s in t["failing_after"] if s["queue"] == queue}
        )
        mine_before = before[before["channel"].eq(channel) & before["queue"].eq(queue)]
        mine_after = after[after["channel"].eq(channel) & after["queue"].eq(queue)]
        fig = figures.staffing_change(
            mine_before,
            mine_after,
            channel,
            queue,
            goal,
            search.facts.interval_s,
            search.facts.n_intervals,
            colours[channel],
            requirement=f"{kind} requirement (start of the search)",
            short_after=short,
        )
        name = f"staffing_{channel}_{queue}" if channel != queue else f"staffing_{queue}"
        label = channel if channel == queue else f"{channel}: {queue}"
        text = caption(targets, mine_before, mine_after, goal, str(summary["confidence"]), kind)
        shown.append(kit.show(fig, search.run_dir, name, label, text))
    return shown


def caption(
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
    misses = min(int(t["misses"]) for t in targets)
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
