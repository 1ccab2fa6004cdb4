"""Who is on duty: shift start and end, breaks, and closing down at the end of a shift.

Agents log in at shift start, take each break as soon as they are free after its planned time,
and at shift end finish what they hold and log off (overtime recorded). The last agent on shift
for a line with real-time contacts still waiting stays until it is empty, so contacts queued at
close are served, not dropped. Sessions and breaks go to the agent log.
"""

from __future__ import annotations

import math

from sim.engine.agents import BREAK, IDLE, OFF, AgentPool
from sim.engine.core import Call, Clock
from sim.engine.router import Router
from sim.model import Model
from sim.records import AgentLog


class RosterLife:
    def __init__(self, model: Model, clock: Clock, pool: AgentPool, router: Router):
        self.model = model
        self.clock = clock
        self.pool = pool
        self.router = router
        self.log = AgentLog()
        n = len(model.agents)
        self._planned_end = [0.0] * n
        self._break_start = [0.0] * n
        self.leaving, self.break_due, self.assign = pool.leaving, pool.break_due, router.assign

    def schedule(self) -> None:
        at = self.clock.at
        for a, agent in enumerate(self.model.agents):
            for shift in agent.shifts:
                at(shift.start_s, self._shift_start, (a, shift))

    def agent_free(self, event: Call) -> None:
        """Agent `a` finished what it held (handle and wrap-up): leave, rest, or go on."""
        a = event._value
        if self.leaving[a]:
            self._close_down(a)
        elif self.break_due[a] is not None:
            self._start_break(a)
        else:
            self.assign(a)

    def _shift_start(self, event: Call) -> None:
        a, shift = event._value
        at = self.clock.at
        for brk in shift.breaks:
            at(brk.start_s, self._break_time, (a, brk.duration_s))
        at(shift.end_s, self._shift_end, a)
        self._planned_end[a] = shift.end_s
        pool = self.pool
        pool.leaving[a] = False
        self.router.on_shift(a, +1)
        if pool.state[a] == OFF:
            pool.session_start[a] = self.clock.now
            pool.deferred_work[a] = 0.0
            self.router.assign(a)
        # else: still finishing the shift before, which runs straight into this one.

    def _break_time(self, event: Call) -> None:
        a, duration = event._value
        pool = self.pool
        pool.break_due[a] = duration
        pool.update_room(a)  # no new chats before the break
        if pool.state[a] == IDLE:
            pool.leave_idle(a)
            self._start_break(a)
        # A busy agent goes when free; one on another break goes after it.

    def _start_break(self, a: int) -> None:
        pool = self.pool
        duration = pool.break_due[a]
        assert duration is not None
        pool.break_due[a] = None
        pool.state[a] = BREAK
        now = self.clock.now
        self._break_start[a] = now
        self.clock.at(now + duration, self._break_over, a)

    def _break_over(self, event: Call) -> None:
        a = event._value
        self.log.add(a, "break", self._break_start[a], self.clock.now, math.nan)
        pool = self.pool
        if pool.leaving[a]:
            self._close_down(a)
        elif pool.break_due[a] is not None:
            self._start_break(a)
        else:
            self.router.assign(a)

    def _shift_end(self, event: Call) -> None:
        a = event._value
        pool = self.pool
        self.router.on_shift(a, -1)
        if pool.state[a] == IDLE:
            pool.leave_idle(a)
            self._log_off(a)
        else:
            pool.leaving[a] = True  # finish the contact (or break) in hand, then go
            pool.update_room(a)

    def _close_down(self, a: int) -> None:
        """A leaving agent who was the last on shift for one of its lines keeps serving until
        nothing it can take is waiting there; the extra time shows up as overtime."""
        i = self.router.take_closing(a)
        if i >= 0:
            self.pool.start(a, i)
            return
        self._log_off(a)

    def _log_off(self, a: int) -> None:
        pool = self.pool
        pool.state[a] = OFF
        pool.leaving[a] = False
        pool.break_due[a] = None  # a break not taken by shift end lapses
        self.log.add(a, "shift", pool.session_start[a], self.clock.now, self._planned_end[a])
