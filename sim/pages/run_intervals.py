"""The run report's per-interval tables: one per queue, every interval with what it was judged
(met, missed, clearly missed) or why it was not (closed, too few contacts), its volumes, service
level, ASA and the agents on duty against Erlang's requirement. Collapsed on the page: the
verdict above says where to look, these are the figures behind it (intervals.csv has them all).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.analysis import verdict
from sim.analysis.figure import Figure, as_float
from sim.analysis.judgement import Level
from sim.pages.format import Cell, number

COLUMNS = ("Offered", "Answered", "Abandoned", "Service level", "ASA")
MEASURES = (
    ("offered", "count"),
    ("answered", "count"),
    ("abandoned", "count"),
    ("service_level", "percent"),
    ("asa_s", "duration"),
)


@dataclass(frozen=True)
class IntervalRow:
    time: str
    status: str  # met, missed, clearly missed, closed, below N contacts
    tone: str  # good, warn, bad or "" (not judged)
    cells: list[Cell]
    scheduled: str
    erlang: str  # Erlang C / A agents required


@dataclass(frozen=True)
class QueueIntervals:
    channel: str
    queue: str
    word: str  # the queue's level
    tone: str
    rows: list[IntervalRow]


def interval_tables(
    intervals: pd.DataFrame,
    verdicts: list[verdict.ChannelVerdict],
    interval_s: float,
    tones: dict[Level, str],
) -> list[QueueIntervals]:
    """One table per queue of the verdict (deferrable ones too: their intervals show what
    arrived and when it was answered), in the verdict's order."""
    n = int(intervals["interval"].max()) + 1 if len(intervals) else 0
    out = []
    for v in verdicts:
        for q in v.queues:
            rows = intervals[intervals["queue"].eq(q.queue)].drop_duplicates("interval")
            missed = {m.interval: m.clear for m in q.judgement.misses if m.interval is not None}
            table = [
                _row(r, q, missed, interval_s, n * interval_s)
                for r in rows.sort_values("interval").to_dict("records")
            ]
            out.append(QueueIntervals(v.channel, q.queue, q.level.label, tones[q.level], table))
    return out


def _row(
    r: dict, q: verdict.QueueVerdict, missed: dict[int, bool], interval_s: float, horizon_s: float
) -> IntervalRow:
    k = int(r["interval"])
    if not bool(r["open"]):
        status, tone = "closed", ""
    elif q.backlog is not None:
        status, tone = "", ""  # a backlog is judged over the run, not per interval
    elif not (float(r["offered"]) >= q.targets.min_offered and float(r["offered"]) > 0):
        status, tone = f"below {number(q.targets.min_offered)} contacts", ""
    elif k in missed:
        status, tone = ("clearly missed", "bad") if missed[k] else ("missed", "warn")
    else:
        status, tone = "met", "good"
    cells = [
        Cell(
            Figure(as_float(r.get(m)), as_float(r.get(f"{m}_lo")), as_float(r.get(f"{m}_hi"))),
            kind,
        )
        for m, kind in MEASURES
    ]
    required = f"{number(as_float(r.get('erlang_c_required')))} / "
    required += number(as_float(r.get("erlang_a_required")))
    return IntervalRow(
        verdict.when(k * interval_s, horizon_s),
        status,
        tone,
        cells,
        number(as_float(r.get("agents_scheduled"))),
        required,
    )
