"""The search: an Erlang requirement, covered at least cost, then corrected by simulation.

1. `need` = the Erlang requirement per queue and interval (`requirement`).
2. Cover it at least cost (`cover.solve`): a candidate roster.
3. Evaluate the candidate by simulation with the same seeds every time (common random numbers,
   `evaluate`). Where a target fails (more intervals short than its `misses`), raise the need of
   every failing interval to one agent above what the candidate has on duty there, and go to 2.
4. Once a candidate passes, one pass of lowering: for the intervals with the most slack, one at
   a time, lower the need to one agent below what is on duty there, re-solve; if that is
   cheaper, evaluate it and keep it if it still passes.
5. Stop when nothing changes, or at `max_rounds` rounds of raising or `max_evaluations`
   simulations. The result is the cheapest candidate that passed (or, if none did, the last).

Simulation-based cutting planes in the spirit of Atlason, Epelman & Henderson (2004) and the
sample-average approach of Cezik & L'Ecuyer (2008), much simplified: a local search on one
sample (fixed seeds), not a proof of optimality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.model import Model
from sim.staffing import plan
from sim.staffing.cover import solve
from sim.staffing.menu import Menu
from sim.staffing.requirement import Requirement, erlang_requirement


@dataclass
class Result:
    model: Model  # the recommended roster's model
    counts: np.ndarray
    cols: plan.Columns
    erlang: Requirement
    need: np.ndarray  # the final requirement
    uncoverable: np.ndarray
    rounds: int = 0
    evaluations: int = 0
    before: object = None  # Evaluation of the roster as given (stage 2)
    after: object = None  # Evaluation of the recommendation
    history: list[dict] = field(default_factory=list)


def erlang_cover(model: Model, menu: Menu) -> Result:
    """Steps 1 and 2 alone: the Erlang requirement covered at least cost."""
    req = erlang_requirement(model, menu)
    cols = plan.columns(model, menu, req.queues, req.edges)
    cover = solve(req.need, cols.fixed, cols.columns)
    return Result(
        plan.roster_of(model, cols, cover.counts),
        cover.counts,
        cols,
        req,
        req.need,
        cover.uncoverable,
    )


def supply_of(cols: plan.Columns, counts: np.ndarray) -> np.ndarray:
    """Agents on duty per queue and interval in a candidate, as the program counts them."""
    return cols.fixed + np.tensordot(counts, np.array([c.supply for c in cols.columns]), axes=1)
