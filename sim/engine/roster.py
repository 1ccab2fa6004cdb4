"""Who is on duty: shifts, absences and late log-ins, breaks, call-ins, closing down.

Agents log in at shift start (or later, when late), take each break as soon as they are free
after its planned time, and at shift end finish what they hold and log off (overtime
recorded); a break still running at shift end is cut there (the agent goes home). Back-to-back
shifts (one starting as the other ends) make one session. A shift may be missed altogether (absenteeism). The last agent on shift for a line
with real-time contacts still waiting stays until it is empty, so contacts queued at close are
served, not dropped. On-call agents have no shifts: the monitor calls them in and out.
Sessions, breaks, absences, late log-ins and call-ins go to the agent log.

Absences and lateness are drawn per agent from a stream seeded by the agent's name, shift by
shift, so two rosters sharing an agent see the same absences (common random numbers), and
changing who is absent changes no customer.
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from sim.engine.agents import BREAK, IDLE, OFF, AgentPool
from sim.engine.core import Call, Clock
from sim.engine.router import Router
from sim.model import Agent, Model
from sim.records import AgentLog
from sim.streams import Stream, rng


def name_key(name: str) -> int:
    """A stable integer for an agent's name (a stream sub-id that does not depend on the
    agent's position in the roster)."""
    return zlib.crc32(name.encode("utf-8"))


def absences(model: Model, agent: Agent, seed: int, replication: int) -> list[tuple[bool, float]]:
    """Per shift of `agent`: (missed?, seconds late)."""
    absence = model.absence.get(agent.group)
    n = len(agent.shifts)
    if absence is None or not n:
        return [(False, 0.0)] * n
    stream = rng(seed, replication, Stream.ABSENCE, name_key(agent.name))
    missed = stream.random(n) < absence.p
    late = absence.late.sample(stream, n) if absence.late is not None else np.zeros(n)
    return list(zip(missed.tolist(), late.tolist(), strict=True))


class RosterLife:
    def __init__(
        self,
        model: Model,
        clock: Clock,
        pool: AgentPool,
        router: Router,
        seed: int = 0,
        replication: int = 0,
    ):
        self.model = model
        self.clock = clock
        self.pool = pool
        self.router = router
        self.seed, self.replication = seed, replication
        self.log = AgentLog()
        n = len(model.agents)
        self._planned_end = [0.0] * n
        self._break_start = [0.0] * n
        # Each agent's break in progress: its end's event (None: not on a break, or cut).
        self._break_end: list[Call | None] = [None] * n
        self.session = [0] * n  # call-in sessions, so a stale call-out is recognised
        self._move_start: dict[int, float] = {}
        self.leaving, self.break_due, self.assign = pool.leaving, pool.break_due, router.assign

    def schedule(self) -> None:
        """Every planned shift's log-in, less the absences, later for the late."""
        at = self.clock.at
        for a, agent in enumerate(self.model.agents):
            drawn = absences(self.model, agent, self.seed, self.replication)
            for shift, (missed, late) in zip(agent.shifts, drawn, strict=True):
                start = shift.start_s + late
                if missed or start >= shift.end_s:
                    self.log.add(a, "absent", shift.start_s, shift.end_s, shift.end_s)
                    continue
                if late:
                    self.log.add(a, "late", shift.start_s, start, shift.end_s)
                at(start, self._shift_start, (a, shift))

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
        """Shift `shift` of agent `a` starts: its breaks and end are planned, and the agent
        logs in, unless it is still on duty on a shift ending now or later (back-to-back or
        overlapping shifts): then its session simply goes on to this shift's end, and the
        earlier shift's end, when it comes, is stale (`_shift_end`)."""
        a, shift = event._value
        now = self.clock.now
        at = self.clock.at
        for brk in shift.breaks:
            if brk.start_s >= now:  # (a late agent's breaks planned before it came lapse)
                at(brk.start_s, self._break_time, (a, brk.duration_s))
        at(shift.end_s, self._shift_end, (a, shift.end_s))
        if self.on_duty(a):
            self._planned_end[a] = max(self._planned_end[a], shift.end_s)
        else:
            self._log_in(a, shift.end_s)

    def _log_in(self, a: int, planned_end: float) -> None:
        self._planned_end[a] = planned_end
        new_session = self.pool.log_in(a)
        self.router.on_shift(a, +1)
        if new_session:
            self.router.assign(a)

    # --- call-ins ---------------------------------------------------------------------------

    def call_in(self, a: int, called_at: float, latest_end: float) -> int:
        """On-call agent `a` arrives now (called at `called_at`) and may stay until
        `latest_end`; returns its session number, for `call_out`."""
        self.session[a] += 1
        self.log.add(a, "call_in", called_at, self.clock.now, latest_end)
        self.clock.at(latest_end, self._session_over, (a, self.session[a]))
        self._log_in(a, latest_end)
        return self.session[a]

    def _session_over(self, event: Call) -> None:
        self.call_out(*event._value)

    def call_out(self, a: int, session: int) -> None:
        """On-call agent `a`'s session `session` ends (if it still runs): it finishes what it
        holds, then logs off."""
        if self.session[a] == session and self.pool.state[a] != OFF and not self.leaving[a]:
            self._end_shift(a)

    # --- breaks and the end of the shift ----------------------------------------------------

    def _break_time(self, event: Call) -> None:
        a, duration = event._value
        pool = self.pool
        if pool.state[a] == OFF:
            return  # (not logged in: a break lapses)
        pool.break_due_now(a, duration)
        if pool.state[a] == IDLE:
            self._start_break(a)
        # A busy agent goes when free; one on another break goes after it.

    def _start_break(self, a: int) -> None:
        duration = self.pool.start_break(a)
        now = self.clock.now
        self._break_start[a] = now
        self._break_end[a] = Call(self.clock.env, now + duration, self._break_over, a)

    def _break_over(self, event: Call) -> None:
        a = event._value
        if event is not self._break_end[a]:
            return  # a break cut at the end of the shift
        self._end_break(a)
        pool = self.pool
        if pool.break_due[a] is not None:
            self._start_break(a)
        else:
            self.router.assign(a)

    def _end_break(self, a: int) -> None:
        self._break_end[a] = None
        self.log.add(a, "break", self._break_start[a], self.clock.now, math.nan)

    def _shift_end(self, event: Call) -> None:
        a, end = event._value
        if end == self._planned_end[a] and self.on_duty(a):  # (else a later shift goes on)
            self._end_shift(a)

    def _end_shift(self, a: int) -> None:
        """Agent `a`'s shift (or call-in session) is over: an idle agent leaves now, one on a
        break too (the break is cut: the agent goes home, it is not paid as overtime), a busy
        one finishes the contacts in hand, then goes (`agent_free`)."""
        self.router.on_shift(a, -1)
        state = self.pool.state[a]
        if state == IDLE:
            self._log_off(a)
        elif state == BREAK:
            self._end_break(a)
            self.pool.mark_leaving(a)
            self._close_down(a)
        else:
            self.pool.mark_leaving(a)

    def _close_down(self, a: int) -> None:
        """A leaving agent who was the last on shift for one of its lines keeps serving until
        nothing it can take is waiting there; the extra time shows up as overtime."""
        i = self.router.take_closing(a)
        if i >= 0:
            self.pool.start(a, i)
            return
        self._log_off(a)

    def _log_off(self, a: int) -> None:
        self.pool.log_off(a)
        self.log.add(a, "shift", self.pool.session_start[a], self.clock.now, self._planned_end[a])

    def log_move(self, a: int, moved: bool) -> None:
        """A move (cross-scheduling) of agent `a` starts or ends: logged for agents on duty
        when it starts."""
        if moved and self.on_duty(a):
            self._move_start[a] = self.clock.now
        elif not moved and a in self._move_start:
            self.log.add(a, "move", self._move_start.pop(a), self.clock.now, math.nan)

    def on_duty(self, a: int) -> bool:
        return self.pool.state[a] != OFF and not self.leaving[a]
