"""The verdict: for every channel and queue, was the service-level target met, and if not, where
and by how many agents.

Built from a run's tables only (summary.json's `kpis` and `backlog`, intervals.csv and, when
the run directory holds a staffing search's result, its intervals_after.csv), so the report and
the sweep page judge the same way (`judge`), and the rules can be tested on small hand-made
tables.

The rules (README, "What the report says"):

- A real-time queue (phone, chat) meets the target when its service level over the run and in
  every interval with contacts is at or above the target (interval means; how many of those
  intervals are below target with their whole 95% CI is given beside). Consecutive intervals
  below target form a span; a span is short of agents by the largest gap between the Erlang C
  (and Erlang A) requirement and the agents scheduled within it.
- A channel meets it when every one of its queues does (and its own service level does).
- A deferrable channel (email: `deferrable: true`) is judged by its deadline and by what is left
  when the run stops: it misses when the share answered within the deadline is below target,
  or when its backlog grew over the last day and, counting every item left as late, the
  deadline share would fall below target (a backlog that grows all day never reads 100%).
- The service level blended over channels with different thresholds judges nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.figure import Figure, as_float
from sim.analysis.judgement import Judgement, Level, judge_backlog, judge_queue, judge_run, worst
from sim.clock import format_clock
from sim.model import DEFAULT_THRESHOLD_S, Targets, TargetSet

WORST_SHOWN = 3  # worst intervals listed per queue


@dataclass(frozen=True)
class Slot:
    """One interval of a queue: its service level with CI and the contacts offered."""

    interval: int
    at: str
    sl: Figure
    offered: float


@dataclass(frozen=True)
class Span:
    """Consecutive intervals of one queue below target, and the agents it is short."""

    start: str
    end: str
    intervals: int
    worst: Slot
    short_c: int | None  # agents short by Erlang C at its worst (None: not known)
    short_a: int | None
    search_adds: float | None = None  # the staffing search's recommendation, agents added


@dataclass
class QueueVerdict:
    """A queue's answer (`judgement`, by `sim.analysis.judgement`) and where it falls short."""

    channel: str
    queue: str
    day_sl: Figure  # the service level over the run, pooled over replications
    targets: Targets = field(default_factory=Targets)
    judgement: Judgement = field(default_factory=lambda: Judgement(Level.HOLDS))
    worst: list[Slot] = field(default_factory=list)  # the worst intervals below target
    spans: list[Span] = field(default_factory=list)  # runs of intervals that miss
    by_day: list[tuple[int, int, int]] = field(default_factory=list)  # (day, missed, judged)
    backlog: Backlog | None = None

    @property
    def level(self) -> Level:
        return self.judgement.level

    @property
    def met(self) -> bool:
        return self.level is Level.HOLDS

    @property
    def target(self) -> float:
        return self.targets.service_level

    @property
    def open_intervals(self) -> int:
        """Intervals judged (open, with at least `min_offered` contacts)."""
        return self.judgement.judged

    @property
    def below(self) -> int:
        """Judged intervals that miss a goal (counted once whatever they miss)."""
        return len({m.interval for m in self.judgement.misses})

    @property
    def clearly(self) -> int:
        """Of those, the intervals whose whole CI misses."""
        return len({m.interval for m in self.judgement.misses if m.clear})


@dataclass(frozen=True)
class Backlog:
    """A deferrable queue or channel, judged by its deadline and what is left at the end."""

    share: Figure  # answered within the deadline / judged (the service level)
    left: Figure  # still waiting when the run stopped
    oldest_h: Figure  # the oldest waiting item's age then
    growth: Figure  # waiting at the end less waiting a day earlier (or at the start)
    arrived: Figure  # reached the queue in that last day
    share_if_late: Figure  # the deadline share with every item left counted late
    target: float
    deadline_s: float
    judgement: Judgement = field(default_factory=lambda: Judgement(Level.HOLDS))

    @property
    def growing(self) -> bool:
        return self.growth.mean > 0 and self.share_if_late.mean < self.target

    @property
    def level(self) -> Level:
        return self.judgement.level

    @property
    def met(self) -> bool:
        return self.level is Level.HOLDS


@dataclass
class ChannelVerdict:
    channel: str
    threshold_s: float
    day_sl: Figure
    queues: list[QueueVerdict]
    backlog: Backlog | None = None
    targets: Targets = field(default_factory=Targets)
    judgement: Judgement = field(default_factory=lambda: Judgement(Level.HOLDS))

    @property
    def deferrable(self) -> bool:
        return self.backlog is not None

    @property
    def level(self) -> Level:
        """The channel's own run-level judgement and its worst queue's."""
        return worst([self.judgement.level, *(q.level for q in self.queues)])

    @property
    def met(self) -> bool:
        return self.level is Level.HOLDS

    @property
    def target(self) -> float:
        return self.targets.service_level

    @property
    def below(self) -> int:
        return sum(q.below for q in self.queues)


# --- judging --------------------------------------------------------------------------------------


def judge(
    summary: dict[str, Any],
    intervals: pd.DataFrame,
    interval_s: float,
    staffing: pd.DataFrame | None = None,
) -> list[ChannelVerdict]:
    """The verdict of every channel (in the summary's order) and of its queues, by the targets
    summary.json records (`targets`) and `sim.analysis.judgement`'s rule. `staffing`: a
    staffing search's intervals_after.csv, for the agents its recommendation adds."""
    thresholds = dict(summary["service_level"]["threshold_s_by_channel"])
    kpis = summary.get("kpis") or {}
    backlogs = summary.get("backlog") or {}
    targets = summary_targets(summary)
    channels = list(thresholds) + [
        c for c in dict.fromkeys(intervals["channel"]) if c not in thresholds
    ]
    n_intervals = int(intervals["interval"].max()) + 1 if len(intervals) else 0
    horizon_s = n_intervals * interval_s
    days = max(1, math.ceil(horizon_s / 86400 - 1e-9))
    out = []
    for channel in channels:
        threshold = float(thresholds.get(channel, DEFAULT_THRESHOLD_S))
        rows = intervals[intervals["channel"].eq(channel)]
        mine = targets.of_channel(channel)
        queues = []
        for queue in dict.fromkeys(rows["queue"]):
            label = f"queue={queue}"
            day = Figure.from_json((kpis.get(label) or {}).get("service_level"))
            goals = targets.of_queue(queue, channel)
            verdict = QueueVerdict(channel, queue, day, goals)
            if label in backlogs:
                verdict.backlog = judge_deferred(backlogs[label], day, goals, threshold)
                verdict.judgement = verdict.backlog.judgement
            else:
                queue_rows = rows[rows["queue"].eq(queue)]
                verdict.judgement = judge_queue(
                    queue_rows, goals, _run_figures(kpis.get(label), goals), days
                )
                _where_it_misses(verdict, queue_rows, interval_s, horizon_s, staffing)
            queues.append(verdict)
        label = f"channel={channel}"
        day = Figure.from_json((kpis.get(label) or {}).get("service_level"))
        backlog = None
        if label in backlogs:
            backlog = judge_deferred(backlogs[label], day, mine, threshold)
            judgement = backlog.judgement
        else:
            judgement = judge_run(mine, _run_figures(kpis.get(label), mine))
        out.append(ChannelVerdict(channel, threshold, day, queues, backlog, mine, judgement))
    return out


def summary_targets(summary: dict[str, Any]) -> TargetSet:
    """The targets a run was judged by, as summary.json records them (`targets`)."""
    recorded = summary["targets"]
    return TargetSet(
        default=Targets(**recorded["default"]),
        channels={c: Targets(**t) for c, t in recorded["channels"].items()},
        queues={q: Targets(**t) for q, t in recorded["queues"].items()},
        short_abandon_s=float(summary["service_level"].get("short_abandon_s", 0.0)),
    )


def _run_figures(kpis: dict[str, Any] | None, targets: Targets) -> dict[str, Figure]:
    """The run-level figure of each goal's measure (summary.json's pooled figures)."""
    return {g.measure: Figure.from_json((kpis or {}).get(g.measure)) for g in targets.goals()}


def judge_deferred(
    figures: dict[str, Any], share: Figure, targets: Targets, deadline_s: float
) -> Backlog:
    """A deferrable queue's or channel's `backlog` figures (summary.json) as a Backlog, with
    its judgement: the deadline share, and what is left at the end (`left_max`, or without
    one a backlog that grew over the last day beyond the deadline share's reach)."""
    left = Figure.from_json(figures.get("left"))
    growth = Figure.from_json(figures.get("growth"))
    share_if_late = Figure.from_json(figures.get("share_if_late"))
    return Backlog(
        share=share,
        left=left,
        oldest_h=Figure.from_json(figures.get("oldest_h")),
        growth=growth,
        arrived=Figure.from_json(figures.get("arrived")),
        share_if_late=share_if_late,
        target=targets.service_level,
        deadline_s=deadline_s,
        judgement=judge_backlog(share, left, targets, growth, share_if_late),
    )


def _where_it_misses(
    verdict: QueueVerdict,
    rows: pd.DataFrame,
    interval_s: float,
    horizon_s: float,
    staffing: pd.DataFrame | None,
) -> None:
    """The worst intervals, the spans the missing intervals form and, over several days,
    which days miss."""
    rows = rows.sort_values("interval")
    missed = sorted({m.interval for m in verdict.judgement.misses if m.interval is not None})
    below = rows[rows["interval"].isin(missed)]
    judged = rows[
        rows["open"].astype(bool)
        & (rows["offered"] >= verdict.targets.min_offered)
        & (rows["offered"] > 0)
    ]
    if horizon_s > 86400:  # several days: which days miss
        day_of = (judged["interval"].to_numpy() * interval_s // 86400).astype(int) + 1
        failing = day_of[judged["interval"].isin(missed).to_numpy()]
        verdict.by_day = [
            (int(d), int((failing == d).sum()), int((day_of == d).sum())) for d in np.unique(day_of)
        ]
    slots = [_slot(r, interval_s, horizon_s) for _, r in below.iterrows()]
    verdict.worst = sorted(slots, key=lambda s: s.sl.mean)[:WORST_SHOWN]
    k = below["interval"].to_numpy()
    for part in np.split(np.arange(len(below)), np.flatnonzero(np.diff(k) != 1) + 1):
        if len(part):
            verdict.spans.append(
                _span(below.iloc[part], interval_s, horizon_s, staffing, verdict.queue)
            )


def _slot(row: pd.Series, interval_s: float, horizon_s: float) -> Slot:
    k = int(row["interval"])
    sl = Figure(
        float(row["service_level"]),
        as_float(row.get("service_level_lo")),
        as_float(row.get("service_level_hi")),
    )
    return Slot(k, when(k * interval_s, horizon_s), sl, float(row["offered"]))


def _span(
    rows: pd.DataFrame,
    interval_s: float,
    horizon_s: float,
    staffing: pd.DataFrame | None,
    queue: str,
) -> Span:
    first, last = int(rows["interval"].iloc[0]), int(rows["interval"].iloc[-1])
    worst = rows.iloc[int(np.argmin(rows["service_level"].to_numpy()))]
    return Span(
        start=when(first * interval_s, horizon_s),
        end=when((last + 1) * interval_s, horizon_s),
        intervals=len(rows),
        worst=_slot(worst, interval_s, horizon_s),
        short_c=agents_short(rows, "erlang_c_required"),
        short_a=agents_short(rows, "erlang_a_required"),
        search_adds=_search_adds(rows, staffing, queue),
    )


def agents_short(rows: pd.DataFrame, required: str) -> int | None:
    """The most agents any interval of `rows` is short of `required` (Erlang C or A), rounded
    up; 0 when Erlang asks for no more than were scheduled; None when unknown."""
    if required not in rows or "agents_scheduled" not in rows:
        return None
    gap = (rows[required] - rows["agents_scheduled"]).dropna()
    if gap.empty:
        return None
    return max(0, math.ceil(float(gap.max()) - 1e-9))


def _search_adds(rows: pd.DataFrame, staffing: pd.DataFrame | None, queue: str) -> float | None:
    """The most agents the staffing search's recommendation has on duty above this run's in
    any interval of the span (None without a search result covering the queue)."""
    if staffing is None or "agents_scheduled" not in staffing:
        return None
    mine = staffing[staffing["queue"].eq(queue)].drop_duplicates("interval")
    after: pd.Series = mine.set_index("interval")["agents_scheduled"]
    here: pd.Series = rows.set_index("interval")["agents_scheduled"]
    common = here.index.intersection(after.index)
    if common.empty:
        return None
    return float(np.max(after[common].to_numpy() - here[common].to_numpy()))


def when(seconds: float, horizon_s: float) -> str:
    """A clock time, with the day in runs longer than a day ("day 2 08:30")."""
    if horizon_s <= 86400:
        return format_clock(seconds)
    day, rest = divmod(seconds, 86400.0)
    if rest == 0 and day > 0:  # the end of a day is 24:00 of it, not 00:00 of the next
        return f"day {int(day)} 24:00"
    return f"day {int(day) + 1} {format_clock(rest)}"


def failing(verdicts: list[ChannelVerdict]) -> list[ChannelVerdict]:
    return [v for v in verdicts if not v.met]


def worst_channel_sl(verdicts: list[ChannelVerdict]) -> float:
    """The lowest service level over the run of any channel (a deferrable channel's is its
    deadline share; what its backlog leaves at the end shows in `reasons`)."""
    values = [v.day_sl.mean for v in verdicts if not math.isnan(v.day_sl.mean)]
    return min(values) if values else math.nan


def reasons(verdict: ChannelVerdict) -> str:
    """Why a channel misses, in one line (empty when it meets the target), e.g. "chat: 12 of
    30 intervals below target (worst 56% at 10:00)"."""
    if verdict.met:
        return ""
    if verdict.backlog is not None:
        return f"{verdict.channel}: {backlog_reason(verdict.backlog)}"
    parts = []
    if not math.isnan(verdict.day_sl.mean) and verdict.day_sl.mean < verdict.target:
        parts.append(f"{verdict.day_sl.mean:.1%} over the run")
    for q in verdict.queues:
        if q.below:
            where = "" if q.queue == verdict.channel else f" in {q.queue}"
            worst = f" (worst {q.worst[0].sl.mean:.0%} at {q.worst[0].at})" if q.worst else ""
            parts.append(f"{q.below} of {q.open_intervals} intervals below target{where}{worst}")
    return f"{verdict.channel}: " + "; ".join(parts)


def backlog_reason(b: Backlog) -> str:
    parts = []
    if not math.isnan(b.share.mean) and b.share.mean < b.target:
        parts.append(f"{b.share.mean:.1%} answered within the deadline")
    if b.growing:
        parts.append(
            f"backlog grew by {b.growth.mean:,.0f} over the last day to {b.left.mean:,.0f} "
            f"left unanswered (oldest {b.oldest_h.mean:.1f} h); counted late, "
            f"{b.share_if_late.mean:.0%} within the deadline"
        )
    return "; ".join(parts)


def headline(verdicts: list[ChannelVerdict]) -> str:
    """The console's one line: the run's answer, then each channel's service level (a
    deferrable channel's deadline share and what it leaves) and its own answer, e.g.
    "breaks: phone 84.9% at risk, chat 74.6% breaks, email 100.0% (94 left) at risk"."""
    parts = []
    for v in verdicts:
        sl = "n/a" if math.isnan(v.day_sl.mean) else f"{v.day_sl.mean:.1%}"
        left = ""
        if v.backlog is not None and v.backlog.left.known and v.backlog.left.mean >= 0.5:
            left = f" ({v.backlog.left.mean:,.0f} left at the end)"
        parts.append(f"{v.channel} {sl}{left} {v.level.label}")
    overall = worst([v.level for v in verdicts]).label
    return f"{overall}: " + ", ".join(parts)
