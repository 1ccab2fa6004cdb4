"""Handle time per contact type: a fitted family or the observed sample, and AHT over the day.

Each family (lognormal, gamma, exponential; location fixed at 0) is fitted by maximum
likelihood and the one with the lowest AIC is kept if a Kolmogorov-Smirnov test does not reject
it (p >= `KS_REJECT`); otherwise the sample itself is written and resampled (`empirical`). The
distribution is written as ccsim takes it: mean and CV; the mean is the sample mean (the
workload the agents carried), the CV the fitted family's.

Handle time often changes over the day (night shifts slower, a morning of simple order calls).
When the hourly samples differ (Kruskal-Wallis p < `AHT_P`) by a margin that matters (hourly
means spread over more than `AHT_SPREAD` of the mean), the forecast gets a `<type>_aht` column:
the mean per interval where `AHT_MIN_N` contacts or more were handled, the shape fitted on the
handle times divided by their interval's mean.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

KS_REJECT = 0.01
AHT_P = 0.001
AHT_SPREAD = 0.10
AHT_MIN_N = 10
HOUR_MIN_N = 30
FAMILIES = ("lognormal", "gamma", "exponential")


@dataclass(frozen=True)
class FamilyFit:
    family: str
    mean: float
    cv: float
    aic: float
    ks_p: float
    frozen: object  # scipy's frozen distribution, for the page's curves


@dataclass(frozen=True)
class HandleFit:
    """One type's handle time: `chosen` is a family name or `empirical`; `sample` the values the
    fit used (divided by their interval's AHT and times the mean when `aht` is given)."""

    n: int
    mean: float
    mean_lo: float
    mean_hi: float
    cv: float
    fits: tuple[FamilyFit, ...]
    chosen: str
    sample: np.ndarray
    aht: np.ndarray | None  # per interval of the day, NaN: too few handled there
    aht_p: float | None  # Kruskal-Wallis p across hours (None: fewer than two full hours)

    @property
    def chosen_fit(self) -> FamilyFit | None:
        return next((f for f in self.fits if f.family == self.chosen), None)


def fit_family(x: np.ndarray, family: str) -> FamilyFit:
    """Maximum likelihood with location 0; AIC and the KS p-value against the data."""
    if family == "lognormal":
        s, _, scale = stats.lognorm.fit(x, floc=0)
        frozen = stats.lognorm(s, 0, scale)
        cv, k = math.sqrt(math.expm1(s**2)), 2
    elif family == "gamma":
        a, _, scale = stats.gamma.fit(x, floc=0)
        frozen = stats.gamma(a, 0, scale)
        cv, k = 1 / math.sqrt(a), 2
    else:
        _, scale = stats.expon.fit(x, floc=0)
        frozen = stats.expon(0, scale)
        cv, k = 1.0, 1
    loglik = float(np.sum(frozen.logpdf(x)))
    ks_p = float(stats.kstest(x, frozen.cdf).pvalue)
    return FamilyFit(family, float(frozen.mean()), cv, 2 * k - 2 * loglik, ks_p, frozen)


def choose(fits: tuple[FamilyFit, ...]) -> str:
    """The lowest AIC, unless the KS test rejects it: then the sample itself."""
    best = min(fits, key=lambda f: f.aic)
    return best.family if best.ks_p >= KS_REJECT else "empirical"


def fit_handle(handle_s: np.ndarray, tod_s: np.ndarray, interval_s: float) -> HandleFit:
    """`handle_s` of answered contacts (> 0) and their arrival time of day."""
    x = np.asarray(handle_s, dtype=float)
    tod = np.asarray(tod_s, dtype=float)
    n = len(x)
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else 0.0
    half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n) if n > 1 else math.nan
    aht, p = _aht_over_day(x, tod, interval_s)
    shape = x
    if aht is not None:
        per = aht[np.minimum((tod // interval_s).astype(int), len(aht) - 1)]
        per = np.where(np.isnan(per), mean, per)
        shape = x / per * mean
    fits = tuple(fit_family(shape, f) for f in FAMILIES)
    return HandleFit(
        n, mean, mean - half, mean + half, sd / mean, fits, choose(fits), shape, aht, p
    )


def _aht_over_day(x: np.ndarray, tod: np.ndarray, interval_s: float):
    """The per-interval mean when the hours differ (see the module), else None; and the p."""
    hours = (tod // 3600).astype(int)
    groups = [x[hours == h] for h in np.unique(hours)]
    groups = [g for g in groups if len(g) >= HOUR_MIN_N]
    if len(groups) < 2:
        return None, None
    p = float(stats.kruskal(*groups).pvalue)
    means = np.array([g.mean() for g in groups])
    if not (p < AHT_P and (means.max() - means.min()) / x.mean() > AHT_SPREAD):
        return None, p
    n_intervals = int(round(86400 / interval_s))
    k = np.minimum((tod // interval_s).astype(int), n_intervals - 1)
    sums = np.bincount(k, weights=x, minlength=n_intervals)
    counts = np.bincount(k, minlength=n_intervals)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = np.where(counts >= AHT_MIN_N, sums / counts, np.nan)
    return aht, p
