"""Independent random streams, one per source of randomness, for common random numbers.

Every stream is seeded from (seed, replication, stream id, sub-id) alone: never from the Hydra
job number, the variant or the staffing. So two rosters run with the same seed meet the very same
customers (arrival times, intents, segments, patience and handle times), and the difference in
their results is the difference the roster makes, not noise. Stream ids are fixed numbers:
adding a new source later takes a new id and shifts none of the existing draws.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Stream(IntEnum):
    BUSYNESS = 0
    ARRIVALS = 1
    SEGMENT = 2
    PATIENCE = 3
    HANDLE = 4
    WRAPUP = 5
    FRONT_END = 6
    RETRIAL = 7  # sub-ids: (customer, attempt): a retry's own draws, whatever the staffing
    TRANSFER = 8
    ANNOUNCE = 9
    RETRIAL_PLAN = 10  # sub-id: contact type; whether and when each contact would retry
    ABSENCE = 11  # sub-id: crc32 of the agent's name: its shifts missed and late log-ins
    CALL_IN = 12  # sub-id: crc32 of the on-call agent's name: its call-in delays


def rng(seed: int, replication: int, stream: Stream, *sub: int) -> np.random.Generator:
    """The generator for one stream of one replication (`sub` e.g. the contact-type index)."""
    key = (replication, int(stream), *sub)
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))
