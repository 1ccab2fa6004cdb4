"""Planned against realised hours, absences, call-ins and alert time, on hand-made frames."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from sim.analysis.workforce import time_raised, workforce_summary
from sim.model import Absence, AlertRule, Monitor
from tests.engine.test_monitor import watched as centre


def test_hours_shrinkage_absences_and_alerts():
    model = replace(
        centre(Monitor(60, (AlertRule("q", "queue_length", 1, True, queue="calls"),))),
        absence={"agents": Absence(0.1)},
    )  # a1 plans one shift of 10,000 s
    agents = pd.DataFrame(
        {
            "replication": [0, 0, 1],
            "agent": ["a1", "a1", "a1"],
            "group": ["agents"] * 3,
            "kind": ["late", "shift", "absent"],
            "start_s": [0.0, 1800.0, 0.0],
            "end_s": [1800.0, 10000.0, 10000.0],
            "planned_end_s": [10000.0] * 3,
        }
    )
    alerts = pd.DataFrame(
        {
            "replication": [0, 0, 0, 1],
            "time_s": [100.0, 400.0, 9000.0, 500.0],
            "rule": ["q"] * 4,
            "measure": ["queue_length"] * 4,
            "value": [3.0, 1.0, 2.0, 4.0],
            "state": ["raised", "cleared", "raised", "raised"],
        }
    )
    summary = workforce_summary(model, agents, alerts, 2)
    group = summary["groups"]["group=agents"]
    assert group["planned_h"] == pytest.approx(10000 / 3600)
    assert group["realised_h"]["mean"] == pytest.approx(8200 / 3600 / 2)
    assert group["shrinkage"]["mean"] == pytest.approx(1 - 8200 / 10000 / 2)
    assert group["absent_shifts"]["mean"] == 0.5 and group["late_h"]["mean"] == 0.25
    # Raised 300 s then from 9,000 to the end of the 3-hour horizon; in rep 1 from 500 on.
    raised_h = summary["alerts"]["q"]["raised_h"]["mean"]
    assert raised_h == pytest.approx(((300 + 10800 - 9000) + (10800 - 500)) / 3600 / 2)
    assert summary["alerts"]["q"]["raised"]["mean"] == 1.5


def test_time_raised_pairs_crossings():
    rows = pd.DataFrame({"time_s": [10.0, 20.0, 50.0], "state": ["raised", "cleared", "raised"]})
    assert time_raised(rows, 100.0) == 10 + 50


def test_no_workforce_section_without_absences_or_monitor():
    assert workforce_summary(centre(None), pd.DataFrame(), pd.DataFrame(), 1) is None
