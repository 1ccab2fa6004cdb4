"""How every page writes a value: by its kind (count, number, percent, duration, hours, cost),
with its 95% confidence interval when it has one.

A figure of summary.json is read with `sim.analysis.figure.Figure.from_json`; `Cell` is a
figure with its kind, as a table cell shows it (`text` and `ci`), so the templates only place
text and every page rounds alike. Unknown values (None, NaN) show as "–"."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.analysis.figure import Figure

NA = "–"
KINDS = ("count", "number", "percent", "duration", "hours", "cost")


def known(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def number(x: float | None, unit: str = "") -> str:
    """A count or measure: whole from 100 up (thousands separated) or when whole, else one
    decimal; never "-0"."""
    if x is None or not known(x):
        return NA
    if abs(x) < 0.05:
        x = 0.0
    text = f"{x:,.0f}" if abs(x) >= 100 or x == round(x) else f"{x:.1f}"
    return f"{text}{unit}"


def duration_unit(seconds: float) -> tuple[str, float]:
    """The unit a duration reads best in: seconds up to 10 min, minutes up to 3 h, then hours."""
    if not math.isfinite(seconds) or abs(seconds) < 600:
        return "s", 1.0
    if abs(seconds) < 3 * 3600:
        return "min", 60.0
    return "h", 3600.0


def duration(seconds: float) -> str:
    """A short duration label for thresholds and rules: '0', '20 s', '5 min', '2 h', '1.5 d'."""
    if seconds <= 0:
        return "0"
    if seconds < 60:
        return f"{seconds:g} s"
    if seconds < 3600:
        return f"{seconds / 60:g} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:g} h"
    return f"{seconds / 86400:g} d"


def money(x: float | None) -> str:
    """An exact amount (a planned cost): whole amounts without decimals, others with up to
    two."""
    if x is None or not known(x):
        return NA
    return f"{x:,.2f}".rstrip("0").rstrip(".") if x != round(x) else f"{x:,.0f}"


def value(x: float | None, kind: str, unit_of: float | None = None) -> str:
    """A value as the pages show it. `unit_of`: the value whose size picks a duration's unit
    (so a CI's bounds read in the mean's unit)."""
    if x is None or not known(x):
        return NA
    if kind == "percent":
        return f"{x * 100 if abs(x) >= 5e-4 else 0.0:.1f}%"
    if kind == "duration":
        unit, scale = duration_unit(x if unit_of is None else unit_of)
        return number(x / scale, f" {unit}")
    if kind == "hours":
        return number(x, " h")
    return number(x)  # count, number and cost: whole from 100 up


# What each kind of value can be: a share lies in [0, 1]; counts, durations, hours and costs
# are never negative. A Student-t interval knows nothing of this (a few replications of a rare
# event give [-0.9, 2.1]), so a CI is clipped to it, never past the mean (a mean of an
# unbounded measure written as a share, shrinkage with overtime, may lie below zero).
BOUNDS = {
    "percent": (0.0, 1.0),
    "count": (0.0, math.inf),
    "duration": (0.0, math.inf),
    "hours": (0.0, math.inf),
    "cost": (0.0, math.inf),
}


def clipped(figure: Figure, kind: str) -> Figure:
    """The figure with its CI clipped to what its kind allows (`BOUNDS`), the mean kept
    inside."""
    if kind not in BOUNDS or not figure.has_ci:
        return figure
    low, high = BOUNDS[kind]
    mean = figure.mean
    if math.isfinite(mean):
        low, high = min(low, mean), max(high, mean)
    return Figure(mean, min(max(figure.low, low), high), max(min(figure.high, high), low))


def ci(figure: Figure, kind: str) -> str:
    """The figure's 95% CI as "[low, high]" in the mean's unit (percent points for a share; a
    duration's unit is written, "[0, 98 s]", as it may differ from a column's); clipped to what
    the kind allows; empty without one."""
    if not figure.has_ci:
        return ""
    figure = clipped(figure, kind)
    low, high = figure.low, figure.high
    if kind == "percent":
        return f"[{number(low * 100)}, {number(high * 100)}]"
    if kind == "duration":
        unit, scale = duration_unit(figure.mean if figure.known else high)
        return f"[{number(low / scale)}, {number(high / scale)} {unit}]"
    return f"[{number(low)}, {number(high)}]"


def percent_ci(figure: Figure, digits: int = 1) -> str:
    """A share with its CI in whole points, clipped to [0, 100]: "87.7% [76, 99]"."""
    text = f"{figure.mean * 100:.{digits}f}%" if figure.known else NA
    if figure.has_ci:
        figure = clipped(figure, "percent")
        text += f" [{figure.low * 100:.0f}, {figure.high * 100:.0f}]"
    return text


def signed_percent(x: float) -> str:
    """A difference of shares: "+3.1%"."""
    return f"{x:+.1%}" if known(x) else NA


@dataclass(frozen=True)
class Cell:
    """A figure as a table cell shows it: `text` (the mean), `ci` (empty without one)."""

    figure: Figure
    kind: str

    @classmethod
    def of(cls, data: Mapping[str, Any] | None, kind: str) -> Cell:
        """From a summary.json figure ({mean, ci95}; missing or null: unknown)."""
        return cls(Figure.from_json(data), kind)

    @property
    def known(self) -> bool:
        return self.figure.known

    @property
    def text(self) -> str:
        return value(self.figure.mean, self.kind)

    @property
    def ci(self) -> str:
        return ci(self.figure, self.kind)


def hours_cell(data: Mapping[str, Any] | None, per: float = 1.0) -> Cell:
    """A figure in hours (divided by `per`: days, for a figure per day); one under 0.1 h (but
    not 0) as a duration instead, so a brief spell does not read as "0 h"."""
    figure = scaled(Figure.from_json(data), 1 / per)
    if not figure.known or figure.mean == 0 or abs(figure.mean) >= 0.1:
        return Cell(figure, "hours")
    return Cell(scaled(figure, 3600.0), "duration")


def scaled(figure: Figure, factor: float) -> Figure:
    """The figure times `factor` (a per-replication count per day, hours in seconds)."""
    if factor == 1.0:
        return figure
    return Figure(figure.mean * factor, figure.low * factor, figure.high * factor)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def and_list(names: list[str]) -> str:
    """ "phone", "phone and chat", "phone, chat and email"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
