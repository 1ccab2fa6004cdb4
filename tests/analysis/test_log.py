"""A replayed log's own measures (`sim.analysis.log`), with the simulation's definitions, on a
hand-made trace."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from sim.analysis.log import LOG_METRICS, log_contacts, log_summary, with_log_measures
from sim.model import Trace
from tests.analysis.samples import DAY_S, two_channel_model


def replayed(segments: list[int] | None = None):
    """Three phone calls (answered in 10 s, abandoned after 40 s, answered in 25 s) and an
    email answered in an hour, in the first hour; segments vip, regular, regular, regular."""
    n = 4
    trace = Trace(
        source="/somewhere/log.csv",
        arrival_s=np.array([100.0, 200.0, 300.0, 500.0]),
        type_index=np.array([0, 0, 0, 1]),
        segment_index=np.array(segments if segments is not None else [0, 1, 1, 1]),
        outcome=np.array(["answered", "abandoned", "answered", "answered"], dtype=object),
        wait_s=np.array([10.0, 40.0, 25.0, 3600.0]),
        handle_s=np.array([60.0, np.nan, 90.0, 300.0]),
        front_s=np.full(n, np.nan),
    )
    return replace(two_channel_model(DAY_S), trace=trace)


def test_the_log_as_a_contacts_table():
    contacts = log_contacts(replayed())
    assert contacts["channel"].tolist() == ["phone"] * 3 + ["email"]
    assert contacts["threshold_s"].tolist() == [20.0] * 3 + [DAY_S]
    assert contacts["segment"].tolist() == ["vip", "regular", "regular", "regular"]
    assert contacts["interval"].tolist() == [0, 0, 0, 0]
    assert (contacts["attempt"] == 0).all() and contacts["customer"].tolist() == [0, 1, 2, 3]
    # Without every contact's segment logged, the column is left out (drawn, not logged).
    assert "segment" not in log_contacts(replayed([0, -1, 1, 1]))


def test_the_logs_measures_per_group_with_the_simulations_definitions():
    summary = log_summary(replayed())
    assert summary["file"] == "log.csv" and summary["contacts"] == 4 and summary["days"] == 1
    phone = summary["kpis"]["channel=phone"]
    assert phone["offered"] == 3 and phone["answered"] == 2 and phone["abandoned"] == 1
    assert phone["service_level"] == pytest.approx(1 / 3)
    assert phone["asa_s"] == pytest.approx(17.5) and phone["mean_wait_s"] == pytest.approx(25.0)
    assert summary["kpis"]["all"]["asa_s"] is None  # phone seconds and email hours never mixed
    assert summary["kpis"]["segment=vip"]["offered"] == 1
    assert set(phone) == set(LOG_METRICS)
    assert "segment=vip" not in log_summary(replayed([0, -1, 1, 1]))["kpis"]


def test_interval_table_gains_the_logs_columns():
    table = pd.DataFrame(
        {"channel": ["phone", "phone", "email"], "queue": ["phone", "phone", "email"]}
        | {"interval": [0, 1, 0], "offered": [3.0, 0.0, 1.0]}
    )
    out = with_log_measures(replayed(), table)
    assert out["log_offered"].tolist() == [3, 0, 1]  # counts 0 where the log has none
    assert out["log_answered"].tolist() == [2, 0, 1]
    assert out.loc[0, "log_service_level"] == pytest.approx(1 / 3)
    assert np.isnan(out.loc[1, "log_service_level"])
    assert list(out.columns[:4]) == list(table.columns)
