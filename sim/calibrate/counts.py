"""Calibration from an interval-counts report (date, interval, type, count, optional AHT).

Counts tell the arrival rates and the day-to-day busyness, and with an `aht_s` column the mean
handle time per interval; nothing about patience, segments, the handle-time distribution's
shape or who was present. The scenario still has to run, so those get stated stand-ins, listed
on the page: exponential handle times at the AHT, no abandonment, one segment, and agents
staffed to the Erlang C requirement (80% in 20 s) of each interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.calibrate.arrivals import FEW_DAYS, count_arrivals
from sim.calibrate.calibration import NO_CHANNEL, NOT_ESTIMATED, Calibration
from sim.calibrate.days import DAY_S, Days, select_days
from sim.calibrate.handle import HandleFit
from sim.calibrate.segments import segment_mix
from sim.calibrate.staffing import erlang_requirement
from sim.errors import ConfigError
from sim.model import DEFAULT_TARGET, DEFAULT_THRESHOLD_S

COUNTS_NOT_ESTIMATED = (
    "patience (no waits in a counts file: nobody abandons in the scenario)",
    "the handle-time distribution's shape (exponential at the AHT)",
    "the segment mix (one segment)",
    "the staffing present (agents staffed to the Erlang C requirement, "
    f"{DEFAULT_TARGET:.0%} in {DEFAULT_THRESHOLD_S:g} s)",
)


def counts_days(table: pd.DataFrame, spec: str | None, source: str, interval_s: float) -> Days:
    """The counts table as rows select_days takes: arrival_s from the first date."""
    starts = np.unique(table["interval_start_s"].to_numpy())
    step = np.diff(starts).min() if len(starts) > 1 else interval_s
    if step > interval_s + 1e-9:
        raise ConfigError(
            source,
            "interval",
            f"the file's intervals are {step / 60:g} minutes, longer than --interval-min "
            f"{interval_s / 60:g}; pass --interval-min {step / 60:g}",
        )
    dates = pd.to_datetime(table["date"])
    offset = (dates - dates.min()).dt.days.to_numpy() * DAY_S
    frame = table.assign(arrival_s=offset + table["interval_start_s"].to_numpy(), date=dates)
    return select_days(frame, spec)


def calibrate_counts(days: Days, source: str, interval_s: float) -> Calibration:
    frame = days.frame
    if "aht_s" not in frame.columns:
        raise ConfigError(
            source,
            "aht_s",
            "an interval-counts file needs a mean handle time column (aht_s) for a scenario "
            "that runs: the handle time cannot be estimated from counts alone",
        )
    arrivals = count_arrivals(frame, days.n, interval_s)
    n = arrivals.rates.shape[1]
    handle = {}
    aht_grid = np.zeros((len(arrivals.types), n))
    for row, name in enumerate(arrivals.types):
        rows = frame[(frame["type"] == name) & frame["aht_s"].notna() & (frame["count"] > 0)]
        if rows.empty:
            raise ConfigError(source, "aht_s", f"contact type {name!r} has no handle time given")
        weight = rows["count"].to_numpy(dtype=float)
        aht = rows["aht_s"].to_numpy(dtype=float)
        mean = float(np.average(aht, weights=weight))
        k = np.minimum((rows["tod_s"].to_numpy() // interval_s).astype(int), n - 1)
        sums = np.bincount(k, weights=aht * weight, minlength=n)
        counts = np.bincount(k, weights=weight, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            per = np.where(counts > 0, sums / counts, np.nan)
        aht_grid[row] = np.where(np.isnan(per), mean, per)
        handle[name] = HandleFit(
            int(weight.sum()), mean, np.nan, np.nan, 1.0, (), "exponential", np.array([]), per, None
        )
    notes = [] if days.n >= FEW_DAYS else [f"only {days.n} day(s): the busyness CV is a guess"]
    return Calibration(
        source=source,
        days=days,
        arrivals=arrivals,
        channels=dict.fromkeys(arrivals.types, NO_CHANNEL),
        contained=dict.fromkeys(arrivals.types, 0.0),
        front_s={},
        handle=handle,
        patience={name: {"all": None} for name in arrivals.types},
        segments=segment_mix(frame.drop(columns=["segment"], errors="ignore")),
        staffing=erlang_requirement(arrivals.rates, aht_grid, arrivals.types, interval_s),
        notes=notes,
        not_estimated=COUNTS_NOT_ESTIMATED + NOT_ESTIMATED,
    )
