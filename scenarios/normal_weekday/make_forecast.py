"""Write `forecast.csv`: the half-hourly forecast of the `normal_weekday` scenario.

An ordinary weekday (a Tuesday in September, say) at the Chinese e-commerce contact centre of
`holiday_peak`: the baseline that planners multiply for holiday and promotion days. The volumes
and intraday curves are the centre's reference weekday in `scenarios/shapes.py`
(`ECOMMERCE_NORMAL_DAY`, `WEEKDAY_CURVES`): about 1,370 contacts, phone orders and logistics the
bulk, chat split between pre-sales and after-sales, refunds by email; peaks about 09:00-11:00
and 14:00-16:00, a lunch dip and an evening shoulder (larger for chat).

`holiday_peak` is this forecast times its per-type holiday factors (2.5x-3x), so the two
scenarios share one baseline; `scenario=normal_weekday scenario.forecast.scale=2.7` is a quick
what-if of a holiday volume on the normal roster.

Nothing is random; rerunning rewrites the same file:

    python scenarios/normal_weekday/make_forecast.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import shapes  # noqa: E402


def build():
    """Interval starts (h) and expected contacts per half-hour, per contact type."""
    starts = shapes.grid(24)
    volumes = {
        name: day_total * shapes.intraday(starts, *shapes.WEEKDAY_CURVES[channel])
        for name, (channel, day_total) in shapes.ECOMMERCE_NORMAL_DAY.items()
    }
    return starts, volumes


if __name__ == "__main__":
    shapes.write_forecast(Path(__file__).with_name("forecast.csv"), *build())
