"""Student t quantiles, for confidence intervals, without importing scipy.

Every run puts a 95% Student-t interval on every figure, and the sweep compares variants with
Welch's interval (a fractional number of degrees of freedom). `scipy.stats` would do it, but
importing it costs more than simulating a day, so the quantile is computed here: the t
distribution's tail is a regularized incomplete beta function, I_x(dof/2, 1/2) / 2 at
x = dof / (dof + t^2), evaluated by its continued fraction (Lentz's method; Numerical Recipes
section 6.4) and inverted by Newton steps kept inside a bracket. Beyond 10,000 degrees of
freedom the Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5) takes over; its first
neglected term is below 1e-15 there. Checked against scipy to 1e-10 relative in the tests.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

_EXPANSION_FROM = 1e4  # degrees of freedom from which the asymptotic expansion is used
_TOLERANCE = 1e-14
_MAX_TERMS = 10_000  # continued-fraction terms; about sqrt(dof) are needed below 1e4


@lru_cache(maxsize=4096)
def t_quantile(p: float, dof: float) -> float:
    """The `p` quantile of Student's t with `dof` (> 0, any real; inf: the normal) degrees of
    freedom; NaN when dof is not positive or p is outside (0, 1)."""
    if not (0.0 < p < 1.0) or not dof > 0:  # also NaN
        return math.nan
    if p == 0.5:
        return 0.0
    if p < 0.5:  # by symmetry, from the lower tail's probability itself (no 1 - p rounding)
        return -_upper_quantile(p, dof)
    return _upper_quantile(1.0 - p, dof)


def _upper_quantile(tail: float, dof: float) -> float:
    """The t > 0 with P(T > t) = tail (< 1/2)."""
    z = -NormalDist().inv_cdf(tail)
    if dof >= _EXPANSION_FROM:
        return _cornish_fisher(z, dof)
    if dof == 1.0:
        return 1.0 / math.tan(math.pi * tail)
    if dof == 2.0:
        return (1 - 2 * tail) / math.sqrt(2 * tail * (1 - tail))
    return _inverted_tail(tail, dof, z)


def t_quantiles(p: float, dofs: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """`t_quantile(p, dof)` for every entry of `dofs` (NaN where dof is not positive)."""
    degrees = np.asarray(dofs, dtype=float)
    values, inverse = np.unique(degrees, return_inverse=True)  # few distinct counts in practice
    quantiles = np.array([t_quantile(p, float(v)) for v in values])
    return quantiles[inverse].reshape(degrees.shape)


def _cornish_fisher(z: float, dof: float) -> float:
    """A&S 26.7.5: the t quantile from the normal one, in powers of 1/dof."""
    z2 = z * z
    g1 = z * (z2 + 1) / 4
    g2 = z * ((5 * z2 + 16) * z2 + 3) / 96
    g3 = z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384
    g4 = z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92160
    return z + (g1 + (g2 + (g3 + g4 / dof) / dof) / dof) / dof


def upper_tail(t: float, dof: float) -> float:
    """P(T > t) for t >= 0: I_x(dof/2, 1/2) / 2 with x = dof / (dof + t^2)."""
    t2 = t * t
    return 0.5 * _incomplete_beta(dof / 2, 0.5, dof / (dof + t2), t2 / (dof + t2))


def _density(t: float, dof: float) -> float:
    log_norm = math.lgamma((dof + 1) / 2) - math.lgamma(dof / 2) - 0.5 * math.log(dof * math.pi)
    return math.exp(log_norm - (dof + 1) / 2 * math.log1p(t * t / dof))


def _inverted_tail(tail: float, dof: float, start: float) -> float:
    """The t > 0 with upper_tail(t) = tail: Newton steps from `start`, bisecting whenever a
    step would leave the bracket [low, high] known to hold the root."""
    low, high = 0.0, max(start, 1.0)
    while upper_tail(high, dof) > tail:  # heavy tails: the root lies beyond the normal's
        low, high = high, 2 * high
    t = min(max(start, low), high)
    for _ in range(200):
        excess = upper_tail(t, dof) - tail  # decreasing in t
        if excess > 0:
            low = t
        else:
            high = t
        step = excess / _density(t, dof)
        candidate = t + step
        if not low < candidate < high:
            candidate = (low + high) / 2
        if abs(candidate - t) <= _TOLERANCE * candidate:
            return candidate
        t = candidate
    return t


def _incomplete_beta(a: float, b: float, x: float, y: float) -> float:
    """Regularized incomplete beta I_x(a, b), with y = 1 - x given exactly by the caller."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, y) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) by the modified Lentz method."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, _MAX_TERMS):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
            -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            delta = c * d
            h *= delta
        if abs(delta - 1.0) < _TOLERANCE:
            return h
    return h
