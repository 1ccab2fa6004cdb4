"""Evaluate a candidate roster by simulation: the interval table and which targets it meets.

Every evaluation runs replications 0..N-1 from the same seed (common random numbers: the same
customers, patience and handle times, so two candidates differ by their staffing, not by
luck), writes no report, and measures per (channel, queue) and arrival interval with the
report's own definitions (`sim.analysis.intervals.interval_table`: service level, abandonment and
occupancy, each a mean with its 95% CI over replications).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.intervals import interval_table
from sim.analysis.tables import agents_frame, contacts_frame
from sim.model import Model
from sim.runner import simulate_all
from sim.staffing.menu import Menu, Target


@dataclass(frozen=True)
class Evaluation:
    table: pd.DataFrame  # the interval table (channel, queue, interval, measures...)
    failing: dict[str, list[tuple[str, int]]]  # per target: (queue, interval) falling short
    met: dict[str, bool]  # per target

    @property
    def passed(self) -> bool:
        return all(self.met.values())


def evaluate(model: Model, menu: Menu, seed: int) -> Evaluation:
    runs = simulate_all(
        model, seed, menu.replications, menu.workers, keep_workers=True, ray=menu.ray
    )
    contacts, agents = contacts_frame(model, runs), agents_frame(model, runs)
    return judge(interval_table(model, contacts, agents, menu.replications), menu)


def judge(table: pd.DataFrame, menu: Menu) -> Evaluation:
    """Per target: the intervals (with contacts) that fall short, and whether at most
    `misses` of them do in each of its queues."""
    failing: dict[str, list[tuple[str, int]]] = {}
    met: dict[str, bool] = {}
    for target in menu.targets:
        short: list[tuple[str, int]] = []
        ok = True
        for channel, queue in target.pairs:
            rows = table[table["channel"].eq(channel) & table["queue"].eq(queue)]
            bad = rows.loc[short_of(rows, target, menu.confidence), "interval"]
            short += [(queue, int(k)) for k in bad]
            ok &= len(bad) <= target.misses
        failing[target.label], met[target.label] = short, bool(ok)
    return Evaluation(table, failing, met)


def short_of(rows: pd.DataFrame, target: Target, confidence: str) -> np.ndarray:
    """Rows below the service level (mean, or the CI's lower bound with `lower`), or above
    the abandonment or occupancy cap (mean, or the CI's upper bound)."""
    lo, hi = ("", "") if confidence == "mean" else ("_lo", "_hi")
    sl = rows[f"service_level{lo}"].to_numpy(dtype=float)
    bad = np.isfinite(sl) & (sl < target.service_level - 1e-12)
    for cap, measure in ((target.abandon_max, "abandon_rate"), (target.occupancy_max, "occupancy")):
        if cap is not None:
            value = rows[f"{measure}{hi}"].to_numpy(dtype=float)
            bad |= np.isfinite(value) & (value > cap + 1e-12)
    return bad
