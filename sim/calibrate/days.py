"""Which days of a log to calibrate on: all, weekdays, weekends, days of the week or dates.

A scenario is one kind of day, so the log's days are filtered first ("Tuesdays", "the three
days before Double 11"). Day-of-week and date filters need calendar dates, i.e. a log whose
`arrival` held timestamps; a log of plain seconds only knows day numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.errors import ConfigError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_S = 86400.0


@dataclass(frozen=True)
class Days:
    """The log's rows on the chosen days, each with `day_key` (0..n_days-1) and `tod_s` (seconds
    from that day's midnight), and a label of each day."""

    frame: pd.DataFrame
    labels: tuple[str, ...]
    described: str

    @property
    def n(self) -> int:
        return len(self.labels)


def select_days(frame: pd.DataFrame, spec: str | None, day_column: str | None = None) -> Days:
    """Keep the rows of the days `spec` names (None or `all`: every day; `weekday`, `weekend`;
    `mon,tue,...`; `2026-11-02,2026-11-03`). `day_column` (e.g. `replication` of a ccsim
    contacts.parquet) numbers separate days whose times all start from the same midnight."""
    frame = frame.copy()
    frame["tod_s"] = frame["arrival_s"].to_numpy(dtype=float) % DAY_S
    base = (frame["arrival_s"].to_numpy(dtype=float) // DAY_S).astype(np.int64)
    if day_column is not None:
        if day_column not in frame.columns:
            raise ConfigError("--day-column", day_column, "no such column in the log")
        groups = frame.assign(_base=base).groupby([day_column, "_base"], sort=True)
        frame["day_key"] = groups.ngroup().to_numpy()
        keys = groups.size().index  # (day_column value, day of its clock), in ngroup order
        labels = [f"{day_column} {a}" + (f" day {b}" if b else "") for a, b in keys.to_list()]
    else:
        frame["day_key"] = base
        labels = _labels(frame, base)
        frame["day_key"] = pd.factorize(base, sort=True)[0]
    keep, described = _chosen(frame, spec, labels)
    frame = frame[keep]
    if frame.empty:
        raise ConfigError("--days", str(spec), "no contacts in the log on the chosen days")
    kept_keys, frame_keys = np.unique(frame["day_key"].to_numpy(), return_inverse=True)
    frame = frame.assign(day_key=frame_keys).reset_index(drop=True)
    return Days(frame, tuple(labels[k] for k in kept_keys), described)


def _labels(frame: pd.DataFrame, base: np.ndarray) -> list[str]:
    """Each day's date when the log has dates, else `day N`, in the order of the day numbers."""
    days = np.unique(base)
    if "date" not in frame.columns:
        return [f"day {d}" for d in days]
    first = pd.Series(frame["date"].to_numpy()).groupby(base).first()
    return [str(pd.Timestamp(first[d]).date()) for d in days]


def _chosen(frame: pd.DataFrame, spec: str | None, labels: list[str]) -> tuple[np.ndarray, str]:
    if spec is None or spec.strip().lower() in ("", "all"):
        return np.ones(len(frame), dtype=bool), "every day of the log"
    text = spec.strip().lower()
    items = [s.strip() for s in text.split(",") if s.strip()]
    if "date" not in frame.columns:
        raise ConfigError(
            "--days",
            spec,
            "day-of-week and date filters need calendar dates: the log's `arrival` holds plain "
            "seconds; use `all`",
        )
    dates = pd.to_datetime(frame["date"])
    if text in ("weekday", "weekdays"):
        return (dates.dt.day_of_week < 5).to_numpy(), "weekdays (Mon-Fri)"
    if text in ("weekend", "weekends"):
        return (dates.dt.day_of_week >= 5).to_numpy(), "weekends (Sat, Sun)"
    if all(item in WEEKDAYS for item in items):
        wanted = [WEEKDAYS.index(item) for item in items]
        return dates.dt.day_of_week.isin(wanted).to_numpy(), "days of the week " + ", ".join(items)
    chosen = []
    for item in items:
        try:
            chosen.append(dt.date.fromisoformat(item))
        except ValueError:
            raise ConfigError(
                "--days",
                item,
                "not a day filter; use all, weekday, weekend, days of the week (mon,tue,...) "
                "or dates (2026-11-02,2026-11-03)",
            ) from None
    return dates.dt.date.isin(chosen).to_numpy(), "dates " + ", ".join(map(str, chosen))
