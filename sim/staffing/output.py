"""What `python -m sim.staffing` writes: roster.csv (runnable as is with
`python -m sim roster.file=<it>`), staffing.json, model.json (the model's facts, as a run
writes them), the interval tables of the roster as given and of the recommendation
(intervals_before.csv, intervals_after.csv) and, from those files alone, staffing.html
(`sim.pages.staffing`, read through `sim.rundir.read.load_staffing`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.clock import format_clock
from sim.model import Agent, Model
from sim.rundir.read import AFTER, BEFORE, MODEL

if TYPE_CHECKING:
    from sim.staffing.evaluate import Evaluation
    from sim.staffing.search import Result


def levels(before: Evaluation, after: Evaluation) -> dict[str, Any]:
    """staffing.json's `verdict`: per channel and queue, the level (holds, at risk, breaks) of
    the roster as given and of the recommendation, whether the search had to make it hold
    (`staffed`) and, after, the intervals that still miss and what they are judged against
    (the counts of summary.json's `verdict`)."""
    out: dict[str, Any] = {}
    for was, now in zip(before.verdicts, after.verdicts, strict=True):
        queues = {}
        for q_was, q_now in zip(was.queues, now.queues, strict=True):
            missed = sorted({m.interval for m in q_now.judgement.misses if m.interval is not None})
            queues[q_now.queue] = {
                "level_before": q_was.level.label,
                "level_after": q_now.level.label,
                "judged": q_now.open_intervals,
                "allowed": q_now.judgement.allowed,
                "missed_after": missed,
                "clearly_after": q_now.clearly,
                "run_misses_after": [m.measure for m in q_now.judgement.run_misses],
            }
        out[now.channel] = {
            "staffed": now.channel in after.staffed,
            "level_before": was.level.label,
            "level_after": now.level.label,
            "run_misses_after": [m.measure for m in now.judgement.run_misses],
            "queues": queues,
        }
    return out


def level_line(verdict: dict[str, Any], judged: list[str]) -> list[str]:
    """Per channel, "phone breaks -> holds" (and "(not staffed by the menu)" for the channels
    the search could not change), for the console."""
    return [
        f"{channel} {v['level_before']} -> {v['level_after']}"
        + ("" if channel in judged else " (not staffed by the menu)")
        for channel, v in verdict.items()
    ]


def save_intervals(run_dir: Path, result: Result) -> None:
    """intervals_before.csv and intervals_after.csv from the search's own evaluations
    (`sim.analysis.intervals.interval_table`), each with `erlang_required`: the search's starting
    requirement per queue and interval."""
    assert result.before is not None and result.after is not None
    need = dict(zip(result.erlang.queues, result.erlang.need, strict=True))
    for name, evaluation in ((BEFORE, result.before), (AFTER, result.after)):
        table = evaluation.table.copy()
        table["erlang_required"] = [
            need[q][k] if q in need else np.nan
            for q, k in zip(table["queue"], table["interval"], strict=True)
        ]
        table.to_csv(run_dir / name, index=False)


def write_facts(run_dir: Path, facts: dict) -> None:
    """model.json: the model's facts (`sim.run.facts_of`), for the page and any reader."""
    write_json(run_dir / MODEL, facts)


def roster_rows(agents: tuple[Agent, ...]) -> pd.DataFrame:
    """One row per agent shift in the roster CSV format of `sim.inputs.roster` (agents with no
    shifts, the on-call pool, come from the workforce config and are left out)."""
    rows = []
    proficiency = any(a.speed != 1.0 or a.speeds for a in agents)
    for agent in agents:
        for shift in agent.shifts:
            row: dict[str, Any] = {
                "agent": agent.name,
                "group": agent.group,
                "skills": ";".join(sorted(agent.skills)),
                "start": format_clock(shift.start_s),
                "end": format_clock(shift.end_s),
                "breaks": ";".join(
                    f"{format_clock(b.start_s)}+{b.duration_s / 60:g}" for b in shift.breaks
                ),
                "chats": agent.max_chats if agent.max_chats != 1 else "",
            }
            if proficiency:
                row["proficiency"] = _proficiency(agent)
            rows.append(row)
    return pd.DataFrame(rows)


def _proficiency(agent: Agent) -> str:
    if agent.speeds:
        parts = [f"{skill}:{factor:g}" for skill, factor in agent.speeds]
        if agent.speed != 1.0:
            parts += [
                f"{s}:{agent.speed:g}" for s in sorted(agent.skills - dict(agent.speeds).keys())
            ]
        return ";".join(parts)
    return "" if agent.speed == 1.0 else f"{agent.speed:g}"


def write_roster(path: Path, model: Model) -> None:
    roster_rows(model.agents).to_csv(path, index=False)


def write_json(path: Path, content: dict) -> None:
    path.write_text(json.dumps(content, indent=2, default=_plain) + "\n", encoding="utf-8")


def _plain(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON: {value!r}")
