"""The SimPy runtime: one replication of the centre, from drawn contacts to records.

One module per concern (see `centre` for the map): a newcomer looking for "which agent takes
this call" opens `router`, for "how long does it take" `agents`, for "what happens when a
caller gives up" `followups`. `simulate` is the whole of it seen from outside.

The names are loaded lazily, so the config can read the policy names in `disciplines` and
`selectors` without importing SimPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.engine.centre import Centre, simulate

__all__ = ["Centre", "simulate"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from sim.engine import centre

        return getattr(centre, name)
    raise AttributeError(f"module 'sim.engine' has no attribute {name!r}")
