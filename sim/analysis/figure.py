"""A figure over replications: its mean and 95% confidence interval, computed, stored and read back one way.

Every figure in summary.json has the shape `{"mean": m, "ci95": [low, high]}` (null where
unknown). `Figure` is that shape in code: `Figure.of(values, bounds)` computes it from the
per-replication values (a Student t interval over replications, cut to what the quantity can
take: a share to [0, 1], a count or a duration to [0, inf)), `to_json` writes it and
`from_json` reads it back, so the summary's writers and its readers (the verdict, the pages,
the sweep) cannot disagree on the format."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from sim.analysis.student_t import t_quantile, t_quantiles

# Every measure is a count, a duration or a share: its CI is cut to the values it can take.
SHARES = {"service_level", "abandon_rate", "block_rate", "occupancy"}


def mean_ci(
    values: npt.ArrayLike, bounds: tuple[float, float] | None = None
) -> tuple[float, float, float]:
    """Mean and the 95% Student-t interval over replications (NaN replications left out; the
    interval is NaN with fewer than two), cut to `bounds` when given."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return np.nan, np.nan, np.nan
    mean = float(v.mean())
    if len(v) < 2:
        return mean, np.nan, np.nan
    half = float(t_quantile(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return mean, low, high


def bounds_of(metric: str) -> tuple[float, float]:
    return (0.0, 1.0) if metric in SHARES else (0.0, np.inf)


def mean_ci_frame(per_rep: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """`mean_ci` for every column at once, grouped by `by`: columns m, m_lo, m_hi."""
    grouped = per_rep.groupby(by, observed=True, sort=False)
    mean, std, count = grouped.mean(), grouped.std(ddof=1), grouped.count()
    quantile = pd.DataFrame(
        t_quantiles(0.975, count.to_numpy() - 1), index=count.index, columns=count.columns
    )
    with np.errstate(invalid="ignore"):
        half = quantile * std / count.pow(0.5)
    out = {}
    for column in per_rep.columns.drop(by):
        low, high = bounds_of(column)
        out[column] = mean[column]
        out[f"{column}_lo"] = (mean[column] - half[column]).clip(lower=low)
        out[f"{column}_hi"] = (mean[column] + half[column]).clip(upper=high)
    return pd.DataFrame(out)


@dataclass(frozen=True)
class Figure:
    """A mean over replications with its 95% CI; NaN where unknown (no replication had the
    quantity, or fewer than two for the interval)."""

    mean: float
    low: float = math.nan
    high: float = math.nan

    @classmethod
    def of(cls, values: npt.ArrayLike, bounds: tuple[float, float] | None = None) -> Figure:
        """From per-replication values (NaN replications left out), the CI cut to `bounds`."""
        return cls(*mean_ci(values, bounds))

    @classmethod
    def pooled(
        cls,
        numerators: pd.Series | np.ndarray,
        denominators: pd.Series | np.ndarray,
        bounds: tuple[float, float] | None = None,
    ) -> Figure:
        """A ratio pooled over replications (`pooled_ci`)."""
        return cls(*pooled_ci(numerators, denominators, bounds))

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Figure:
        """A summary.json figure read back; a missing or null one is unknown."""
        data = data or {}
        low, high = (list(data.get("ci95") or []) + [None, None])[:2]
        return cls(as_float(data.get("mean")), as_float(low), as_float(high))

    def to_json(self, digits: int | None = None) -> dict[str, Any]:
        """summary.json's shape; NaN and infinities as null. `digits`: rounded to that many
        decimals (the workforce section's hours and counts)."""
        return {
            "mean": _json(self.mean, digits),
            "ci95": [_json(self.low, digits), _json(self.high, digits)],
        }

    @property
    def known(self) -> bool:
        return math.isfinite(self.mean)

    @property
    def has_ci(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)


UNDEFINED = Figure(math.nan)  # a figure that has no meaning for its group (null in the summary)


def as_float(value: object) -> float:
    """A number read from a file: NaN unless it is one (None, text, a missing cell)."""
    return float(value) if isinstance(value, int | float) else math.nan


def _json(x: float, digits: int | None) -> float | None:
    if x is None or not np.isfinite(x):
        return None
    return float(x) if digits is None else round(float(x), digits)


def pooled_ci(
    numerators: np.ndarray | pd.Series,
    denominators: np.ndarray | pd.Series,
    bounds: tuple[float, float] | None = None,
) -> tuple[float, float, float]:
    """A ratio pooled over replications, as an ACD report pools the days it covers (sum of
    numerators / sum of denominators: the ratio of means, not the mean of ratios), with its
    95% CI by the delta method: var(R) = s^2 / (n mean(y)^2), where s^2 is the sample
    variance of x_r - R y_r over the n replications. Replications with no denominator count
    (they are days too); NaN numerators are left out with their denominators."""
    x = np.asarray(numerators, dtype=float)
    y = np.asarray(denominators, dtype=float)
    keep = ~np.isnan(x) & ~np.isnan(y)
    x, y = x[keep], y[keep]
    total = y.sum()
    if len(y) == 0 or total <= 0:
        return np.nan, np.nan, np.nan
    ratio = float(x.sum() / total)
    n = len(y)
    if n < 2:
        return ratio, np.nan, np.nan
    residual = x - ratio * y
    half = float(t_quantile(0.975, n - 1) * np.sqrt(residual.var(ddof=1) / n) / (total / n))
    low, high = ratio - half, ratio + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return ratio, low, high


def pooled_ci_frame(
    per_rep: pd.DataFrame, by: list[str], ratios: Mapping[str, tuple[str, str]]
) -> pd.DataFrame:
    """`pooled_ci` for every ratio at once, grouped by `by` (one row per group and
    replication in `per_rep`): columns m, m_lo, m_hi. The residual variance comes from the
    groups' sums: sum (x - R y)^2 = sum x^2 - 2 R sum xy + R^2 sum y^2."""
    out = {}
    for measure, (num, den) in ratios.items():
        x = per_rep[num].astype(float)
        y = per_rep[den].astype(float)
        parts = pd.DataFrame({"x": x, "y": y, "xx": x * x, "xy": x * y, "yy": y * y})
        sums = parts.groupby([per_rep[k] for k in by], observed=True, sort=False).sum()
        n = per_rep.groupby(by, observed=True, sort=False).size().astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = sums["x"] / sums["y"].where(sums["y"] > 0)
            square = sums["xx"] - 2 * ratio * sums["xy"] + ratio**2 * sums["yy"]
            spread = square.clip(lower=0) / (n - 1)
            quantile = pd.Series(t_quantiles(0.975, (n - 1).to_numpy()), index=n.index)
            half = quantile * np.sqrt(spread / n) / (sums["y"] / n)
        low, high = bounds_of(measure)
        out[measure] = ratio
        out[f"{measure}_lo"] = (ratio - half).clip(lower=low)
        out[f"{measure}_hi"] = (ratio + half).clip(upper=high)
    return pd.DataFrame(out)
