"""Write `forecast.csv`: the half-hourly forecast of the `product_launch_week` scenario.

The week after a product launch at the support centre of a consumer-electronics brand (a new
phone and its smart-home companion app, on sale from Monday 00:00). Seven days, Monday to
Sunday, 336 half-hours; starts past 24:00 are later days ("32:00" is 08:00 on Tuesday).

The forecast is the centre's normal weekday (`NORMAL_DAY`, about 550 contacts) times a launch
factor per day, on an intraday curve per channel and day type:

- Launch factors decay day by day towards normal, keeping 70% of the excess each day
  (`shapes.decaying_multipliers(3, 1, 0.7, 7)`: x3.0, x2.4, x1.98, x1.69, x1.48, x1.34,
  x1.24); the weekend (days 6 and 7) brings a quarter less than a weekday would
  (`WEEKEND_FACTOR`).
- Weekday curves: the usual peaks about 10:00 and 15:00 and, after a launch, a large evening
  peak (people set up their new phone after work). Weekend curves start later and are
  flatter, with the peak around 11:00-12:00 and a long afternoon (`CURVES`).
- Activation and set-up questions fall off faster than technical faults, which keep coming
  as bugs are found (`LAUNCH_SHIFT`: activation's factor is the day's factor to the power 1.2,
  tech support's to the power 0.9).
- Tickets (email: bug reports with logs, return requests) arrive all day and night.

Day 1 brings about 1,650 contacts, the week about 6,800. Nothing is random; rerunning
rewrites the same file:

    python scenarios/product_launch_week/make_forecast.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import shapes  # noqa: E402

DAYS = 7  # Monday .. Sunday
WEEKEND = (5, 6)  # day indexes of Saturday and Sunday
WEEKEND_FACTOR = 0.75

# Contact type -> (channel, contacts on a normal weekday, exponent on the launch factor).
NORMAL_DAY = {
    "activation": ("phone", 120, 1.2),  # activating, binding the account, transferring data
    "tech_phone": ("phone", 150, 0.9),  # faults: connectivity, battery, firmware, the app
    "setup_chat": ("chat", 90, 1.2),  # set-up questions in the app's chat
    "tech_chat": ("chat", 110, 0.9),  # faults, by chat
    "tickets": ("email", 80, 0.9),  # bug reports with logs, return and exchange requests
}

# Channel -> day type -> (opens, closes, base, bumps).
CURVES = {
    "phone": {
        "weekday": (8, 22, 0.40, [(10.0, 1.2, 1.0), (15.0, 1.3, 0.8), (20.0, 1.2, 0.6)]),
        "weekend": (8, 22, 0.35, [(11.5, 1.8, 0.9), (16.0, 2.0, 0.7), (20.0, 1.3, 0.4)]),
    },
    "chat": {
        "weekday": (8, 24, 0.35, [(10.25, 1.2, 0.8), (15.0, 1.3, 0.7), (20.5, 1.4, 0.9)]),
        "weekend": (8, 24, 0.35, [(11.5, 1.8, 0.8), (16.0, 2.0, 0.7), (20.5, 1.5, 0.7)]),
    },
    "email": {
        "weekday": (0, 24, 0.12, [(10.5, 2.0, 0.9), (15.0, 2.0, 0.8), (21.0, 2.0, 0.8)]),
        "weekend": (0, 24, 0.12, [(12.0, 2.5, 0.8), (20.0, 2.5, 0.8)]),
    },
}


def launch_factors() -> np.ndarray:
    """Volume factor per day: the launch decay, less on the weekend."""
    factors = np.array(shapes.decaying_multipliers(3.0, 1.0, 0.7, DAYS))
    factors[list(WEEKEND)] *= WEEKEND_FACTOR
    return factors


def build():
    """Interval starts (h) and expected contacts per half-hour, per contact type."""
    starts = shapes.grid(24 * DAYS)
    weekend = np.isin(shapes.day_index(starts), WEEKEND)
    factors = launch_factors()
    volumes = {}
    for name, (channel, normal, exponent) in NORMAL_DAY.items():
        weekday_share = shapes.intraday(starts, *CURVES[channel]["weekday"])
        weekend_share = shapes.intraday(starts, *CURVES[channel]["weekend"])
        share = np.where(weekend, weekend_share, weekday_share)
        volumes[name] = normal * shapes.day_multipliers(factors**exponent, starts) * share
    return starts, volumes


if __name__ == "__main__":
    shapes.write_forecast(Path(__file__).with_name("forecast.csv"), *build())
    print("day factors:", ", ".join(f"{f:.2f}" for f in launch_factors()))
