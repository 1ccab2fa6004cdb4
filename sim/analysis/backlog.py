"""What a deferrable channel (email) leaves when the run stops: summary.json's `backlog`.

A deadline share (answered within the deadline / judged) cannot see the items still waiting
whose deadline has not passed yet; a backlog growing all day would read 100%. So for each
deferrable channel and its queues this measures what is left, how old it is and how it grew
over the last day, and the deadline share if every item left were counted late; the verdict
(`sim.analysis.verdict`) judges the channel on these."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.figure import Figure
from sim.analysis.kpis import queued, waiting_spans
from sim.model import Model


def backlog_summary(
    model: Model, contacts: pd.DataFrame, replications: int, horizon_s: float
) -> dict[str, dict[str, Any]]:
    """summary.json's `backlog`: for each deferrable channel (email) and its queues, what is
    left when the run stops, which the deadline share cannot judge yet. Per replication:
    `left` (still waiting), `oldest_h` (the oldest waiting item's age, 0 when none), `growth`
    (waiting at the end less waiting one day earlier, or at the start of a shorter run),
    `arrived` (reached the queue in that last day) and `share_if_late` (answered within the
    deadline / every item that reached the queue: the deadline share if every item left
    missed its deadline); mean and CI over replications."""
    deferrable = {
        c.name: list(dict.fromkeys(t.skill for t in model.contact_types if t.channel == c.name))
        for c in model.channels
        if c.deferrable
    }
    return backlog_of(contacts, deferrable, replications, horizon_s)


def backlog_of(
    contacts: pd.DataFrame, deferrable: dict[str, list[str]], replications: int, horizon_s: float
) -> dict[str, dict[str, Any]]:
    """`backlog_summary` for the channels named in `deferrable` (channel -> its queues), from
    the contacts table alone (the report uses it on runs from before summary.json had it)."""
    out: dict[str, dict[str, Any]] = {}
    since = max(0.0, horizon_s - 86400.0)
    for channel, queues in deferrable.items():
        groups = [(f"channel={channel}", "channel", channel)]
        groups += [(f"queue={q}", "queue", q) for q in queues]
        for label, column, value in groups:
            mine = queued(contacts[contacts[column].eq(value)])
            mine = mine[mine["transfer_of"] < 0] if "transfer_of" in mine else mine
            out[label] = _backlog_figures(mine, replications, since)
    return out


def _backlog_figures(
    mine: pd.DataFrame, replications: int, since: float
) -> dict[str, dict[str, Any]]:
    start, end = waiting_spans(mine)
    left_rows = mine["outcome"].eq("unserved").to_numpy()
    within = mine["outcome"].eq("answered").to_numpy() & (
        mine["wait_s"].to_numpy() <= mine["threshold_s"].to_numpy()
    )
    rep = mine["replication"].to_numpy()
    wait = mine["wait_s"].to_numpy(dtype=float)
    rows = []
    for r in range(replications):
        here = rep == r
        left = here & left_rows
        waiting_then = here & (start <= since) & (end > since)
        rows.append(
            {
                "left": float(left.sum()),
                "oldest_h": float(wait[left].max() / 3600) if left.any() else 0.0,
                "growth": float(left.sum() - waiting_then.sum()),
                "arrived": float((here & (start > since)).sum()),
                "share_if_late": float(within[here].sum() / here.sum()) if here.any() else np.nan,
            }
        )
    frame = pd.DataFrame(rows, columns=["left", "oldest_h", "growth", "arrived", "share_if_late"])
    bounds = {"share_if_late": (0.0, 1.0), "growth": (-np.inf, np.inf)}
    return {
        str(k): Figure.of(frame[k], bounds.get(str(k), (0.0, np.inf))).to_json()
        for k in frame.columns
    }
