"""Contact measures by group, each a mean over replications with a 95% confidence interval.

Every figure is computed per replication first and then averaged, so the confidence interval
(Student t over replications, `sim.analysis.figure`) reflects day-to-day variation, the
planner's real uncertainty. Definitions (README, "Measures"):

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
- occupancy: of the agents holding the group's skills (`sim.analysis.bins`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from sim.analysis.bins import AgentTime, agent_time, interval_edges
from sim.analysis.figure import UNDEFINED, Figure, bounds_of
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
# Ratios pooled over replications: the sum of the numerators over the sum of the denominators,
# as an ACD report over those days pools them (the ratio of means, not the mean of daily
# ratios), with a delta-method CI (`sim.analysis.figure.pooled_ci`). Percentiles and maxima
# (p90_wait_s, max_wait_s) cannot be pooled this way: theirs is the mean over replications.
POOLED = {
    "service_level": ("within", "judged"),
    "abandon_rate": ("abandoned", "reached"),
    "block_rate": ("blocked", "offered"),
    "asa_s": ("answered_wait_s", "answered"),
    "mean_wait_s": ("queue_wait_s", "reached"),
    "aht_s": ("answered_work_s", "answered"),
    "customer_service_level": ("customers_within", "customers_judged"),
    "announce_error_s": ("announce_error_sum_s", "announced"),
    "chats_held": ("chats_held_sum", "chat_contacts"),
}
# The parts of the pooled ratios that are not measures of their own (kept per replication).
POOL_PARTS = sorted({p for pair in POOLED.values() for p in pair} - set(COUNTS))
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


def reached(contacts: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Which contacts reached a queue: the one definition behind every measure of waiting (the
    KPIs here, the report's queue length, longest wait and wait distribution)."""
    return contacts["outcome"].isin(REACHED_OUTCOMES).to_numpy()


def queued(contacts: pd.DataFrame) -> pd.DataFrame:
    """The rows of contacts that reached a queue (`reached`)."""
    return contacts[reached(contacts)]


def waiting_spans(
    queued_contacts: pd.DataFrame,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
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
    out["customers_within"], out["customers_judged"] = within, counted
    sums = grouped[["wait_answered", "wait_queue", "work", "announce_error", "chats_held"]]
    totals, numbers = sums.sum(), sums.count()
    out["answered_wait_s"], out["queue_wait_s"] = totals["wait_answered"], totals["wait_queue"]
    out["answered_work_s"] = totals["work"]
    out["announce_error_sum_s"], out["announced"] = (
        totals["announce_error"],
        numbers["announce_error"],
    )
    out["chats_held_sum"], out["chat_contacts"] = totals["chats_held"], numbers["chats_held"]
    out["asa_s"] = grouped["wait_answered"].mean()
    out["mean_wait_s"] = grouped["wait_queue"].mean()
    out["p90_wait_s"] = grouped["wait_queue"].quantile(0.9)
    out["max_wait_s"] = grouped["wait_queue"].max()
    out["aht_s"] = grouped["work"].mean()
    out["announce_error_s"] = grouped["announce_error"].mean()
    out["chats_held"] = grouped["chats_held"].mean()
    reached_n = out[["answered", "abandoned", "unserved", "balked", "callbacks_failed"]].sum(axis=1)
    judged = reached_n - out["short_abandoned"] - out["pending"]
    out["reached"], out["judged"] = reached_n, judged
    out["service_level"] = out["within"] / judged.replace(0, np.nan)
    out["abandon_rate"] = out["abandoned"] / reached_n.replace(0, np.nan)
    out["block_rate"] = out["blocked"] / out["offered"].replace(0, np.nan)
    out["transfers"] = 0
    return out.drop(columns=["pending"])


def _flag(contacts: pd.DataFrame, column: str) -> npt.NDArray[np.bool_]:
    """A boolean column of the contacts table, all False in tables from before it existed."""
    return _column(contacts, column, False).astype(bool)


def _column(contacts: pd.DataFrame, column: str, default: float) -> npt.NDArray[Any]:
    """A column of the contacts table as an array, `default` throughout in tables from before
    it existed."""
    if column in contacts:
        return contacts[column].to_numpy()
    return np.full(len(contacts), default)


# --- across replications ----------------------------------------------------------------------


def complete(per_rep: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """`contact_kpis` rows on the whole `index` (every group and replication): the cells with
    no contacts in some replication added, with zero counts and undefined ratios, so the mean
    over replications counts the replications where nothing happened."""
    full = per_rep.reindex(index)
    parts = [*COUNTS, *POOL_PARTS]
    full[parts] = full[parts].fillna(0)
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
) -> dict[str, dict[str, dict[str, Any]]]:
    """The `kpis` block of summary.json: every METRIC for every group; the time measures
    (TIME_MEASURES) of a group that mixes channels with different thresholds are null (the
    contract's keys stay, but seconds of phone and hours of email are never averaged). `time`: the run's
    `agent_time` when the caller has it already (computed here otherwise)."""
    reps = pd.Index(range(replications), name="replication")
    if time is None:
        time = agent_time(contacts, agents, replications, interval_edges(model))
    kpis: dict[str, dict[str, dict[str, Any]]] = {}
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
        per_rep = complete(measures, reps)
        if group.skills is not None and not group.skills:
            per_rep["occupancy"] = np.nan  # segments have no agents of their own
        else:
            per_rep["occupancy"] = time.whole_run(time.holding(group.skills))
        figures = {m: figure_of(per_rep, m).to_json() for m in METRICS}
        if mixes_thresholds(model, group.channels):
            figures.update({m: UNDEFINED.to_json() for m in TIME_MEASURES})
        kpis[group.label] = figures
    return kpis


def figure_of(per_rep: pd.DataFrame, measure: str) -> Figure:
    """A measure over the run from its per-replication rows: pooled for the ratios of
    POOLED, the mean over replications for the rest (counts, percentiles, occupancy)."""
    if measure in POOLED:
        numerator, denominator = POOLED[measure]
        return Figure.pooled(per_rep[numerator], per_rep[denominator], bounds_of(measure))
    return Figure.of(per_rep[measure], bounds_of(measure))


# --- agent groups ------------------------------------------------------------------------------


def agent_group_kpis(
    agents: pd.DataFrame,
    contacts: pd.DataFrame,
    replications: int,
    time: AgentTime | None = None,
) -> dict[str, dict[str, Any]]:
    """Per agent group: occupancy, logged-in hours and overtime hours (past planned shift ends).
    `time`: the run's `agent_time` when the caller has it already."""
    if time is None:
        time = agent_time(contacts, agents, replications, np.zeros(1))
    out: dict[str, dict[str, Any]] = {}
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
            "occupancy": Figure.of(time.whole_run(time.of_group(group)), (0.0, 1.0)).to_json(),
            "logged_in_h": Figure.of(hours["logged_in_h"], (0.0, np.inf)).to_json(),
            "overtime_h": Figure.of(hours["overtime_h"], (0.0, np.inf)).to_json(),
        }
    return out
