"""Will it hold? The one rule of judgement, from a queue's figures to holds, at risk or breaks.

Every place that says whether a roster is good enough (the report's verdict, the console line,
summary.json, the sweep's ranking and the staffing search's stopping rule) calls `judge_queue`
(and `judge_backlog` for a deferrable queue) with the targets of `sim.model.Targets`; nothing
else decides. The rule, in plain words (README, "Will it hold?"):

- An interval is **judged** when its channel is open and it had at least `min_offered`
  contacts (mean per replication); closed and quieter intervals are shown, not judged.
- A judged interval **misses** when its service level's mean is below target, and misses
  **clearly** when its whole 95% CI is. The run (the queue's figures pooled over the
  replications) misses a goal the same way: its service level below target, or abandonment,
  occupancy or ASA above its cap.
- The queue **holds** when its misses are within the allowance (`misses` per day of the run)
  and none of them is clear, and no run-level goal is missed.
- It **breaks** when more intervals miss clearly than the allowance, or a run-level figure's
  whole CI is on the wrong side of its goal (a cap exceeded beyond doubt).
- Otherwise it is **at risk**: some means are on the wrong side where the CI still reaches the
  goal, beyond the allowance (more replications, or a little more staff, would tell).

A deferrable queue (email) is judged by its deadline instead: it breaks when the share answered
within the deadline is clearly below target or when more is left unanswered at the end than its
`left_max` (a backlog not cleared by its deadline), and is at risk when only the means say so.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.analysis.figure import Figure
from sim.model import Goal, Targets


class Level(enum.IntEnum):
    """The three answers, ordered: the worse of two is the larger."""

    HOLDS = 0
    AT_RISK = 1
    BREAKS = 2

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


@dataclass(frozen=True)
class Miss:
    """One interval (or the whole run, `interval` None) on the wrong side of one goal."""

    measure: str
    figure: Figure
    goal: Goal
    interval: int | None = None
    clear: bool = False  # the whole CI is on the wrong side


@dataclass(frozen=True)
class Judgement:
    """A queue's (or a channel's) answer, with what it rests on."""

    level: Level
    judged: int = 0  # intervals judged
    quiet: int = 0  # open intervals with fewer contacts than min_offered (not judged)
    closed: int = 0  # intervals while the channel was closed (not judged)
    allowed: int = 0  # interval misses allowed over the run
    misses: tuple[Miss, ...] = ()  # interval misses, worst first
    run_misses: tuple[Miss, ...] = ()  # run-level goals missed
    notes: tuple[str, ...] = field(default_factory=tuple)  # deferrable: why, in words

    @property
    def holds(self) -> bool:
        return self.level is Level.HOLDS

    @property
    def clear(self) -> int:
        return sum(m.clear for m in self.misses)


def misses_goal(goal: Goal, value: float) -> bool:
    """Is `value` on the wrong side of the goal? NaN (nothing to measure) never misses."""
    if not math.isfinite(value):
        return False
    return value < goal.limit - 1e-12 if goal.at_least else value > goal.limit + 1e-12


def miss_of(goal: Goal, figure: Figure, interval: int | None = None) -> Miss | None:
    """The miss the figure makes of the goal, if its mean misses; clear when the CI's nearer
    end misses too (a figure without a CI is never a clear miss: one replication proves
    nothing)."""
    if not misses_goal(goal, figure.mean):
        return None
    nearer = figure.high if goal.at_least else figure.low
    clear = math.isfinite(nearer) and misses_goal(goal, nearer)
    return Miss(goal.measure, figure, goal, interval, clear)


def judge_queue(
    rows: pd.DataFrame,
    targets: Targets,
    run_figures: Mapping[str, Figure] | None = None,
    days: int = 1,
) -> Judgement:
    """A real-time queue's judgement from its interval rows and its run-level figures.

    `rows`: one row per interval with `interval`, `open` (the channel was open), `offered`
    (mean contacts per replication) and, for each goal's measure m, the columns m, m_lo, m_hi
    (intervals.csv's layout). `run_figures`: the run-level figure of each measure (pooled over
    replications), judged against the same goals. `days`: the allowance is per day."""
    is_open = rows["open"].to_numpy(dtype=bool)
    offered = rows["offered"].to_numpy(dtype=float)
    judged = is_open & (offered >= targets.min_offered) & (offered > 0)
    misses = []
    for values in rows.loc[judged].to_dict("records"):
        for goal in targets.interval_goals():
            miss = miss_of(goal, _figure(values, goal.measure), int(values["interval"]))
            if miss is not None:
                misses.append(miss)
    run_misses = [
        m
        for goal in targets.goals()
        if (m := miss_of(goal, (run_figures or {}).get(goal.measure, Figure(math.nan))))
    ]
    allowed = targets.misses * max(1, days)
    level = _level(misses, run_misses, allowed)
    return Judgement(
        level=level,
        judged=int(judged.sum()),
        quiet=int((is_open & ~judged).sum()),
        closed=int((~is_open).sum()),
        allowed=allowed,
        misses=tuple(sorted(misses, key=_badness, reverse=True)),
        run_misses=tuple(run_misses),
    )


def judge_run(targets: Targets, run_figures: Mapping[str, Figure]) -> Judgement:
    """A channel's own judgement: its run-level figures against its goals (its intervals are
    its queues', judged there)."""
    run_misses = [
        m
        for goal in targets.goals()
        if (m := miss_of(goal, run_figures.get(goal.measure, Figure(math.nan))))
    ]
    return Judgement(level=_level([], run_misses, 0), run_misses=tuple(run_misses))


def _level(misses: Sequence[Miss], run_misses: Sequence[Miss], allowed: int) -> Level:
    """The rule: intervals that miss (counting an interval once, whatever it misses) against
    the allowance, clear misses and run-level misses."""
    missed = {m.interval for m in misses}
    clearly = {m.interval for m in misses if m.clear}
    if len(clearly) > allowed or any(m.clear for m in run_misses):
        return Level.BREAKS
    if len(missed) <= allowed and not clearly and not run_misses:
        return Level.HOLDS
    return Level.AT_RISK


def judge_backlog(
    share: Figure,
    left: Figure,
    targets: Targets,
    growth: Figure | None = None,
    share_if_late: Figure | None = None,
) -> Judgement:
    """A deferrable queue's judgement: the share answered within the deadline against the
    target, and what is left unanswered at the end: against `left_max` when set, else a
    backlog that grew over the last day so much that, counting every item left as late, the
    deadline share would fall below target (a backlog carried overnight and answered in time
    the next morning is how email works; one growing day after day is not)."""
    goal = Goal("service_level", targets.service_level, at_least=True)
    misses = [m for m in [miss_of(goal, share)] if m is not None]
    notes = []
    if targets.left_max is not None:
        cap = Goal("left", targets.left_max, at_least=False)
        left_miss = miss_of(cap, left)
        if left_miss is not None:
            misses.append(left_miss)
            notes.append("backlog not cleared by its deadline")
    elif growth is not None and share_if_late is not None:
        late = miss_of(goal, share_if_late)
        if late is not None and growth.known and growth.mean > 0:
            clear = late.clear and growth.has_ci and growth.low > 0
            notes.append("backlog growing: counted late, the deadline share misses")
            misses.append(Miss("share_if_late", share_if_late, goal, clear=clear))
    level = Level.HOLDS
    if misses:
        level = Level.BREAKS if any(m.clear for m in misses) else Level.AT_RISK
    return Judgement(level=level, run_misses=tuple(misses), notes=tuple(notes))


def worst(levels: Sequence[Level]) -> Level:
    """A channel's level: its worst queue's (holds when it has none)."""
    return max(levels, default=Level.HOLDS)


def _figure(values: Mapping[Hashable, object], measure: str) -> Figure:
    def number(key: str) -> float:
        value = values.get(key)
        return float(value) if isinstance(value, int | float | np.floating) else math.nan

    return Figure(number(measure), number(f"{measure}_lo"), number(f"{measure}_hi"))


def _badness(miss: Miss) -> tuple[bool, float]:
    """Clear misses first, then by how far the mean is from the goal."""
    gap = (
        miss.goal.limit - miss.figure.mean
        if miss.goal.at_least
        else miss.figure.mean - miss.goal.limit
    )
    return miss.clear, gap
