"""Replaying a contact log: the centre's own history as the arrivals, instead of a forecast.

A scenario with `trace: {file: LOG}` takes its contacts from the log (`sim.contact_log`): every
replication meets the very same arrivals, of the same types, and the log's outcomes fix what
the log knows about each customer:

- arrival time and contact type: the log's; the horizon covers the log's days (or
  `scenario.hours`), and the interval table's `forecast_offered` is the log's count per interval (`forecast_queued` less its contained contacts);
- which contacts the IVR or bot resolved: the log's `contained` outcome (the types'
  `contained` shares become the log's shares, for the Erlang columns);
- patience: a customer who abandoned after waiting w showed it: patience w. One who was
  answered (or was still waiting, or left otherwise) after waiting w was still there at w:
  patience is drawn from the type's distribution conditioned on exceeding w (`Distribution
  .sample_beyond`), so a replay that answers them later lets the impatient ones go;
- segment, front-end (IVR or bot) time and customer: the log's when it has the column (the
  customer with `customers: true`), else drawn as usual;
- handle time: drawn as usual, or with `handle: true` the log's for answered contacts (then
  the interval table's Erlang columns use the log's mean handle per interval, as a forecast
  AHT would); wrap-up, transfers, misroutes and announcement draws: as usual.

Everything drawn comes from the usual streams (`sim.streams`), per contact type and in the
log's order, so common random numbers hold across rosters and routing policies. The log's own
measures, computed with the KPI definitions (`sim.metrics.contact_kpis`) from its waits and
outcomes, go beside the simulated ones: `log_*` columns of intervals.csv, `log` in
summary.json, and a section of the report.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.arrivals import Contacts, _front_end, _segments, announce_draws, routing_draws
from sim.contact_log import parse_map, read_log
from sim.errors import ConfigError, check_keys, expect_mapping
from sim.forecast import handle_factors
from sim.model import ContactType, Demand, Model, Segment, Trace
from sim.records import ABANDONED, ANSWERED, CONTAINED
from sim.streams import Stream, rng

WHERE = "scenario.trace"
TRACE_KEYS = {"file", "handle", "customers", "map"}
DAY_S = 86400.0

# The log's own measures, beside the simulated ones (same names, same definitions).
LOG_METRICS = (
    "offered",
    "contained",
    "answered",
    "abandoned",
    "service_level",
    "abandon_rate",
    "asa_s",
    "mean_wait_s",
)


# --- the scenario's `trace` -> the model's Trace and Demand --------------------------------------


def read_trace(
    spec: object,
    scenario: Mapping[str, Any],
    types: tuple[ContactType, ...],
    segments: tuple[Segment, ...],
    interval_s: float,
    horizon_s: float | None,
    files,
) -> tuple[Trace, Demand, tuple[ContactType, ...]]:
    """`scenario.trace` read and checked against the scenario: the trace, the demand it makes
    (the log's counts per interval) and the contact types with the log's contained shares."""
    spec = expect_mapping(spec, "scenario", "trace")
    check_keys(spec, TRACE_KEYS, WHERE)
    _check_no_forecast(scenario)
    if "file" not in spec:
        raise ConfigError(WHERE, "file", "name the contact log (CSV or Parquet)")
    path = files(spec["file"], WHERE, "file")
    use_handle = _flag(spec, "handle")
    use_customers = _flag(spec, "customers")
    frame = read_log(path, _column_map(spec.get("map"))).frame
    trace = trace_from_log(frame, str(path), types, segments, use_handle, use_customers)
    horizon = _horizon(trace, horizon_s)
    n_intervals = max(1, math.ceil(horizon / interval_s - 1e-9))
    demand = Demand(
        interval_s=interval_s,
        volumes=_counts(trace, len(types), interval_s, n_intervals),
        handle_factor=_log_handle_factors(trace, types, interval_s, n_intervals),
    )
    return trace, demand, _logged_containment(trace, types)


def _check_no_forecast(scenario: Mapping[str, Any]) -> None:
    """A trace replaces the forecast, its day factor and the retrial model: the log's arrivals
    are what happened, retries included. Refused together, not silently dropped."""
    if scenario.get("forecast") is not None:
        raise ConfigError(
            "scenario",
            "forecast",
            "a scenario replays a trace or draws from a forecast, not both; drop the forecast "
            "(on the command line: ~scenario.forecast)",
        )
    if scenario.get("busyness_cv"):
        raise ConfigError(
            "scenario",
            "busyness_cv",
            "a replay's volume is the log's; set busyness_cv to 0 (scenario.busyness_cv=0)",
        )
    retrials = scenario.get("retrials") or {}
    if not isinstance(retrials, Mapping) or any(v is not None for v in retrials.values()):
        raise ConfigError(
            "scenario",
            "retrials",
            "a replayed log already holds the retries that happened; drop the retrials "
            "(scenario.retrials=null)",
        )


def _flag(spec: Mapping[str, Any], key: str) -> bool:
    value = spec.get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(WHERE, key, f"expected true or false, got {value!r}")
    return value


def _column_map(spec: object) -> dict[str, str]:
    """`map: {ours: theirs}` (or the command line's text `ours=theirs,...`) as {theirs: ours}."""
    if spec is None:
        return {}
    if isinstance(spec, str):
        try:
            return parse_map(spec)
        except ConfigError as err:
            raise ConfigError(WHERE, "map", err.problem) from None
    spec = expect_mapping(spec, WHERE, "map")
    mapping = {}
    for ours, theirs in spec.items():
        if not isinstance(theirs, str) or not theirs:
            raise ConfigError(WHERE, f"map.{ours}", "give the log's column name for it")
        mapping[theirs] = str(ours)
    return mapping


def trace_from_log(
    frame: pd.DataFrame,
    source: str,
    types: tuple[ContactType, ...],
    segments: tuple[Segment, ...],
    use_handle: bool = False,
    use_customers: bool = False,
) -> Trace:
    """The normalised log (`sim.contact_log.ContactLog.frame`) as a Trace of this scenario's
    types and segments; every row that does not fit is an error naming its line."""
    if frame.empty:
        raise ConfigError(source, "-", "the log has no contacts")
    lines = frame["line"].to_numpy()
    type_names = [t.name for t in types]
    type_index = _codes(frame["type"], type_names, source, "type", lines, "contact type")
    if "channel" in frame:
        expected = np.array([types[k].channel for k in type_index], dtype=object)
        logged = frame["channel"].to_numpy(dtype=object)
        bad = pd.notna(logged) & (logged != expected)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ConfigError(
                source,
                "channel",
                f"line {lines[k]}: {logged[k]!r}, but contact type {type_names[type_index[k]]!r} "
                f"is on channel {expected[k]!r} in this scenario",
            )
    segment_index = np.full(len(frame), -1, dtype=np.int32)
    if "segment" in frame:
        given = frame["segment"].notna().to_numpy()
        names = [s.name for s in segments]
        segment_index[given] = _codes(
            frame["segment"][given], names, source, "segment", lines[given], "segment"
        )
    customer = None
    if use_customers:
        if "customer" not in frame or frame["customer"].isna().any():
            raise ConfigError(
                source,
                "customer",
                "`customers: true` needs a customer id on every row (or map your column to it)",
            )
        customer = pd.factorize(frame["customer"], sort=False)[0].astype(np.int64)
    front = frame["front_s"] if "front_s" in frame else pd.Series(np.nan, index=frame.index)
    return Trace(
        source=source,
        arrival_s=frame["arrival_s"].to_numpy(dtype=float),
        type_index=type_index,
        segment_index=segment_index,
        outcome=frame["outcome"].to_numpy(dtype=object),
        wait_s=frame["wait_s"].to_numpy(dtype=float),
        handle_s=frame["handle_s"].to_numpy(dtype=float),
        front_s=front.to_numpy(dtype=float),
        customer=customer,
        use_handle=use_handle,
        agent=frame["agent"].to_numpy(dtype=object) if "agent" in frame else None,
    )


def _codes(
    values: pd.Series, allowed: list[str], source: str, column: str, lines, what: str
) -> np.ndarray:
    codes = pd.Index(allowed).get_indexer(pd.Index(values.to_numpy(dtype=object))).astype(np.int32)
    bad = codes < 0
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        more = int(bad.sum()) - 1
        also = f" (and {more} more row{'s' * (more > 1)})" if more else ""
        raise ConfigError(
            source,
            column,
            f"line {lines[k]}: unknown {what} {values.iloc[k]!r}{also}; "
            f"this scenario's: {', '.join(allowed)}",
        )
    return codes


def _horizon(trace: Trace, hours_s: float | None) -> float:
    """`scenario.hours` when given (it must cover the log), else the log's whole days."""
    last = float(trace.arrival_s.max())
    if hours_s is None:
        return (math.floor(last / DAY_S) + 1) * DAY_S
    if last >= hours_s:
        raise ConfigError(
            "scenario",
            "hours",
            f"{hours_s / 3600:g} h ends before the last arrival of {trace.source} "
            f"({last / 3600:.2f} h); leave hours out to replay the log's whole days",
        )
    return hours_s


def _counts(trace: Trace, n_types: int, interval_s: float, n_intervals: int) -> np.ndarray:
    interval = (trace.arrival_s // interval_s).astype(np.int64)
    volumes = np.zeros((n_types, n_intervals))
    np.add.at(volumes, (trace.type_index, interval), 1.0)
    return volumes


def _log_handle_factors(
    trace: Trace, types: tuple[ContactType, ...], interval_s: float, n_intervals: int
) -> np.ndarray | None:
    """With `handle: true`, the log's mean handle per type and interval (of answered contacts)
    as the forecast AHT: the Erlang columns then size for the handle times replayed."""
    if not trace.use_handle:
        return None
    answered = trace.outcome == ANSWERED
    interval = (trace.arrival_s // interval_s).astype(np.int64)
    total = np.zeros((len(types), n_intervals))
    count = np.zeros_like(total)
    np.add.at(total, (trace.type_index[answered], interval[answered]), trace.handle_s[answered])
    np.add.at(count, (trace.type_index[answered], interval[answered]), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(count > 0, total / count, np.nan)
    return handle_factors(aht, [t.handle.mean for t in types], [t.name for t in types])


def _logged_containment(trace: Trace, types: tuple[ContactType, ...]) -> tuple[ContactType, ...]:
    """Each type's contained share as the log has it (types absent from the log keep theirs)."""
    out = []
    for k, ctype in enumerate(types):
        mine = trace.type_index == k
        share = float(np.mean(trace.outcome[mine] == CONTAINED)) if mine.any() else ctype.contained
        out.append(replace(ctype, contained=share))
    return tuple(out)


# --- the replay's contacts (the engine's other contact source) -----------------------------------


def replay_contacts(model: Model, seed: int, replication: int) -> Contacts:
    """The log's contacts for one replication: the log's arrivals and what it knows of each,
    the rest drawn per contact type from the usual streams (see the module's docstring)."""
    trace = model.trace
    assert trace is not None
    n = len(trace)
    segment = np.empty(n, dtype=np.int32)
    patience, handle, wrapup, front = (np.empty(n) for _ in range(4))
    override, transfer_queue = np.full(n, -1, np.int32), np.full(n, -1, np.int32)
    transfer_work, announce = np.full(n, np.nan), np.full((n, 4), np.nan)
    contained = trace.outcome == CONTAINED
    interval = (trace.arrival_s // model.demand.interval_s).astype(np.int64)
    logged_handle = (
        trace.handle_s / (_logged_speed(model, trace) * _logged_stretch(model, trace))
        if trace.use_handle
        else None
    )
    for t, ctype in enumerate(model.contact_types):
        rows = np.flatnonzero(trace.type_index == t)
        k = len(rows)
        if not k:
            continue
        drawn = _segments(model, seed, replication, t, k)
        segment[rows] = np.where(trace.segment_index[rows] >= 0, trace.segment_index[rows], drawn)
        patience[rows] = _patience(model, trace, rows, segment[rows], seed, replication, t)
        base = ctype.handle.sample(rng(seed, replication, Stream.HANDLE, t), k)
        if model.demand.handle_factor is not None:
            base = base * model.demand.handle_factor[t, interval[rows]]
        if logged_handle is not None:
            answered = trace.outcome[rows] == ANSWERED
            base = np.where(answered, logged_handle[rows], base)
        drawn_wrapup = ctype.wrapup.sample(rng(seed, replication, Stream.WRAPUP, t), k)
        routes = routing_draws(
            model, t, base, drawn_wrapup, rng(seed, replication, Stream.TRANSFER, t)
        )
        handle[rows], wrapup[rows], override[rows], transfer_queue[rows] = routes[:4]
        transfer_work[rows] = routes[4]
        time, _ = _front_end(model, ctype, seed, replication, t, k)  # (containment: the log's)
        logged = trace.front_s[rows]
        has_front = model.channel(ctype.channel).front_end is not None
        front[rows] = np.where(has_front & ~np.isnan(logged), logged, time)
        announce[rows] = announce_draws(model, t, k, rng(seed, replication, Stream.ANNOUNCE, t))
    return Contacts(
        arrival_s=trace.arrival_s,
        type_index=trace.type_index,
        segment_index=segment,
        patience_s=patience,
        handle_s=handle,
        wrapup_s=wrapup,
        front_s=front,
        contained=contained,
        queue_override=override,
        transfer_queue=transfer_queue,
        transfer_work_s=transfer_work,
        announce_draws=announce,
        customer=trace.customer,
        attempt=_attempts(trace.customer),
    )


def _logged_speed(model: Model, trace: Trace) -> np.ndarray:
    """Per contact, the proficiency factor on its queue of the agent the log says answered it,
    when that agent is in the roster (1 otherwise): a logged handle time is as worked, so a
    senior's quick call is the customer's longer need, worked again by whoever takes it."""
    speeds = np.ones(len(trace))
    if trace.agent is None:
        return speeds
    roster = {a.name: a for a in model.agents}
    pairs = pd.DataFrame({"agent": trace.agent, "type": trace.type_index})
    known = pairs["agent"].isin(list(roster)).to_numpy()
    if not known.any():
        return speeds
    factor = {
        (name, t): roster[name].speed_on(model.contact_types[t].skill)
        for name, t in pairs[known].drop_duplicates().itertuples(index=False)
    }
    keys = pd.MultiIndex.from_frame(pairs[known])
    speeds[known] = pd.Series(factor).reindex(keys).to_numpy(dtype=float)
    return speeds


def _logged_stretch(model: Model, trace: Trace) -> np.ndarray:
    """Per contact, the chat stretch its logged handle time was worked under: 1 + stretch x
    the chats its agent already held when it was answered (seen from the log's own overlaps:
    the agent's other answered chats that started before it and had not yet ended). A logged
    chat time is wall-clock time while holding others; the replay stretches again from the
    chats held in the replay, so the log's time is first brought back to the customer's need.
    1 where the log has no agent ids or the queue takes a whole agent."""
    stretch = np.ones(len(trace))
    if trace.agent is None:
        return stretch
    queue_stretch = {
        k: model.channel(t.channel).concurrency_stretch for k, t in enumerate(model.contact_types)
    }
    per_contact = np.array([queue_stretch[k] or 0.0 for k in trace.type_index])
    chats = (per_contact > 0) & (trace.outcome == ANSWERED) & pd.notna(trace.agent)
    if not chats.any():
        return stretch
    front = np.nan_to_num(trace.front_s, nan=0.0)
    start = trace.arrival_s + front + trace.wait_s
    end = start + trace.handle_s
    rows = np.flatnonzero(chats)
    order = rows[np.lexsort((start[rows], trace.agent[rows].astype(str)))]
    held = np.zeros(len(trace))
    ongoing: dict[object, list[float]] = {}
    for i in order:
        ends = [e for e in ongoing.get(trace.agent[i], []) if e > start[i]]
        held[i] = len(ends)
        ends.append(end[i])
        ongoing[trace.agent[i]] = ends
    stretch[rows] = 1.0 + per_contact[rows] * held[rows]
    return stretch


def _patience(model, trace: Trace, rows, segment, seed, replication, t) -> np.ndarray:
    """Abandoned: the logged wait. Everyone else: drawn beyond the logged wait (they were
    still there), one uniform per contact from the (type, segment) patience stream."""
    wait = trace.wait_s[rows]
    waited = np.nan_to_num(wait, nan=0.0)
    patience = np.full(len(rows), np.inf)
    for s in range(len(model.segments)):
        mask = segment == s
        dist = model.patience_of(t, s)
        if dist is None or not mask.any():
            continue
        u = rng(seed, replication, Stream.PATIENCE, t, s).random(int(mask.sum()))
        patience[mask] = dist.sample_beyond(u, waited[mask])
    abandoned = trace.outcome[rows] == ABANDONED
    patience[abandoned] = wait[abandoned]
    return patience


def _attempts(customer: np.ndarray | None) -> np.ndarray | None:
    """Each contact's attempt number within its customer (0 first), in arrival order."""
    if customer is None:
        return None
    return pd.Series(customer).groupby(customer).cumcount().to_numpy(dtype=np.int64)


# --- the log's own measures ----------------------------------------------------------------------


def log_contacts(model: Model) -> pd.DataFrame:
    """The log as a contacts table (the columns `sim.metrics.contact_kpis` reads), so its
    measures follow the very definitions of the simulated ones. Wrap-up is not logged: 0."""
    trace = model.trace
    assert trace is not None
    types = model.contact_types
    t = trace.type_index
    customer = np.arange(len(trace)) if trace.customer is None else trace.customer
    attempt = _attempts(trace.customer)
    frame = pd.DataFrame(
        {
            "replication": 0,
            "channel": np.array([c.channel for c in types], dtype=object)[t],
            "queue": np.array([c.skill for c in types], dtype=object)[t],
            "contact_type": np.array([c.name for c in types], dtype=object)[t],
            "interval": (trace.arrival_s // model.demand.interval_s).astype(np.int64),
            "outcome": trace.outcome,
            "wait_s": trace.wait_s,
            "handle_s": trace.handle_s,
            "wrapup_s": 0.0,
            "threshold_s": np.array([model.threshold_of(c) for c in types])[t],
            "attempt": 0 if attempt is None else attempt,
            "customer": customer,
        }
    )
    if (trace.segment_index >= 0).all():
        frame["segment"] = np.array([s.name for s in model.segments], dtype=object)[
            trace.segment_index
        ]
    return frame


def with_log_measures(model: Model, table: pd.DataFrame) -> pd.DataFrame:
    """The interval table with the log's measures per interval x channel x queue beside the
    simulated ones: `log_offered`, `log_answered`, ... (counts 0 where the log has none)."""
    from sim.metrics import COUNTS, contact_kpis

    keys = ["channel", "queue", "interval"]
    measures = contact_kpis(log_contacts(model), keys, model.short_abandon_s)
    measures = measures.droplevel("replication")[list(LOG_METRICS)].reset_index()
    out = table.merge(
        measures.add_prefix("log_").rename(columns=_unprefix(keys)), on=keys, how="left"
    )
    for metric in LOG_METRICS:
        if metric in COUNTS:
            out[f"log_{metric}"] = out[f"log_{metric}"].fillna(0)
    return out


def _unprefix(keys: list[str]) -> dict[str, str]:
    return {f"log_{k}": k for k in keys}


def log_summary(model: Model) -> dict:
    """summary.json's `log`: the file, its contacts and days, what was replayed from it, and
    the log's own measures per summary group (`all`, `channel=`, `queue=`, and `segment=` when
    the log gives every contact's segment): plain numbers, one sample path, no interval."""
    from sim.metrics import TIME_MEASURES, contact_kpis, kpi_groups, mixes_thresholds

    trace = model.trace
    assert trace is not None
    contacts = log_contacts(model)
    groups = {}
    for group in kpi_groups(model):
        if any(column not in contacts for column, _ in group.where):
            continue  # segments drawn, not logged
        mask = np.ones(len(contacts), dtype=bool)
        for column, value in group.where:
            mask &= contacts[column].eq(value).to_numpy()
        subset = contacts[mask]
        measures = _measures(contact_kpis(subset, [], model.short_abandon_s), len(subset))
        if mixes_thresholds(model, group.channels):
            measures.update({m: None for m in TIME_MEASURES if m in measures})
        groups[group.label] = measures
    return {
        "file": Path(trace.source).name,
        "contacts": len(trace),
        "days": int(math.ceil(model.demand.horizon_s / DAY_S)),
        "handle": trace.use_handle,
        "customers": trace.customer is not None,
        "kpis": groups,
    }


def _measures(kpis: pd.DataFrame, n: int) -> dict[str, float | None]:
    if not n:
        return {
            m: (0.0 if m in ("offered", "contained", "answered", "abandoned") else None)
            for m in LOG_METRICS
        }
    row = kpis.iloc[0]
    return {m: (float(row[m]) if np.isfinite(row[m]) else None) for m in LOG_METRICS}


# --- the report's section ------------------------------------------------------------------------

# (metric, label, kind) shown side by side, the log then the replay.
REPORT_MEASURES = (
    ("offered", "Offered", "count"),
    ("answered", "Answered", "count"),
    ("service_level", "Service level", "percent"),
    ("abandon_rate", "Abandoned", "percent"),
    ("asa_s", "ASA", "duration"),
)


def report_section(summary: Mapping[str, Any]) -> str:
    """The run report's "The log vs the replay" section (HTML) from summary.json's `log` and
    `kpis`: per group, each measure as the log had it and as replayed (mean, 95% CI). Empty
    for a run that replayed no log."""
    log = summary.get("log")
    if not log:
        return ""
    kpis = summary.get("kpis", {})
    head = "".join(
        f'<th class="num">{label}<br><span class="muted">log</span></th>'
        f'<th class="num">{label}<br><span class="muted">replay</span></th>'
        for _, label, _ in REPORT_MEASURES
    )
    rows = []
    for group, measures in log.get("kpis", {}).items():
        if group.startswith("segment="):
            continue
        replayed = kpis.get(group, {})
        cells = "".join(
            f'<td class="num">{_shown(kind, measures.get(metric))}</td>'
            f'<td class="num">{_shown(kind, (replayed.get(metric) or {}).get("mean"))}'
            f'<span class="ci">{_ci(kind, replayed.get(metric))}</span></td>'
            for metric, _, kind in REPORT_MEASURES
        )
        label = "All contacts" if group == "all" else group.replace("=", ": ")
        rows.append(
            f'<tr data-log-group="{html.escape(group)}"><th>{html.escape(label)}</th>{cells}</tr>'
        )
    what = ["arrivals, types and outcomes", "the abandoners' patience"]
    if log.get("handle"):
        what.append("the answered contacts' handle times")
    if log.get("customers"):
        what.append("customers")
    return (
        "\n<h2>The log vs the replay</h2>\n"
        f'<p class="muted">This run replayed <code>{html.escape(str(log.get("file")))}</code> '
        f"({log.get('contacts', 0):,} contacts over {log.get('days', 1)} day"
        f"{'s' * (log.get('days', 1) != 1)}). From the log: {html.escape(', '.join(what))}; "
        "drawn per replication: the patience of everyone else (beyond the wait they were "
        "logged with), front-end times not in the log"
        f"{'' if log.get('handle') else ', handle times'} and wrap-up. The log's figures are "
        "one day as it happened (same definitions, no interval); the replay's are the mean "
        "and 95% CI over replications with this roster.</p>\n"
        '<table class="kpi log-vs-replay"><thead><tr><th>Group</th>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>\n"
    )


def _shown(kind: str, value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    if kind == "percent":
        return f"{value * 100:.1f}%"
    if kind == "duration":
        if value < 600:
            return f"{value:.1f} s" if value < 100 else f"{value:,.0f} s"
        return f"{value / 60:,.1f} min"
    return f"{value:,.0f}"


def _ci(kind: str, figure: dict | None) -> str:
    low, high = ((figure or {}).get("ci95") or [None, None])[:2]
    if low is None or high is None:
        return ""
    if kind == "percent":
        return f"[{low * 100:.1f}, {high * 100:.1f}]"
    if kind == "duration":
        return f"[{_shown(kind, low)}, {_shown(kind, high)}]"
    return f"[{low:,.0f}, {high:,.0f}]"
