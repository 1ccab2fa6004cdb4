"""A replayed log's own measures, beside the simulated ones (same names, same definitions).

The log's waits and outcomes go through the same KPI definitions as the simulation's records
(`sim.analysis.kpis.contact_kpis`): `log_*` columns of intervals.csv and `log` in summary.json."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.kpis import COUNTS, TIME_MEASURES, contact_kpis, kpi_groups, mixes_thresholds
from sim.clock import DAY_S
from sim.model import Model

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


def log_contacts(model: Model) -> pd.DataFrame:
    """The log as a contacts table (the columns `sim.analysis.kpis.contact_kpis` reads), so its
    measures follow the very definitions of the simulated ones. Wrap-up is not logged: 0."""
    trace = model.trace
    assert trace is not None
    types = model.contact_types
    t = trace.type_index
    customer = np.arange(len(trace)) if trace.customer is None else trace.customer
    attempt = trace.attempts()
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


def log_summary(model: Model) -> dict[str, Any]:
    """summary.json's `log`: the file, its contacts and days, what was replayed from it, and
    the log's own measures per summary group (`all`, `channel=`, `queue=`, and `segment=` when
    the log gives every contact's segment): plain numbers, one sample path, no interval."""
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
