"""The engine's input: every contact of one replication, in arrival order, as columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Contacts:
    """All contacts of one replication in arrival order (columnar: one array per attribute)."""

    arrival_s: np.ndarray
    type_index: np.ndarray
    segment_index: np.ndarray
    patience_s: np.ndarray  # inf: never abandons
    handle_s: np.ndarray
    wrapup_s: np.ndarray
    front_s: np.ndarray  # time in the IVR or with the bot (0 where the channel has none)
    contained: np.ndarray  # bool: the IVR or bot resolves it
    # Routing: the queue the contact lands in if not its type's (-1), and the queue and work
    # (handle + wrap-up) of the second leg it needs after the first (-1 / nan: none).
    queue_override: np.ndarray | None = None
    transfer_queue: np.ndarray | None = None
    transfer_work_s: np.ndarray | None = None
    # Announcing IVR: per contact (balk u, callback-accept u, callback-reach u, attempt s).
    announce_draws: np.ndarray | None = None
    # The customer behind each contact and its attempt number (a replayed log's; None: each
    # contact its own customer, first attempt).
    customer: np.ndarray | None = None
    attempt: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.arrival_s)
