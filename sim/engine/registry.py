"""Policies by name: one small registry per kind of policy, filled where each is defined.

A routing policy (a queue discipline, an idle-agent selector) registers itself beside its
definition, under the name the config uses, with the `Routing` fields it reads (its
parameters) and a `build(routing) -> policy` that checks them. That one entry is all the engine
and the config know of it: `Registry.build` picks the policy a model's routing names, refuses
an unknown name or a parameter the chosen policy does not take, and lets the policy check its
own. Nothing outside the engine imports this: `sim.engine.check(model)` runs the same checks
before a run starts, so a bad name is still a one-line input error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Generic, TypeVar

from sim.errors import ConfigError
from sim.model import Routing

P = TypeVar("P")

# A routing parameter is "given" when it differs from its default (`sim.model.Routing`).
_DEFAULTS = {f.name: f.default for f in fields(Routing)}


@dataclass(frozen=True)
class Entry(Generic[P]):
    """A registered policy: `build(routing)` returns it for that routing, after checking the
    parameters it reads (`parameters`: fields of `sim.model.Routing`); it raises
    `sim.errors.ConfigError` for a bad value."""

    name: str
    build: Callable[[Routing], P]
    parameters: tuple[str, ...] = ()


class Registry(Mapping[str, Entry[P]], Generic[P]):
    """The policies of one kind, by name, in the order they were registered (the order error
    messages list them). `field` is the `Routing` field that names the one a model uses."""

    def __init__(self, field: str):
        self.field = field
        self._entries: dict[str, Entry[P]] = {}

    def add(
        self, name: str, build: Callable[[Routing], P], parameters: tuple[str, ...] = ()
    ) -> None:
        if name in self._entries:
            raise ValueError(f"{self.field} {name!r} is registered twice")
        unknown = [p for p in parameters if p not in _DEFAULTS]
        if unknown:
            raise ValueError(f"{self.field} {name!r}: no routing parameter {unknown[0]!r}")
        self._entries[name] = Entry(name, build, parameters)

    def __getitem__(self, name: str) -> Entry[P]:
        return self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def build(self, routing: Routing) -> P:
        """The policy `routing` names, its parameters checked (`ConfigError` otherwise)."""
        name = getattr(routing, self.field)
        entry = self._entries.get(name)
        if entry is None:
            raise ConfigError(
                "routing", self.field, f"{name!r} is not one of {', '.join(self._entries)}"
            )
        for parameter in self._parameters():
            if parameter in entry.parameters:
                continue
            if getattr(routing, parameter) != _DEFAULTS[parameter]:
                users = " or ".join(
                    f"`{self.field}: {e.name}`"
                    for e in self._entries.values()
                    if parameter in e.parameters
                )
                raise ConfigError("routing", parameter, f"applies only with {users}")
        return entry.build(routing)

    def _parameters(self) -> list[str]:
        """Every parameter some policy of this kind reads, in order of registration."""
        return list(dict.fromkeys(p for e in self._entries.values() for p in e.parameters))
