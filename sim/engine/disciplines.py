"""Which waiting contact first: the queue disciplines.

A discipline is one object with one method, `levels(priorities)`: given each segment's
priority (higher is served first), it returns the level each segment waits at and the levels
themselves. Each waiting line keeps one deque per level, in order of place (`key`: the time
the contact joined, or arrived for a chat the bot handed over). A freed agent compares the
heads of the deques it may take from: the lowest `rank` first, then the smallest
`key + offset`. That one rule gives all three disciplines:

- strict priority (`priority`): one level per distinct priority, ranked; FIFO within a level;
- first come, first served (`fifo`): one level for everybody;
- priority growing with waiting time (`ageing`): a contact's priority is its segment's base
  priority plus `rate` per second waited. At any moment the contact with the highest
  base + rate x (now - key) is the one with the smallest key - base / rate, so the order is
  static: one level per distinct priority, all of rank 0, offset -base / rate. Rate 0 is
  strict priority; a very large rate, FIFO.

Non-preemptive throughout: a contact in service is never interrupted.

Each discipline registers itself in `DISCIPLINES` under its config name (`routing.discipline`)
with the routing parameters it reads; its `from_routing(routing)` builds it and checks them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sim.engine.registry import Registry
from sim.errors import number
from sim.model import Routing


@dataclass(frozen=True)
class Level:
    rank: int  # heads of a lower rank always go first
    offset: float = 0.0  # added to the head's key when comparing heads of one rank


class Discipline(Protocol):
    def levels(self, priorities: Sequence[int]) -> tuple[list[int], list[Level]]:
        """Each segment's level index, and the levels."""
        ...


class DisciplineClass(Protocol):
    """What a registered discipline class provides: built from the routing it reads."""

    def from_routing(self, routing: Routing) -> Discipline: ...


DISCIPLINES: Registry[Discipline] = Registry("discipline")

C = TypeVar("C", bound=DisciplineClass)


def registered(name: str, parameters: tuple[str, ...] = ()) -> Callable[[C], C]:
    """Class decorator: register a discipline under `name`, reading `parameters` (fields of
    `sim.model.Routing`), built by its `from_routing`."""

    def register(cls: C) -> C:
        DISCIPLINES.add(name, cls.from_routing, parameters)
        return cls

    return register


def _by_priority(priorities: Sequence[int]) -> tuple[list[int], list[int]]:
    """Distinct priorities, highest first, and each segment's index among them."""
    distinct = sorted(set(priorities), reverse=True)
    return [distinct.index(p) for p in priorities], distinct


@registered("priority")
@dataclass(frozen=True)
class StrictPriority:
    """Higher segment priority first (the VIP green channel), FIFO within a priority."""

    @classmethod
    def from_routing(cls, routing: Routing) -> StrictPriority:
        return cls()

    def levels(self, priorities: Sequence[int]) -> tuple[list[int], list[Level]]:
        level_of, distinct = _by_priority(priorities)
        return level_of, [Level(rank) for rank in range(len(distinct))]


@registered("fifo")
@dataclass(frozen=True)
class Fifo:
    """Everybody in order of place, whatever the segment."""

    @classmethod
    def from_routing(cls, routing: Routing) -> Fifo:
        return cls()

    def levels(self, priorities: Sequence[int]) -> tuple[list[int], list[Level]]:
        return [0] * len(priorities), [Level(0)]


@registered("ageing", parameters=("ageing_per_s",))
@dataclass(frozen=True)
class Ageing:
    """Base priority plus `rate_per_s` per second waited ("long waiters first")."""

    rate_per_s: float

    @classmethod
    def from_routing(cls, routing: Routing) -> Ageing:
        return cls(number(routing.ageing_per_s, "routing", "ageing_per_s", minimum=0))

    def levels(self, priorities: Sequence[int]) -> tuple[list[int], list[Level]]:
        if self.rate_per_s == 0:
            return StrictPriority().levels(priorities)
        level_of, distinct = _by_priority(priorities)
        return level_of, [Level(0, -p / self.rate_per_s) for p in distinct]


TRANSFER_LEVEL = Level(-1)  # transfer legs: ahead of every other contact of their line
