"""Which free agent: the idle-agent selection policies.

When a contact can go to several idle agents of one routing stage, a selector decides. A
selector is a function `selector(profile, queue, groups) -> float`: a score for agents of that
profile (see `sim.engine.agents.Profile`) taking a contact of `queue` offered to the stage's
`groups`; the lowest score wins, ties go to the agent idle longest. Scores do not change during
a run, so the router sorts each stage's profiles by score once, when the run is built.

Stages come first: an agent of a later stage is chosen only if no agent of an earlier stage
(whose delay has passed) is idle. The selector chooses within a stage.

Each selector registers itself in `SELECTORS` under its config name (`routing.selection`);
none takes parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sim.engine.registry import Registry
from sim.model import Routing

if TYPE_CHECKING:
    from sim.engine.agents import Profile

Selector = Callable[["Profile", int, Sequence[str]], float]

SELECTORS: Registry[Selector] = Registry("selection")


def registered(name: str) -> Callable[[Selector], Selector]:
    """Function decorator: register a selector under `name`."""

    def register(selector: Selector) -> Selector:
        def build(routing: Routing) -> Selector:
            return selector

        SELECTORS.add(name, build)
        return selector

    return register


@registered("longest_idle")
def longest_idle(profile: Profile, queue: int, groups: Sequence[str]) -> float:
    """The agent idle longest (fair to agents: the default of most ACDs)."""
    return 0.0


@registered("best_skill")
def best_skill(profile: Profile, queue: int, groups: Sequence[str]) -> float:
    """The most proficient agent for this queue (lowest handle-time factor) first."""
    return profile.speed[queue]


@registered("least_skilled")
def least_skilled(profile: Profile, queue: int, groups: Sequence[str]) -> float:
    """The agent serving the fewest queues first: keeps the generalists free for the rest."""
    return float(profile.n_queues)


@registered("group_rank")
def group_rank(profile: Profile, queue: int, groups: Sequence[str]) -> float:
    """In the order the stage lists its groups."""
    return float(groups.index(profile.group)) if profile.group in groups else float(len(groups))
