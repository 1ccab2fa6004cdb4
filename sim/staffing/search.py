"""The search: an Erlang requirement, covered at least cost, then corrected by simulation.

1. `need` = the Erlang requirement per queue and interval (`requirement`).
2. Cover it at least cost (`cover.solve`): a candidate roster.
3. Evaluate the candidate by simulation with the same seeds every time (common random numbers,
   `evaluate`) and judge it by the one rule (`sim.analysis.verdict.judge`, the model's
   targets). It passes when every channel the menu can staff holds. Otherwise raise the need
   of every interval to blame (`evaluate.to_raise`) to one agent above what the candidate has
   on duty there, and go to 2.
4. Once a candidate passes, one pass of lowering: for the intervals with the most slack (service
   level above the queue's target), one at a time, lower the need to one agent below what is on
   duty there, re-solve; if that is cheaper, evaluate it and keep it if it still holds.
5. Stop when nothing changes, or at `max_rounds` rounds of raising or `max_evaluations`
   simulations. The result is the cheapest candidate that held (or, if none did, the last).

Simulation-based cutting planes in the spirit of Atlason, Epelman & Henderson (2004) and the
sample-average approach of Cezik & L'Ecuyer (2008), much simplified: a local search on one
sample (fixed seeds), not a proof of optimality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from sim.model import Model
from sim.staffing import plan
from sim.staffing.cover import Cover, solve
from sim.staffing.evaluate import Evaluation, evaluate
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
    before: Evaluation | None = None  # the roster as given
    after: Evaluation | None = None  # the recommendation
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


def search(model: Model, menu: Menu, seed: int, show: bool = False) -> Result:
    """Steps 1-5 of the module doc."""
    req = erlang_requirement(model, menu)
    cols = plan.columns(model, menu, req.queues, req.edges)
    cache: dict[tuple[int, ...], Evaluation] = {}
    bar = tqdm(total=menu.max_evaluations, desc="staffing evaluations", disable=not show)

    def run(counts: np.ndarray) -> Evaluation:
        key = tuple(int(n) for n in counts)
        if key not in cache:
            cache[key] = evaluate(plan.roster_of(model, cols, counts), menu, seed)
            bar.update()
        return cache[key]

    before = run(plan.initial_counts(cols))
    need = req.need.copy()
    history: list[dict] = []
    best: Cover | None = None
    cover = solve(need, cols.fixed, cols.columns)
    rounds = 0
    while rounds < menu.max_rounds and len(cache) < menu.max_evaluations:
        rounds += 1
        ev = run(cover.counts)
        history.append(_step("raise", rounds, cover, ev))
        bar.set_postfix(cost=f"{cover.cost:.0f}", level=ev.level.label)
        if ev.passed:
            best = cover
            break
        raised = _raise(need, ev, req.queues, supply_of(cols, cover.counts), cover)
        if not raised:
            break
        cover = solve(need, cols.fixed, cols.columns)
    if best is not None:
        best, need = _lower(best, need, cols, model, menu, req.queues, run, cache, history, bar)
    final = best if best is not None else cover
    bar.close()
    return Result(
        model=plan.roster_of(model, cols, final.counts),
        counts=final.counts,
        cols=cols,
        erlang=req,
        need=need,
        uncoverable=final.uncoverable,
        rounds=rounds,
        evaluations=len(cache),
        before=before,
        after=run(final.counts),
        history=history,
    )


def _step(kind: str, round_: int, cover: Cover, ev: Evaluation) -> dict:
    return {
        "step": kind,
        "round": round_,
        "cost": cover.cost,
        "level": ev.level.label,
        "failing_intervals": sum(len(f) for f in ev.failing.values()),
    }


def _raise(need, ev: Evaluation, queues, supply, cover: Cover) -> bool:
    """Raise the need of every interval to blame (`Evaluation.failing`) to one agent above what
    the candidate has there; False if nothing could be raised."""
    changed = False
    for queue, intervals in ev.failing.items():
        if queue not in queues:
            continue
        i = queues.index(queue)
        for k in intervals:
            if cover.uncoverable[i, k]:
                continue
            new = max(need[i, k], supply[i, k]) + 1
            changed |= new > need[i, k]
            need[i, k] = new
    return changed


def _lower(best: Cover, need, cols, model: Model, menu: Menu, queues, run, cache, history, bar):
    """One pass over the intervals with the most slack (the candidate's service level above
    the queue's target), most first: lower the need to one agent below what is on duty there;
    keep it if the re-solved roster is cheaper and still holds."""
    ev = run(best.counts)
    slack = []
    t = ev.table
    for channel, queue in dict.fromkeys(zip(t["channel"], t["queue"], strict=True)):
        if queue not in queues or channel not in ev.staffed:
            continue
        goal = model.targets.of_queue(queue, channel).service_level
        rows = t[t["channel"].eq(channel) & t["queue"].eq(queue)]
        for k, value in zip(rows["interval"], rows["service_level"], strict=True):
            if np.isfinite(value) and need[queues.index(queue), k] > 0:
                slack.append((value - goal, queues.index(queue), int(k)))
    for _, i, k in sorted(slack, reverse=True):
        if len(cache) >= menu.max_evaluations:
            break
        trial = need.copy()
        trial[i, k] = max(0.0, min(need[i, k], supply_of(cols, best.counts)[i, k]) - 1)
        cover = solve(trial, cols.fixed, cols.columns)
        if cover.cost >= best.cost - 1e-9:
            continue
        ev = run(cover.counts)
        history.append(_step("lower", len(history), cover, ev))
        bar.set_postfix(cost=f"{cover.cost:.0f}")
        if ev.passed:
            best, need = cover, trial
    return best, need
