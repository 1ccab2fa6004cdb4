"""Write `forecast.csv`: the half-hourly forecast of the `spring_festival_eve` scenario.

Spring Festival eve (除夕) at the e-commerce centre of `normal_weekday`. Couriers have announced
their holiday suspension; customers call about one thing: will my parcel arrive before the
holiday, and if not, when? Few people order anything. The centre opens late and closes early
(phone 09:00-17:00, chat 09:00-18:00); email comes in all day, but nobody answers it after the
last agent leaves.

The forecast is the normal weekday (`shapes.ECOMMERCE_NORMAL_DAY`, `shapes.WEEKDAY_CURVES`)
times a factor per type (`TYPES`), on the weekday curve with a weaker afternoon peak (people
leave work early; `AFTERNOON`), cut to the eve's opening hours and tapered after 15:00
(`shapes.taper`: volume halves every 45 minutes as families travel and sit down to the reunion
dinner; email, written from home and trains, halves every 4 hours):

- logistics (parcel arrival, courier suspension) x1.6, on a queue of its own
  (`phone_logistics`) so that helpers from other departments can take it;
- orders x0.6 (few new orders), plus `bookings` (a delivery or installation slot after the
  holiday; not a normal-day type) 120 before the taper, about 100 after, on general calls;
- complaints x1.2; pre-sales chat x0.5; `delivery` chat (suspension and cut-off dates, returns
  before the holiday; the normal after-sales chat) x1.6; refunds by email x0.8 (the day is about parcels, not money).

The morning is moderately busier than a normal morning (phone about x1.4 at 09:30-10:30), the afternoon falls
away. About 950 contacts. Nothing is random; rerunning rewrites the same file:

    python scenarios/spring_festival_eve/make_forecast.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import shapes  # noqa: E402

# Contact type -> (channel, normal-weekday type it is a multiple of, factor on the eve).
TYPES = {
    "orders": ("phone", "orders", 0.6),
    "bookings": ("phone", None, 120),  # not a normal-day type: contacts on the eve
    "logistics": ("phone", "logistics", 1.6),
    "complaints": ("phone", "complaints", 1.2),
    "presales": ("chat", "presales", 0.5),
    "delivery": ("chat", "aftersales", 1.6),
    "refunds": ("email", "refunds", 0.8),
}

# The weekday curves with the afternoon peak at AFTERNOON of its height and no evening shoulder.
AFTERNOON = 0.6
CURVES = {
    channel: (opens, closes, base, [bumps[0], (*bumps[1][:2], AFTERNOON * bumps[1][2])])
    for channel, (opens, closes, base, bumps) in shapes.WEEKDAY_CURVES.items()
}

# The eve's opening hours per channel (the normal day's shape is cut to them).
HOURS = {"phone": (9, 17), "chat": (9, 18), "email": (0, 24)}

# Volume falls after 15:00, halving every TAPER_HALF_LIFE_H hours (email more slowly).
TAPER_FROM_H = 15.0
TAPER_HALF_LIFE_H = {"phone": 0.75, "chat": 0.75, "email": 4.0}


def build():
    """Interval starts (h) and expected contacts per half-hour, per contact type."""
    starts = shapes.grid(24)
    volumes = {}
    for name, (channel, normal_type, factor) in TYPES.items():
        share = shapes.intraday(starts, *CURVES[channel])
        if normal_type is None:  # a day total, on the normal curve cut to the eve's hours
            day = factor * share / share[shapes.is_open(starts, *HOURS[channel])].sum()
        else:
            day = factor * shapes.ECOMMERCE_NORMAL_DAY[normal_type][1] * share
        day = day * shapes.is_open(starts, *HOURS[channel])
        volumes[name] = day * shapes.taper(starts, TAPER_FROM_H, TAPER_HALF_LIFE_H[channel])
    return starts, volumes


if __name__ == "__main__":
    shapes.write_forecast(Path(__file__).with_name("forecast.csv"), *build())
