"""The contacts a replication meets, drawn up front: from the forecast or from a replayed log.

`draw_contacts(model, seed, replication)` is the one entry: the forecast's non-homogeneous
Poisson arrivals (`forecast`), or a contact log's own arrivals (`trace`) when the scenario
replays one. Either way every attribute comes from streams of its own (`sim.streams`), so the
same customers arrive whatever the staffing or routing (common random numbers).
"""

from __future__ import annotations

from sim.arrivals.contacts import Contacts
from sim.arrivals.forecast import generate_contacts
from sim.arrivals.trace import replay_contacts
from sim.model import Model

__all__ = ["Contacts", "draw_contacts"]


def draw_contacts(model: Model, seed: int, replication: int) -> Contacts:
    """Replication `replication`'s contacts: the log's when the model replays one, else drawn
    from the forecast."""
    if model.trace is not None:
        return replay_contacts(model, seed, replication)
    return generate_contacts(model, seed, replication)
