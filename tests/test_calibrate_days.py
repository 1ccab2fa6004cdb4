"""Choosing the days of a log: all, weekdays, days of the week, dates, a day column."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.calibrate.days import select_days
from sim.errors import ConfigError


def log_with_dates() -> pd.DataFrame:
    # 2026-11-02 is a Monday; one contact at 09:00 on each of 7 days
    dates = pd.date_range("2026-11-02", periods=7, freq="D")
    return pd.DataFrame(
        {
            "arrival_s": [d * 86400 + 9 * 3600.0 for d in range(7)],
            "date": dates,
            "type": "a",
        }
    )


@pytest.mark.parametrize(
    ("spec", "n"),
    [(None, 7), ("all", 7), ("weekday", 5), ("weekend", 2), ("mon,wed", 2), ("2026-11-03", 1)],
)
def test_filters(spec, n):
    days = select_days(log_with_dates(), spec)
    assert days.n == n
    assert sorted(days.frame["day_key"].unique()) == list(range(n))
    assert (days.frame["tod_s"] == 9 * 3600).all()


def test_labels_are_dates():
    assert select_days(log_with_dates(), "weekend").labels == ("2026-11-07", "2026-11-08")


def test_day_column_numbers_days_sharing_one_clock():
    frame = pd.DataFrame({"arrival_s": [10.0, 20.0, 30.0], "type": "a", "replication": [0, 1, 1]})
    days = select_days(frame, None, "replication")
    assert days.n == 2
    assert days.frame["day_key"].tolist() == [0, 1, 1]


@pytest.mark.parametrize(
    ("frame", "spec", "message"),
    [
        (pd.DataFrame({"arrival_s": [1.0], "type": "a"}), "weekday", "calendar dates"),
        (log_with_dates(), "funday", "not a day filter"),
        (log_with_dates(), "2026-12-25", "no contacts"),
    ],
)
def test_bad_filters(frame, spec, message):
    with pytest.raises(ConfigError, match=message):
        select_days(frame, spec)
