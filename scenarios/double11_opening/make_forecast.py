"""Write `forecast.csv`: the half-hourly forecast of the `double11_opening` scenario.

Double 11 (11 November), the promotion day itself, at the e-commerce centre of
`normal_weekday`. The centre runs 24 hours and every channel is open all day. The forecast is
built in three layers on the centre's normal weekday (`shapes.ECOMMERCE_NORMAL_DAY`):

1. A promotion day at a high level: each type's normal-day volume times a day multiplier
   (`DAY_FACTOR`, 1.6x-2.2x), spread over a 24-hour curve that keeps the weekday peaks
   (about 09:00-11:00 and 14:00-16:00, a lunch dip, an evening shoulder) on a daytime plateau,
   above a night floor: on Double 11 people are awake and shopping all night. A new type,
   `payment` (payment failures, instalments, coupons that will not apply), is part of
   `orders` on a normal day and has its own column here.
2. The opening surge at 00:00 (`SURGE`): orders, payment and pre-sales chat rise at once when
   the deals open and decay exponentially (time constant 0.5 h: about 85% of the surge in the
   first hour), `shapes.opening_surge`. The first half-hour brings several times a normal
   day's busiest half-hour.
3. The after-sales bump before the promotion ends at 24:00 (`BUMP`): returns, price
   protection (customers who bought early claim the difference) and logistics questions build
   up over the last four hours, steepest just before midnight, `shapes.deadline_bump`.

About 3,900 contacts. Nothing is random; rerunning rewrites the same file:

    python scenarios/double11_opening/make_forecast.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import shapes  # noqa: E402

# Contact type -> (channel, normal-day volume). `payment` is split off orders for the day.
TYPES = {**shapes.ECOMMERCE_NORMAL_DAY, "payment": ("phone", 90)}

# Promotion day / normal day, per type (before the surge and the bump).
DAY_FACTOR = {
    "orders": 2.0,
    "logistics": 1.6,
    "complaints": 2.0,
    "presales": 2.2,
    "aftersales": 2.0,
    "refunds": 2.0,
    "payment": 2.2,
}

# 24-hour curves: (opens, closes, night floor, weekday bumps, daytime plateau
# (from h, to h, height, edge h)). Channels open all day on Double 11.
CURVES = {
    "phone": (0, 24, 0.10, shapes.WEEKDAY_CURVES["phone"][3], (8, 22.5, 0.40, 0.5)),
    "chat": (0, 24, 0.12, shapes.WEEKDAY_CURVES["chat"][3], (8, 23.5, 0.35, 0.5)),
    "email": (0, 24, 0.08, shapes.WEEKDAY_CURVES["email"][3], None),
}

# Opening surge at 00:00: extra contacts per type, and the decay time constant (h).
SURGE = {"orders": 260, "payment": 190, "presales": 300}
SURGE_DECAY_H = 0.5

# After-sales bump before the promotion ends at 24:00: extra contacts over the last hours.
BUMP = {"aftersales": 170, "logistics": 110, "refunds": 60}
BUMP_LEAD_H = 4.0


def build():
    """Interval starts (h) and expected contacts per half-hour, per contact type."""
    starts = shapes.grid(24)
    volumes = {}
    for name, (channel, normal) in TYPES.items():
        opens, closes, floor, bumps, plateau = CURVES[channel]
        day = (
            normal
            * DAY_FACTOR[name]
            * shapes.intraday(starts, opens, closes, floor, bumps, plateau)
        )
        if name in SURGE:
            day = day + shapes.opening_surge(starts, 0.0, SURGE[name], SURGE_DECAY_H)
        if name in BUMP:
            day = day + shapes.deadline_bump(starts, 24.0, BUMP_LEAD_H, BUMP[name])
        volumes[name] = day
    return starts, volumes


if __name__ == "__main__":
    shapes.write_forecast(Path(__file__).with_name("forecast.csv"), *build())
