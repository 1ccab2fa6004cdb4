"""What `python -m sim.staffing` writes: roster.csv (runnable as is with
`python -m sim roster.file=<it>`), staffing.json and staffing.html."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from sim.clock import format_clock
from sim.model import Agent, Model


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
