"""The run report's verdict section in words: the three levels defined (holds, at risk,
breaks), one card per channel with each queue's level and what it rests on, then the spans of
intervals below target with the agents each is short and the staffing search that finds the
fix.

The judgement itself is `sim.analysis.verdict.judge`'s (the sweep judges the same way); this
module only says it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.analysis import verdict
from sim.analysis.judgement import Level, Miss, worst
from sim.model import Targets
from sim.pages.format import and_list, duration, number, percent_ci, plural, value
from sim.rundir.read import Run

SPANS_SHOWN = 20  # spans listed; the milder ones beyond are counted


def run_verdicts(run: Run) -> list[verdict.ChannelVerdict]:
    """Every channel's verdict, with a staffing search's recommendation beside the spans when
    the run directory holds one."""
    return verdict.judge(run.summary, run.intervals, run.interval_s, run.staffing_after)


LEVEL_TONE = {Level.HOLDS: "good", Level.AT_RISK: "warn", Level.BREAKS: "bad"}
MEASURES = {  # a goal's measure: its words and how its value is written
    "service_level": ("service level", "percent"),
    "abandon_rate": ("abandonment", "percent"),
    "occupancy": ("occupancy", "percent"),
    "asa_s": ("ASA", "duration"),
    "left": ("left unanswered", "count"),
    "share_if_late": ("deadline share with what is left counted late", "percent"),
}


@dataclass(frozen=True)
class LevelWord:
    """One of the three answers as the page names, colours and defines it."""

    word: str
    tone: str
    meaning: str


def level_words(allowance: int, min_offered: float) -> list[LevelWord]:
    """The three levels defined in plain words (the rule of `sim.analysis.judgement`)."""
    allowed = f"{plural(allowance, 'interval')} a day"
    return [
        LevelWord(
            "holds",
            "good",
            f"at most {allowed} below target, none of them clearly (the whole 95% CI below), "
            "and the service level, abandonment and occupancy over the run within their goals.",
        ),
        LevelWord(
            "at risk",
            "warn",
            f"more than {allowed} below target, or some clearly, or a run-level goal missed "
            "by its mean, but not beyond doubt: more replications or a few more agents would "
            "tell.",
        ),
        LevelWord(
            "breaks",
            "bad",
            f"more than {allowed} clearly below target, or a run-level goal missed with its "
            "whole CI: the roster does not hold.",
        ),
    ] + [
        LevelWord(
            "not judged",
            "",
            f"intervals while the channel is closed, or with fewer than {number(min_offered)} "
            "contacts (mean per replication), are shown but not judged.",
        )
    ]


@dataclass(frozen=True)
class QueueLine:
    queue: str
    name: str  # shown before the text ("" for a channel's only queue)
    word: str  # holds, at risk or breaks
    tone: str
    text: str  # what the level rests on


@dataclass(frozen=True)
class VerdictCard:
    channel: str
    label: str
    word: str  # holds, at risk or breaks
    tone: str  # good, warn or bad
    note: str
    queues: list[QueueLine] = field(default_factory=list)


@dataclass(frozen=True)
class SpanRow:
    queue: str
    label: str
    word: str  # the queue's level
    tone: str
    time: str
    intervals: int
    clearly: int  # of them, intervals whose whole CI is below target
    lowest: str
    at: str
    short: str
    search: str | None  # the staffing search's agents added (None: no search result)


@dataclass(frozen=True)
class VerdictSection:
    sentence: str
    tone: str
    levels: list[LevelWord]
    cards: list[VerdictCard]
    spans: list[SpanRow]
    more_spans: int
    searched: bool
    scenario: str
    staffing_menu: bool
    command: str  # the staffing search that finds the fix ("" when every queue holds)


def verdict_section(run: Run, verdicts: list[verdict.ChannelVerdict]) -> VerdictSection:
    spans, more = span_rows(verdicts)
    targets = [q.targets for v in verdicts for q in v.queues] or [Targets()]
    overall = worst([v.level for v in verdicts])
    return VerdictSection(
        sentence=sentence(verdicts),
        tone=LEVEL_TONE[overall],
        levels=level_words(targets[0].misses, targets[0].min_offered),
        cards=[card(v) for v in verdicts],
        spans=spans,
        more_spans=more,
        searched=any(row.search is not None for row in spans),
        scenario=run.facts.scenario,
        staffing_menu=run.facts.staffing_menu,
        command=""
        if overall is Level.HOLDS
        else staffing_command(run.facts.scenario, run.facts.staffing_menu),
    )


def staffing_command(scenario: str, menu: bool) -> str:
    """The staffing search that finds the roster that holds (with a menu of shifts to add)."""
    return f"python -m sim.staffing scenario={scenario}" + ("" if menu else " staffing=NAME")


def sentence(verdicts: list[verdict.ChannelVerdict]) -> str:
    """ "It breaks: chat breaks; phone at risk; email holds." """
    if not verdicts:
        return "No channel had contacts."
    overall = worst([v.level for v in verdicts])
    if overall is Level.HOLDS:
        return "It holds: every channel and queue meets its targets."
    parts = []
    for level in (Level.BREAKS, Level.AT_RISK, Level.HOLDS):
        names = [v.channel for v in verdicts if v.level is level]
        if names:
            parts.append(f"{and_list(names)} {level.label}")
    return f"It {'breaks' if overall is Level.BREAKS else 'is at risk'}: " + "; ".join(parts) + "."


def card(v: verdict.ChannelVerdict) -> VerdictCard:
    if v.backlog is not None:
        note = backlog_text(v.backlog)
        label = f"{v.channel} (deadline {duration(v.threshold_s)})"
    else:
        note = f"{percent_ci(v.day_sl)} within {duration(v.threshold_s)} over the run"
        note += f" (target {v.target:.0%})" + run_misses_text(v.judgement.run_misses)
        label = f"{v.channel} (≤ {duration(v.threshold_s)})"
    return VerdictCard(v.channel, label, v.level.label, LEVEL_TONE[v.level], note, queue_lines(v))


def run_misses_text(misses: tuple[Miss, ...]) -> str:
    """ "; run-level goals missed: abandonment 6.1% [5, 7] above 5% (clearly)"."""
    if not misses:
        return ""
    parts = []
    for m in misses:
        words, kind = MEASURES.get(m.measure, (m.measure, "number"))
        side = "below" if m.goal.at_least else "above"
        shown = percent_ci(m.figure) if kind == "percent" else value(m.figure.mean, kind)
        goal = value(m.goal.limit, kind)
        parts.append(f"{words} {shown} {side} {goal}{' (clearly)' if m.clear else ''}")
    return "; run-level goals missed: " + ", ".join(parts)


def rests_on(q: verdict.QueueVerdict) -> str:
    """What a real-time queue's level rests on: intervals judged, missed, clearly missed, the
    allowance, run-level goals missed and the intervals not judged."""
    j = q.judgement
    text = (
        f"{percent_ci(q.day_sl)} over the run; {q.open_intervals} intervals judged, "
        f"{q.below} below target, {q.clearly} clearly (allowance {j.allowed})"
    )
    text += run_misses_text(j.run_misses)
    not_judged = []
    if j.closed:
        not_judged.append(f"{j.closed} closed")
    if j.quiet:
        not_judged.append(f"{j.quiet} below {number(q.targets.min_offered)} contacts")
    if not_judged:
        text += f"; not judged: {', '.join(not_judged)}"
    if q.below:
        days = ", ".join(f"day {d} {n} of {m}" for d, n, m in q.by_day if n)
        worst_at = ", ".join(f"{s.at} {percent_ci(s.sl, 0)}" for s in q.worst)
        text += f"{f'; by day: {days}' if days else ''}; worst {worst_at}" + biggest_gap(q)
    return text


def queue_lines(v: verdict.ChannelVerdict) -> list[QueueLine]:
    lines = []
    for q in v.queues:
        if q.backlog is not None and len(v.queues) == 1:
            continue  # the channel's backlog lines say it all
        name = "" if q.queue == v.channel and len(v.queues) == 1 else q.queue
        if q.backlog is not None:
            text = backlog_text(q.backlog)
        elif not q.open_intervals and not q.judgement.run_misses:
            text = "no interval with enough contacts to judge"
        else:
            text = rests_on(q)
        lines.append(QueueLine(q.queue, name, q.level.label, LEVEL_TONE[q.level], text))
    return lines


def biggest_gap(q: verdict.QueueVerdict) -> str:
    """ "; most agents short: 16:30–17:00, 12 by Erlang C (9 by A)", when any span is short."""
    short = [s for s in q.spans if s.short_c]
    if not short:
        return ""
    span = max(short, key=lambda s: (s.short_c or 0, -s.worst.sl.mean))
    by_a = f" ({span.short_a} by A)" if span.short_a is not None else ""
    return f"; most agents short: {span_time(span)}, {span.short_c} by Erlang C{by_a}"


def backlog_text(b: verdict.Backlog) -> str:
    deadline = duration(b.deadline_s)
    left = b.left.mean
    share = f"{b.share.mean:.1%} answered within {deadline}" if b.share.known else ""
    if not b.left.known or left < 0.05:
        return f"{share}; nothing left at the end"
    of_day = (
        f" ({left / b.arrived.mean:.0%} of the last day's {b.arrived.mean:,.0f})"
        if b.arrived.mean > 0
        else ""
    )
    growth = b.growth.mean
    trend = (
        f"the backlog grew by {growth:,.0f} over the last day"
        if growth > 0.05
        else f"the backlog fell by {-growth:,.0f} over the last day"
        if growth < -0.05
        else "the backlog did not grow over the last day"
    )
    return (
        f"{share}; {number(left)} left unanswered at the end{of_day}, the oldest "
        f"{b.oldest_h.mean:.1f} h old; {trend}; with every item left counted late, "
        f"{b.share_if_late.mean:.0%} within {deadline}"
    )


def span_time(span: verdict.Span) -> str:
    """ "09:00–11:00", or "day 2 09:00–11:00" within one day of a longer run."""
    start_day, _, _ = span.start.rpartition(" ")
    end_day, _, end_clock = span.end.rpartition(" ")
    if start_day and start_day == end_day:
        return f"{span.start}–{end_clock}"
    return f"{span.start}–{span.end}"


def span_rows(
    verdicts: list[verdict.ChannelVerdict], limit: int = SPANS_SHOWN
) -> tuple[list[SpanRow], int]:
    """The spans of consecutive intervals below target per queue, the worst `limit` kept in
    the verdict's order, and how many milder ones are left out."""
    spans = [
        (v, q, s, clear)
        for v in verdicts
        for q in v.queues
        for s, clear in zip(q.spans, clear_counts(q), strict=False)
    ]
    shown = sorted(spans, key=lambda item: item[2].worst.sl.mean)[:limit]
    shown.sort(key=lambda item: spans.index(item))
    searched = any(s.search_adds is not None for _, _, s, _ in spans)
    rows = []
    for v, q, s, clear in shown:
        short = "–"
        if s.short_c is not None:
            short = f"{s.short_c} / {s.short_a if s.short_a is not None else '–'}"
        search = None
        if searched:
            search = "–" if s.search_adds is None else f"{s.search_adds:+.1f}"
        rows.append(
            SpanRow(
                queue=q.queue,
                label=v.channel if v.channel == q.queue else f"{v.channel}: {q.queue}",
                word=q.level.label,
                tone=LEVEL_TONE[q.level],
                time=span_time(s),
                intervals=s.intervals,
                clearly=clear,
                lowest=percent_ci(s.worst.sl),
                at=s.worst.at,
                short=short,
                search=search,
            )
        )
    return rows, len(spans) - len(shown)


def clear_counts(q: verdict.QueueVerdict) -> list[int]:
    """Per span of the queue (runs of consecutive missed intervals, as `q.spans`), how many of
    its intervals miss clearly."""
    missed = sorted({m.interval for m in q.judgement.misses if m.interval is not None})
    clear = {m.interval for m in q.judgement.misses if m.clear}
    counts: list[int] = []
    previous = None
    for k in missed:
        if previous is None or k != previous + 1:
            counts.append(0)
        counts[-1] += k in clear
        previous = k
    return counts
