"""The volume forecast: expected arrivals per planning interval and contact type.

Planners keep forecasts as tables ("calls offered per half hour"), so the main form is a CSV
with a `start` column (clock time of the interval) and one column per contact type. Small or
synthetic scenarios can give the values inline. Either way the result is a
`[contact type, interval]` array of expected counts covering the whole horizon from 00:00.

Workforce tools forecast the mean handle time (AHT) beside the volume, so the forecast may also
carry it: `<type>_aht` columns of the CSV, or inline `aht`, in seconds per interval; an empty
cell (or null) means the type's configured mean. `handle_factors` turns them into the factors
that scale each contact's handle time by its arrival interval.

`forecast_demand` makes the model's `Demand` of `scenario.forecast`, checked against the
channels' opening hours and against sizes no contact centre has (`check_demand_size`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.clock import parse_clock
from sim.errors import ConfigError, expect_mapping, number
from sim.inputs.channels import check_opening_hours
from sim.inputs.csvfiles import clock_or_hours, read_csv
from sim.inputs.files import FileFinder
from sim.model import Channel, ContactType, Demand

UNITS = {"per_interval", "per_hour"}
WHERE = "scenario.forecast"
AHT_SUFFIX = "_aht"  # CSV column `<type>_aht`: that type's mean handle seconds per interval

# Sizes beyond any contact centre: a typo (`1e12`, `inf`), refused before memory runs out.
MAX_CONTACTS = 50_000_000  # expected contacts per replication (the forecast's sum)
MAX_HORIZON_H = 366 * 24  # a year (and a day)


def forecast_demand(
    scenario: Mapping[str, Any],
    types: tuple[ContactType, ...],
    channels: tuple[Channel, ...],
    interval_s: float,
    horizon_s: float | None,
    files: FileFinder,
) -> Demand:
    """`scenario.forecast` (and `busyness_cv`) as the expected arrivals per interval."""
    forecast = expect_mapping(scenario.get("forecast"), "scenario", "forecast")
    volumes, aht = read_forecast(forecast, [t.name for t in types], interval_s, horizon_s, files)
    forecast_source = (
        str(files(forecast["file"], "scenario.forecast", "file"))
        if "file" in forecast
        else "scenario.forecast"
    )
    check_demand_size(volumes, interval_s)
    check_opening_hours(volumes, interval_s, types, channels, forecast_source)
    return Demand(
        interval_s=interval_s,
        volumes=volumes,
        busyness_cv=number(scenario.get("busyness_cv", 0), "scenario", "busyness_cv", minimum=0),
        handle_factor=handle_factors(aht, [t.handle.mean for t in types], [t.name for t in types]),
    )


def check_demand_size(volumes: np.ndarray, interval_s: float) -> None:
    """Volumes finite, at most `MAX_CONTACTS` in all and `MAX_HORIZON_H` long: the forecast's,
    or a replayed log's counts."""
    if not np.isfinite(volumes).all():
        raise ConfigError("scenario.forecast", "values", "volumes must be finite numbers")
    total = float(volumes.sum())
    if total > MAX_CONTACTS:
        raise ConfigError(
            "scenario.forecast",
            "values",
            f"{total:,.0f} contacts expected per replication; at most {MAX_CONTACTS:,} are allowed",
        )
    if volumes.shape[1] * interval_s > MAX_HORIZON_H * 3600:
        raise ConfigError(
            "scenario.forecast",
            "start",
            f"the forecast covers {volumes.shape[1] * interval_s / 86400:g} days; "
            f"at most {MAX_HORIZON_H // 24} are allowed",
        )


def read_forecast(
    spec: Mapping[str, Any],
    type_names: Sequence[str],
    interval_s: float,
    horizon_s: float | None,
    files: FileFinder,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Expected arrivals per interval, `[len(type_names), n_intervals]`, after unit and scale;
    and the forecast mean handle seconds, the same shape, NaN where not given (None when the
    forecast gives no handle times at all). Unit and scale apply to volumes only."""
    allowed = {"file", "values", "aht", "start", "unit", "scale"}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise ConfigError(WHERE, unknown[0], f"unknown key; allowed: {', '.join(sorted(allowed))}")
    if ("file" in spec) == ("values" in spec):
        raise ConfigError(WHERE, "file/values", "give exactly one: a CSV `file` or inline `values`")
    if "file" in spec and "aht" in spec:
        raise ConfigError(
            WHERE, "aht", "with a CSV `file`, give handle times as `<type>_aht` columns of it"
        )
    unit = spec.get("unit", "per_interval")
    if unit not in UNITS:
        raise ConfigError(WHERE, "unit", f"{unit!r} is not allowed; use one of {sorted(UNITS)}")
    scale = spec.get("scale", 1.0)
    if isinstance(scale, bool) or not isinstance(scale, int | float) or scale < 0:
        raise ConfigError(WHERE, "scale", f"must be a number >= 0, got {scale!r}")

    if "file" in spec:
        path = files(spec["file"], WHERE, "file")
        source, (first, columns, aht) = str(path), _read_table(path, type_names, interval_s)
    else:
        source, (first, columns, aht) = WHERE, _inline(spec, type_names, interval_s)
    volumes = _place_on_grid(source, first, columns, type_names, interval_s, horizon_s)
    if unit == "per_hour":
        volumes = volumes * (interval_s / 3600.0)
    return volumes * float(scale), _place_aht(source, first, aht, type_names, volumes.shape[1])


def handle_factors(
    aht: np.ndarray | None, handle_means: Sequence[float], type_names: Sequence[str]
) -> np.ndarray | None:
    """`Demand.handle_factor`: forecast AHT over each type's configured mean handle, 1 where the
    forecast gives none; None when it gives none at all (the handle draws are used as drawn)."""
    if aht is None:
        return None
    factor = np.ones_like(aht)
    for row, (mean, name) in enumerate(zip(handle_means, type_names, strict=True)):
        given = ~np.isnan(aht[row])
        if not given.any():
            continue
        if mean <= 0:
            raise ConfigError(
                f"scenario.contact_types.{name}",
                "handle",
                f"the forecast gives {name}'s handle times, but its handle mean is {mean:g}; "
                "it must be above 0 to be scaled to them",
            )
        factor[row, given] = aht[row, given] / mean
    return factor


def _read_table(path, type_names, interval_s) -> tuple[int, dict, dict[str, np.ndarray]]:
    table = read_csv(path, dtype={"start": str})
    missing = [c for c in ["start", *type_names] if c not in table.columns]
    if missing:
        raise ConfigError(
            str(path), missing[0], f"missing column; the table needs 'start' and {list(type_names)}"
        )
    aht_columns = {
        c: c.removesuffix(AHT_SUFFIX)
        for c in table.columns
        if c not in type_names and str(c).endswith(AHT_SUFFIX)
    }
    for column, name in aht_columns.items():
        if name not in type_names:
            raise ConfigError(
                str(path),
                column,
                f"handle-time column for {name!r}, which is not a contact type of this "
                f"scenario; known: {list(type_names)}",
            )
    extra = [c for c in table.columns if c not in ("start", *type_names, *aht_columns)]
    if extra:
        raise ConfigError(
            str(path), extra[0], f"not a contact type of this scenario; known: {list(type_names)}"
        )
    if table.empty:
        raise ConfigError(str(path), "start", "the table has no rows")
    starts = []
    for row, value in enumerate(table["start"], start=2):
        try:
            starts.append(parse_clock(clock_or_hours(value)))
        except ValueError as err:
            raise ConfigError(str(path), "start", f"line {row}: {err}") from None
    steps = np.diff(starts)
    if len(steps) and not np.allclose(steps, interval_s):
        bad = int(np.flatnonzero(~np.isclose(steps, interval_s))[0]) + 3
        raise ConfigError(
            str(path),
            "start",
            f"line {bad}: rows must be consecutive {interval_s / 60:g}-minute intervals",
        )
    first = _interval_index(starts[0], interval_s, str(path))
    columns = {}
    for name in type_names:
        values = pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=float)
        _check_volumes(values, str(path), name)
        columns[name] = values
    aht = {
        name: _aht_cells(table[column], str(path), column) for column, name in aht_columns.items()
    }
    return first, columns, aht


def _aht_cells(cells: pd.Series, source: str, column: str) -> np.ndarray:
    """A `<type>_aht` column: seconds > 0, an empty cell the type's configured mean (NaN)."""
    values = pd.to_numeric(cells, errors="coerce").to_numpy(dtype=float)
    bad = (cells.notna().to_numpy() & np.isnan(values)) | ~(np.isnan(values) | (values > 0))
    bad |= np.isinf(values)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ConfigError(
            source,
            column,
            f"line {row + 2}: a mean handle time must be a number of seconds above 0 "
            f"(or empty for the type's configured mean), got {cells.iloc[row]!r}",
        )
    return values


def _inline(spec, type_names, interval_s) -> tuple[int, dict, dict[str, np.ndarray]]:
    values = spec["values"]
    if not isinstance(values, Mapping):
        raise ConfigError(WHERE, "values", "expected a mapping from contact type to volumes")
    unknown = [k for k in values if k not in type_names]
    if unknown:
        raise ConfigError(
            WHERE, f"values.{unknown[0]}", f"not a contact type; known: {list(type_names)}"
        )
    try:
        first = _interval_index(parse_clock(spec.get("start", "00:00")), interval_s, WHERE)
    except ValueError as err:
        raise ConfigError(WHERE, "start", str(err)) from None
    columns = {}
    for name in type_names:
        raw = values.get(name, 0.0)
        scalar = isinstance(raw, int | float) and not isinstance(raw, bool)
        try:
            array = np.asarray([raw] if scalar else list(raw), dtype=float)
        except (TypeError, ValueError):
            raise ConfigError(WHERE, f"values.{name}", f"expected numbers, got {raw!r}") from None
        _check_volumes(array, WHERE, f"values.{name}")
        columns[name] = _Constant(float(raw)) if scalar else array
    return first, columns, _inline_aht(spec.get("aht"), type_names)


def _inline_aht(spec: object, type_names: Sequence[str]) -> dict[str, Any]:
    """`aht: {type: [seconds per interval, ...] or one number}`; null items: the configured mean."""
    if spec is None:
        return {}
    if not isinstance(spec, Mapping):
        raise ConfigError(WHERE, "aht", "expected a mapping from contact type to handle seconds")
    unknown = [k for k in spec if k not in type_names]
    if unknown:
        raise ConfigError(
            WHERE, f"aht.{unknown[0]}", f"not a contact type; known: {list(type_names)}"
        )
    aht: dict[str, Any] = {}
    for name, raw in spec.items():
        scalar = not isinstance(raw, list | tuple)
        items = [raw] if scalar else list(raw)
        for k, item in enumerate(items):
            number = isinstance(item, int | float) and not isinstance(item, bool)
            if item is not None and not (number and math.isfinite(item) and item > 0):
                at = "" if scalar else f"item {k + 1}: "
                raise ConfigError(
                    WHERE,
                    f"aht.{name}",
                    f"{at}a mean handle time must be a number of seconds above 0 "
                    f"(or null for the type's configured mean), got {item!r}",
                )
        array = np.array([np.nan if v is None else float(v) for v in items])
        aht[name] = _Constant(array[0]) if scalar else array
    return aht


class _Constant(float):
    """An inline scalar volume: the same in every interval of the horizon."""


def _check_volumes(values: np.ndarray, source: str, field: str) -> None:
    if np.isnan(values).any():
        raise ConfigError(source, field, "every volume must be a number")
    if (values < 0).any():
        raise ConfigError(source, field, f"volumes must be >= 0, found {values.min():g}")


def _interval_index(start_s: float, interval_s: float, source: str) -> int:
    index = start_s / interval_s
    if abs(index - round(index)) > 1e-9:
        raise ConfigError(
            source, "start", f"must fall on the {interval_s / 60:g}-minute grid from 00:00"
        )
    return int(round(index))


def _place_aht(source, first, aht, type_names, n) -> np.ndarray | None:
    """The handle times on the grid, `[type, interval]`, NaN where not given; a single number
    holds for every interval. None when none is given."""
    if not aht:
        return None
    grid = np.full((len(type_names), n), np.nan)
    for row, name in enumerate(type_names):
        if name not in aht:
            continue
        column = aht[name]
        if isinstance(column, _Constant):
            grid[row] = float(column)
            continue
        if first + len(column) > n:
            field = f"aht.{name}" if source == WHERE else f"{name}{AHT_SUFFIX}"
            raise ConfigError(
                source,
                field,
                f"{len(column)} handle times from interval {first} run past the "
                f"{n} intervals of the horizon",
            )
        grid[row, first : first + len(column)] = column
    return None if np.isnan(grid).all() else grid


def _place_on_grid(source, first, columns, type_names, interval_s, horizon_s) -> np.ndarray:
    lengths = [len(c) for c in columns.values() if not isinstance(c, _Constant)]
    needed = first + max(lengths, default=0)
    if horizon_s is None:
        if not lengths:
            raise ConfigError(
                source, "hours", "constant volumes need scenario.hours for the horizon"
            )
        n = needed
    else:
        n_float = horizon_s / interval_s
        if abs(n_float - round(n_float)) > 1e-9:
            raise ConfigError("scenario", "hours", "must be a whole number of intervals")
        n = int(round(n_float))
        if needed > n:
            raise ConfigError(
                source, "start", f"the forecast runs past the {horizon_s / 3600:g}-hour horizon"
            )
    volumes = np.zeros((len(type_names), n))
    for row, name in enumerate(type_names):
        column = columns[name]
        if isinstance(column, _Constant):
            volumes[row, first:] = float(column)
        else:
            volumes[row, first : first + len(column)] = column
    return volumes
