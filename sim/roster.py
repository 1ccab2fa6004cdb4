"""The roster: who works when, with which skills and planned breaks.

Planners export rosters from their WFM tool or spreadsheet as one row per agent shift, so the
CSV form is primary. Columns: `agent`, `skills` (separated by `;`), `start`, `end` (clock
times; hours past 24 are the next day), and optionally `breaks` (`HH:MM+minutes`, separated by
`;`), `group` (for occupancy by group), `count` (that many identical agents, numbered) and
`chats` (how many contacts of a concurrent channel, chat, the agent holds at once). The
same rows can be written inline in YAML under `agents:`. An agent named on several rows works
several shifts.

For staffing sweeps a roster can also add `extra_agents` agents of one `extra` profile (a row
like the others, e.g. temps 09:00-18:00 on general calls): `python -m sim -m
roster.extra_agents=0,5,10` then compares three staffing levels on the same customers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from sim.clock import parse_clock
from sim.errors import ConfigError
from sim.model import Agent, Break, Shift

REQUIRED = ("agent", "skills", "start", "end")
OPTIONAL = ("breaks", "group", "count", "chats")


def read_roster(spec: Mapping[str, Any], files) -> tuple[Agent, ...]:
    allowed = {"name", "description", "file", "agents", "extra_agents", "extra"}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ConfigError(
            "roster", unknown[0], f"unknown key; allowed: {', '.join(sorted(allowed))}"
        )
    if ("file" in spec) == ("agents" in spec):
        raise ConfigError(
            "roster", "file/agents", "give exactly one: a CSV `file` or inline `agents`"
        )
    if "file" in spec:
        path = files(spec["file"], "roster", "file")
        source = str(path)
        rows = _csv_rows(path)
    else:
        source = "roster.agents"
        rows = _yaml_rows(spec["agents"])
    agents = _agents_from_rows(rows, source)
    return agents + _extra_agents(spec, {a.name for a in agents})


def _extra_agents(spec: Mapping[str, Any], taken: set[str]) -> tuple[Agent, ...]:
    count = spec.get("extra_agents", 0)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ConfigError("roster", "extra_agents", f"expected a whole number >= 0, got {count!r}")
    if count == 0:
        return ()
    if not isinstance(spec.get("extra"), Mapping):
        raise ConfigError("roster", "extra", "extra_agents needs an `extra` profile row to copy")
    row = {**spec["extra"], "count": count}
    ((_, row),) = _yaml_rows([row])
    extra = _agents_from_rows([("extra", row)], "roster.extra")
    clash = sorted(taken & {a.name for a in extra})
    if clash:
        raise ConfigError("roster", "extra.agent", f"name {clash[0]!r} is already in the roster")
    return extra


def _csv_rows(path) -> list[tuple[int, dict[str, Any]]]:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise ConfigError(str(path), "-", f"not a readable CSV table ({err})") from None
    table.columns = [c.strip() for c in table.columns]
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise ConfigError(
            str(path),
            missing[0],
            f"missing column; required: {list(REQUIRED)}, optional: {list(OPTIONAL)}",
        )
    extra = [c for c in table.columns if c not in REQUIRED + OPTIONAL]
    if extra:
        raise ConfigError(
            str(path), extra[0], f"unknown column; allowed: {list(REQUIRED + OPTIONAL)}"
        )
    return [(line, dict(row)) for line, row in enumerate(table.to_dict("records"), start=2)]


def _yaml_rows(agents: object) -> list[tuple[int, dict[str, Any]]]:
    if not isinstance(agents, Sequence) or isinstance(agents, str):
        raise ConfigError("roster", "agents", "expected a list of agent rows")
    rows = []
    for index, row in enumerate(agents):
        if not isinstance(row, Mapping):
            raise ConfigError("roster.agents", f"[{index}]", "each agent row must be a mapping")
        unknown = [k for k in row if k not in REQUIRED + OPTIONAL and k != "name"]
        if unknown:
            raise ConfigError(
                "roster.agents",
                f"[{index}].{unknown[0]}",
                f"unknown key; allowed: {list(REQUIRED + OPTIONAL)}",
            )
        row = dict(row)
        row.setdefault("agent", row.pop("name", None))
        rows.append((index, row))
    return rows


def _agents_from_rows(rows, source: str) -> tuple[Agent, ...]:
    shifts: dict[str, list[Shift]] = {}
    skills: dict[str, frozenset[str]] = {}
    groups: dict[str, str] = {}
    max_chats: dict[str, int] = {}
    for line, row in rows:
        where = f"line {line}" if source.endswith(".csv") else f"[{line}]"
        for key in REQUIRED:
            if row.get(key) in (None, ""):
                raise ConfigError(source, key, f"{where}: a value is required")
        shift = _shift(row, source, where)
        agent_skills = _skills(row["skills"], source, where)
        group = str(row.get("group") or "agents")
        chats = _whole_number(row.get("chats"), 1, "chats", source, where)
        for name in _names(row, source, where):
            if name in skills and skills[name] != agent_skills:
                raise ConfigError(
                    source, "skills", f"{where}: agent {name!r} listed with other skills before"
                )
            skills[name] = agent_skills
            groups.setdefault(name, group)
            max_chats[name] = chats
            shifts.setdefault(name, []).append(shift)
    if not shifts:
        raise ConfigError(source, "agent", "the roster has no agents")
    agents = []
    for name, agent_shifts in shifts.items():
        agent_shifts.sort(key=lambda s: s.start_s)
        for before, after in zip(agent_shifts, agent_shifts[1:], strict=False):
            if after.start_s < before.end_s:
                raise ConfigError(source, "start", f"agent {name!r} has overlapping shifts")
        agents.append(Agent(name, skills[name], tuple(agent_shifts), groups[name], max_chats[name]))
    return tuple(agents)


def _shift(row, source: str, where: str) -> Shift:
    try:
        start = parse_clock(row["start"])
        end = parse_clock(row["end"])
    except ValueError as err:
        raise ConfigError(source, "start/end", f"{where}: {err}") from None
    if end <= start:
        raise ConfigError(
            source,
            "end",
            f"{where}: the shift ends ({row['end']}) before it starts ({row['start']})",
        )
    breaks = tuple(_break(text, source, where) for text in _split(row.get("breaks")))
    for b in breaks:
        if b.start_s < start or b.start_s + b.duration_s > end:
            raise ConfigError(source, "breaks", f"{where}: a break lies outside the shift")
    return Shift(start, end, tuple(sorted(breaks, key=lambda b: b.start_s)))


def _break(text: str, source: str, where: str) -> Break:
    clock, _, minutes = text.partition("+")
    try:
        start = parse_clock(clock)
        duration = float(minutes) * 60.0
    except ValueError:
        raise ConfigError(
            source,
            "breaks",
            f"{where}: {text!r} is not a break; write 'HH:MM+minutes', e.g. '12:00+30'",
        ) from None
    if duration <= 0:
        raise ConfigError(source, "breaks", f"{where}: {text!r} needs a positive length in minutes")
    return Break(start, duration)


def _skills(value, source: str, where: str) -> frozenset[str]:
    names = frozenset(_split(value))
    if not names:
        raise ConfigError(source, "skills", f"{where}: at least one skill is required")
    return names


def _names(row, source: str, where: str) -> list[str]:
    name = str(row["agent"]).strip()
    if row.get("count") in (None, ""):
        return [name]
    n = _whole_number(row.get("count"), 1, "count", source, where)
    return [name] if n == 1 else [f"{name}_{i:03d}" for i in range(1, n + 1)]


def _whole_number(value, default: int, field: str, source: str, where: str) -> int:
    """A whole number >= 1 from a CSV cell or YAML value; `default` when empty."""
    if value in (None, ""):
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = -1
    if n < 1 or str(value).strip() not in (str(n), f"{n}.0"):
        raise ConfigError(source, field, f"{where}: expected a whole number >= 1, got {value!r}")
    return n


def _split(value) -> list[str]:
    """Items of a `;`-separated cell or a YAML list."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, Sequence):
        return [str(part).strip() for part in value if str(part).strip()]
    return [str(value).strip()]
