"""A calibration's estimates as plain data: everything the calibration page shows.

The page (`sim.pages.calibration`) draws each estimate against the data it came from: the
arrivals of every chosen day, the handle-time sample against the fitted densities, the
Kaplan-Meier curve against the curve written, the staffing seen against the roster written.
The estimator (`sim.calibrate`, an application above the pages) fills this type
(`sim.calibrate.view.view_of`); the page imports nothing of it.

Why a type here and not calibration.json: the file holds the estimates and their CIs, for
scripts, but not the data the figures draw (the handle sample, the Kaplan-Meier steps, every
day's counts and staffing); writing those into it would bloat the file users read. Here they
are arrays and curves (a fitted density, the written survival, as functions of t), so a test
can build a page from a few hand-made numbers without running an estimator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Curve = Callable[[np.ndarray], np.ndarray]  # values at the given points


@dataclass(frozen=True)
class ArrivalCounts:
    """`counts[day, type, interval]` on the chosen days; `rates` their mean (the forecast
    written) with its 95% CI (`lo`, `hi`: NaN with one day)."""

    types: tuple[str, ...]
    counts: np.ndarray
    rates: np.ndarray
    lo: np.ndarray
    hi: np.ndarray


@dataclass(frozen=True)
class FittedFamily:
    family: str  # lognormal, gamma or exponential
    aic: float
    ks_p: float
    pdf: Curve
    cdf: Curve


@dataclass(frozen=True)
class HandleEstimate:
    """One contact type's handle time: the sample, its mean with CI, the fitted families and
    the one written (`chosen`: a family, or `empirical` for the sample itself)."""

    type: str
    channel: str
    per_day: float  # contacts of the type a day (the forecast's total)
    contained: float  # share resolved by the IVR or bot
    n: int
    mean: float
    mean_lo: float  # NaN: the AHT was given, not estimated
    mean_hi: float
    cv: float
    chosen: str
    sample: np.ndarray
    fits: tuple[FittedFamily, ...]
    aht_varies: bool  # the AHT is written per interval
    aht_p: float | None  # Kruskal-Wallis p across hours (None: fewer than two full hours)


@dataclass(frozen=True)
class PatienceEstimate:
    """One type's (and segment's) patience: the Kaplan-Meier curve with its Greenwood band,
    the curve written (`written`: S(t)) and the exponential MLE. `curve` False: too few ever
    waited for a curve; the exponential MLE is written."""

    type: str
    segment: str  # a segment, or "all"
    n: int
    abandons: int
    km_times: np.ndarray
    km_survival: np.ndarray
    km_lo: np.ndarray
    km_hi: np.ndarray
    curve: bool
    cutoff_s: float
    tail_mean: float
    mean: float  # of the distribution written
    written: Curve
    exponential_mean: float
    exponential_lo: float
    exponential_hi: float


@dataclass(frozen=True)
class NeverAbandons:
    """A type (and segment) nobody abandoned: it never abandons in the scenario."""

    type: str
    segment: str


@dataclass(frozen=True)
class StaffingPool:
    """Agents holding the same skills: present per interval on each day, their mean, and what
    the roster written puts on duty."""

    name: str
    skills: tuple[str, ...]
    per_day: np.ndarray  # [day, interval]
    presence: np.ndarray
    written: np.ndarray


@dataclass(frozen=True)
class CalibrationView:
    source: str  # the log's file
    days_described: str  # which days were chosen ("every weekday of the log")
    day_labels: tuple[str, ...]
    interval_s: float
    busyness_cv: float
    busyness_lo: float | None
    busyness_hi: float | None
    busyness_days: int
    arrivals: ArrivalCounts
    handle: tuple[HandleEstimate, ...]  # per type, in the types' order
    patience: tuple[PatienceEstimate | NeverAbandons, ...]
    segments: tuple[str, ...]
    segment_shares: dict[str, dict[str, float]]  # type -> segment -> share
    staffing_method: str
    staffing: tuple[StaffingPool, ...]
    notes: tuple[str, ...] = ()
    not_estimated: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_days(self) -> int:
        return len(self.day_labels)
