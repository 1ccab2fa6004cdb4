"""Cover a requirement with shifts at least cost: an integer program solved by HiGHS.

Columns are the menu's shift options (any whole number of each, x_j >= 0) and, when a group
is `removable`, each of its existing shifts (kept or not, 0 <= x_j <= 1). With coverage[j, q, k]
the share of interval k a column's agent is on duty off break (`ShiftOption.coverage`: breaks
averaged over the stagger slots; 0 for queues it lacks the skill of):

    minimise    sum_j cost_j x_j
    subject to  sum_j coverage[j, q, k] x_j + fixed[q, k] >= need[q, k]   for every q, k

where `fixed` is the roster's agents that stay (on duty off break, counted for every queue they
hold). Coverage is fractional, so two half-covering shifts count as one agent in that
interval. Multi-skilled agents count fully for each of their queues: an optimistic count that
the simulation then corrects. A requirement no column can raise is left where the fixed roster
leaves it and reported as uncoverable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

TOL = 1e-9


@dataclass(frozen=True)
class Column:
    """A variable of the program: one shift pattern, `upper` copies at most (inf or 1)."""

    label: str
    cost: float
    supply: np.ndarray  # [queue, interval]: agents one copy adds
    upper: float = np.inf


@dataclass(frozen=True)
class Cover:
    counts: np.ndarray  # per column, whole numbers
    cost: float  # sum of cost_j x_j
    uncoverable: np.ndarray  # bool [queue, interval]: need left unmet by any column


def solve(need: np.ndarray, fixed: np.ndarray, columns: list[Column]) -> Cover:
    """The cheapest whole-number cover of `need - fixed` by `columns` (see the module doc)."""
    supply = np.array([c.supply for c in columns]).reshape(len(columns), -1)  # [j, row]
    short = (need - fixed).ravel()
    upper = np.array([c.upper for c in columns], dtype=float)
    reach = supply * np.where(np.isinf(upper), 1e12, upper)[:, None]  # unbounded: any amount
    most = reach.sum(axis=0)
    uncoverable = short > most + TOL
    rhs = np.minimum(short, most)
    rows = rhs > TOL
    cost = np.array([c.cost for c in columns], dtype=float)
    if not rows.any():
        counts = np.zeros(len(columns))
    else:
        result = milp(
            c=cost,
            integrality=np.ones(len(columns)),
            bounds=Bounds(np.zeros(len(columns)), upper),
            constraints=LinearConstraint(supply[:, rows].T, lb=rhs[rows] - 1e-7, ub=np.inf),
            options={"time_limit": 120.0},
        )
        if result.x is None:
            raise RuntimeError(f"the covering program failed: {result.message}")
        counts = np.round(result.x)
    return Cover(counts.astype(int), float(cost @ counts), uncoverable.reshape(need.shape))
