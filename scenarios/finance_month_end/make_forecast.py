"""Write `forecast.csv`: the half-hourly forecast of the `finance_month_end` scenario.

Month-end at the contact centre of a consumer-finance and credit-card business: statements have
gone out, the repayment deadline is today at 17:00 (payments made later post tomorrow and
count as overdue), and customers call about bills, repayments, instalments and their cards.
The centre is phone-heavy (about 80% of contacts), and premium-card holders (20% of callers)
are served first (configs/scenario/finance_month_end.yaml).

The forecast is a mid-month day per type (`MID_MONTH`, about 1,320 contacts) times a month-end
factor (`MONTH_END`), spread over the month-end curve `shapes.month_end`: a strong morning
peak about 09:30-10:30, a small after-lunch shoulder, and a second peak building up over the
three hours before the 17:00 repayment deadline (steepest in the last hour) and dropping at it. How strong the deadline peak
is depends on the type (`DEADLINE_HEIGHT`): repayment calls are mostly deadline calls, card
calls (activation, lost card, limits) hardly care. About 2,180 contacts.

Nothing is random; rerunning rewrites the same file:

    python scenarios/finance_month_end/make_forecast.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import shapes  # noqa: E402

# Contact type -> (channel, contacts on a mid-month day).
MID_MONTH = {
    "billing": ("phone", 450),  # bill queries, unknown charges, disputes
    "repayment": ("phone", 250),  # how much, by when, instalments, minimum payment, overdue
    "cards": ("phone", 330),  # activation, lost or stolen card, limit changes
    "app": ("chat", 220),  # online banking and app: login, autopay set-up, repaying in the app
    "statements": ("email", 100),  # statement copies, proof of repayment, closing letters
}

# Month-end day / mid-month day, per type.
MONTH_END = {"billing": 1.5, "repayment": 3.2, "cards": 1.05, "app": 1.4, "statements": 1.5}

# Height of the deadline peak relative to the morning peak's 1.6 (`shapes.month_end`).
DEADLINE_HEIGHT = {"billing": 1.0, "repayment": 3.5, "cards": 0.1, "app": 1.2, "statements": 0.3}
DEADLINE_H = 17.0  # repayments after 17:00 post tomorrow
DEADLINE_LEAD_H = 3.0  # the deadline peak builds up from 14:00

# Opening hours per channel: phone 08:00-21:00, chat 08:00-22:00, email all day.
HOURS = {"phone": (8, 21), "chat": (8, 22), "email": (0, 24)}
BASE = {"phone": 0.45, "chat": 0.45, "email": 0.15}


def build():
    """Interval starts (h) and expected contacts per half-hour, per contact type."""
    starts = shapes.grid(24)
    volumes = {}
    for name, (channel, mid_month) in MID_MONTH.items():
        share = shapes.month_end(
            starts,
            *HOURS[channel],
            base=BASE[channel],
            deadline_h=DEADLINE_H,
            deadline_height=DEADLINE_HEIGHT[name],
            lead_h=DEADLINE_LEAD_H,
        )
        volumes[name] = mid_month * MONTH_END[name] * share
    return starts, volumes


if __name__ == "__main__":
    shapes.write_forecast(Path(__file__).with_name("forecast.csv"), *build())
