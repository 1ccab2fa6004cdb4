"""Labour rules: checked on the planned roster and on the realised day, reported per agent.

The rules are data (`LabourRules`, the config's `labour:` section); each rule is one small
function over an agent's duties (shifts as planned, or sessions as worked, with their breaks)
that returns the breaches it finds. `check_planned` runs them on the roster's shifts and planned
breaks; `check_realised` on the logged-in sessions and breaks actually taken in the agents
table (`sim.analysis.tables.agents_frame`), keeping only what the plan did not already break: overtime
that makes a shift too long or cuts a rest short, a break that lapsed or came late. Realised
breaches are counted over replications ("in 3 of 10 days"). No simulation here.

Every limit has the same tolerance (`labour.tolerance_min`): a duty breaks a rule only when it
goes past the limit by more than that, so an agent finishing a call a few seconds into the sixth
hour is not listed. Details write times as clock times on a one-day run and as day and clock
time on a longer one (`Times`).

With `labour.strict: true` a roster that breaks any rule is an input error (`enforce_strict`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from sim.clock import format_clock
from sim.errors import ConfigError
from sim.model import LabourRules, Model, Shift

DAY_S = 86400.0
WEEK_S = 7 * DAY_S
EPS_S = 1e-6  # times are seconds; closer than this counts as equal
# One row of an agent's day from the agents frame: kind, group, start, end, planned end.
Session = tuple[str, str, float, float, float]


@dataclass(frozen=True)
class Times:
    """How a detail writes a time. A one-day run keeps plain clock times ('07:45', '25:30' past
    midnight); a longer one writes the day and the clock time ('day 6 07:45'), since hours
    counted from the start of the run ('127:45') leave the planner to do the division."""

    days: bool = False

    @staticmethod
    def of(model: Model) -> Times:
        return Times(days=model.demand.horizon_s > DAY_S + EPS_S)

    def at(self, seconds: float, same_day_as: float | None = None) -> str:
        """The time; on a multi-day run with its day, left out when it is `same_day_as`'s."""
        if not self.days:
            return _clock(seconds)
        day, clock = _day_clock(seconds)
        if same_day_as is not None and _day_clock(same_day_as)[0] == day:
            return clock
        return f"day {day} {clock}"

    def span(self, start: float, end: float, same_day_as: float | None = None) -> str:
        """'07:45-16:45'; on a multi-day run 'day 6 07:45-16:45', 'day 6 22:00 - day 7 06:00'
        across midnight (an end at midnight is the day's 24:00)."""
        if not self.days:
            return f"{_clock(start)}-{_clock(end)}"
        first = self.at(start, same_day_as)
        start_day = _day_clock(start)[0]
        end_day, end_clock = _day_clock(end, end=True)
        if end_day == start_day:
            return f"{first}-{end_clock}"
        return f"{first} - day {end_day} {end_clock}"


@dataclass(frozen=True)
class Violation:
    """One agent breaking one rule, `when` "planned" (in the roster) or "realised" (on the
    simulated day, not already in the plan). `detail` gives the worst case with its numbers;
    `occurrences` counts the shifts (rests, weeks) of the plan that break it, `replications`
    the replications in which the realised day broke it."""

    agent: str
    group: str
    rule: str
    when: str
    detail: str
    occurrences: int = 1
    replications: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "agent": self.agent,
            "group": self.group,
            "rule": self.rule,
            "when": self.when,
            "detail": self.detail,
        }
        if self.replications is None:
            out["occurrences"] = self.occurrences
        else:
            out["replications"] = self.replications
        return out


@dataclass(frozen=True)
class Duty:
    """A stretch of duty: a planned shift, or a session as worked. `breaks` are (start, end)
    pairs; a realised duty also knows its planned end and how many breaks were planned."""

    start_s: float
    end_s: float
    breaks: tuple[tuple[float, float], ...] = ()
    planned_end_s: float | None = None
    planned_breaks: int | None = None

    @property
    def hours(self) -> float:
        return (self.end_s - self.start_s) / 3600

    def label(self, times: Times) -> str:
        """'shift 08:00-17:00 (worked until 17:23:52)'."""
        planned_end = self.end_s if self.planned_end_s is None else self.planned_end_s
        text = f"shift {times.span(self.start_s, planned_end)}"
        if abs(self.end_s - planned_end) >= 1:
            text += f" (worked until {times.at(self.end_s, same_day_as=planned_end)})"
        return text

    def untaken(self) -> str:
        """'; 1 of 2 planned breaks not taken' on a realised duty that missed some."""
        if self.planned_breaks is None or len(self.breaks) >= self.planned_breaks:
            return ""
        missed = self.planned_breaks - len(self.breaks)
        return f"; {missed} of {self.planned_breaks} planned breaks not taken"


@dataclass(frozen=True)
class Breach:
    """A rule broken once: `key` places it (the start of the shift concerned, of the shift
    after a short rest, of the week) and `excess` measures how badly (for the worst case)."""

    rule: str
    key: float
    excess: float
    detail: str


# --- the rules, one function each -----------------------------------------------------------


def _over(seconds: float, limit_s: float, rules: LabourRules) -> bool:
    """Past the limit by more than the tolerance: a breach of a longest-allowed rule."""
    return seconds > limit_s + rules.tolerance_min * 60 + EPS_S


def _short(seconds: float, limit_s: float, rules: LabourRules) -> bool:
    """Short of the limit by more than the tolerance: a breach of a shortest-allowed rule."""
    return seconds < limit_s - rules.tolerance_min * 60 - EPS_S


def max_shift(duties: Sequence[Duty], rules: LabourRules, times: Times) -> list[Breach]:
    limit = rules.max_shift_h
    if limit is None:
        return []
    return [
        Breach(
            "max_shift",
            d.start_s,
            d.hours - limit,
            f"{d.label(times)} is {_hours(d.hours, limit)} h, longest allowed {limit:g} h",
        )
        for d in duties
        if _over(d.hours * 3600, limit * 3600, rules)
    ]


def break_in_shift(duties: Sequence[Duty], rules: LabourRules, times: Times) -> list[Breach]:
    after = rules.break_after_h
    if after is None:
        return []
    needed = rules.min_break_min
    out = []
    for d in duties:
        longest = max((end - start for start, end in d.breaks), default=0.0) / 60
        if _over(d.hours * 3600, after * 3600, rules) and _short(longest * 60, needed * 60, rules):
            have = f" (longest {_number(longest)} min)" if d.breaks else ""
            out.append(
                Breach(
                    "break_in_shift",
                    d.start_s,
                    needed - longest,
                    f"{d.label(times)} is {_number(d.hours)} h with no break of {needed:g} min "
                    f"or more{have}; a shift over {after:g} h needs one{d.untaken()}",
                )
            )
    return out


def work_without_break(duties: Sequence[Duty], rules: LabourRules, times: Times) -> list[Breach]:
    """The longest stretch between breaks that count: those at most the tolerance short of
    `shortest_break_min`."""
    limit = rules.max_work_without_break_h
    if limit is None:
        return []
    shortest_s = rules.shortest_break_min * 60
    out = []
    for d in duties:
        inside = sorted((max(a, d.start_s), min(b, d.end_s)) for a, b in d.breaks)
        counted = [b for b in inside if not _short(b[1] - b[0], shortest_s, rules)]
        ends = [d.start_s] + [end for _, end in counted]
        starts = [start for start, _ in counted] + [d.end_s]
        first, last = max(zip(ends, starts, strict=True), key=lambda s: s[1] - s[0])
        hours = (last - first) / 3600
        if _over(last - first, limit * 3600, rules):
            out.append(
                Breach(
                    "work_without_break",
                    d.start_s,
                    hours - limit,
                    f"{d.label(times)}: {_hours(hours, limit)} h of work "
                    f"{times.span(first, last, same_day_as=d.start_s)} without a break of "
                    f"{rules.shortest_break_min:g} min or more, longest allowed {limit:g} h"
                    f"{d.untaken()}",
                )
            )
    return out


def min_rest(duties: Sequence[Duty], rules: LabourRules, times: Times) -> list[Breach]:
    limit = rules.min_rest_h
    if limit is None:
        return []
    out = []
    for before, after in itertools.pairwise(duties):
        rest_s = max(0.0, after.start_s - before.end_s)
        if _short(rest_s, limit * 3600, rules):
            planned_end = before.planned_end_s
            ended = (
                f"; the shift before was to end at {times.at(planned_end, before.end_s)}"
                if planned_end is not None and abs(before.end_s - planned_end) >= 1
                else ""
            )
            out.append(
                Breach(
                    "min_rest",
                    after.start_s,
                    limit - rest_s / 3600,
                    f"rest {times.span(before.end_s, after.start_s)} between shifts is "
                    f"{_hours(rest_s / 3600, limit)} h, shortest allowed {limit:g} h{ended}",
                )
            )
    return out


def max_week(duties: Sequence[Duty], rules: LabourRules, times: Times) -> list[Breach]:
    """The most shift hours in any 7 consecutive days; only the worst week is reported. The
    busiest window starts at a shift start or ends at a shift end, so those are tried."""
    limit = rules.max_week_h
    if limit is None or not duties:
        return []
    first = min(d.start_s for d in duties)
    starts = {d.start_s for d in duties} | {max(first, d.end_s - WEEK_S) for d in duties}

    def worked(t: float) -> float:
        return sum(max(0.0, min(d.end_s, t + WEEK_S) - max(d.start_s, t)) for d in duties) / 3600

    start = max(sorted(starts), key=worked)
    hours = worked(start)
    if not _over(hours * 3600, limit * 3600, rules):
        return []
    return [
        Breach(
            "max_week",
            start,
            hours - limit,
            f"{_hours(hours, limit)} h of shifts in the 7 days from {times.at(start)}, "
            f"longest week allowed {limit:g} h",
        )
    ]


Rule = Callable[[Sequence[Duty], LabourRules, Times], list[Breach]]
RULES: dict[str, tuple[str, Rule]] = {
    "max_shift": ("Longest shift", max_shift),
    "break_in_shift": ("Break in a long shift", break_in_shift),
    "work_without_break": ("Work without a break", work_without_break),
    "min_rest": ("Rest between shifts", min_rest),
    "max_week": ("Longest week", max_week),
}
RULE_KEYS = {  # the config keys each rule reads
    "max_shift": ("max_shift_h",),
    "break_in_shift": ("break_after_h", "min_break_min"),
    "work_without_break": ("max_work_without_break_h", "shortest_break_min"),
    "min_rest": ("min_rest_h",),
    "max_week": ("max_week_h",),
}


def breaches(duties: Sequence[Duty], rules: LabourRules, times: Times = Times()) -> list[Breach]:
    """Every rule on one agent's duties, in start order."""
    ordered = sorted(duties, key=lambda d: d.start_s)
    return [b for _, rule in RULES.values() for b in rule(ordered, rules, times)]


# --- the planned roster -----------------------------------------------------------------------


def planned_duties(shifts: Sequence[Shift]) -> list[Duty]:
    return [
        Duty(s.start_s, s.end_s, tuple((b.start_s, b.start_s + b.duration_s) for b in s.breaks))
        for s in shifts
    ]


def check_planned(model: Model, rules: LabourRules) -> list[Violation]:
    """Every rule on every agent's planned shifts and breaks: one violation per agent and
    rule, with the worst case in the detail and the number of cases."""
    times = Times.of(model)
    out = []
    for agent in model.agents:
        found = breaches(planned_duties(agent.shifts), rules, times)
        for rule, cases in _by_rule(found).items():
            worst = _worst(cases)
            detail = worst.detail
            if len(cases) > 1:
                detail += f" (the worst of {len(cases)})"
            out.append(Violation(agent.name, agent.group, rule, "planned", detail, len(cases)))
    return _sorted(out)


# --- the realised day -------------------------------------------------------------------------


def check_realised(
    model: Model, agents_frame: pd.DataFrame, rules: LabourRules, replications: int | None = None
) -> list[Violation]:
    """The rules on the sessions as worked and the breaks as taken (`agents_frame` rows of
    kind "shift" and "break"), per replication; a breach the plan already has (same agent,
    rule and shift; for the week rule, any planned week) is left out. One violation per agent
    and rule: the worst case, and in how many of the `replications` (default: those in the
    frame) it happened."""
    if replications is None:
        replications = int(agents_frame["replication"].nunique()) if len(agents_frame) else 0
    times = Times.of(model)
    by_name = {a.name: a for a in model.agents}
    planned = {
        name: breaches(planned_duties(agent.shifts), rules, times)
        for name, agent in by_name.items()
    }
    found: dict[tuple[str, str], list[tuple[int, Breach]]] = {}
    groups: dict[str, str] = {}
    for (replication, name), rows in _agent_days(agents_frame):
        agent = by_name.get(name)
        shifts = agent.shifts if agent is not None else ()
        groups[name] = rows[0][1]
        if not shifts:  # an on-call agent: its call-ins of one day are one duty
            rows = _one_duty_per_day(rows, rules.min_rest_h)
        duties = realised_duties(rows, shifts)
        for breach in breaches(duties, rules, times):
            if not _in_plan(breach, planned.get(name, [])):
                found.setdefault((name, breach.rule), []).append((replication, breach))
    unit = "replications" if times.days else "days"
    out = []
    for (name, rule), cases in found.items():
        worst = _worst([b for _, b in sorted(cases, key=lambda c: c[0])])
        hit = len({replication for replication, _ in cases})
        detail = f"{worst.detail}; in {hit} of {replications} {unit}"
        out.append(Violation(name, groups[name], rule, "realised", detail, replications=hit))
    return _sorted(out)


def _agent_days(frame: pd.DataFrame) -> Iterator[tuple[tuple[int, str], list[Session]]]:
    """((replication, agent), rows) with rows (kind, group, start, end, planned end), sorted."""
    if not len(frame):
        return iter(())
    columns = ["replication", "agent", "kind", "group", "start_s", "end_s", "planned_end_s"]
    table = frame[columns].sort_values(["replication", "agent", "start_s", "kind"], kind="stable")
    records = [
        (int(r), str(a), str(k), str(g), float(s), float(e), float(p))
        for r, a, k, g, s, e, p in table.itertuples(index=False, name=None)
    ]
    return (
        (key, [row[2:] for row in rows])
        for key, rows in itertools.groupby(records, key=lambda row: (row[0], row[1]))
    )


def _one_duty_per_day(rows: Sequence[Session], min_rest_h: float | None) -> list[Session]:
    """An on-call agent's sessions (it has no planned shifts) joined into one duty when less
    than the minimum rest lies between them, the time between counting as a break: being
    called in twice in a day is a split duty, not two shifts without rest between them."""
    if min_rest_h is None:
        return list(rows)
    out: list[Session] = []
    for row in sorted(rows, key=lambda r: r[2]):
        kind, group, start, end, planned_end = row
        previous = next((k for k in range(len(out) - 1, -1, -1) if out[k][0] == "shift"), None)
        if kind == "shift" and previous is not None:
            _, _, first_start, last_end, _ = out[previous]
            if start - last_end < min_rest_h * 3600:
                out[previous] = ("shift", group, first_start, end, planned_end)
                out.append(("break", group, last_end, start, math.nan))
                continue
        out.append(row)
    return out


def realised_duties(rows: Sequence[Session], shifts: Sequence[Shift]) -> list[Duty]:
    """One agent's sessions in one replication as duties, with the breaks taken in them.
    A session that ran on into the agent's next planned shift (the engine keeps such an
    agent logged in) is cut at that shift's start, so the rest between them shows as none."""
    sessions = [(s, e, p) for kind, _, s, e, p in rows if kind == "shift"]
    taken = sorted((s, e) for kind, _, s, e, _ in rows if kind == "break")
    duties = []
    for start, end, planned_end in sessions:
        inside = [
            sh
            for sh in shifts
            if start + EPS_S < sh.start_s < end and sh.end_s <= planned_end + EPS_S
        ]
        cuts = [start] + [sh.start_s for sh in inside] + [end]
        for lo, hi in itertools.pairwise(cuts):
            plan = next((sh for sh in shifts if abs(sh.start_s - lo) < EPS_S), None)
            duties.append(
                Duty(
                    lo,
                    hi,
                    tuple(b for b in taken if lo - EPS_S <= b[0] < hi),
                    planned_end if plan is None else plan.end_s,
                    None if plan is None else len(plan.breaks),
                )
            )
    return duties


def _in_plan(breach: Breach, planned: Sequence[Breach]) -> bool:
    return any(
        p.rule == breach.rule and (p.rule == "max_week" or abs(p.key - breach.key) < EPS_S)
        for p in planned
    )


# --- configuration, strict mode and the summary ------------------------------------------------


def enforce_strict(planned: Sequence[Violation], source: str) -> None:
    """`labour.strict: true`: a roster breaking any rule is an input error naming the first
    agent and rule, with the numbers, and how many more there are."""
    if not planned:
        return
    first = planned[0]
    more = len(planned) - 1
    rest = f"; {more} more labour-rule violation{'s' * (more != 1)}" if more else ""
    raise ConfigError(
        source,
        f"labour.{RULE_KEYS[first.rule][0]}",
        f"agent {first.agent} ({first.group}): {first.detail}{rest} "
        "(labour.strict is true; labour.strict=false runs the roster and reports them)",
    )


def summary_section(
    rules: LabourRules, planned: Sequence[Violation], realised: Sequence[Violation]
) -> dict[str, Any]:
    """summary.json's `labour`: the rules in force and the violations, in a fixed order."""
    return {
        "rules": asdict(rules),
        "planned": [v.to_dict() for v in planned],
        "realised": [v.to_dict() for v in realised],
    }


# --- the report ----------------------------------------------------------------------------------


# --- helpers ---------------------------------------------------------------------------------


def _by_rule(found: Sequence[Breach]) -> dict[str, list[Breach]]:
    out: dict[str, list[Breach]] = {}
    for breach in found:
        out.setdefault(breach.rule, []).append(breach)
    return out


def _worst(cases: Sequence[Breach]) -> Breach:
    """The largest excess; ties go to the earliest (the first in the given order)."""
    return max(cases, key=lambda b: b.excess)


def _sorted(violations: list[Violation]) -> list[Violation]:
    order = {rule: k for k, rule in enumerate(RULES)}
    return sorted(violations, key=lambda v: (v.group, v.agent, order[v.rule], v.when))


def _clock(seconds: float) -> str:
    """'HH:MM', or 'HH:MM:SS' when the time is not on a whole minute."""
    whole = round(seconds)
    if whole % 60:
        return f"{format_clock(whole - whole % 60)}:{whole % 60:02d}"
    return format_clock(whole)


def _day_clock(seconds: float, end: bool = False) -> tuple[int, str]:
    """(day from 1, 'HH:MM[:SS]' on it); with `end`, midnight is the day before's '24:00'."""
    whole = round(seconds)
    day, within = divmod(whole, round(DAY_S))
    if end and within == 0 and day > 0:
        day, within = day - 1, round(DAY_S)
    return day + 1, _clock(within)


def _number(x: float) -> str:
    return f"{round(x, 2):g}"


def _hours(hours: float, limit: float) -> str:
    """Hours to two decimals, or more when two would hide the difference from the limit."""
    for digits in (2, 3, 4):
        text = f"{round(hours, digits):g}"
        if float(text) != limit:
            return text
    return f"{hours:.6f}"
