"""When things happen: the SimPy environment and the one way the engine schedules anything.

Every engine event is a `Call`: a SimPy event that fires at an absolute time and runs one
callback with one value (an agent or contact index, or a small tuple). No process or generator
is built per contact; a contact's whole life is a handful of these calls. `Call` is a real
SimPy event (it goes through `Environment.step` like any timeout), built with the least work:
its callback list is set at construction and it is pushed straight onto the event heap.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from heapq import heappush
from typing import Any

import simpy
from simpy.events import NORMAL, Event

Callback = Callable[[Any], None]


class Call(Event):
    """Fires at `time` and runs `callback(self)`; the callback reads `self._value`."""

    _ok = True  # (SimPy reads it per event; a class attribute saves setting it on each)

    def __init__(self, env: simpy.Environment, time: float, callback: Callback, value: Any):
        self.env = env
        self.callbacks = [callback]
        self._value = value
        heappush(env._queue, (time, NORMAL, next(env._eid), self))


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a replication. A run creates millions of
    short-lived objects and no garbage cycles worth collecting, while each collection pass
    walks the live contact table: that grows with the contacts and made engine time grow
    faster than linearly (about 9% of the run at 100,000 contacts, 15% at a million)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Clock:
    """The environment of one replication and `at(time, callback, value)`."""

    def __init__(self) -> None:
        self.env = simpy.Environment()

    @property
    def now(self) -> float:
        return self.env.now

    def at(self, time: float, callback: Callback, value: Any) -> None:
        """Run `callback` with `value` at `time` (at once if `time` is already past)."""
        env = self.env
        Call(env, time if time > env._now else env._now, callback, value)

    def run(self, horizon_s: float, on_progress: Callable[[float], None] | None = None) -> None:
        """Run until nothing is left to happen (reporting progress every simulated hour)."""
        env = self.env
        if on_progress is None:
            env.run()
            return
        step = 3600.0
        t = step
        while t <= horizon_s and env.peek() < math.inf:
            env.run(until=t)
            on_progress(t)
            t += step
        env.run()
        on_progress(horizon_s)
