"""Shared curve-building code for the scenario forecasts (`scenarios/<name>/make_forecast.py`).

A contact-centre forecast is built the way planners build one by hand: a day's volume per
contact type, spread over the day by an intraday curve, times a day multiplier, plus the
events a normal curve does not have (a promotion's opening surge, an after-sales bump before a
deadline). This module holds those pieces, all deterministic and numpy only:

- `grid`: the interval starts of a horizon, in hours from 00:00 of day one (past 24 for later
  days, as in the forecast CSV).
- `profile`, `intraday`: an intraday shape as a flat base plus Gaussian bumps (the peaks),
  optionally a plateau (the working day), zero while the channel is closed; `intraday`
  normalises it to sum to 1 on each day, so volume = day total x share.
- `taper`: a multiplier that lets volume fall off after a given time of day (the eve of a
  holiday empties out in the afternoon).
- `decaying_multipliers`, `day_multipliers`: a factor per day (a launch week's
  x3, x2.4, x1.9, ...) spread onto the intervals of each day.
- `opening_surge`: extra contacts when a promotion opens, rising at once and decaying
  exponentially (Double 11 at midnight).
- `ramp`, `deadline_bump`: extra contacts building up to a deadline and stopping there
  (after-sales and price protection before a promotion ends).
- `month_end`: the intraday share of a month-end day at a finance centre: a strong morning
  peak and a second one building up to the repayment deadline.
- `write_forecast`, `forecast_text`: the CSV the simulator reads (`start` plus one column per
  contact type, expected contacts per interval, 0.1 contact resolution).

`intraday` evaluates the shape at each interval's midpoint and normalises it per day, exactly as
`scenarios/holiday_peak/make_forecast.py` does, so that script's curves are reproduced to the
last digit by `intraday(grid(24), opens, closes, base, bumps)` (checked in
tests/test_scenarios.py).

The reference weekday of the e-commerce centre (volumes per type and channel curves) lives here
too, because three scenarios are multiples of it: `normal_weekday` is that day, and
`double11_opening` and `spring_festival_eve` apply their multipliers to it. The phone and email
numbers are the normal day of `holiday_peak`, so its x2.5-3 holiday factors apply to the same
baseline; holiday_peak's chat day is larger (it counts the conversations its bot opens).

Generator scripts import this module by path (`sys.path.insert(0, <scenarios>)`), so they run
as `python scenarios/<name>/make_forecast.py` from the repository root or anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

INTERVAL_H = 0.5

# A bump is (centre h, width h, height): a Gaussian peak at `centre` o'clock with standard
# deviation `width`, `height` times the curve's unit. Centres are times of day (0-24).
Bump = tuple[float, float, float]

# The e-commerce centre's normal weekday (the `holiday_peak` baseline): contact type ->
# (channel, contacts on a normal weekday).
ECOMMERCE_NORMAL_DAY: dict[str, tuple[str, float]] = {
    "orders": ("phone", 450),  # order status, changes, invoices
    "logistics": ("phone", 310),  # delayed and lost parcels
    "complaints": ("phone", 50),  # escalations, for senior agents
    "presales": ("chat", 260),  # product questions, coupons, stock
    "aftersales": ("chat", 190),  # returns, exchanges, warranty
    "refunds": ("email", 110),  # refund requests with order evidence attached
}

# Channel -> (opens, closes, base, bumps): the weekday peaks of planner practice, the main one
# about 09:00-11:00, a dip over lunch, a second one about 14:00-16:00 and an evening shoulder
# (larger for chat, where customers shop after work). Email runs all day with a night trickle.
WEEKDAY_CURVES: dict[str, tuple[float, float, float, list[Bump]]] = {
    "phone": (8, 22, 0.45, [(10.0, 1.2, 1.0), (15.0, 1.2, 0.9), (20.0, 1.3, 0.15)]),
    "chat": (8, 23, 0.40, [(10.25, 1.2, 0.9), (15.0, 1.2, 0.8), (20.5, 1.3, 0.4)]),
    "email": (0, 24, 0.06, [(10.5, 1.8, 1.0), (15.0, 1.8, 0.9), (21.0, 1.8, 0.5)]),
}


def grid(hours: float = 24, interval_h: float = INTERVAL_H) -> np.ndarray:
    """Interval starts in hours from 00:00 of day one: 0, 0.5, ... for `hours` hours."""
    n = int(round(hours / interval_h))
    return np.arange(n) * interval_h


def time_of_day(starts: np.ndarray) -> np.ndarray:
    return np.mod(starts, 24.0)


def day_index(starts: np.ndarray) -> np.ndarray:
    return (np.asarray(starts) // 24).astype(int)


def is_open(
    starts: np.ndarray, opens: float, closes: float, interval_h: float = INTERVAL_H
) -> np.ndarray:
    """True for intervals lying wholly inside the opening hours (each day)."""
    tod = time_of_day(starts)
    return (tod >= opens - 1e-9) & (tod + interval_h <= closes + 1e-9)


def profile(
    starts: np.ndarray,
    opens: float = 0,
    closes: float = 24,
    base: float = 1.0,
    bumps: Iterable[Bump] = (),
    plateau: tuple[float, float, float, float] | None = None,
    interval_h: float = INTERVAL_H,
) -> np.ndarray:
    """An unnormalised intraday shape at each interval's midpoint: `base` plus a Gaussian per
    bump, plus an optional `plateau` (start h, end h, height, ramp h: a level raised between
    two times of day with smooth logistic edges), zero outside `opens`-`closes`."""
    middle = time_of_day(starts) + interval_h / 2
    shape = np.full(len(starts), float(base))
    for centre, width, height in bumps:
        shape += height * np.exp(-0.5 * ((middle - centre) / width) ** 2)
    if plateau is not None:
        start, end, height, ramp = plateau
        rise = 1 / (1 + np.exp(-(middle - start) / ramp))
        fall = 1 / (1 + np.exp((middle - end) / ramp))
        shape += height * rise * fall
    shape[~is_open(starts, opens, closes, interval_h)] = 0.0
    return shape


def normalise_per_day(shape: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Scale each day's part of `shape` to sum to 1 (days with no volume stay 0)."""
    days = day_index(starts)
    out = np.zeros_like(shape, dtype=float)
    for day in np.unique(days):
        mask = days == day
        total = shape[mask].sum()
        if total > 0:
            out[mask] = shape[mask] / total
    return out


def intraday(
    starts: np.ndarray,
    opens: float,
    closes: float,
    base: float,
    bumps: Iterable[Bump] = (),
    plateau: tuple[float, float, float, float] | None = None,
    interval_h: float = INTERVAL_H,
) -> np.ndarray:
    """Share of each day's volume in each interval: `profile` normalised to 1 per day."""
    shape = profile(starts, opens, closes, base, bumps, plateau, interval_h)
    return normalise_per_day(shape, starts)


def taper(
    starts: np.ndarray, after_h: float, half_life_h: float, interval_h: float = INTERVAL_H
) -> np.ndarray:
    """Multiplier: 1 until `after_h` o'clock, then halving every `half_life_h` hours (taken at
    each interval's midpoint)."""
    middle = time_of_day(starts) + interval_h / 2
    return np.where(middle <= after_h, 1.0, 0.5 ** ((middle - after_h) / half_life_h))


def decaying_multipliers(first: float, floor: float, keep: float, days: int) -> list[float]:
    """Day factors decaying from `first` towards `floor`, keeping `keep` of the excess each day:
    floor + (first - floor) * keep**d. E.g. (3, 1, 0.7, 5) -> 3.0, 2.4, 1.98, 1.69, 1.48."""
    return [floor + (first - floor) * keep**d for d in range(days)]


def day_multipliers(values: Sequence[float], starts: np.ndarray) -> np.ndarray:
    """A value per day (e.g. a launch factor) spread onto the intervals of that day."""
    return np.asarray(values, dtype=float)[day_index(starts)]


def opening_surge(
    starts: np.ndarray,
    at_h: float,
    total: float,
    decay_h: float,
    until_h: float | None = None,
    interval_h: float = INTERVAL_H,
) -> np.ndarray:
    """`total` extra contacts from a promotion opening at `at_h` (hours from 00:00 of day one):
    the rate jumps at once and decays exponentially with time constant `decay_h` (63% of the
    surge in the first `decay_h` hours), integrated exactly over each interval, cut at `until_h`
    (default: end of the grid) and scaled so the surge sums to `total`."""
    a = np.maximum(starts - at_h, 0.0)
    b = np.maximum(starts + interval_h - at_h, 0.0)
    mass = np.exp(-a / decay_h) - np.exp(-b / decay_h)
    if until_h is not None:
        mass[starts >= until_h - 1e-9] = 0.0
    return total * mass / mass.sum()


def ramp(
    starts: np.ndarray,
    deadline_h: float,
    lead_h: float,
    power: float = 2.0,
    interval_h: float = INTERVAL_H,
) -> np.ndarray:
    """A shape rising from 0 at `deadline_h - lead_h` to 1 at `deadline_h` as
    ((t - start) / lead)**power (2: slow at first, steep near the deadline) and 0 from the
    deadline on, at interval midpoints. `deadline_h` is hours from 00:00 of day one (for a
    deadline every day, pass the starts relative to each day, as `month_end` does)."""
    middle = starts + interval_h / 2
    x = (middle - (deadline_h - lead_h)) / lead_h
    return np.where((x > 0) & (middle < deadline_h), np.clip(x, 0, 1) ** power, 0.0)


def deadline_bump(
    starts: np.ndarray,
    deadline_h: float,
    lead_h: float,
    total: float,
    power: float = 2.0,
    interval_h: float = INTERVAL_H,
) -> np.ndarray:
    """`total` extra contacts building up over the `lead_h` hours before `deadline_h` (hours
    from 00:00 of day one) and stopping there, shaped by `ramp`."""
    shape = ramp(starts, deadline_h, lead_h, power, interval_h)
    return total * shape / shape.sum()


def month_end(
    starts: np.ndarray,
    opens: float,
    closes: float,
    base: float = 0.45,
    morning_height: float = 1.6,
    deadline_h: float = 17.0,
    deadline_height: float = 1.0,
    lead_h: float = 2.0,
    morning_h: float = 10.0,
    interval_h: float = INTERVAL_H,
) -> np.ndarray:
    """Share of each day's volume per interval on a finance centre's month-end day: a strong
    morning peak at `morning_h` (bills and statements checked before work), a small
    after-lunch shoulder, and a second peak building up over the `lead_h` hours before the
    repayment deadline `deadline_h` (a time of day) and dropping at it (`ramp`), on a flat
    base; zero while closed, normalised to 1 per day."""
    bumps = [(morning_h, 1.1, morning_height), (14.0, 1.0, 0.25 * morning_height)]
    shape = profile(starts, opens, closes, base, bumps, interval_h=interval_h)
    days = day_index(starts) * 24.0
    deadline = ramp(starts - days, deadline_h, lead_h, interval_h=interval_h)
    shape = shape + deadline_height * deadline * is_open(starts, opens, closes, interval_h)
    return normalise_per_day(shape, starts)


def clock(hours: float) -> str:
    """'HH:MM' for hours from 00:00 of day one (past 24 for later days)."""
    minutes = int(round(hours * 60))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def forecast_text(starts: np.ndarray, volumes: Mapping[str, np.ndarray]) -> str:
    """The forecast CSV: `start` and one column per contact type, rounded to 0.1 contact."""
    volumes = {name: np.round(np.asarray(v, dtype=float), 1) for name, v in volumes.items()}
    lines = ["start," + ",".join(volumes)]
    for k, start in enumerate(starts):
        lines.append(clock(start) + "," + ",".join(f"{v[k]:.1f}" for v in volumes.values()))
    return "\n".join(lines) + "\n"


def write_forecast(path: Path, starts: np.ndarray, volumes: Mapping[str, np.ndarray]) -> None:
    """Write the forecast CSV and print the totals per type (after rounding)."""
    volumes = {name: np.round(np.asarray(v, dtype=float), 1) for name, v in volumes.items()}
    path.write_text(forecast_text(starts, volumes), encoding="utf-8")
    totals = ", ".join(f"{name} {v.sum():.0f}" for name, v in volumes.items())
    print(f"wrote {path}: {totals}; total {sum(v.sum() for v in volumes.values()):.0f}")
