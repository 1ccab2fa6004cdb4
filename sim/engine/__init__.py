"""The SimPy runtime: one replication of the centre, from drawn contacts to records.

One module per concern (see `centre` for the map): a newcomer looking for "which agent takes
this call" opens `router`, for "how long does it take" `agents`, for "what happens when a
caller gives up" `followups`. `simulate` is the whole of it seen from outside, and `check` the
engine's own checks of a model, made before anything runs.

The names are loaded lazily: importing `sim.engine` loads neither SimPy nor the parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.engine.centre import Centre, simulate
    from sim.model import Model

__all__ = ["Centre", "check", "simulate"]


def check(model: Model) -> None:
    """Raise `sim.errors.ConfigError` (as reading the config does) if the engine cannot run
    `model`: its routing names a discipline or a selection no policy registered, or gives a
    parameter the chosen policy does not take or refuses; an alert rule watches a measure the
    monitor does not implement. The same checks run when a replication builds its routing
    plan; the app calls this first, so a bad name fails before anything is written."""
    from sim.engine.disciplines import DISCIPLINES
    from sim.engine.monitor import check_measures
    from sim.engine.selectors import SELECTORS

    DISCIPLINES.build(model.routing)
    SELECTORS.build(model.routing)
    check_measures(model.monitor)


def __getattr__(name: str) -> Any:
    if name in ("Centre", "simulate"):
        from sim.engine import centre

        return getattr(centre, name)
    raise AttributeError(f"module 'sim.engine' has no attribute {name!r}")
