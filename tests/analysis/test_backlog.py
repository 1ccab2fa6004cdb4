"""What a deferrable channel leaves when the run stops (`sim.analysis.backlog`)."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.analysis.backlog import backlog_of, backlog_summary
from tests.analysis.samples import DAY_S, mixed_day, two_channel_model


def test_backlog_left_at_the_end():
    table, _ = mixed_day()
    backlog = backlog_summary(two_channel_model(DAY_S), table, 1, DAY_S)
    assert set(backlog) == {"channel=email", "queue=email"}  # phone is not deferrable
    email = {k: v["mean"] for k, v in backlog["channel=email"].items()}
    assert email["left"] == 1 and email["arrived"] == 3
    assert email["oldest_h"] == pytest.approx((DAY_S - 80000.0) / 3600)
    assert email["growth"] == 1  # nothing waited at the start of the day
    assert email["share_if_late"] == pytest.approx(2 / 3)


def test_growth_is_against_what_waited_a_day_before_the_end():
    """Two days: of the emails waiting at the end of day one, one is still waiting at the end
    of day two and one was answered; two more arrived on day two and wait: growth 3 - 2."""
    rows = [
        # join, wait, outcome
        (1000.0, DAY_S + 500.0, "answered"),  # across the end of day one, answered late
        (2000.0, 2 * DAY_S - 2000.0, "unserved"),  # waiting across it, still at the end
        (DAY_S + 100.0, DAY_S - 100.0, "unserved"),
        (DAY_S + 200.0, DAY_S - 200.0, "unserved"),
        (3000.0, 100.0, "answered"),  # answered on day one
    ]
    table = pd.DataFrame(rows, columns=["join_s", "wait_s", "outcome"])
    table["channel"] = table["queue"] = "email"
    table["threshold_s"] = DAY_S
    table["replication"] = 0
    backlog = backlog_of(table, {"email": ["email"]}, 1, 2 * DAY_S)["queue=email"]
    assert backlog["left"]["mean"] == 3 and backlog["arrived"]["mean"] == 2
    assert backlog["growth"]["mean"] == 1
    assert backlog["share_if_late"]["mean"] == pytest.approx(1 / 5)  # the 100 s one only
    assert backlog["oldest_h"]["mean"] == pytest.approx((2 * DAY_S - 2000.0) / 3600)


def test_transfer_legs_are_not_backlog():
    table, _ = mixed_day()
    table["transfer_of"] = -1
    leg = table.iloc[[4]].assign(transfer_of=2)  # a second leg of an answered email
    with_leg = pd.concat([table, leg], ignore_index=True)
    model = two_channel_model(DAY_S)
    assert backlog_summary(model, with_leg, 1, DAY_S) == backlog_summary(model, table, 1, DAY_S)
