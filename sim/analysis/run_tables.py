"""The run report's derived tables: per interval, what the figures draw beyond intervals.csv.

Each is a function of a run's frames (contacts.parquet, agents.parquet, alerts.csv) and of the
interval grid (`edges`, seconds from 00:00 of the first day), never of a run directory, so it
can be tested on a hand-made table. Means are over the replications; the helpers that turn
contacts and agent spans into time per interval are `sim.analysis.bins`'."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd

from sim.analysis.bins import busy_and_available, occupancy, time_in_bins
from sim.analysis.kpis import queued, waiting_spans

ALERT_COLUMNS = ["replication", "time_s", "rule", "measure", "value", "state"]


def _interval_index(n_intervals: int) -> pd.RangeIndex:
    return pd.RangeIndex(n_intervals, name="interval")


def mean_waiting(
    contacts: pd.DataFrame, channels: Sequence[str], replications: int, edges: np.ndarray
) -> pd.DataFrame:
    """Time-average number of contacts waiting per interval (rows) and channel (columns), mean
    over replications. Each contact that reached a queue (`queued`, transfer legs too: they wait
    in the queue) waited from joining it (after the IVR or bot) for its wait (`waiting_spans`)."""
    n_intervals = len(edges) - 1
    interval_s = float(edges[1] - edges[0])
    reached = queued(contacts)
    out = {}
    for channel in channels:
        mine = reached[reached["channel"].eq(channel)]
        per_rep = np.zeros((replications, n_intervals))
        for key, group in mine.groupby("replication"):
            rep = cast(int, key)  # replication numbers are whole
            if 0 <= rep < replications:
                per_rep[rep] = time_in_bins(*waiting_spans(group), edges)
        out[channel] = per_rep.mean(axis=0) / interval_s
    return pd.DataFrame(out, index=_interval_index(n_intervals))


def longest_wait(contacts: pd.DataFrame, channels: Sequence[str], n_intervals: int) -> pd.DataFrame:
    """Longest wait of the contacts that arrived in each interval (rows) per channel (columns):
    the maximum per replication, averaged over the replications that had any."""
    reached = queued(contacts)
    per_rep = reached.groupby(["channel", "interval", "replication"])["wait_s"].max()
    table = per_rep.groupby(["channel", "interval"]).mean().unstack("channel")
    columns = [c for c in channels if c in table.columns]
    return table.reindex(index=range(n_intervals), columns=columns)


def group_occupancy(
    contacts: pd.DataFrame, agents: pd.DataFrame, replications: int, edges: np.ndarray
) -> pd.DataFrame:
    """Occupancy per agent group (rows) and interval (columns): busy / available per replication,
    averaged over the replications in which anyone of the group was available."""
    rows = {}
    # Only the rows and columns busy_and_available reads, cut once: filtering the whole
    # tables again per group and replication was most of this figure's time.
    columns = ["replication", "outcome", "agent", "answer_s", "handle_s", "wrapup_s"]
    columns += ["agent_share"] if "agent_share" in contacts else []
    # (strings as categories: taking rows of a category column is taking integer codes)
    worked = contacts["outcome"].isin(["answered", "callback_failed"])
    work = contacts.loc[worked, columns].astype({"outcome": "category", "agent": "category"})
    spans = agents.loc[
        agents["kind"].isin(["shift", "break"]),
        ["replication", "agent", "kind", "start_s", "end_s"],
    ].astype({"agent": "category", "kind": "category"})
    for group in sorted(agents["group"].unique()):
        names = set(agents.loc[agents["group"].eq(group), "agent"])
        busy, available = busy_and_available(work, spans, names, edges, replications)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: nobody on
            rows[group] = np.nanmean(occupancy(busy, available), axis=0)
    return pd.DataFrame.from_dict(rows, orient="index", columns=range(len(edges) - 1))


def alert_rules(defined: Sequence[str], alerts: pd.DataFrame | None) -> list[str]:
    """The alert rules: those `defined` (the model's, in the config's order), then any others
    alerts.csv names."""
    rules = list(defined)
    if alerts is not None:
        rules += [r for r in dict.fromkeys(alerts["rule"]) if r not in rules]
    return rules


def alert_spans(
    alerts: pd.DataFrame | None, rule: str, horizon_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """The (start, end) times in seconds of every spell the rule was raised, all replications
    together: from a `raised` row to the next `cleared` row of its replication, or to the end
    of the horizon."""
    frame = alerts if alerts is not None else pd.DataFrame(columns=ALERT_COLUMNS)
    mine = frame[frame["rule"].eq(rule)].sort_values(["replication", "time_s"], kind="stable")
    starts, ends = [], []
    for _, rows in mine.groupby("replication"):
        since = None
        for time, state in zip(rows["time_s"], rows["state"], strict=True):
            if state == "raised" and since is None:
                since = float(time)
            elif state == "cleared" and since is not None:
                starts.append(since)
                ends.append(float(time))
                since = None
        if since is not None:
            starts.append(since)
            ends.append(horizon_s)
    return np.array(starts, dtype=float), np.array(ends, dtype=float)


def alert_raised(
    alerts: pd.DataFrame | None, rules: Sequence[str], replications: int, edges: np.ndarray
) -> pd.DataFrame:
    """Per interval (rows) and alert rule (columns): the share of replications in which the
    rule was raised, averaged over the interval (0.5: raised half the time, or in half of the
    replications all the time)."""
    interval_s = float(edges[1] - edges[0])
    out = {}
    for rule in rules:
        starts, ends = alert_spans(alerts, rule, float(edges[-1]))
        out[rule] = time_in_bins(starts, ends, edges) / (replications * interval_s)
    return pd.DataFrame(out, index=_interval_index(len(edges) - 1))


def workforce_activity(agents: pd.DataFrame, replications: int, edges: np.ndarray) -> pd.DataFrame:
    """Per interval, means over the replications: `call_ins`, on-call agents arriving (call_in
    rows by the interval of their end) and `moved`, agents moved onto another queue (move rows,
    the mean number at a time over the interval)."""
    n_intervals = len(edges) - 1
    interval_s = float(edges[1] - edges[0])
    kind = agents["kind"] if "kind" in agents else pd.Series("", index=agents.index)
    arrived = agents.loc[kind.eq("call_in"), "end_s"].to_numpy(dtype=float)
    k = np.floor(arrived / interval_s).astype(int)
    k = k[(k >= 0) & (k < n_intervals)]
    call_ins = np.bincount(k, minlength=n_intervals) / replications
    moves = agents[kind.eq("move")]
    moved = time_in_bins(moves["start_s"], moves["end_s"], edges) / (replications * interval_s)
    return pd.DataFrame({"call_ins": call_ins, "moved": moved}, index=_interval_index(n_intervals))
