"""Time in bins: how many seconds of a set of spans fall in each interval, and from that the
agents' busy and available seconds and their occupancy.

occupancy = busy time / logged-in time less breaks, for the agents asked about (those holding
a group's skills, or of one agent group); a chat held by an agent with N chat slots counts 1/N
of its time (slot-time). Busy time is the answered contacts' handle plus wrap-up, and failed
callback attempts' time; available time is the `shift` rows of the agents table less
its `break` rows (absences, call-ins and moves are other rows and do not count).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from sim.model import Model


def interval_edges(model: Model) -> npt.NDArray[np.float64]:
    """The planning intervals' edges, in seconds from 00:00 of the first day."""
    return np.arange(model.demand.n_intervals + 1, dtype=np.float64) * model.demand.interval_s


def busy_and_available(
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    names: set[str],
    edges: npt.NDArray[np.float64],
    replications: int,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Busy and available (logged in, not on break) seconds of the agents `names`, as
    `[replication, bin]` arrays over the bins `edges`."""
    served = contacts[_worked(contacts) & contacts["agent"].isin(names)]
    spans = _shifts_and_breaks(agents[agents["agent"].isin(names)])
    return (
        _busy_seconds(served, served["replication"].to_numpy(), replications, edges),
        _available_seconds(spans, spans["replication"].to_numpy(), replications, edges),
    )


@dataclass(frozen=True)
class AgentTime:
    """Busy and available (logged in, off break) agent-seconds of every agent cell, per
    replication and bin: worked out once per run, then summed for each occupancy asked for
    (the summary's groups, the agent groups, the interval table's queues).

    A cell holds the agents with the same agent groups and skills, so every set of agents an
    occupancy is asked for (holding some skills, or of one group) is a union of cells. The
    bins are the interval grid's plus one before and one after it, so the sum over all bins
    is the whole run."""

    groups: list[frozenset[str]]  # per cell
    skills: list[frozenset[str]]  # per cell
    busy: npt.NDArray[np.float64]  # [cell, replication, bin]
    available: npt.NDArray[np.float64]  # [cell, replication, bin]

    def holding(self, skills: set[str] | None) -> npt.NDArray[np.bool_]:
        """The cells whose agents hold any of `skills` (every cell when None)."""
        return np.array([skills is None or bool(skills & held) for held in self.skills], bool)

    def of_group(self, group: str) -> npt.NDArray[np.bool_]:
        """The cells whose agents are of agent group `group`."""
        return np.array([group in groups for groups in self.groups], dtype=bool)

    def whole_run(self, cells: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
        """Occupancy of the agents in `cells` over the whole run, per replication."""
        return occupancy(self.busy[cells].sum(axis=(0, 2)), self.available[cells].sum(axis=(0, 2)))

    def by_interval(self, cells: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
        """Occupancy of the agents in `cells`, `[replication, interval]`."""
        inner = slice(1, self.busy.shape[2] - 1)
        return occupancy(
            self.busy[cells][:, :, inner].sum(axis=0),
            self.available[cells][:, :, inner].sum(axis=0),
        )


def agent_time(
    contacts: pd.DataFrame, agents: pd.DataFrame, replications: int, grid: npt.NDArray[np.float64]
) -> AgentTime:
    """Every agent cell's busy and available seconds over the interval `grid` (its edges)."""
    groups = agents.groupby("agent", sort=True)["group"].unique()
    skills = agents.groupby("agent", sort=True)["skills"].unique()
    cells: dict[tuple[frozenset[str], frozenset[str]], int] = {}
    cell_of = {
        name: cells.setdefault(
            (frozenset(groups[name]), frozenset(s for row in skills[name] for s in row.split(";"))),
            len(cells),
        )
        for name in groups.index
    }
    served = contacts[_worked(contacts)]
    spans = _shifts_and_breaks(agents)
    served_cell = _cells(served["agent"], cell_of)
    known = served_cell >= 0  # worked by an agent of the agents table
    served = served[known]
    span_cell = _cells(spans["agent"], cell_of)
    times = [spans["start_s"], spans["end_s"], served["answer_s"], _work_end(served)]
    low = min([grid[0], *(float(t.min()) for t in times if len(t))])
    high = max([grid[-1], *(float(t.max()) for t in times if len(t))])
    edges = np.concatenate([[low - 1.0], grid, [high + 1.0]])
    n = len(cells) * replications
    shape = (len(cells), replications, len(edges) - 1)
    served_key = served_cell[known] * replications + served["replication"].to_numpy()
    span_key = span_cell * replications + spans["replication"].to_numpy()
    return AgentTime(
        groups=[g for g, _ in cells],
        skills=[s for _, s in cells],
        busy=_busy_seconds(served, served_key, n, edges).reshape(shape),
        available=_available_seconds(spans, span_key, n, edges).reshape(shape),
    )


def _cells(names: pd.Series, cell_of: dict[str, int]) -> npt.NDArray[np.int64]:
    """The cell of each name (-1: none), looking up each distinct name once."""
    codes, distinct = pd.factorize(names)
    lookup = np.array([cell_of.get(name, -1) for name in distinct] + [-1], dtype=np.int64)
    return lookup[codes]  # code -1 (a missing name) takes the last entry


def _worked(contacts: pd.DataFrame) -> pd.Series:
    """Contacts that kept an agent busy: answered, or a callback attempt that failed."""
    return contacts["outcome"].isin(["answered", "callback_failed"])


def _work_end(served: pd.DataFrame) -> pd.Series:
    return served["answer_s"] + served["handle_s"] + served["wrapup_s"]


def _shifts_and_breaks(agents: pd.DataFrame) -> pd.DataFrame:
    return agents[agents["kind"].isin(["shift", "break"])]


def _busy_seconds(
    served: pd.DataFrame, keys: npt.NDArray[np.int64], n_keys: int, edges: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Agent-seconds of work per key and bin; a chat counts its share of the agent's slots
    (`agent_share`; once in runs from before chat slots)."""
    share = served.get("agent_share")
    return time_in_bins_by(keys, n_keys, served["answer_s"], _work_end(served), edges, share)


def _available_seconds(
    spans: pd.DataFrame, keys: npt.NDArray[np.int64], n_keys: int, edges: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Logged-in seconds less breaks per key and bin, from shift (+) and break (-) rows."""
    sign = np.where(spans["kind"].to_numpy() == "break", -1.0, 1.0)
    return time_in_bins_by(keys, n_keys, spans["start_s"], spans["end_s"], edges, sign)


def occupancy(
    busy: npt.NDArray[np.float64], available: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """busy / available, NaN where nobody was available."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(available > 0, busy / available, np.nan)


def time_in_bins(
    starts: Iterable[float],
    ends: Iterable[float],
    edges: npt.NDArray[np.float64],
    weights: Iterable[float] | None = None,
) -> npt.NDArray[np.float64]:
    """Total length of the spans [start, end] falling in each bin [edges[k], edges[k+1]], each
    span counted `weights` times (default once).

    The overlap of a span with a bin is clip(end) - clip(start), clipped to the bin; summing
    clip(x) over sorted x takes two binary searches and prefix sums, so this is
    O((spans + bins) log spans) rather than spans x bins."""
    starts = np.asarray(starts, dtype=float)
    w = np.ones(len(starts)) if weights is None else np.asarray(weights, dtype=float)
    return _clipped_sums(np.asarray(ends, dtype=float), w, edges) - _clipped_sums(starts, w, edges)


def _clipped_sums(
    x: npt.NDArray[np.float64], w: npt.NDArray[np.float64], edges: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    weight: npt.NDArray[np.float64] = np.concatenate([[0.0], np.cumsum(w)])
    weighted_x: npt.NDArray[np.float64] = np.concatenate([[0.0], np.cumsum(w * x)])
    lo, hi = edges[:-1], edges[1:]
    i_lo = np.searchsorted(x, lo, side="left")
    i_hi = np.searchsorted(x, hi, side="right")
    below, above = weight[i_lo], float(weight[-1]) - weight[i_hi]
    return lo * below + hi * above + (weighted_x[i_hi] - weighted_x[i_lo])


def time_in_bins_by(
    keys: npt.NDArray[np.int64],
    n_keys: int,
    starts: Iterable[float],
    ends: Iterable[float],
    edges: npt.NDArray[np.float64],
    weights: Iterable[float] | None = None,
) -> npt.NDArray[np.float64]:
    """`time_in_bins` for every key at once: `[key, bin]`, each span adding to its key's row
    (keys are whole numbers below `n_keys`).

    The time a span [s, e] spends before an edge x is max(0, x - s) - max(0, x - e), and
    summing w (x - v) over the points v < x of a key is x * (sum of w) - (sum of w v): two
    bincounts over (key, first edge above v) and a cumulative sum along the edges."""
    keys = np.asarray(keys, dtype=np.int64)
    starts = np.asarray(starts, dtype=float)
    w = np.ones(len(starts)) if weights is None else np.asarray(weights, dtype=float)
    before = _time_before(keys, n_keys, starts, w, edges) - _time_before(
        keys, n_keys, np.asarray(ends, dtype=float), w, edges
    )
    return np.diff(before, axis=1)


def _time_before(
    keys: npt.NDArray[np.int64],
    n_keys: int,
    x: npt.NDArray[np.float64],
    w: npt.NDArray[np.float64],
    edges: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """sum of w * max(0, edge - x) per key and edge."""
    slots = len(edges) + 1
    flat = keys * slots + np.searchsorted(edges, x, side="right")  # x < edges[j] iff j >= it
    weight = np.bincount(flat, weights=w, minlength=n_keys * slots).reshape(n_keys, slots)
    moment = np.bincount(flat, weights=w * x, minlength=n_keys * slots).reshape(n_keys, slots)
    below = np.cumsum(weight, axis=1)[:, :-1]
    return edges * below - np.cumsum(moment, axis=1)[:, :-1]
