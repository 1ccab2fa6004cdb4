"""Arrival rates per interval and contact type, and the day-to-day busyness.

The forecast of a calibrated scenario is the mean count per interval and type over the chosen
days, every contact that arrived included (contained by the IVR or bot, blocked, abandoned, ...:
they all reached the centre). Days differ by more than Poisson noise (a busy Monday, a quiet
Friday): ccsim models that as one gamma factor on the whole day (`busyness_cv`), and its
coefficient of variation follows from the daily totals by the method of moments: for a
Poisson-gamma day Var(N) = m + cv^2 m^2, so cv^2 = (s^2 - m) / m^2, floored at 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibrate.days import DAY_S

FEW_DAYS = 5  # below this the busyness CV is a guess: said so


@dataclass(frozen=True)
class Busyness:
    """The gamma day factor's CV with a 95% CI (from the chi-square CI of the daily totals'
    variance; the mean's own error neglected), over `days` days; None bounds: too few days."""

    cv: float
    lo: float | None
    hi: float | None
    days: int
    mean_total: float
    var_total: float


@dataclass(frozen=True)
class Arrivals:
    """`counts[day, type, interval]` on the chosen days; `rates` their mean, the forecast."""

    interval_s: float
    types: tuple[str, ...]
    counts: np.ndarray

    @property
    def days(self) -> int:
        return self.counts.shape[0]

    @property
    def rates(self) -> np.ndarray:
        return self.counts.mean(axis=0)

    def rate_ci(self) -> tuple[np.ndarray, np.ndarray]:
        """Student-t 95% CI of each interval's mean count over the days (NaN with one day)."""
        if self.days < 2:
            nan = np.full(self.rates.shape, np.nan)
            return nan, nan
        half = stats.t.ppf(0.975, self.days - 1) * self.counts.std(axis=0, ddof=1)
        half = half / math.sqrt(self.days)
        return self.rates - half, self.rates + half

    def busyness(self) -> Busyness:
        return busyness_cv(self.counts.sum(axis=(1, 2)))


def count_arrivals(frame: pd.DataFrame, n_days: int, interval_s: float) -> Arrivals:
    """Counts per day, type and interval from the rows' `day_key`, `type` and `tod_s` (each row
    one contact, or `count` contacts when the frame has that column: an interval-counts file)."""
    types = tuple(sorted(frame["type"].astype(str).unique()))
    n_intervals = int(round(DAY_S / interval_s))
    counts = np.zeros((n_days, len(types), n_intervals))
    type_index = pd.Categorical(frame["type"].astype(str), categories=types).codes
    interval = np.minimum((frame["tod_s"].to_numpy() // interval_s).astype(int), n_intervals - 1)
    weight = frame["count"].to_numpy(dtype=float) if "count" in frame.columns else 1.0
    np.add.at(counts, (frame["day_key"].to_numpy(), type_index, interval), weight)
    return Arrivals(interval_s, types, counts)


def busyness_cv(totals: np.ndarray) -> Busyness:
    """Method of moments on daily totals: cv^2 = max(0, (s^2 - m) / m^2)."""
    totals = np.asarray(totals, dtype=float)
    days = len(totals)
    m = float(totals.mean())
    if days < 2 or m <= 0:
        return Busyness(0.0, None, None, days, m, float("nan"))
    s2 = float(totals.var(ddof=1))

    def cv_of(var: float) -> float:
        return math.sqrt(max(0.0, (var - m) / m**2))

    lo_var = (days - 1) * s2 / stats.chi2.ppf(0.975, days - 1)
    hi_var = (days - 1) * s2 / stats.chi2.ppf(0.025, days - 1)
    return Busyness(cv_of(s2), cv_of(lo_var), cv_of(hi_var), days, m, s2)
