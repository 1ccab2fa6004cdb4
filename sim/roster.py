"""The roster: who works when, with which skills and planned breaks.

Planners export rosters from their WFM tool or spreadsheet as one row per agent shift, so the
CSV form is primary. Columns: `agent`, `skills` (separated by `;`), `start`, `end` (clock
times; hours past 24 are the next day), and optionally `breaks` (`HH:MM+minutes`, separated by
`;`), `group` (for occupancy by group), `count` (that many identical agents, numbered) and
`chats` (how many contacts of a concurrent channel, chat, the agent holds at once), and
`proficiency` (a factor on the customer's handle time: `1.3` on every skill, or per skill
`complaints:0.8;orders:1.2`; a roster's `proficiency: {group: ...}` sets it per group). The
same rows can be written inline in YAML under `agents:`. An agent named on several rows works
several shifts.

For staffing sweeps a roster can also add `extra_agents` agents of one `extra` profile (a row
like the others, e.g. temps 09:00-18:00 on general calls): `python -m sim -m
roster.extra_agents=0,5,10` then compares three staffing levels on the same customers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from sim.clock import parse_clock
from sim.errors import ConfigError
from sim.model import Agent, Break, Shift

REQUIRED = ("agent", "skills", "start", "end")
OPTIONAL = ("breaks", "group", "count", "chats", "proficiency")


def read_roster(spec: Mapping[str, Any], files) -> tuple[Agent, ...]:
    allowed = {"name", "description", "file", "agents", "extra_agents", "extra", "proficiency"}
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
    agents += _extra_agents(spec, {a.name for a in agents})
    return _with_group_proficiency(agents, spec.get("proficiency"))


def _with_group_proficiency(agents: tuple[Agent, ...], spec: object) -> tuple[Agent, ...]:
    """`proficiency: {GROUP: FACTOR or {SKILL: FACTOR}}`: a group's handle-time factor, for
    its agents whose own row gives none for that skill (helpers 1.5, novices 1.3, seniors 0.8)."""
    if spec is None:
        return agents
    if not isinstance(spec, Mapping):
        raise ConfigError(
            "roster", "proficiency", "expected a mapping {group: factor or {skill: factor}}"
        )
    groups = sorted({a.group for a in agents})
    by_group = {}
    for group, value in spec.items():
        if group not in groups:
            raise ConfigError("roster", f"proficiency.{group}", f"no such group; groups: {groups}")
        by_group[group] = _proficiency(value, "roster", f"proficiency.{group}")
    out = []
    for agent in agents:
        if agent.group not in by_group:
            out.append(agent)
            continue
        speed, speeds = by_group[agent.group]
        own = dict(agent.speeds)
        if agent.speed != 1.0:  # the agent's own all-skills factor wins over the group's
            speed, speeds = agent.speed, {}
        merged = {**speeds, **own}
        out.append(replace(agent, speed=speed, speeds=tuple(sorted(merged.items()))))
    return tuple(out)


def _proficiency(value: object, source: str, where: str) -> tuple[float, dict[str, float]]:
    """A factor for every skill (`1.5`), or per skill (`complaints:0.8;orders:1.2`, or a YAML
    mapping): (factor for the skills not named, factors by skill)."""

    def factor(x: object, field: str) -> float:
        try:
            f = float(x)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            f = math.nan
        if not (0 < f < math.inf):
            raise ConfigError(source, field, f"expected a handle-time factor > 0, got {x!r}")
        return f

    if value in (None, ""):
        return 1.0, {}
    if isinstance(value, Mapping):
        return 1.0, {str(k): factor(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, int | float) and not isinstance(value, bool):
        return factor(value, where), {}
    text = str(value).strip()
    if ":" not in text:
        return factor(text, where), {}
    speeds = {}
    for part in _split(text):
        skill, _, number = part.partition(":")
        if not skill.strip():
            raise ConfigError(source, where, f"{part!r}: write SKILL:FACTOR, e.g. complaints:0.8")
        speeds[skill.strip()] = factor(number, where)
    return 1.0, speeds


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
    records = table.to_dict("records")
    return [
        (line, {str(k): v for k, v in row.items()}) for line, row in enumerate(records, start=2)
    ]


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
    proficiency: dict[str, tuple[float, dict[str, float]]] = {}
    for line, row in rows:
        where = f"line {line}" if source.endswith(".csv") else f"[{line}]"
        for key in REQUIRED:
            if row.get(key) in (None, ""):
                raise ConfigError(source, key, f"{where}: a value is required")
        shift = _shift(row, source, where)
        agent_skills = _skills(row["skills"], source, where)
        group = str(row.get("group") or "agents")
        chats = _whole_number(row.get("chats"), 1, "chats", source, where)
        factors = _proficiency(row.get("proficiency"), source, f"proficiency: {where}")
        for name in _names(row, source, where):
            if name in skills and skills[name] != agent_skills:
                raise ConfigError(
                    source, "skills", f"{where}: agent {name!r} listed with other skills before"
                )
            skills[name] = agent_skills
            groups.setdefault(name, group)
            max_chats[name] = chats
            proficiency[name] = factors
            shifts.setdefault(name, []).append(shift)
    if not shifts:
        raise ConfigError(source, "agent", "the roster has no agents")
    agents = []
    for name, agent_shifts in shifts.items():
        agent_shifts.sort(key=lambda s: s.start_s)
        for before, after in zip(agent_shifts, agent_shifts[1:], strict=False):
            if after.start_s < before.end_s:
                raise ConfigError(source, "start", f"agent {name!r} has overlapping shifts")
        speed, speeds = proficiency[name]
        agents.append(
            Agent(
                name,
                skills[name],
                tuple(agent_shifts),
                groups[name],
                max_chats[name],
                speed,
                tuple(sorted(speeds.items())),
            )
        )
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


parse_proficiency = _proficiency  # (for the on-call pools, `sim.workforce`)
