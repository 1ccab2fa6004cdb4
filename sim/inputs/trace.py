"""Replaying a contact log: the centre's own history as the arrivals, instead of a forecast.

A scenario with `trace: {file: LOG}` takes its contacts from the log (`sim.inputs.contact_log`): every
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
measures, computed with the KPI definitions (`sim.analysis.kpis.contact_kpis`) from its waits and
outcomes, go beside the simulated ones: `log_*` columns of intervals.csv, `log` in
summary.json, and a section of the report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from sim.clock import DAY_S
from sim.errors import ConfigError, check_keys, expect_mapping
from sim.inputs.contact_log import parse_map, read_log
from sim.inputs.files import FileFinder
from sim.inputs.forecast import handle_factors
from sim.model import ContactType, Demand, Segment, Trace
from sim.records import ANSWERED, CONTAINED

WHERE = "scenario.trace"
TRACE_KEYS = {"file", "handle", "customers", "map"}


# --- the scenario's `trace` -> the model's Trace and Demand --------------------------------------


def read_trace(
    spec: object,
    scenario: Mapping[str, Any],
    types: tuple[ContactType, ...],
    segments: tuple[Segment, ...],
    interval_s: float,
    horizon_s: float | None,
    files: FileFinder,
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
    """The normalised log (`sim.inputs.contact_log.ContactLog.frame`) as a Trace of this scenario's
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


# --- the log's own measures ----------------------------------------------------------------------


# --- the report's section ------------------------------------------------------------------------
