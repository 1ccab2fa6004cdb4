"""KPIs by group and by interval, each a mean over replications with a 95% confidence interval.

Every figure is computed per replication first and then averaged, so the confidence interval
(Student t over replications) reflects day-to-day variation, the planner's real uncertainty.
Definitions (README, "Measures"):

- reached queue (`reached`, the one definition the report and figures use too): offered to
  agents (not contained, not blocked), including contacts answered at once: answered,
  abandoned, unserved, balked and failed callbacks. Each waited from `join_s` (after the IVR or
  bot) for `wait_s` (`waiting_spans`).
- service_level = answered within threshold / (answered + abandoned + unserved), over contacts
  that reached a queue, short abandons (wait < short_abandon_s) and unserved contacts still
  within their threshold at the end (a backlog carried over) left out of both.
- abandon_rate = abandoned / reached queue.
- asa_s = mean wait of answered contacts; mean_wait_s, p90_wait_s, max_wait_s over all that
  reached a queue (abandoners counted up to their abandonment, unserved up to the run's end).
- aht_s = mean handle plus wrap-up time of answered contacts.
- balked callers (left on hearing the announced wait) and failed callbacks count as reached
  and not answered; announce_error_s is the mean |announced - actual| wait of answered
  callers who heard an announcement.
- blocked callers (found every line of their channel taken: a busy signal) never reached a
  queue, so they are in none of the measures above; block_rate = blocked / offered.
- chats_held = mean number of chats an agent held once it took a chat (concurrent channels).
- Every attempt is a contact (offered counts attempts); `retrials` counts the retries among
  them, `customers` the distinct customers, and customer_service_level the share of
  customers who reached a queue that had some attempt answered within the threshold.
- occupancy = busy time / logged-in time less breaks, for the agents holding the group's skills;
  a chat held by an agent with N chat slots counts 1/N of its time (slot-time).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.erlang import agents_required
from sim.analysis.figure import UNDEFINED, Figure, bounds_of, mean_ci_frame
from sim.clock import format_clock
from sim.model import Model

COUNTS = [
    "offered",
    "contained",
    "answered",
    "abandoned",
    "unserved",
    "short_abandoned",
    "balked",
    "blocked",
    "callbacks_offered",
    "callbacks_accepted",
    "callbacks_completed",
    "callbacks_failed",
    "retrials",
    "customers",
    "transfers",
]
RATIOS = [
    "service_level",
    "abandon_rate",
    "block_rate",
    "asa_s",
    "mean_wait_s",
    "p90_wait_s",
    "max_wait_s",
    "aht_s",
    "customer_service_level",
    "announce_error_s",
    "chats_held",
]
METRICS = COUNTS + RATIOS + ["occupancy"]
# Waits: never averaged over channels whose service-level thresholds differ (seconds of phone
# and hours of email), so summary groups that would mix them leave these out.
TIME_MEASURES = ("asa_s", "mean_wait_s", "p90_wait_s", "max_wait_s")
# The outcomes of contacts that reached a queue (offered to agents).
REACHED_OUTCOMES = ("answered", "abandoned", "unserved", "balked", "callback_failed")
# What becomes of every offered contact: these add up to `offered` (conservation).
OUTCOME_COUNTS = (
    "contained",
    "answered",
    "abandoned",
    "balked",
    "callbacks_failed",
    "unserved",
    "blocked",
)

SL_DEFINITION = (
    "answered within threshold / (answered + abandoned + unserved), over contacts that reached "
    "a queue; abandons shorter than short_abandon_s, and unserved contacts still within their "
    "threshold when the run stopped, excluded from both"
)


# --- per replication ---------------------------------------------------------------------------


def reached(contacts: pd.DataFrame) -> np.ndarray:
    """Which contacts reached a queue: the one definition behind every measure of waiting (the
    KPIs here, the report's queue length, longest wait and wait distribution)."""
    return contacts["outcome"].isin(REACHED_OUTCOMES).to_numpy()


def queued(contacts: pd.DataFrame) -> pd.DataFrame:
    """The rows of contacts that reached a queue (`reached`)."""
    return contacts[reached(contacts)]


def waiting_spans(queued_contacts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(start, end) of each queued contact's time in queue (rows from `queued`): from joining
    it (`join_s`, after the IVR or bot; `arrival_s` in tables from before the front end) for
    `wait_s`."""
    column = "join_s" if "join_s" in queued_contacts else "arrival_s"
    start = queued_contacts[column].to_numpy(dtype=float)
    return start, start + queued_contacts["wait_s"].to_numpy(dtype=float)


def contact_kpis(contacts: pd.DataFrame, by: list[str], short_abandon_s: float) -> pd.DataFrame:
    """Contact measures per (`by`..., replication): one row per combination that has contacts.

    Transfer legs (the second agent of a transferred or misrouted contact) are counted as
    `transfers` and otherwise left out: they are not new contacts."""
    keys = [*by, "replication"]
    if "transfer_of" in contacts and (contacts["transfer_of"] >= 0).any():
        legs = contacts["transfer_of"] >= 0
        transfers = legs.groupby([contacts[k] for k in keys], observed=True).sum()
        out = contact_kpis(contacts[~legs], by, short_abandon_s)
        out = out.reindex(out.index.union(transfers.index))  # groups reached only by transfers
        out[COUNTS] = out[COUNTS].fillna(0)
        out["transfers"] = transfers.reindex(out.index, fill_value=0)
        return out
    outcome = contacts["outcome"]
    answered = outcome.eq("answered").to_numpy()
    abandoned = outcome.eq("abandoned").to_numpy()
    unserved = outcome.eq("unserved").to_numpy()
    balked = outcome.eq("balked").to_numpy()
    failed = outcome.eq("callback_failed").to_numpy()
    contained = outcome.eq("contained").to_numpy()
    blocked = outcome.eq("blocked").to_numpy()  # a busy signal: never reached a queue
    wait = contacts["wait_s"].to_numpy()
    in_queue = reached(contacts)
    callback = _flag(contacts, "callback")
    announced = _column(contacts, "announced_s", np.nan)
    work = (contacts["handle_s"] + contacts["wrapup_s"]).to_numpy()
    short = abandoned & (wait < short_abandon_s)
    # Unserved contacts still inside their threshold when the run stopped (an email backlog
    # carried over) may yet be answered in time: neither a success nor a failure yet.
    pending = unserved & (wait <= contacts["threshold_s"].to_numpy())
    frame = pd.DataFrame(
        {
            **{key: contacts[key] for key in by},
            "replication": contacts["replication"],
            "offered": 1,
            "contained": contained.astype(int),
            "answered": answered.astype(int),
            "abandoned": abandoned.astype(int),
            "unserved": unserved.astype(int),
            "short_abandoned": short.astype(int),
            "balked": balked.astype(int),
            "blocked": blocked.astype(int),
            "callbacks_offered": _flag(contacts, "callback_offered").astype(int),
            "callbacks_accepted": callback.astype(int),
            "callbacks_completed": (callback & answered).astype(int),
            "callbacks_failed": failed.astype(int),
            "announce_error": np.where(answered, np.abs(announced - wait), np.nan),
            "chats_held": _column(contacts, "chats_held", np.nan),
            "within": (answered & (wait <= contacts["threshold_s"].to_numpy())).astype(int),
            "pending": pending.astype(int),
            "wait_answered": np.where(answered, wait, np.nan),
            "wait_queue": np.where(in_queue, wait, np.nan),
            "work": np.where(answered, work, np.nan),
            "retrials": (contacts["attempt"].to_numpy() > 0).astype(int),
            "customer": contacts["customer"],
            "counted": (in_queue & ~pending & ~short).astype(int),
        }
    )
    grouped = frame.groupby(keys, observed=True, sort=True)
    summed = [c for c in COUNTS if c not in ("customers", "transfers")]
    out = grouped[[*summed, "within", "pending"]].sum()
    # Customers: a retry is another attempt of the same customer. A customer is served well
    # if any attempt was answered within the threshold.
    if frame["retrials"].any():
        customers = frame.groupby([*keys, "customer"], observed=True)[["within", "counted"]].max()
        per_customer = customers.groupby(keys, observed=True)
        out["customers"] = per_customer.size()
        counted, within = per_customer["counted"].sum(), per_customer["within"].sum()
    else:  # no retries: every customer made one attempt, the attempts are the customers
        out["customers"] = out["offered"]
        counted, within = grouped["counted"].sum(), out["within"]
    out["customer_service_level"] = within / counted.replace(0, np.nan)
    out["asa_s"] = grouped["wait_answered"].mean()
    out["mean_wait_s"] = grouped["wait_queue"].mean()
    out["p90_wait_s"] = grouped["wait_queue"].quantile(0.9)
    out["max_wait_s"] = grouped["wait_queue"].max()
    out["aht_s"] = grouped["work"].mean()
    out["announce_error_s"] = grouped["announce_error"].mean()
    out["chats_held"] = grouped["chats_held"].mean()
    reached_n = out[["answered", "abandoned", "unserved", "balked", "callbacks_failed"]].sum(axis=1)
    judged = reached_n - out["short_abandoned"] - out["pending"]
    out["service_level"] = out["within"] / judged.replace(0, np.nan)
    out["abandon_rate"] = out["abandoned"] / reached_n.replace(0, np.nan)
    out["block_rate"] = out["blocked"] / out["offered"].replace(0, np.nan)
    out["transfers"] = 0
    return out.drop(columns=["within", "pending"])


def _flag(contacts: pd.DataFrame, column: str) -> np.ndarray:
    """A boolean column of the contacts table, all False in tables from before it existed."""
    return _column(contacts, column, False).astype(bool)


def _column(contacts: pd.DataFrame, column: str, default) -> np.ndarray:
    if column in contacts:
        return contacts[column].to_numpy()
    return np.full(len(contacts), default)


def busy_and_available(
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    names: set[str],
    edges: np.ndarray,
    replications: int,
) -> tuple[np.ndarray, np.ndarray]:
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
    busy: np.ndarray  # [cell, replication, bin]
    available: np.ndarray  # [cell, replication, bin]

    def holding(self, skills: set[str] | None) -> np.ndarray:
        """The cells whose agents hold any of `skills` (every cell when None)."""
        return np.array([skills is None or bool(skills & held) for held in self.skills], bool)

    def of_group(self, group: str) -> np.ndarray:
        return np.array([group in groups for groups in self.groups], dtype=bool)

    def whole_run(self, cells: np.ndarray) -> np.ndarray:
        """Occupancy of the agents in `cells` over the whole run, per replication."""
        return occupancy(self.busy[cells].sum(axis=(0, 2)), self.available[cells].sum(axis=(0, 2)))

    def by_interval(self, cells: np.ndarray) -> np.ndarray:
        """Occupancy of the agents in `cells`, `[replication, interval]`."""
        inner = slice(1, self.busy.shape[2] - 1)
        return occupancy(
            self.busy[cells][:, :, inner].sum(axis=0),
            self.available[cells][:, :, inner].sum(axis=0),
        )


def agent_time(
    contacts: pd.DataFrame, agents: pd.DataFrame, replications: int, grid: np.ndarray
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


def _cells(names: pd.Series, cell_of: dict[str, int]) -> np.ndarray:
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
    served: pd.DataFrame, keys: np.ndarray, n_keys: int, edges: np.ndarray
) -> np.ndarray:
    """Agent-seconds of work per key and bin; a chat counts its share of the agent's slots
    (`agent_share`; once in runs from before chat slots)."""
    share = served.get("agent_share")
    return time_in_bins_by(keys, n_keys, served["answer_s"], _work_end(served), edges, share)


def _available_seconds(
    spans: pd.DataFrame, keys: np.ndarray, n_keys: int, edges: np.ndarray
) -> np.ndarray:
    """Logged-in seconds less breaks per key and bin, from shift (+) and break (-) rows."""
    sign = np.where(spans["kind"].to_numpy() == "break", -1.0, 1.0)
    return time_in_bins_by(keys, n_keys, spans["start_s"], spans["end_s"], edges, sign)


def occupancy(busy: np.ndarray, available: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(available > 0, busy / available, np.nan)


def time_in_bins(
    starts: Iterable[float],
    ends: Iterable[float],
    edges: np.ndarray,
    weights: Iterable[float] | None = None,
) -> np.ndarray:
    """Total length of the spans [start, end] falling in each bin [edges[k], edges[k+1]], each
    span counted `weights` times (default once).

    The overlap of a span with a bin is clip(end) - clip(start), clipped to the bin; summing
    clip(x) over sorted x takes two binary searches and prefix sums, so this is
    O((spans + bins) log spans) rather than spans x bins."""
    starts = np.asarray(starts, dtype=float)
    w = np.ones(len(starts)) if weights is None else np.asarray(weights, dtype=float)
    return _clipped_sums(np.asarray(ends, dtype=float), w, edges) - _clipped_sums(starts, w, edges)


def _clipped_sums(x: np.ndarray, w: np.ndarray, edges: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    weight = np.concatenate([[0.0], np.cumsum(w)])
    weighted_x = np.concatenate([[0.0], np.cumsum(w * x)])
    lo, hi = edges[:-1], edges[1:]
    i_lo = np.searchsorted(x, lo, side="left")
    i_hi = np.searchsorted(x, hi, side="right")
    below, above = weight[i_lo], weight[-1] - weight[i_hi]
    return lo * below + hi * above + (weighted_x[i_hi] - weighted_x[i_lo])


def time_in_bins_by(
    keys: np.ndarray,
    n_keys: int,
    starts: Iterable[float],
    ends: Iterable[float],
    edges: np.ndarray,
    weights: Iterable[float] | None = None,
) -> np.ndarray:
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
    keys: np.ndarray, n_keys: int, x: np.ndarray, w: np.ndarray, edges: np.ndarray
) -> np.ndarray:
    """sum of w * max(0, edge - x) per key and edge."""
    slots = len(edges) + 1
    flat = keys * slots + np.searchsorted(edges, x, side="right")  # x < edges[j] iff j >= it
    weight = np.bincount(flat, weights=w, minlength=n_keys * slots).reshape(n_keys, slots)
    moment = np.bincount(flat, weights=w * x, minlength=n_keys * slots).reshape(n_keys, slots)
    below = np.cumsum(weight, axis=1)[:, :-1]
    return edges * below - np.cumsum(moment, axis=1)[:, :-1]


# --- across replications ----------------------------------------------------------------------


def _complete(per_rep: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Add the cells with no contacts in some replication: zero counts, undefined ratios."""
    full = per_rep.reindex(index)
    full[COUNTS] = full[COUNTS].fillna(0)
    return full


# --- the summary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiGroup:
    """One group of summary.json's `kpis`: its label, the contacts it holds (`where`: column,
    value pairs, all must hold), the skills of the agents behind it (None: every agent; empty:
    none, as for segments) and the channels whose contacts it can hold."""

    label: str
    where: tuple[tuple[str, str], ...]
    skills: set[str] | None
    channels: frozenset[str]


def kpi_groups(model: Model) -> list[KpiGroup]:
    """Every summary group: `all`, `channel=<c>`, `queue=<q>`, `segment=<s>` (the contract's)
    and, with segments, `channel=<c>/segment=<s>` (a segment's waits on one channel)."""
    every = frozenset(c.name for c in model.channels)
    groups = [KpiGroup("all", (), None, every)]
    for channel in model.channels:
        skills = {t.skill for t in model.contact_types if t.channel == channel.name}
        only = frozenset({channel.name})
        groups.append(
            KpiGroup(f"channel={channel.name}", (("channel", channel.name),), skills, only)
        )
    for queue in model.queues:
        fed = frozenset(t.channel for t in model.contact_types if t.skill == queue)
        groups.append(KpiGroup(f"queue={queue}", (("queue", queue),), {queue}, fed))
    for segment in model.segments:
        groups.append(
            KpiGroup(f"segment={segment.name}", (("segment", segment.name),), set(), every)
        )
    for channel in model.channels:
        for segment in model.segments:
            groups.append(
                KpiGroup(
                    f"channel={channel.name}/segment={segment.name}",
                    (("channel", channel.name), ("segment", segment.name)),
                    set(),
                    frozenset({channel.name}),
                )
            )
    return groups


def mixes_thresholds(model: Model, channels: Iterable[str]) -> bool:
    """Would a group holding these channels' contacts average waits judged against different
    thresholds (seconds of phone with hours of email)?"""
    return len({model.channel(c).threshold_s for c in channels}) > 1


def summarise_kpis(
    model: Model,
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    replications: int,
    time: AgentTime | None = None,
) -> dict[str, dict[str, dict]]:
    """The `kpis` block of summary.json: every METRIC for every group; the time measures
    (TIME_MEASURES) of a group that mixes channels with different thresholds are null (the
    contract's keys stay, but seconds of phone and hours of email are never averaged). `time`: the run's
    `agent_time` when the caller has it already (computed here otherwise)."""
    reps = pd.Index(range(replications), name="replication")
    if time is None:
        time = agent_time(contacts, agents, replications, interval_edges(model))
    kpis = {}
    whole: list[pd.DataFrame] = []  # the measures of every contact, once asked for
    for group in kpi_groups(model):
        rows = np.ones(len(contacts), dtype=bool)
        for column, value in group.where:
            rows &= contacts[column].eq(value).to_numpy()
        if rows.all():  # a group of every contact (one channel, say)
            whole = whole or [contact_kpis(contacts, [], model.short_abandon_s)]
            measures = whole[0].copy()
        else:
            measures = contact_kpis(contacts[rows], [], model.short_abandon_s)
        per_rep = _complete(measures, reps)
        if group.skills is not None and not group.skills:
            per_rep["occupancy"] = np.nan  # segments have no agents of their own
        else:
            per_rep["occupancy"] = time.whole_run(time.holding(group.skills))
        figures = {m: _figure_json(per_rep[m], bounds_of(m)) for m in METRICS}
        if mixes_thresholds(model, group.channels):
            figures.update({m: UNDEFINED.to_json() for m in TIME_MEASURES})
        kpis[group.label] = figures
    return kpis


# --- deferrable backlogs ----------------------------------------------------------------------


def backlog_summary(
    model: Model, contacts: pd.DataFrame, replications: int, horizon_s: float
) -> dict[str, dict]:
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
) -> dict[str, dict]:
    """`backlog_summary` for the channels named in `deferrable` (channel -> its queues), from
    the contacts table alone (the report uses it on runs from before summary.json had it)."""
    out: dict[str, dict] = {}
    since = max(0.0, horizon_s - 86400.0)
    for channel, queues in deferrable.items():
        groups = [(f"channel={channel}", "channel", channel)]
        groups += [(f"queue={q}", "queue", q) for q in queues]
        for label, column, value in groups:
            mine = queued(contacts[contacts[column].eq(value)])
            mine = mine[mine["transfer_of"] < 0] if "transfer_of" in mine else mine
            out[label] = _backlog_figures(mine, replications, since)
    return out


def _backlog_figures(mine: pd.DataFrame, replications: int, since: float) -> dict[str, dict]:
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
    return {k: _figure_json(frame[k], bounds.get(k, (0.0, np.inf))) for k in frame.columns}


def agent_group_kpis(
    agents: pd.DataFrame,
    contacts: pd.DataFrame,
    replications: int,
    time: AgentTime | None = None,
) -> dict:
    """Per agent group: occupancy, logged-in hours and overtime hours (past planned shift ends).
    `time`: the run's `agent_time` when the caller has it already."""
    if time is None:
        time = agent_time(contacts, agents, replications, np.zeros(1))
    out = {}
    for group in sorted(agents["group"].unique()):
        mine = agents[agents["group"].eq(group)]
        shifts = mine[mine["kind"].eq("shift")]
        by_rep = shifts.groupby("replication")
        hours = pd.DataFrame(
            {
                "logged_in_h": by_rep.apply(lambda s: (s["end_s"] - s["start_s"]).sum() / 3600),
                "overtime_h": by_rep.apply(
                    lambda s: (s["end_s"] - s["planned_end_s"]).clip(lower=0).sum() / 3600
                ),
            }
        ).reindex(range(replications), fill_value=0.0)
        out[f"group={group}"] = {
            "agents": int(mine["agent"].nunique()),
            "occupancy": _figure_json(time.whole_run(time.of_group(group)), (0.0, 1.0)),
            "logged_in_h": _figure_json(hours["logged_in_h"], (0.0, np.inf)),
            "overtime_h": _figure_json(hours["overtime_h"], (0.0, np.inf)),
        }
    return out


# --- the interval table ----------------------------------------------------------------------


def interval_table(
    model: Model,
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    replications: int,
    time: AgentTime | None = None,
) -> pd.DataFrame:
    """One row per interval x channel x queue: the forecast (`forecast_offered`: every contact
    expected, those the IVR or bot will contain included; `forecast_queued`: those expected to
    reach the queue), agents scheduled and Erlang-required (sized on `forecast_queued`), and
    every contact measure (mean, `_lo`, `_hi`) by arrival interval. `time`: the run's
    `agent_time` when the caller has it already."""
    demand = model.demand
    n = demand.n_intervals
    edges = interval_edges(model)
    if time is None:
        time = agent_time(contacts, agents, replications, edges)
    pairs = list(dict.fromkeys((t.channel, t.skill) for t in model.contact_types))
    keys = ["channel", "queue", "interval"]
    levels = [*keys, "replication"]
    index = pd.MultiIndex.from_tuples(
        [(c, q, k, r) for c, q in pairs for k in range(n) for r in range(replications)],
        names=levels,
    )
    per_rep = contact_kpis(contacts, keys, model.short_abandon_s)
    per_rep = _complete(per_rep.reorder_levels(levels), index)
    for queue in model.queues:
        rows = per_rep.index.get_level_values("queue") == queue
        ks = per_rep.index.get_level_values("interval")[rows]
        rs = per_rep.index.get_level_values("replication")[rows]
        per_rep.loc[rows, "occupancy"] = time.by_interval(time.holding({queue}))[rs, ks]
    figures = mean_ci_frame(per_rep.reset_index(), keys).reset_index()

    # Intervals with the same traffic (a flat forecast, the same hour on every day of a week)
    # need the same agents: each distinct case is worked out once.
    required = functools.lru_cache(maxsize=None)(agents_required)
    plan = []
    for channel, queue in pairs:
        offered = _forecast_offered(model, channel, queue)
        queued_forecast, aht, patience = _offered_traffic(model, channel, queue)
        slots, per_chat = _chat_slots(model, channel, queue, 1.0)
        aht = aht * per_chat  # work per chat, as if every slot were busy
        scheduled = _scheduled_agents(model, queue, edges)
        threshold = model.channel(channel).threshold_s
        for k in range(n):
            rate = queued_forecast[k] / demand.interval_s
            plan.append(
                {
                    "channel": channel,
                    "queue": queue,
                    "interval": k,
                    "start": format_clock(edges[k]),
                    "forecast_offered": offered[k],
                    "forecast_queued": queued_forecast[k],
                    "agents_scheduled": scheduled[k],
                    "erlang_c_required": math.ceil(
                        required(rate, aht[k], threshold, model.target_sl) / slots
                    ),
                    "erlang_a_required": math.ceil(
                        required(rate, aht[k], threshold, model.target_sl, patience=patience[k])
                        / slots
                    ),
                }
            )
    table = pd.DataFrame(plan).merge(figures, on=keys, how="left")
    measures = [c for metric in METRICS for c in (metric, f"{metric}_lo", f"{metric}_hi")]
    table = table[list(plan[0]) + measures]
    return table.sort_values(["interval", "channel", "queue"], kind="stable").reset_index(drop=True)


def _forecast_offered(model: Model, channel: str, queue: str) -> np.ndarray:
    """Per interval: every contact of `channel` for `queue` the forecast expects (first
    attempts; those the IVR or bot will contain included)."""
    rows = [
        i for i, t in enumerate(model.contact_types) if t.channel == channel and t.skill == queue
    ]
    return model.demand.volumes[rows].sum(axis=0)


def interval_edges(model: Model) -> np.ndarray:
    """The planning intervals' edges, in seconds from 00:00 of the first day."""
    return np.arange(model.demand.n_intervals + 1) * float(model.demand.interval_s)


def _chat_slots(model: Model, channel: str, queue: str, aht: float) -> tuple[float, float]:
    """For a concurrent channel: the mean chat slots of the agents holding the queue's skill,
    and the work per chat stretched as if every slot were busy. Erlang then sizes slots, and
    agents are slots / that mean (an approximation, documented). Otherwise (1, aht)."""
    stretch = model.channel(channel).concurrency_stretch
    holders = [a.max_chats for a in model.agents if queue in a.skills]
    if stretch is None or not holders:
        return 1.0, aht
    slots = float(np.mean(holders))
    return slots, aht * (1 + stretch * (slots - 1))


def _offered_traffic(
    model: Model, channel: str, queue: str
) -> tuple[np.ndarray, np.ndarray, list[float | None]]:
    """Per interval: the volume expected to reach `queue` from `channel` (the forecast less what
    the IVR or bot contains), the mean work per contact (with the interval's handle times when
    the forecast gives them; `Model.interval_mean_work`) and the mean patience (None: nobody
    abandons), which moves with the type mix when types have patience or segments of their own."""
    rows = [
        i for i, t in enumerate(model.contact_types) if t.channel == channel and t.skill == queue
    ]
    kept = np.array([1 - model.contact_types[i].contained for i in rows])
    volumes = model.demand.volumes[rows] * kept[:, None]
    aht = model.interval_mean_work(queue, channel)
    thetas = np.array([_abandon_rate(model, t) for t in rows])
    if (thetas == thetas[0]).all():
        theta = np.full(volumes.shape[1], thetas[0])
    else:  # weighted by each type's volume in the interval (the day's where there is none)
        total = volumes.sum(axis=0)
        weights = volumes.sum(axis=1)
        day = np.average(thetas, weights=weights) if weights.sum() > 0 else thetas.mean()
        mixed = (thetas[:, None] * volumes).sum(axis=0) / np.where(total > 0, total, 1.0)
        theta = np.where(total > 0, mixed, day)
    return volumes.sum(axis=0), aht, [1.0 / float(th) if th > 0 else None for th in theta]


def _abandon_rate(model: Model, t: int) -> float:
    """Erlang A's theta for type-`t` contacts: abandonment rates averaged over segments (a
    segment that never abandons adds 0). An approximation when patience is not exponential,
    documented in the README."""
    shares = model.segment_shares(t)
    return sum(
        (
            shares[s] / dist.mean
            for s in range(len(model.segments))
            if (dist := model.patience_of(t, s)) is not None
        ),
        0.0,
    )


def _scheduled_agents(model: Model, queue: str, edges: np.ndarray) -> np.ndarray:
    """Planned agents on duty (shift less planned breaks), averaged over each interval."""
    shifts = [s for a in model.agents if queue in a.skills for s in a.shifts]
    breaks = [b for s in shifts for b in s.breaks]
    on = time_in_bins([s.start_s for s in shifts], [s.end_s for s in shifts], edges)
    off = time_in_bins(
        [b.start_s for b in breaks], [b.start_s + b.duration_s for b in breaks], edges
    )
    return (on - off) / np.diff(edges)


def _figure_json(values: pd.Series | np.ndarray, bounds: tuple[float, float]) -> dict:
    return Figure.of(values, bounds).to_json()
