"""Write `forecast.csv`: the half-hourly volume forecast of the `holiday_peak` scenario.

The day is a holiday peak at a Chinese e-commerce contact centre: the day after Double 11 (or
a day in the Spring Festival travel rush), when order questions, "where is my parcel" calls,
after-sales chats and refund requests come in at several times a normal day's volume. The
forecast is built the way planners build one by hand, in three steps:

1. A normal-day volume per contact type (`NORMAL_DAY`): every contact that reaches the centre,
   including those the phone IVR's self-service or the chat bot resolves (the scenario's
   `contained` shares). The numbers are invented, with the proportions typical of a mid-sized
   e-commerce centre: chat is the biggest channel (pre-sales and after-sales questions arrive
   at the bot first, and it answers most pre-sales ones), then phone orders and logistics,
   complaints a few percent, refunds by email. About 2,680 contacts on a normal day. The
   phone and email numbers are the reference weekday of `scenarios/shapes.py`
   (`normal_weekday`); the chat numbers are not: that scenario has no bot and counts only the
   450 chats agents take, while here every conversation the bot opens counts, about 1,760.
2. A holiday multiplier per type (`HOLIDAY`), 2.5x to 3x. Planners' rule of thumb: a peak day
   brings several times a normal day's contacts, and more so for logistics, complaints,
   after-sales and refunds, which follow the orders with a lag of a day or two. About 7,150
   contacts in all, 4,570 of them chats (chat is the busiest channel on Double 11).
3. An intraday curve per channel (`CURVES`) that spreads each day's volume over the 48
   half-hours: a flat base plus one Gaussian bump per peak, evaluated at the middle of each
   interval, set to zero outside the channel's opening hours and normalised to sum to 1. The
   bumps give the contact-centre day of planner practice: the main peak from about 09:00 to
   11:00, a dip over lunch, a second peak from about 14:00 to 16:00, and a lower evening
   shoulder, larger for chat, where customers shop after work. Email is open all day, with a
   trickle overnight.

Volume = NORMAL_DAY x HOLIDAY x curve, rounded to 0.1 contact. Nothing is random: rerunning
the script rewrites the same file. Run it from anywhere with

    python scenarios/holiday_peak/make_forecast.py

and keep the channels' opening hours in line with configs/scenario/holiday_peak.yaml.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

INTERVAL_H = 0.5
STARTS_H = np.arange(0, 24, INTERVAL_H)  # 00:00, 00:30, ... 23:30

# Contact type -> channel.
CHANNEL = {
    "orders": "phone",  # order status, changes, invoices
    "logistics": "phone",  # delayed and lost parcels
    "complaints": "phone",  # escalations, for senior agents
    "presales": "chat",  # product questions, coupons, stock
    "aftersales": "chat",  # returns, exchanges, warranty
    "refunds": "email",  # refund requests with order evidence attached
}

# Contacts on a normal day, per type, self-served ones included.
NORMAL_DAY = {
    "orders": 450,
    "logistics": 310,
    "complaints": 50,
    "presales": 1200,  # opened with the bot, which answers 60% (contained: 0.6)
    "aftersales": 560,  # opened with the bot, which answers 35% (contained: 0.35)
    "refunds": 110,
}

# Peak day / normal day, per type: the after-sales tail (parcels, complaints, refunds) rises
# more than the orders themselves.
HOLIDAY = {
    "orders": 2.6,
    "logistics": 3.0,
    "complaints": 3.0,
    "presales": 2.5,
    "aftersales": 2.8,
    "refunds": 3.0,
}

# Channel -> (opens, closes, base level, bumps as (centre h, width h, height)).
CURVES = {
    "phone": (8, 22, 0.45, [(10.0, 1.2, 1.0), (15.0, 1.2, 0.9), (20.0, 1.3, 0.15)]),
    "chat": (8, 23, 0.40, [(10.25, 1.2, 0.9), (15.0, 1.2, 0.8), (20.5, 1.3, 0.4)]),
    "email": (0, 24, 0.06, [(10.5, 1.8, 1.0), (15.0, 1.8, 0.9), (21.0, 1.8, 0.5)]),
}


def intraday_curve(opens: float, closes: float, base: float, bumps) -> np.ndarray:
    """Share of the day's volume in each half-hour: base plus bumps, zero while closed."""
    start, end = STARTS_H, STARTS_H + INTERVAL_H
    middle = (start + end) / 2
    shape = np.full_like(middle, base)
    for centre, width, height in bumps:
        shape += height * np.exp(-0.5 * ((middle - centre) / width) ** 2)
    shape[(start < opens) | (end > closes)] = 0.0
    return shape / shape.sum()


def forecast() -> dict[str, np.ndarray]:
    """Expected contacts per half-hour, per contact type."""
    curves = {channel: intraday_curve(*spec) for channel, spec in CURVES.items()}
    return {
        name: np.round(NORMAL_DAY[name] * HOLIDAY[name] * curves[channel], 1)
        for name, channel in CHANNEL.items()
    }


def main() -> None:
    volumes = forecast()
    lines = ["start," + ",".join(volumes)]
    for k, start in enumerate(STARTS_H):
        clock = f"{int(start):02d}:{int(round(start % 1 * 60)):02d}"
        lines.append(clock + "," + ",".join(f"{v[k]:.1f}" for v in volumes.values()))
    path = Path(__file__).with_name("forecast.csv")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    totals = ", ".join(f"{name} {v.sum():.0f}" for name, v in volumes.items())
    print(f"wrote {path}: {totals}; total {sum(v.sum() for v in volumes.values()):.0f}")


if __name__ == "__main__":
    main()
