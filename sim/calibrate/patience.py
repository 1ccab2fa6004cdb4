"""Patience from censored waits: Kaplan-Meier with an exponential tail.

A customer's patience is seen only when they abandon (the wait is the patience); an answered
customer (or one still waiting at the end) only tells us the patience was longer than the wait:
right-censored. Kaplan-Meier estimates the survival curve P(patience > t) from both, with
Greenwood's variance for its confidence band. Where few customers are still waiting (the far
right of the curve) it is noise, so, as Brown et al. (2005, JASA, "Statistical analysis of a
telephone call center") do, the curve is kept only while at least `MIN_AT_RISK` customers are
at risk, and past that point an exponential tail is fitted on the hazard seen there. The
exponential MLE over the whole sample (abandons / total time waited) is reported beside it:
it is the textbook Erlang A patience.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.distributions import survival_mean

MIN_AT_RISK = 50  # the curve is trusted while at least this many are still waiting
Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class KaplanMeier:
    """The Kaplan-Meier curve at its event times, with Greenwood's 95% band (log-log)."""

    times: np.ndarray
    survival: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray

    def at(self, t: float | np.ndarray) -> np.ndarray:
        """S(t) of the step function (right-continuous), and likewise for lo and hi."""
        k = np.searchsorted(self.times, np.asarray(t, dtype=float), side="right") - 1
        pad = np.concatenate(([1.0], self.survival))
        return pad[k + 1]

    def band_at(self, t: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        k = np.searchsorted(self.times, np.asarray(t, dtype=float), side="right") - 1
        return np.concatenate(([1.0], self.lo))[k + 1], np.concatenate(([1.0], self.hi))[k + 1]


def kaplan_meier(durations: np.ndarray, observed: np.ndarray) -> KaplanMeier:
    """Kaplan-Meier from `durations` (waits) and `observed` (True: abandoned at that wait, False:
    censored there). Ties: events at t happen before censoring at t (the usual convention)."""
    durations = np.asarray(durations, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    ordered = np.sort(durations)
    times, events = np.unique(durations[observed], return_counts=True)
    at_risk = len(ordered) - np.searchsorted(ordered, times, side="left")
    factors = 1.0 - events / at_risk
    survival = np.cumprod(factors)
    with np.errstate(divide="ignore", invalid="ignore"):
        greenwood = np.cumsum(events / (at_risk * (at_risk - events)))
        log_s = np.log(survival)
        se = np.sqrt(greenwood) / np.abs(log_s)  # of log(-log S)
        lo = survival ** np.exp(Z95 * se)
        hi = survival ** np.exp(-Z95 * se)
    gone = survival <= 0
    lo = np.where(gone | np.isnan(lo), 0.0, lo)
    hi = np.where(np.isnan(hi), np.where(gone, 0.0, 1.0), hi)
    return KaplanMeier(times, survival, lo, hi, at_risk, events)


@dataclass(frozen=True)
class ExponentialFit:
    """The exponential patience by maximum likelihood on censored data: rate = abandons / time
    waited by everyone; its 95% CI from the chi-square law of the abandons (2 d rate / rate^ ~
    chi2(2 d), approximately)."""

    mean: float
    lo: float
    hi: float
    abandons: int
    exposure_s: float


def exponential_mle(durations: np.ndarray, observed: np.ndarray) -> ExponentialFit | None:
    """None when nobody abandoned (no finite patience to estimate)."""
    d = int(np.sum(observed))
    exposure = float(np.sum(durations))
    if d == 0 or exposure <= 0:
        return None
    mean = exposure / d
    lo = 2 * exposure / stats.chi2.ppf(0.975, 2 * d)
    hi = 2 * exposure / stats.chi2.ppf(0.025, 2 * d)
    return ExponentialFit(mean, float(lo), float(hi), d, exposure)


@dataclass(frozen=True)
class PatienceFit:
    """One contact type's (and segment's) patience: the curve written into the scenario (the
    Kaplan-Meier points up to `cutoff_s`, then an exponential tail of mean `tail_mean`), the
    full Kaplan-Meier curve and the exponential MLE beside it. `points` empty: too few
    customers ever waited to draw a curve; the scenario gets the exponential MLE instead."""

    n: int
    abandons: int
    km: KaplanMeier
    cutoff_s: float
    points: tuple[tuple[float, float], ...]
    tail_mean: float
    exponential: ExponentialFit

    @property
    def mean(self) -> float:
        """The mean of the written distribution."""
        if not self.points:
            return self.exponential.mean
        times = tuple(t for t, _ in self.points)
        return survival_mean(times, tuple(s for _, s in self.points), self.tail_mean)

    def written_survival(self, t: np.ndarray) -> np.ndarray:
        """S(t) of the written distribution (linear between points, then the tail)."""
        t = np.asarray(t, dtype=float)
        if not self.points:
            return np.exp(-t / self.exponential.mean)
        pt = np.array([0.0] + [p[0] for p in self.points])
        ps = np.array([1.0] + [p[1] for p in self.points])
        out = np.interp(t, pt, ps)
        past = t > pt[-1]
        out[past] = ps[-1] * np.exp(-(t[past] - pt[-1]) / self.tail_mean)
        return out


def fit_patience(
    durations: np.ndarray, observed: np.ndarray, min_at_risk: int = MIN_AT_RISK
) -> PatienceFit | None:
    """Kaplan-Meier up to the last abandonment with at least `min_at_risk` still waiting, an
    exponential tail past it (its mean: time waited past the cutoff / abandons past it; the
    whole sample's exponential MLE when nobody abandoned past it). None: nobody abandoned."""
    durations = np.asarray(durations, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    exponential = exponential_mle(durations, observed)
    if exponential is None:
        return None
    km = kaplan_meier(durations, observed)
    trusted = np.flatnonzero(km.at_risk >= min_at_risk)
    if len(trusted) == 0 or km.survival[trusted[-1]] <= 0:
        return PatienceFit(
            len(durations), exponential.abandons, km, 0.0, (), exponential.mean, exponential
        )
    last = int(trusted[-1])
    cutoff = float(km.times[last])
    beyond = durations > cutoff
    tail_events = int(np.sum(observed & beyond))
    tail_exposure = float(np.sum(durations[beyond] - cutoff))
    tail_mean = tail_exposure / tail_events if tail_events else exponential.mean
    # An abandonment at a wait of 0 s is drawn a millisecond later (the curve starts at (0, 1)).
    points = tuple(
        (max(float(t), 1e-3), float(s))
        for t, s in zip(km.times[: last + 1], km.survival[: last + 1], strict=True)
    )
    return PatienceFit(
        len(durations), exponential.abandons, km, cutoff, points, tail_mean, exponential
    )
