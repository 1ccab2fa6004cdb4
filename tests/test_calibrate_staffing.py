"""Staffing present per interval (agents seen, busy while waiting) and the roster reproducing it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibrate.staffing import (
    Pool,
    Staffing,
    agents_seen,
    busy_while_waiting,
    presence_of_rows,
    roster_rows,
)
from sim.inputs.files import FileFinder
from sim.inputs.roster import read_roster

H = 3600.0


def contact(agent, day, start_h, handle_s, type_="a", wait_s=0.0):
    return {
        "agent": agent,
        "day_key": day,
        "tod_s": start_h * H,
        "wait_s": wait_s,
        "handle_s": handle_s,
        "type": type_,
        "outcome": "answered",
    }


def test_agents_seen_from_first_to_last_contact():
    frame = pd.DataFrame(
        [
            contact("x", 0, 8.0, 60),  # x: 08:00 .. 10:15 on day 0
            contact("x", 0, 10.0, 900),
            contact("y", 0, 9.0, 60, type_="b"),  # y: 09:00-09:01, skills a and b
            contact("y", 1, 9.0, 1800, type_="a"),  # y on day 1: 09:00-09:30
        ]
    )
    staffing = agents_seen(frame, n_days=2, interval_s=1800)
    pools = {p.name: p for p in staffing.pools}
    assert set(pools) == {"a", "a+b"}
    x = pools["a"].per_day[0]
    assert x[16:20].tolist() == [1, 1, 1, 1] and x[20] == pytest.approx(0.5) and x[21] == 0
    y = pools["a+b"].per_day
    assert y[0, 18] == pytest.approx(60 / 1800) and y[1, 18] == pytest.approx(1.0)
    assert pools["a+b"].presence[18] == pytest.approx((60 / 1800 + 1) / 2)


def test_busy_while_waiting():
    # Two agents: both busy 10:00-11:00 while a third caller waits 10:10-10:50 then is answered.
    frame = pd.DataFrame(
        [
            contact(None, 0, 10.0, 3600),
            contact(None, 0, 10.0, 3600),
            contact(None, 0, 10 + 10 / 60, 600, wait_s=2400),
        ]
    )
    staffing = busy_while_waiting(frame, 1, 1800)
    (pool,) = staffing.pools
    assert pool.presence[20] == pytest.approx(2.0)  # 10:00-10:30: two busy while one waits
    assert pool.presence[21] == pytest.approx(2.0)  # 10:30-11:00 likewise (until 10:50)


@pytest.mark.parametrize("interval_s", [900.0, 1800.0])
def test_roster_reproduces_fractional_presence(interval_s, tmp_path: Path):
    n = int(86400 / interval_s)
    rng = np.random.default_rng(1)
    presence = np.zeros(n)
    busy = slice(n // 3, 5 * n // 6)
    presence[busy] = np.round(rng.uniform(0.2, 6.5, busy.stop - busy.start), 3)
    staffing = Staffing("test", interval_s, (Pool("team", ("a", "b"), presence[None, :]),))
    rows = roster_rows(staffing)
    written = presence_of_rows(rows, interval_s)["team"]
    assert written == pytest.approx(presence, abs=0.002)
    # and the roster loader takes it as is
    path = tmp_path / "roster.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    agents = read_roster({"file": str(path)}, FileFinder(tmp_path))
    assert len(agents) == len(rows)
    assert all(a.skills == frozenset({"a", "b"}) for a in agents)
    on_duty = np.zeros(n)
    starts = np.arange(n) * interval_s
    for agent in agents:
        for shift in agent.shifts:
            on = np.clip(
                np.minimum(shift.end_s, starts + interval_s) - np.maximum(shift.start_s, starts),
                0,
                None,
            )
            for b in shift.breaks:
                on -= np.clip(
                    np.minimum(b.start_s + b.duration_s, starts + interval_s)
                    - np.maximum(b.start_s, starts),
                    0,
                    None,
                )
            on_duty += on / interval_s
    assert on_duty == pytest.approx(presence, abs=0.002)
    longest = max(s.end_s - s.start_s for a in agents for s in a.shifts)
    assert longest <= 5 * H
