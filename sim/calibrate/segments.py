"""The segment mix per contact type (VIP and regular, say), from every contact that arrived.

Written as each type's own `segments` mix and, overall, as the scenario's segment shares.
Priorities are not in a log (they are the routing's choice): every segment is written with
priority 0 and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

NO_SEGMENT = "everyone"  # the one segment of a log without a segment column (`all` is reserved)


@dataclass(frozen=True)
class SegmentMix:
    """`shares[type][segment]` and `overall[segment]`; `counts` as a table (type x segment)."""

    segments: tuple[str, ...]
    shares: dict[str, dict[str, float]]
    overall: dict[str, float]
    counts: pd.DataFrame


def segment_mix(frame: pd.DataFrame) -> SegmentMix:
    segment = frame["segment"] if "segment" in frame.columns else None
    if segment is None:
        segment = pd.Series(NO_SEGMENT, index=frame.index)
    segment = segment.fillna(NO_SEGMENT).astype(str)
    counts = pd.crosstab(frame["type"].astype(str), segment)
    names = tuple(sorted(counts.columns))
    counts = counts.reindex(columns=list(names), fill_value=0)
    shares = {str(t): {s: float(row[s] / row.sum()) for s in names} for t, row in counts.iterrows()}
    total = counts.sum(axis=0)
    overall = {s: float(total[s] / total.sum()) for s in names}
    return SegmentMix(names, shares, overall, counts)
