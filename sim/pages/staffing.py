"""staffing.html: the staffing search's page, built from the files of its run directory only.

The search (`python -m sim.staffing`) writes staffing.json, model.json, roster.csv and the
interval tables of the two rosters it evaluated, as given and recommended
(intervals_before.csv, intervals_after.csv: `sim.staffing.output`). `render_staffing_page`
reads them (`sim.rundir.read.load_staffing`), draws figures/staffing_*.png, one per queue of
the channels the menu can staff, and writes staffing.html. Rebuild with `python -m sim.report RUN_DIR`.
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


TONE = {"holds": "good", "at risk": "warn", "breaks": "bad"}


def page_context(search: StaffingSearch, shown: list[kit.Shown]) -> dict[str, Any]:
    summary, facts = search.summary, search.facts
    return {
        "name": facts.scenario,
        "description": facts.description
        or "The cheapest roster found that holds on every channel the menu can staff",
        "s": summary,
        "kind": erlang_kind(summary),
        "tone": TONE,
        "cost": cost_text(summary),
        "channels": [
            channel_row(channel, v, summary, search.after, channel in facts.deferrable)
            for channel, v in summary["verdict"].items()
        ],
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


def goal_text(targets: dict[str, Any], deferrable: bool = False) -> str:
    """A queue's targets (summary.json's layout) in words, e.g. "≥ 80% within 20 s in every
    judged interval (5+ contacts), 2 may miss a day; abandonment ≤ 5%, occupancy ≤ 90% over
    the run"."""
    within = f"≥ {targets['service_level']:.0%} within {duration(targets['threshold_s'])}"
    if deferrable:
        left = targets.get("left_max")
        rest = "" if left is None else f"; at most {left:g} left unanswered at the end"
        return f"{within} (the deadline share){rest}"
    misses = int(targets["misses"])
    parts = [
        f"{within} in every judged interval ({targets['min_offered']:g}+ contacts), "
        f"{misses} may miss a day"
    ]
    caps = [
        f"{label} ≤ {fmt(targets[key])}"
        for key, label, fmt in (
            ("abandon_max", "abandonment", lambda v: f"{v:.0%}"),
            ("occupancy_max", "occupancy", lambda v: f"{v:.0%}"),
            ("asa_max_s", "ASA", lambda v: duration(v)),
        )
        if targets.get(key) is not None
    ]
    if caps:
        parts.append(f"{', '.join(caps)} over the run")
    return "; ".join(parts)


def duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    return f"{seconds:g} s"


@dataclass(frozen=True)
class QueueRow:
    queue: str
    goal: str
    before: str  # holds, at risk, breaks
    after: str
    still_missing: str  # the intervals that still miss after, by start, and run-level misses


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    staffed: bool  # the menu can staff it: the search had to make it hold
    before: str
    after: str
    queues: list[QueueRow]


def channel_row(
    channel: str,
    verdict: dict[str, Any],
    summary: dict[str, Any],
    after: pd.DataFrame,
    deferrable: bool,
) -> ChannelRow:
    """A channel's levels before and after, and each queue's with what it is judged against."""
    targets = summary["targets"]["queues"]
    rows = []
    for queue, q in verdict["queues"].items():
        missing = [start(after, k) for k in q["missed_after"]]
        text = (
            f"{len(missing)} of {q['judged']} judged intervals ({q['allowed']} allowed): "
            + ", ".join(missing)
            if missing
            else "none"
        )
        if q["run_misses_after"]:
            text += (
                f"; over the run: {', '.join(MEASURES.get(m, m) for m in q['run_misses_after'])}"
            )
        rows.append(
            QueueRow(
                queue,
                goal_text(targets[queue], deferrable),
                q["level_before"],
                q["level_after"],
                text,
            )
        )
    return ChannelRow(
        channel, bool(verdict["staffed"]), verdict["level_before"], verdict["level_after"], rows
    )


MEASURES = {
    "service_level": "service level",
    "abandon_rate": "abandonment",
    "occupancy": "occupancy",
    "asa_s": "ASA",
    "share_if_late": "backlog (counted late)",
    "left": "left unanswered",
}


def start(table: pd.DataFrame, interval: int) -> str:
    starts = table.loc[table["interval"].eq(interval), "start"]
    return str(starts.iloc[0]) if len(starts) else f"#{interval}"


def judged_pairs(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (channel, queue) of the channels the menu can staff (`judged`), in the verdict's
    order: one figure each."""
    judged = set(summary["judged"])
    return [
        (channel, queue)
        for channel, v in summary["verdict"].items()
        if channel in judged
        for queue in v["queues"]
    ]


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
    """One figure per (channel, queue) of the channels the menu can staff: service level and
    agents by their time on the queue, before and after."""
    kit.use_agg()
    from sim.pages import figures

    summary, before, after = search.summary, search.before, search.after
    colours = figures.channel_colours(search.facts.channel_names)
    kind = erlang_kind(summary)
    shown = []
    for channel, queue in judged_pairs(summary):
        targets = summary["targets"]["queues"][queue]
        verdict = summary["verdict"][channel]["queues"][queue]
        mine_before = before[before["channel"].eq(channel) & before["queue"].eq(queue)]
        mine_after = after[after["channel"].eq(channel) & after["queue"].eq(queue)]
        fig = figures.staffing_change(
            mine_before,
            mine_after,
            channel,
            queue,
            float(targets["service_level"]),
            search.facts.interval_s,
            search.facts.n_intervals,
            colours[channel],
            requirement=f"{kind} requirement (start of the search)",
            short_after=verdict["missed_after"],
        )
        name = f"staffing_{channel}_{queue}" if channel != queue else f"staffing_{queue}"
        label = channel if channel == queue else f"{channel}: {queue}"
        text = caption(verdict, targets, mine_before, mine_after, kind)
        shown.append(kit.show(fig, search.run_dir, name, label, text))
    return shown


def caption(
    verdict: dict[str, Any],
    targets: dict[str, Any],
    before: pd.DataFrame,
    after: pd.DataFrame,
    kind: str,
) -> str:
    """The figure's caption: the queue's level before and after, the intervals that miss
    after, and how the agents are counted."""
    goal = float(targets["service_level"])
    missed = len(verdict["missed_after"])

    def peak(rows: pd.DataFrame, column: str) -> str:
        values = rows[column].to_numpy(dtype=float) if column in rows else np.array([np.nan])
        return "–" if np.isnan(values).all() else f"{np.nanmax(values):.1f}"

    return (
        f"{verdict['level_before']} before, {verdict['level_after']} after: {missed} of "
        f"{verdict['judged']} judged intervals below the {goal:.0%} target after "
        f"({verdict['allowed']} allowed). Top: service level of contacts arriving in each "
        f"interval, before (grey) and after (colour), pooled over the replications with the 95% "
        f"CI band; triangles: intervals that still miss. Bottom: agents by the time they spent "
        f"on this queue (work on its contacts, and idle time shared over an agent's queues in "
        f"proportion to its work on each), so a multi-skilled agent counts once over its queues "
        f"(peak {peak(after, 'agents_on_queue')} after, {peak(before, 'agents_on_queue')} "
        f"before; thin dotted: agents holding the skill, each counted in every queue it holds, "
        f"peak {peak(after, 'agents_scheduled')} after), and the {kind} requirement the search "
        f"started from (dashed)."
    )
