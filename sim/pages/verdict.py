"""The run report's verdict section in words: one card per channel (met or missed, and why),
then the spans of intervals below target with the agents each is short.

The judgement itself is `sim.analysis.verdict.judge`'s (the sweep judges the same way); this
module only says it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.analysis import verdict
from sim.pages.format import and_list, duration, number, percent_ci
from sim.rundir.read import Run

SPANS_SHOWN = 20  # spans listed; the milder ones beyond are counted


def run_verdicts(run: Run) -> list[verdict.ChannelVerdict]:
    """Every channel's verdict, with a staffing search's recommendation beside the spans when
    the run directory holds one."""
    return verdict.judge(run.summary, run.intervals, run.interval_s, run.staffing_after)


@dataclass(frozen=True)
class QueueLine:
    queue: str
    name: str  # shown before the text ("" for a channel's only queue)
    text: str


@dataclass(frozen=True)
class VerdictCard:
    channel: str
    label: str
    word: str  # met or missed
    tone: str  # good or bad
    note: str
    queues: list[QueueLine] = field(default_factory=list)


@dataclass(frozen=True)
class SpanRow:
    queue: str
    label: str
    time: str
    intervals: int
    lowest: str
    at: str
    short: str
    search: str | None  # the staffing search's agents added (None: no search result)


@dataclass(frozen=True)
class VerdictSection:
    sentence: str
    target: float
    cards: list[VerdictCard]
    spans: list[SpanRow]
    more_spans: int
    searched: bool
    scenario: str
    staffing_menu: bool


def verdict_section(run: Run, verdicts: list[verdict.ChannelVerdict]) -> VerdictSection:
    spans, more = span_rows(verdicts)
    return VerdictSection(
        sentence=sentence(verdicts, run.target),
        target=run.target,
        cards=[card(v) for v in verdicts],
        spans=spans,
        more_spans=more,
        searched=any(row.search is not None for row in spans),
        scenario=run.facts.scenario,
        staffing_menu=run.facts.staffing_menu,
    )


def sentence(verdicts: list[verdict.ChannelVerdict], target: float) -> str:
    missed = [v.channel for v in verdicts if not v.met]
    if not verdicts:
        return "No channel had contacts."
    if not missed:
        return f"Every channel and queue met the {target:.0%} target, in every interval."
    met = [v.channel for v in verdicts if v.met]
    text = f"Missed on {and_list(missed)}"
    return text + (f"; met on {and_list(met)}." if met else ".")


def card(v: verdict.ChannelVerdict) -> VerdictCard:
    if v.backlog is not None:
        note = backlog_text(v.backlog)
        label = f"{v.channel} (deadline {duration(v.threshold_s)})"
    else:
        note = f"{percent_ci(v.day_sl)} over the run"
        if v.queues and v.below:
            opened = sum(q.open_intervals for q in v.queues)
            note += f"; {v.below} of {opened} queue-intervals below target"
        label = f"{v.channel} (≤ {duration(v.threshold_s)})"
    return VerdictCard(
        v.channel,
        label,
        "met" if v.met else "missed",
        "good" if v.met else "bad",
        note,
        queue_lines(v),
    )


def queue_lines(v: verdict.ChannelVerdict) -> list[QueueLine]:
    lines = []
    for q in v.queues:
        if q.backlog is not None and len(v.queues) == 1:
            continue  # the channel's backlog lines say it all
        name = "" if q.queue == v.channel and len(v.queues) == 1 else q.queue
        if q.backlog is not None:
            text = f"{'met' if q.met else 'missed'}: {backlog_text(q.backlog)}"
        elif not q.open_intervals:
            text = "no contacts"
        elif q.below == 0:
            text = f"{percent_ci(q.day_sl)}; every one of {q.open_intervals} intervals at target"
        else:
            clearly = "" if q.clearly is None else f" ({q.clearly} with the whole CI below)"
            worst = ", ".join(f"{s.at} {percent_ci(s.sl, 0)}" for s in q.worst)
            days = ", ".join(f"day {d} {n} of {m}" for d, n, m in q.by_day if n)
            text = (
                f"{percent_ci(q.day_sl)}; {q.below} of {q.open_intervals} intervals below "
                f"target{clearly}{f'; by day: {days}' if days else ''}; worst {worst}"
                + biggest_gap(q)
            )
        lines.append(QueueLine(q.queue, name, text))
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
    spans = [(v, q, s) for v in verdicts for q in v.queues for s in q.spans]
    shown = sorted(spans, key=lambda item: item[2].worst.sl.mean)[:limit]
    shown.sort(key=lambda item: spans.index(item))
    searched = any(s.search_adds is not None for _, _, s in spans)
    rows = []
    for v, q, s in shown:
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
                time=span_time(s),
                intervals=s.intervals,
                lowest=percent_ci(s.worst.sl),
                at=s.worst.at,
                short=short,
                search=search,
            )
        )
    return rows, len(spans) - len(shown)
