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


@dataclass(frozen=True)
class Exponential(Distribution):
    def sample(self, rng, n):
        return rng.exponential(self.mean, n)


@dataclass(frozen=True)
class Deterministic(Distribution):
    def sample(self, rng, n):
        return np.full(n, float(self.mean))


@dataclass(frozen=True)
class Lognormal(Distribution):
    cv: float = 1.0

    def sample(self, rng, n):
        sigma2 = math.log1p(self.cv**2)
        mu = math.log(self.mean) - sigma2 / 2
        return rng.lognormal(mu, math.sqrt(sigma2), n)


@dataclass(frozen=True)
class Gamma(Distribution):
    cv: float = 1.0

    def sample(self, rng, n):
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean / shape, n)


@dataclass(frozen=True)
class Empirical(Distribution):
    """Resamples observed durations (with replacement): for handle times taken from a log."""

    values: tuple[float, ...] = ()

    def sample(self, rng, n):
        return rng.choice(np.asarray(self.values, dtype=float), n)


@dataclass(frozen=True)
class Survival(Distribution):
    """A duration given by its survival curve P(T > t): points `(times[i], survival[i])`, linear
    between them and from (0, 1), then an exponential tail of mean `tail_mean` past the last
    point. This is how a patience estimated by Kaplan-Meier from censored waits is written
    (`sim.calibrate.patience`): the curve where enough customers were still waiting to measure
    it, a fitted exponential beyond. Drawn by inverting the curve, one uniform per contact."""

    times: tuple[float, ...] = ()
    survival: tuple[float, ...] = ()
    tail_mean: float = 0.0

    def sample(self, rng, n):
        t = np.concatenate(([0.0], self.times))
        s = np.concatenate(([1.0], self.survival))
        u = 1.0 - rng.random(n)  # in (0, 1]
        out = np.interp(u, s[::-1], t[::-1])
        tail = u < s[-1]
        if tail.any():
            out[tail] = t[-1] + self.tail_mean * np.log(s[-1] / u[tail])
        return out


def survival_mean(times: tuple[float, ...], survival: tuple[float, ...], tail_mean: float) -> float:
    """The mean of a `Survival`: the area under its curve (trapezoids, then the tail's)."""
    t = np.concatenate(([0.0], times))
    s = np.concatenate(([1.0], survival))
    return float(np.sum((t[1:] - t[:-1]) * (s[1:] + s[:-1]) / 2) + s[-1] * tail_mean)


# Families by config name, with the parameters each one needs besides `dist`.
FAMILIES: dict[str, tuple[type[Distribution], tuple[str, ...]]] = {
    "exponential": (Exponential, ("mean",)),
    "deterministic": (Deterministic, ("mean",)),
    "lognormal": (Lognormal, ("mean", "cv")),
    "gamma": (Gamma, ("mean", "cv")),
    "empirical": (Empirical, ("file",)),
    "survival": (Survival, ()),  # `points` or `file`, and `tail_mean`: see sim.config
}
