"""A candidate roster: the model's own shifts (less those removed) plus added menu shifts.

`columns` turns the menu and the model into the covering program's variables (`cover.Column`);
`roster_of` turns a solution (a count per column) back into agents, so the same candidate is
simulated, costed and written out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from sim.clock import format_clock
from sim.errors import ConfigError
from sim.model import Agent, GroupCost, Model
from sim.staffing.cover import Column
from sim.staffing.menu import Menu, ShiftOption, on_duty


@dataclass(frozen=True)
class Removable:
    """An existing shift the search may drop: `agent` (index into Model.agents), `shift`."""

    agent: int
    shift: int


@dataclass(frozen=True)
class Columns:
    columns: list[Column]
    options: tuple[ShiftOption, ...]  # the first len(options) columns
    removable: tuple[Removable, ...]  # the rest
    fixed: np.ndarray  # [queue, interval]: the roster's agents that always stay


def columns(model: Model, menu: Menu, queues: tuple[str, ...], edges: np.ndarray) -> Columns:
    taken = {a.name for a in model.agents}
    for option in menu.options:
        if any(name.startswith(f"{option.name}_") for name in taken):
            raise ConfigError(
                "staffing.templates", "name", f"{option.name!r} clashes with roster agents' names"
            )
    cols = [
        Column(option.name, option.cost, _supply(option.skills, option.coverage(edges), queues))
        for option in menu.options
    ]
    fixed = np.zeros((len(queues), len(edges) - 1))
    removable = []
    for i, agent in enumerate(model.agents):
        for s, shift in enumerate(agent.shifts):
            duty = on_duty(shift.start_s, shift.end_s, shift.breaks, edges)
            supply = _supply(agent.skills, duty, queues)
            if agent.group in menu.removable:
                rate = model.costs[agent.group].per_hour
                label = f"{agent.name}@{format_clock(shift.start_s)}"
                cols.append(Column(label, rate * shift.paid_s / 3600, supply, upper=1.0))
                removable.append(Removable(i, s))
            else:
                fixed += supply
    return Columns(cols, menu.options, tuple(removable), fixed)


def _supply(skills: frozenset[str], duty: np.ndarray, queues: tuple[str, ...]) -> np.ndarray:
    return np.array([duty if q in skills else np.zeros_like(duty) for q in queues])


def initial_counts(cols: Columns) -> np.ndarray:
    """The roster as it is: nothing added, every removable shift kept."""
    return np.array([0] * len(cols.options) + [1] * len(cols.removable))


def roster_of(model: Model, cols: Columns, counts: np.ndarray) -> Model:
    """The model with the candidate's roster: removed shifts dropped (their agents stay, with
    fewer or no shifts, so on-call indices hold), added agents appended after all others."""
    dropped = {
        (r.agent, r.shift)
        for r, n in zip(cols.removable, counts[len(cols.options) :], strict=True)
        if n == 0
    }
    agents = [
        replace(a, shifts=tuple(s for j, s in enumerate(a.shifts) if (i, j) not in dropped))
        if any(i == d[0] for d in dropped)
        else a
        for i, a in enumerate(model.agents)
    ]
    costs = dict(model.costs)
    for option, n in zip(cols.options, counts, strict=False):
        costs.setdefault(option.group, GroupCost(option.per_hour))
        agents += [added_agent(option, k) for k in range(int(n))]
    return replace(model, agents=tuple(agents), costs=costs)


def added_agent(option: ShiftOption, k: int) -> Agent:
    from sim.model import Shift

    return Agent(
        name=f"{option.name}_{k + 1:03d}",
        skills=option.skills,
        shifts=(Shift(option.start_s, option.end_s, option.breaks_of(k)),),
        group=option.group,
        max_chats=option.chats,
    )


def planned_cost(model: Model) -> float | None:
    """Planned paid hours x each group's rate (None: a group with shifts has no rate)."""
    total = 0.0
    for agent in model.agents:
        hours = sum(s.paid_s for s in agent.shifts) / 3600
        if hours and agent.group not in model.costs:
            return None
        total += hours * (model.costs[agent.group].per_hour if hours else 0.0)
    return total


def changes(cols: Columns, counts: np.ndarray, model: Model) -> dict:
    """Shifts added per template option and removed per group, for staffing.json."""
    added: dict[str, int] = {}
    by_template: dict[str, int] = {}
    for option, n in zip(cols.options, counts, strict=False):
        if n:
            added[option.name] = int(n)
            by_template[option.template] = by_template.get(option.template, 0) + int(n)
    removed: dict[str, int] = {}
    for r, n in zip(cols.removable, counts[len(cols.options) :], strict=True):
        if n == 0:
            group = model.agents[r.agent].group
            removed[group] = removed.get(group, 0) + 1
    return {"added_per_template": by_template, "added": added, "removed_per_group": removed}
