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

A roster can also be written, wholly or in part, as shift `templates`: a pattern (start, length,
group, skills, proficiency, chats) with a `count`, expanded into agents `<name>_001`, ...
Breaks a template does not give are placed by the `break_rule` (`BreakRule`), and the breaks of
a template's agents are staggered so that a team does not go to lunch at once. The roster's
`costs` (per group) are read by `sim.inputs.costs` (and priced by `sim.analysis.costs`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sim.clock import format_clock, parse_clock, unquoted_clock_hint
from sim.errors import ConfigError
from sim.inputs.csvfiles import clock_or_hours, read_csv
from sim.inputs.files import FileFinder
from sim.model import Agent, Break, ContactType, Shift

REQUIRED = ("agent", "skills", "start", "end")
OPTIONAL = ("breaks", "group", "count", "chats", "proficiency")


ROSTER_KEYS = {
    "name",
    "description",
    "file",
    "agents",
    "templates",
    "break_rule",
    "extra_agents",
    "extra",
    "proficiency",
    "costs",  # read by sim.inputs.costs (the model's cost table), not here
}


def read_roster(spec: Mapping[str, Any], files: FileFinder) -> tuple[Agent, ...]:
    """The roster's agents: its named rows (a CSV `file` or inline `agents`), then the agents
    of its `templates`, then `extra_agents` copies of the `extra` profile."""
    unknown = sorted(set(spec) - ROSTER_KEYS)
    if unknown:
        raise ConfigError(
            "roster", unknown[0], f"unknown key; allowed: {', '.join(sorted(ROSTER_KEYS))}"
        )
    if "file" in spec and "agents" in spec:
        raise ConfigError(
            "roster", "file/agents", "give at most one: a CSV `file` or inline `agents`"
        )
    if not {"file", "agents", "templates"} & set(spec):
        raise ConfigError(
            "roster",
            "file/agents/templates",
            "give a CSV `file` or inline `agents`, and/or shift `templates`",
        )
    agents: tuple[Agent, ...] = ()
    if "file" in spec:
        path = files(spec["file"], "roster", "file")
        agents = _agents_from_rows(_csv_rows(path), str(path))
    elif "agents" in spec:
        agents = _agents_from_rows(_yaml_rows(spec["agents"]), "roster.agents")
    if "templates" in spec:
        rule = read_break_rule(spec.get("break_rule"))
        agents += template_agents(spec["templates"], rule, {a.name for a in agents})
    elif spec.get("break_rule") is not None:
        read_break_rule(spec["break_rule"])  # checked all the same: a typo is still a typo
    agents += _extra_agents(spec, {a.name for a in agents})
    agents = _with_group_proficiency(agents, spec.get("proficiency"))
    if len(agents) > MAX_AGENTS:
        raise ConfigError(
            "roster", "agents", f"{len(agents):,} agents; at most {MAX_AGENTS:,} are allowed"
        )
    return agents


class UnusedSkillWarning(UserWarning):
    """A roster skill no contact type (or transfer) needs: not an error, maybe a typo."""


def check_skills_covered(
    types: tuple[ContactType, ...], agents: tuple[Agent, ...], roster: Mapping[str, Any]
) -> None:
    """Every skill a contact type (or its transfer) needs is held by some agent of `roster`;
    a skill held but needed by none is warned about (`UnusedSkillWarning`)."""
    held = set().union(*(a.skills for a in agents)) if agents else set()
    roster_name = roster.get("file", "roster")
    needed = [(t.skill, t.name) for t in types]
    needed += [(t.transfer.to, f"{t.name} (transfers)") for t in types if t.transfer is not None]
    unused = sorted(held - {skill for skill, _ in needed})
    if unused:
        warnings.warn(
            f"{roster_name}: skills: {', '.join(map(repr, unused))} held by agents but needed "
            f"by no contact type (a typo?); queues: {sorted({s for s, _ in needed})}",
            UnusedSkillWarning,
            stacklevel=2,
        )
    for skill, user in needed:
        if skill not in held:
            raise ConfigError(
                str(roster_name),
                "skills",
                f"no agent holds skill {skill!r} needed by contact type {user!r}; "
                f"skills held: {sorted(held)}",
            )


# --- shift templates and the break rule -----------------------------------------------------

TEMPLATE_KEYS = (
    "name",
    "group",
    "skills",
    "start",
    "end",
    "hours",
    "count",
    "breaks",
    "proficiency",
    "chats",
)
ROUND_S = 300.0  # rule-placed breaks start on a 5-minute grid


@dataclass(frozen=True)
class BreakRule:
    """`roster.break_rule`: where the breaks of a template's agents go when it gives none.

    - A shift longer than `meal_after_h` hours (and than the meal) gets one `meal_min`-minute meal
      break in its middle (the seeds: an 8-hour day with a 30-minute break in the middle).
    - Every stretch of work left (shift start to meal, meal to shift end, or the whole shift
      without a meal) longer than `short_every_h` hours is cut by `short_min`-minute breaks
      into equal parts of at most `short_every_h` hours of work.
    - Staggering: agent k of a template (k = 0, 1, ...) takes all its breaks
      (k mod `stagger_slots` - (`stagger_slots` - 1) // 2) x `stagger_min` minutes from that
      place (-15, 0, +15, +30 with the defaults), less if that would put a break outside the
      shift or make the first or last stretch of work longer than `short_every_h`. A template
      that gives its breaks explicitly has them staggered too: the first agent takes them as
      written, the next `stagger_min` later, and so on, cycling after `stagger_slots` agents.
    - Rule-placed breaks start on a 5-minute grid (so the limits hold to within 5 minutes).

    With the defaults a 9-hour shift 08:00-17:00 gets 10:00+15, 12:15+30 and 14:45+15 (60 minutes
    of breaks, 8 hours at work), a 4.5-hour shift 08:00-12:30 one 15-minute break at 10:10, and
    a shift of 2.5 hours or less none. `meal_min: 0` or `short_min: 0` turn either kind off,
    `stagger_min: 0` the staggering.
    """

    meal_after_h: float = 6.0
    meal_min: float = 30.0
    short_every_h: float = 2.5
    short_min: float = 15.0
    stagger_min: float = 15.0
    stagger_slots: int = 4

    def place(self, start_s: float, end_s: float, k: int = 0) -> tuple[Break, ...]:
        """The breaks of the `k`-th agent (from 0) of a template working `start_s`-`end_s`."""
        length = end_s - start_s
        meal, short, limit = self.meal_min * 60, self.short_min * 60, self.short_every_h * 3600
        spans: list[tuple[float, float]] = []
        stretches = [(start_s, end_s)]
        if meal > 0 and length > max(self.meal_after_h * 3600, meal):
            meal_start = start_s + (length - meal) / 2
            spans.append((meal_start, meal))
            stretches = [(start_s, meal_start), (meal_start + meal, end_s)]
        if short > 0:
            for a, b in stretches:
                # n breaks leave n + 1 equal parts of work: (b - a - n * short) / (n + 1) <= limit
                n = max(0, math.ceil((b - a - limit) / (limit + short) - 1e-9))
                work = (b - a - n * short) / (n + 1)
                spans += [(a + i * work + (i - 1) * short, short) for i in range(1, n + 1)]
        if not spans:
            return ()
        spans.sort()
        first, last_end = spans[0][0], max(s + d for s, d in spans)
        offset = (k % self.stagger_slots - (self.stagger_slots - 1) // 2) * self.stagger_min * 60
        # Keep the breaks inside the shift and the first and last stretch of work within limit.
        low = max(start_s - first, end_s - last_end - limit)
        high = min(end_s - last_end, start_s + limit - first)
        offset = min(max(offset, low), high) if low <= high else 0.0
        out = []
        for s, d in spans:
            begin = math.floor((s + offset) / ROUND_S + 0.5) * ROUND_S
            out.append(Break(min(max(begin, start_s), end_s - d), d))
        return tuple(out)


def read_break_rule(spec: object) -> BreakRule:
    """`roster.break_rule`: any of BreakRule's fields (omitted ones keep their defaults)."""
    if spec is None:
        return BreakRule()
    if not isinstance(spec, Mapping):
        raise ConfigError("roster", "break_rule", "expected a mapping, e.g. {meal_min: 45}")
    defaults = BreakRule()
    allowed = list(defaults.__dataclass_fields__)
    values: dict[str, Any] = {}
    for key, value in spec.items():
        if key not in allowed:
            raise ConfigError("roster.break_rule", str(key), f"unknown key; allowed: {allowed}")
        if key == "stagger_slots":
            values[key] = _count(value, "roster.break_rule", key)
            continue
        number = _float(value)
        least = 0.25 if key == "short_every_h" else 0.0  # a quarter hour of work at least
        if not least <= number < math.inf:
            raise ConfigError(
                "roster.break_rule", str(key), f"expected a number >= {least:g}, got {value!r}"
            )
        values[key] = number
    return replace(defaults, **values)


def template_agents(templates: object, rule: BreakRule, taken: set[str]) -> tuple[Agent, ...]:
    """`roster.templates`: each a shift pattern expanded into `count` agents `<name>_001`, ..."""
    if not isinstance(templates, Sequence) or isinstance(templates, str):
        raise ConfigError("roster", "templates", "expected a list of shift templates")
    agents: list[Agent] = []
    names = set(taken)
    for k, spec in enumerate(templates):
        source = f"roster.templates[{k}]"
        if not isinstance(spec, Mapping):
            raise ConfigError(source, "-", "each template must be a mapping")
        unknown = [key for key in spec if key not in TEMPLATE_KEYS]
        if unknown:
            raise ConfigError(
                source, str(unknown[0]), f"unknown key; allowed: {list(TEMPLATE_KEYS)}"
            )
        for key in ("name", "skills", "start"):
            if spec.get(key) in (None, ""):
                raise ConfigError(source, key, "a value is required")
        name = str(spec["name"]).strip()
        if not name or any(c in name for c in ";,"):
            raise ConfigError(source, "name", f"expected a plain name, got {spec['name']!r}")
        start, end = _template_times(spec, source)
        where = f"template {name!r}"
        agent_skills = _skills(spec["skills"], source, where)
        count = _agent_count(_count(spec.get("count", 1), source, "count"), source, "count")
        chats = _whole_number(spec.get("chats"), 1, "chats", source, where)
        speed, speeds = parse_proficiency(spec.get("proficiency"), source, "proficiency")
        explicit = _template_breaks(spec, start, end, source, where)
        for i in range(count):
            agent_name = f"{name}_{i + 1:03d}"
            if agent_name in names:
                raise ConfigError(
                    source, "name", f"agent {agent_name!r} is already in the roster; rename it"
                )
            names.add(agent_name)
            breaks = (
                rule.place(start, end, i)
                if explicit is None
                else _staggered(explicit, i, rule, start, end, source)
            )
            agents.append(
                Agent(
                    agent_name,
                    agent_skills,
                    (Shift(start, end, breaks),),
                    str(spec.get("group") or "agents"),
                    chats,
                    speed,
                    tuple(sorted(speeds.items())),
                )
            )
    return tuple(agents)


def _template_times(spec: Mapping[str, Any], source: str) -> tuple[float, float]:
    try:
        start = parse_clock(spec["start"])
    except ValueError as err:
        raise ConfigError(source, "start", str(err)) from None
    if ("end" in spec) == ("hours" in spec):
        raise ConfigError(source, "end/hours", "give the shift's `end` or its length in `hours`")
    if "hours" in spec:
        hours = _float(spec["hours"])
        if not 0 < hours <= 24:
            raise ConfigError(
                source, "hours", f"expected a shift length > 0 and <= 24, got {spec['hours']!r}"
            )
        return start, start + hours * 3600
    try:
        end = parse_clock(spec["end"])
    except ValueError as err:
        raise ConfigError(source, "end", str(err)) from None
    if end <= start:
        raise ConfigError(
            source, "end", f"the shift ends ({spec['end']}) before it starts ({spec['start']})"
        )
    if _too_long(spec["start"], spec["end"], start, end):
        raise ConfigError(
            source,
            "end",
            f"the shift from {spec['start']} to {spec['end']} is longer than 24 hours"
            + _unquoted_hint(spec["start"], spec["end"]),
        )
    return start, end


MAX_AGENTS = 200_000  # in one roster: far beyond any contact centre, and still simulable


def _agent_count(n: int, source: str, field: str) -> int:
    """Refuses an absurd number of agents before building them."""
    if n > MAX_AGENTS:
        raise ConfigError(source, field, f"{n:,} agents; at most {MAX_AGENTS:,} are allowed")
    return n


def _count(value: object, source: str, field: str) -> int:
    number = _float(value)
    if not (1 <= number < math.inf and number == int(number)):
        raise ConfigError(source, field, f"expected a whole number >= 1, got {value!r}")
    return int(number)


def _template_breaks(
    spec: Mapping[str, Any], start: float, end: float, source: str, where: str
) -> tuple[Break, ...] | None:
    """The template's own breaks (the first agent's), or None: placed by the break rule.
    `breaks: []` (or "none") means no breaks at all."""
    value = spec.get("breaks")
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() == "none":
        return ()
    breaks = tuple(
        sorted((_break(t, source, where) for t in _split(value)), key=lambda b: b.start_s)
    )
    for b in breaks:
        if b.start_s < start or b.start_s + b.duration_s > end:
            raise ConfigError(
                source, "breaks", f"a break ({format_clock(b.start_s)}) lies outside the shift"
            )
    for before, after in zip(breaks, breaks[1:], strict=False):
        if after.start_s < before.start_s + before.duration_s:
            raise ConfigError(
                source, "breaks", f"breaks overlap ({_break_text(before)} and {_break_text(after)})"
            )
    return breaks


def _staggered(
    breaks: tuple[Break, ...], i: int, rule: BreakRule, start: float, end: float, source: str
) -> tuple[Break, ...]:
    offset = (i % rule.stagger_slots) * rule.stagger_min * 60
    moved = tuple(Break(b.start_s + offset, b.duration_s) for b in breaks)
    for b in moved:
        if b.start_s + b.duration_s > end:
            raise ConfigError(
                source,
                "breaks",
                f"staggered by {rule.stagger_min:g} min per agent, agent {i + 1}'s break at "
                f"{format_clock(b.start_s)} ends after the shift; place the breaks earlier, or "
                "set roster.break_rule.stagger_slots (or stagger_min: 0)",
            )
    return moved


def _float(value: object) -> float:
    if isinstance(value, bool):
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


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
        by_group[group] = parse_proficiency(value, "roster", f"proficiency.{group}")
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


def parse_proficiency(value: object, source: str, where: str) -> tuple[float, dict[str, float]]:
    """A factor for every skill (`1.5`), or per skill (`complaints:0.8;orders:1.2`, or a YAML
    mapping): (factor for the skills not named, factors by skill). For roster rows, templates,
    group factors and the on-call pools (`sim.inputs.workforce`) alike."""

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
    _agent_count(count, "roster", "extra_agents")
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
    table = read_csv(path, dtype=str, keep_default_na=False)
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
        (line, _hours_as_numbers({str(k): v for k, v in row.items()}))
        for line, row in enumerate(records, start=2)
    ]


def _hours_as_numbers(row: dict[str, Any]) -> dict[str, Any]:
    """`start`/`end` cells holding a plain number are numbers of hours (7.75 is 07:45), in CSV
    cells and YAML strings alike (YAML numbers already are)."""
    for key in ("start", "end"):
        if key in row:
            row[key] = clock_or_hours(row[key])
    return row


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
        rows.append((index, _hours_as_numbers(row)))
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
        factors = parse_proficiency(row.get("proficiency"), source, f"proficiency: {where}")
        for name in _names(row, source, where):
            if name in skills and skills[name] != agent_skills:
                raise ConfigError(
                    source, "skills", f"{where}: agent {name!r} listed with other skills before"
                )
            if name in groups and groups[name] != group:
                raise ConfigError(
                    source,
                    "group",
                    f"{where}: agent {name!r} listed in group {group!r} here and in group "
                    f"{groups[name]!r} before; one agent belongs to one group",
                )
            skills[name] = agent_skills
            groups[name] = group
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
    if _too_long(row["start"], row["end"], start, end):
        raise ConfigError(
            source,
            "end",
            f"{where}: the shift from {row['start']} to {row['end']} is longer than 24 hours"
            + _unquoted_hint(row["start"], row["end"]),
        )
    breaks = tuple(_break(text, source, where) for text in _split(row.get("breaks")))
    for b in breaks:
        if b.start_s < start or b.start_s + b.duration_s > end:
            raise ConfigError(source, "breaks", f"{where}: a break lies outside the shift")
    breaks = tuple(sorted(breaks, key=lambda b: b.start_s))
    for before, after in zip(breaks, breaks[1:], strict=False):
        if after.start_s < before.start_s + before.duration_s:
            raise ConfigError(
                source,
                "breaks",
                f"{where}: breaks overlap ({_break_text(before)} and {_break_text(after)})",
            )
    return Shift(start, end, breaks)


MAX_SHIFT_S = 24 * 3600.0  # one shift, breaks included


def _too_long(raw_start: object, raw_end: object, start: float, end: float) -> bool:
    """A shift over 24 hours is a mistake (often YAML's reading of an unquoted `17:00` as the
    number 1020), except one written in plain numbers of hours from the first day (`start: 0,
    end: 168`): the textbook roster's agents on duty for the whole horizon."""
    numbers = all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in (raw_start, raw_end)
    )
    return end - start > MAX_SHIFT_S and not (numbers and start < MAX_SHIFT_S)


def _break_text(b: Break) -> str:
    return f"{format_clock(b.start_s)}+{b.duration_s / 60:g}"


def _unquoted_hint(*values: object) -> str:
    """YAML reads an unquoted 17:00 as the number 1020 (hours, to us): say so."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 60:
            return "; " + unquoted_clock_hint(value)
    return ""


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
    n = _agent_count(_whole_number(row.get("count"), 1, "count", source, where), source, "count")
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
