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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.figure import Figure, as_float
from sim.clock import format_clock
from sim.model import DEFAULT_TARGET, DEFAULT_THRESHOLD_S

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
    channel: str
    queue: str
    day_sl: Figure
    open_intervals: int = 0
    below: int = 0
    clearly: int | None = None  # intervals whose whole CI is below target (None: no CI)
    worst: list[Slot] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    by_day: list[tuple[int, int, int]] = field(default_factory=list)  # (day, below, open)
    backlog: Backlog | None = None
    target: float = DEFAULT_TARGET

    @property
    def met(self) -> bool:
        if self.backlog is not None:
            return self.backlog.met
        day_ok = math.isnan(self.day_sl.mean) or self.day_sl.mean >= self.target
        return self.below == 0 and day_ok


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

    @property
    def growing(self) -> bool:
        return self.growth.mean > 0 and self.share_if_late.mean < self.target

    @property
    def met(self) -> bool:
        share_ok = math.isnan(self.share.mean) or self.share.mean >= self.target
        return share_ok and not self.growing


@dataclass
class ChannelVerdict:
    channel: str
    threshold_s: float
    day_sl: Figure
    queues: list[QueueVerdict]
    backlog: Backlog | None = None
    target: float = DEFAULT_TARGET

    @property
    def deferrable(self) -> bool:
        return self.backlog is not None

    @property
    def met(self) -> bool:
        if self.backlog is not None:
            return self.backlog.met and all(q.met for q in self.queues)
        day_ok = math.isnan(self.day_sl.mean) or self.day_sl.mean >= self.target
        return day_ok and all(q.met for q in self.queues)

    @property
    def below(self) -> int:
        return sum(q.below for q in self.queues)


# --- judging --------------------------------------------------------------------------------------


def judge(
    summary: Mapping[str, Any],
    intervals: pd.DataFrame,
    interval_s: float,
    staffing: pd.DataFrame | None = None,
) -> list[ChannelVerdict]:
    """The verdict of every channel (in the summary's order) and of its queues. `staffing`:
    a staffing search's intervals_after.csv, for the agents its recommendation adds."""
    sl = summary.get("service_level") or {}
    target = float(sl.get("target", DEFAULT_TARGET))
    thresholds = dict(sl.get("threshold_s_by_channel") or {})
    default = float(sl.get("threshold_s", DEFAULT_THRESHOLD_S))
    kpis = summary.get("kpis") or {}
    backlogs = summary.get("backlog") or {}
    channels = list(thresholds) + [
        c for c in dict.fromkeys(intervals["channel"]) if c not in thresholds
    ]
    horizon_s = (int(intervals["interval"].max()) + 1) * interval_s if len(intervals) else 0.0
    out = []
    for channel in channels:
        threshold = float(thresholds.get(channel, default))
        rows = intervals[intervals["channel"].eq(channel)]
        queues = []
        for queue in dict.fromkeys(rows["queue"]):
            day = Figure.from_json((kpis.get(f"queue={queue}") or {}).get("service_level"))
            verdict = QueueVerdict(channel, queue, day, target=target)
            if f"queue={queue}" in backlogs:
                verdict.backlog = judge_backlog(backlogs[f"queue={queue}"], day, target, threshold)
            else:
                mine = rows[rows["queue"].eq(queue)]
                _judge_intervals(verdict, mine, interval_s, horizon_s, staffing)
            queues.append(verdict)
        day = Figure.from_json((kpis.get(f"channel={channel}") or {}).get("service_level"))
        backlog = None
        if f"channel={channel}" in backlogs:
            backlog = judge_backlog(backlogs[f"channel={channel}"], day, target, threshold)
        out.append(ChannelVerdict(channel, threshold, day, queues, backlog, target))
    return out


def judge_backlog(
    figures: Mapping[str, Any], share: Figure, target: float, deadline_s: float
) -> Backlog:
    """A deferrable queue's or channel's `backlog` figures (summary.json) as a Backlog."""
    return Backlog(
        share=share,
        left=Figure.from_json(figures.get("left")),
        oldest_h=Figure.from_json(figures.get("oldest_h")),
        growth=Figure.from_json(figures.get("growth")),
        arrived=Figure.from_json(figures.get("arrived")),
        share_if_late=Figure.from_json(figures.get("share_if_late")),
        target=target,
        deadline_s=deadline_s,
    )


def _judge_intervals(
    verdict: QueueVerdict,
    rows: pd.DataFrame,
    interval_s: float,
    horizon_s: float,
    staffing: pd.DataFrame | None,
) -> None:
    """Fill in the intervals below target, the worst of them and the spans they form."""
    if "service_level" not in rows:
        return
    rows = rows.sort_values("interval")
    open_ = rows[(rows["offered"] > 0) & rows["service_level"].notna()]
    below = open_[open_["service_level"] < verdict.target]
    verdict.open_intervals = len(open_)
    verdict.below = len(below)
    if "service_level_hi" in below and len(open_) and open_["service_level_hi"].notna().any():
        verdict.clearly = int((below["service_level_hi"] < verdict.target).sum())
    if horizon_s > 86400:  # several days: which days fail
        day_of = (open_["interval"].to_numpy() * interval_s // 86400).astype(int) + 1
        failing = day_of[open_["service_level"].to_numpy() < verdict.target]
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
    """One line per run for the console: each channel's service level and whether it met the
    target ("phone 82.2% missed, ..."); a deferrable channel's deadline share, and what its
    backlog leaves when that is why it misses."""
    parts = []
    for v in verdicts:
        sl = "n/a" if math.isnan(v.day_sl.mean) else f"{v.day_sl.mean:.1%}"
        left = ""
        if v.backlog is not None and v.backlog.growing:
            left = f" but {v.backlog.left.mean:,.0f} left unanswered"
        parts.append(f"{v.channel} {sl}{left} {'met' if v.met else 'missed'}")
    return "service level " + ", ".join(parts)
