"""Random durations (handle time, wrap-up, patience), given by mean and coefficient of variation.

Planners know a mean and roughly how spread a duration is, so every family here is
parameterised that way. Each distribution draws whole numpy batches (`sample(rng, n)`): the
engine draws every contact's durations when the contact is created, which is both fast and what
keeps common random numbers intact across staffing variants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Distribution:
    """Base class: `mean` in seconds."""

    mean: float

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        raise NotImplementedError

    def survival(self, x: np.ndarray) -> np.ndarray:
        """P(duration > x), elementwise."""
        raise NotImplementedError

    def inverse_survival(self, p: np.ndarray) -> np.ndarray:
        """The duration exceeded with probability `p` (0 < p <= 1), elementwise."""
        raise NotImplementedError

    def sample_beyond(self, u: np.ndarray, beyond: np.ndarray) -> np.ndarray:
        """Durations conditioned on exceeding `beyond`, one per uniform `u` in [0, 1) (inverse
        transform on the tail: one uniform per draw, so common random numbers hold). Where the
        distribution cannot exceed `beyond` (P = 0) the duration is `beyond` itself. A replay
        draws the patience of a logged customer who waited `beyond` and was still there."""
        beyond = np.asarray(beyond, dtype=float)
        tail = self.survival(beyond)
        out = beyond.copy()
        some = tail > 0
        out[some] = np.maximum(self.inverse_survival(tail[some] * (1.0 - u[some])), beyond[some])
        return out


@dataclass(frozen=True)
class Exponential(Distribution):
    def sample(self, rng, n):
        return rng.exponential(self.mean, n)

    def survival(self, x):
        return np.exp(-np.maximum(x, 0.0) / self.mean)

    def inverse_survival(self, p):
        return -self.mean * np.log(p)


@dataclass(frozen=True)
class Deterministic(Distribution):
    def sample(self, rng, n):
        return np.full(n, float(self.mean))

    def survival(self, x):
        return (np.asarray(x, dtype=float) < self.mean).astype(float)

    def inverse_survival(self, p):
        return np.full(np.shape(p), float(self.mean))


@dataclass(frozen=True)
class Lognormal(Distribution):
    cv: float = 1.0

    def sample(self, rng, n):
        sigma2 = math.log1p(self.cv**2)
        mu = math.log(self.mean) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), n)

    def _frozen(self):
        from scipy import stats  # only a replay's conditioned patience needs it (import costs)

        sigma2 = math.log1p(self.cv**2)
        return stats.lognorm(s=math.sqrt(sigma2), scale=self.mean * math.exp(-sigma2 / 2))

    def survival(self, x):
        return self._frozen().sf(x)

    def inverse_survival(self, p):
        return self._frozen().isf(p)


@dataclass(frozen=True)
class Gamma(Distribution):
    cv: float = 1.0

    def sample(self, rng, n):
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean / shape, n)

    def _frozen(self):
        from scipy import stats  # only a replay's conditioned patience needs it (import costs)

        shape = 1.0 / self.cv**2
        return stats.gamma(a=shape, scale=self.mean / shape)

    def survival(self, x):
        return self._frozen().sf(x)

    def inverse_survival(self, p):
        return self._frozen().isf(p)


@dataclass(frozen=True)
class Empirical(Distribution):
    """Resamples observed durations (with replacement): for handle times taken from a log."""

    values: tuple[float, ...] = ()

    def sample(self, rng, n):
        return rng.choice(np.asarray(self.values, dtype=float), n)

    def survival(self, x):
        values = np.sort(np.asarray(self.values, dtype=float))
        return 1.0 - np.searchsorted(values, x, side="right") / len(values)

    def inverse_survival(self, p):
        """The observed values, largest last: p in (k/n, (k+1)/n] gives the (k+1)-th largest,
        so a uniform p over (0, P(> x)] picks each observed value above x equally often."""
        values = np.sort(np.asarray(self.values, dtype=float))
        n = len(values)
        index = np.floor(n * (1.0 - np.asarray(p, dtype=float))).astype(int)
        return values[np.clip(index, 0, n - 1)]


@dataclass(frozen=True)
class Survival(Distribution):
    """A duration given by its survival curve P(T > t): points `(times[i], levels[i])`, linear
    between them and from (0, 1), then an exponential tail of mean `tail_mean` past the last
    point. This is how a patience estimated by Kaplan-Meier from censored waits is written
    (`sim.calibrate.patience`): the curve where enough customers were still waiting to measure
    it, a fitted exponential beyond. Drawn by inverting the curve, one uniform per contact."""

    times: tuple[float, ...] = ()
    levels: tuple[float, ...] = ()
    tail_mean: float = 0.0

    def _curve(self) -> tuple[np.ndarray, np.ndarray]:
        return np.concatenate(([0.0], self.times)), np.concatenate(([1.0], self.levels))

    def sample(self, rng, n):
        return self.inverse_survival(1.0 - rng.random(n))  # uniforms in (0, 1]

    def survival(self, x):
        t, s = self._curve()
        x = np.asarray(x, dtype=float)
        out = np.interp(x, t, s)
        past = x > t[-1]
        if past.any():
            out[past] = s[-1] * np.exp(-(x[past] - t[-1]) / self.tail_mean) if s[-1] > 0 else 0.0
        return out

    def inverse_survival(self, p):
        t, s = self._curve()
        p = np.asarray(p, dtype=float)
        out = np.interp(p, s[::-1], t[::-1])
        tail = p < s[-1]
        if tail.any():
            out[tail] = t[-1] + self.tail_mean * np.log(s[-1] / p[tail])
        return out


def survival_mean(times: tuple[float, ...], levels: tuple[float, ...], tail_mean: float) -> float:
    """The mean of a `Survival`: the area under its curve (trapezoids, then the tail's)."""
    t = np.concatenate(([0.0], times))
    s = np.concatenate(([1.0], levels))
    return float(np.sum((t[1:] - t[:-1]) * (s[1:] + s[:-1]) / 2) + s[-1] * tail_mean)


# Families by config name, with the parameters each one needs besides `dist`.
FAMILIES: dict[str, tuple[type[Distribution], tuple[str, ...]]] = {
    "exponential": (Exponential, ("mean",)),
    "deterministic": (Deterministic, ("mean",)),
    "lognormal": (Lognormal, ("mean", "cv")),
    "gamma": (Gamma, ("mean", "cv")),
    "empirical": (Empirical, ("file",)),
    "survival": (Survival, ()),  # `points` or `file`, and `tail_mean`: see sim.inputs.config
}
