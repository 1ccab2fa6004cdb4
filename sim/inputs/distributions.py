"""Distributions as configs write them: `{dist: NAME, mean: .., cv: ..}`, a bare number (an
exponential with that mean), an empirical sample from a CSV, or a survival curve.

Every time in a config (handle, wrap-up, patience, IVR and bot times, delays) is read here, so
one family name or parameter means the same thing everywhere; the families themselves and
their draws are `sim.distributions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.distributions import (
    FAMILIES,
    Deterministic,
    Distribution,
    Empirical,
    Exponential,
    Survival,
    survival_mean,
)
from sim.errors import ConfigError, check_keys, expect_mapping, number
from sim.inputs.csvfiles import read_csv
from sim.inputs.files import FileFinder


def parse_distribution(spec: object, where: str, field: str, files: FileFinder) -> Distribution:
    """A distribution from `{dist: NAME, mean: .., cv: ..}`; a bare number is an exponential
    with that mean (the textbook assumption, and handy for interpolated shorthand)."""
    if isinstance(spec, int | float) and not isinstance(spec, bool):
        return Exponential(mean=number(spec, where, field, above=0))
    spec = expect_mapping(spec, where, field)
    name = spec.get("dist")
    if name not in FAMILIES:
        allowed = ", ".join(FAMILIES)
        raise ConfigError(
            where, f"{field}.dist", f"unknown distribution {name!r}; allowed: {allowed}"
        )
    cls, needed = FAMILIES[name]
    if cls is Survival:
        return _survival(spec, where, field, files)
    optional = {"column"} if cls is Empirical else set()
    check_keys(spec, {"dist", *needed, *optional}, f"{where}: {field}")
    for key in needed:
        if key not in spec:
            raise ConfigError(where, f"{field}.{key}", f"required for dist {name!r}")
    if cls is Empirical:
        return _empirical(spec, where, field, files)
    mean_floor = {"minimum": 0} if cls is Deterministic else {"above": 0}
    params = {"mean": number(spec["mean"], where, f"{field}.mean", **mean_floor)}
    if "cv" in needed:
        params["cv"] = number(spec["cv"], where, f"{field}.cv", above=0)
    return cls(**params)


def _empirical(spec: Mapping[str, Any], where: str, field: str, files: FileFinder) -> Empirical:
    path = files(spec["file"], where, f"{field}.file")
    table = read_csv(path)
    column = spec.get("column", table.columns[0])
    if column not in table.columns:
        raise ConfigError(str(path), str(column), f"no such column; columns: {list(table.columns)}")
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
    if len(values) == 0 or np.isnan(values).any() or (values < 0).any():
        raise ConfigError(str(path), str(column), "needs at least one value, all numbers >= 0")
    return Empirical(mean=float(values.mean()), values=tuple(values.tolist()))


def _survival(spec: Mapping[str, Any], where: str, field: str, files: FileFinder) -> Survival:
    """`{dist: survival, points: [[seconds, survival], ...] or file: CSV, tail_mean: S}`: a
    survival curve (a Kaplan-Meier patience, `sim.calibrate`), linear between its points, with
    an exponential tail past the last one (`tail_mean`, needed unless the curve reaches 0)."""
    check_keys(spec, {"dist", "points", "file", "tail_mean"}, f"{where}: {field}")
    if ("points" in spec) == ("file" in spec):
        raise ConfigError(
            where, field, "a survival curve needs exactly one of `points` or `file` (CSV)"
        )
    if "file" in spec:
        path = files(spec["file"], where, f"{field}.file")
        source, points = str(path), _survival_file(path)
    else:
        source, points = f"{where}: {field}", _survival_points(spec["points"], where, field)
    times = tuple(t for t, _ in points)
    surv = tuple(s for _, s in points)
    if not points or times[0] <= 0 or any(b <= a for a, b in zip(times, times[1:], strict=False)):
        raise ConfigError(source, "seconds", "times must be above 0 and strictly increasing")
    if any(not 0 <= s <= 1 for s in surv) or any(
        b > a for a, b in zip(surv, surv[1:], strict=False)
    ):
        raise ConfigError(
            source, "survival", "survival must lie in [0, 1] and never increase with time"
        )
    tail = 0.0
    if surv[-1] > 0:
        if "tail_mean" not in spec:
            raise ConfigError(
                where,
                f"{field}.tail_mean",
                f"the curve ends at {surv[-1]:g} above 0: give the exponential tail's mean (s)",
            )
        tail = number(spec["tail_mean"], where, f"{field}.tail_mean", above=0)
    elif "tail_mean" in spec:
        raise ConfigError(where, f"{field}.tail_mean", "the curve reaches 0: there is no tail")
    return Survival(
        mean=survival_mean(times, surv, tail),
        times=times,
        levels=surv,
        tail_mean=tail,
    )


def _survival_points(raw: object, where: str, field: str) -> list[tuple[float, float]]:
    try:
        points = [(float(t), float(s)) for t, s in raw]  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise ConfigError(
            where, f"{field}.points", "expected a list of [seconds, survival] pairs"
        ) from None
    if not points or not np.isfinite(np.asarray(points)).all():
        raise ConfigError(where, f"{field}.points", "needs at least one point, all finite numbers")
    return points


def _survival_file(path: Path) -> list[tuple[float, float]]:
    table = read_csv(path)
    for column in ("seconds", "survival"):
        if column not in table.columns:
            raise ConfigError(
                str(path), column, "missing column; a survival curve needs `seconds`, `survival`"
            )
    values = table[["seconds", "survival"]].apply(pd.to_numeric, errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=float)).all(axis=1)
    if len(values) == 0 or bad.any():
        line = int(np.flatnonzero(bad)[0]) + 2 if bad.any() else 1
        raise ConfigError(str(path), "seconds/survival", f"line {line}: expected numbers")
    return [(float(t), float(s)) for t, s in values.itertuples(index=False)]
