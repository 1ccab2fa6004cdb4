"""What we know about contact i: the contact table, one plain Python list per column.

The columns are declared once, here, each with the value a new row takes when it is not given
(retries and transfer legs append rows) and whether it is exported to the records. Lists, not
arrays: indexing a list from Python is several times faster than indexing a numpy array, and
the engine does little else. The records are built from `exported()` alone, so nothing outside
the engine reads its internals.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sim.engine.core import Call

NAN = math.nan


def column(default: Any, exported: bool = True) -> Any:
    """A declared column: `default` fills appended rows; `exported` columns reach the records."""
    return field(default_factory=list, metadata={"default": default, "exported": exported})


@dataclass
class ContactTable:
    # Who and when (drawn up front, or by a retry's own stream).
    arrival: list[float] = column(NAN)
    type_of: list[int] = column(-1)
    segment_of: list[int] = column(-1)
    customer: list[int] = column(-1)  # the customer behind the attempt (retries share it)
    attempt: list[int] = column(0)  # 0 first try, 1 first retry, ...
    patience: list[float] = column(math.inf)
    handle: list[float] = column(NAN)  # the customer's base handle time (before proficiency)
    wrapup: list[float] = column(0.0)
    front: list[float] = column(0.0)  # time at the IVR or bot
    contained: list[bool] = column(False)  # resolved there
    # Where it waits and in what order.
    queue_of: list[int] = column(-1)  # the queue (skill) it waits in, as reported
    line_of: list[int] = column(-1, exported=False)  # the router's waiting line
    level_of: list[int] = column(0, exported=False)  # its discipline level in that line
    join: list[float] = column(NAN, exported=False)  # reaches the queue
    key: list[float] = column(NAN, exported=False)  # place in line (a bot hand-over: arrival)
    # Leaves the line unanswered at this time (lazily: nothing happens then); -inf once an
    # overflow took it out of the middle of its line.
    deadline: list[float] = column(math.inf, exported=False)
    # Follow-ups: a second leg after this one, and this contact's retrial plan.
    transfer_queue: list[int] = column(-1, exported=False)
    transfer_work: list[float] = column(NAN, exported=False)
    transfer_of: list[int] = column(-1)  # a transfer leg: the contact it continues
    retry_u: list[float] = column(1.0, exported=False)  # retries if below the probability
    retry_delay: list[float] = column(NAN, exported=False)
    # Announcing IVR: the caller's own draws (balk, accept and reach uniforms; attempt s).
    balk_u: list[float] = column(NAN, exported=False)
    accept_u: list[float] = column(NAN, exported=False)
    reach_u: list[float] = column(NAN, exported=False)
    callback_s: list[float] = column(NAN, exported=False)
    # What happened.
    answer: list[float] = column(NAN)
    agent_of: list[int] = column(-1)
    speed: list[float] = column(1.0)  # the agent's proficiency factor on its handle time
    stretch: list[float] = column(1.0)  # chat concurrency's factor on its handle time
    chats_held: list[float] = column(NAN)  # chats its agent held once it took it
    announced: list[float] = column(NAN)
    balked: list[bool] = column(False)
    blocked: list[bool] = column(False)  # found every line (trunk) of its channel taken
    callback_offered: list[bool] = column(False)
    callback: list[bool] = column(False)
    callback_reached: list[bool] = column(False)
    # Run when its talk with the agent ends (a transfer, releasing a line), or None.
    on_done: list[Callable[[Call], None] | None] = column(None, exported=False)

    def append(self, **values: Any) -> int:
        """A new row (a retry or a transfer leg): given values, defaults elsewhere; its index."""
        j = len(self.arrival)
        for f in fields(self):
            getattr(self, f.name).append(values.pop(f.name, f.metadata["default"]))
        if values:
            raise KeyError(f"no such contact columns: {sorted(values)}")
        return j

    def extend(self, n: int, **values: Any) -> None:
        """`n` new rows at once: the given columns from arrays or lists, defaults elsewhere."""
        for f in fields(self):
            column = getattr(self, f.name)
            given = values.pop(f.name, None)
            if given is None:
                given = [f.metadata["default"]] * n
            elif isinstance(given, np.ndarray):
                given = given.tolist()
            if column:
                column.extend(given)
            else:  # (no copy: the parts of the engine look columns up after the first fill)
                setattr(self, f.name, given)
        if values:
            raise KeyError(f"no such contact columns: {sorted(values)}")

    def __len__(self) -> int:
        return len(self.arrival)

    def clear(self) -> None:
        """Empty every column in place. The engine's parts hold each other (and these
        lists) in reference cycles that only the cyclic collector frees, possibly much
        later; emptying the lists gives their memory back at once."""
        for f in fields(self):
            getattr(self, f.name).clear()

    def exported(self) -> dict[str, np.ndarray]:
        """The exported columns as arrays, typed by their defaults. A column no contact ever
        changed (a feature the model does not use) is made at once, not converted."""
        out = {}
        n = len(self)
        for f in fields(self):
            if not f.metadata["exported"]:
                continue
            default = f.metadata["default"]
            column = getattr(self, f.name)
            if column.count(default) == n:  # (NaN defaults: one object, found by identity)
                out[f.name] = np.full(n, default, dtype=type(default))
            else:
                out[f.name] = np.asarray(column, dtype=type(default))
        return out
