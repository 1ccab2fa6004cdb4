"""Who is free, and how long will it take: the agent pool.

Agents are integer indices with their state in plain lists, and the pool is the only code that
changes that state: the roster and the router ask it to (`log_in`, `start`, `start_break`,
`mark_leaving`, `log_off`, `switch_profile`, ...) and read the lists, never assign them. Agents
alike in everything routing looks at (group, skills, proficiency, chat slots) share a `Profile`;
idle agents wait in one insertion-ordered dict per profile, so the first key is the one idle
longest and leaving idle is one deletion. An agent is in its profile's dict exactly while its
state is IDLE.

How long agent a takes on contact i has one definition, `talk_time` (the customer's base handle
time, drawn when the contact was created, the same under any roster: common random numbers;
times the agent's proficiency factor on the queue; times the chat-concurrency stretch), plus the
contact's wrap-up (`work_time`). `start` schedules the contact's end with the same rule.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.engine.contacts import ContactTable
from sim.engine.core import Call, Clock
from sim.model import Agent, Model

if TYPE_CHECKING:
    from sim.engine.router import RoutingPlan

OFF, IDLE, BUSY, BREAK = range(4)


@dataclass(frozen=True)
class Profile:
    """What routing needs to know of an agent; agents alike in all of it share one."""

    group: str
    skills: frozenset[str]
    speed: tuple[float, ...]  # handle-time factor per queue (index as `Model.queues`)
    max_chats: int
    reserve: float  # share of the session kept for deferrable work (email)
    n_queues: int  # queues the agent may serve, through skills or routing stages


def profile_key(model: Model, agent: Agent) -> tuple[object, ...]:
    return (
        agent.group,
        agent.skills,
        tuple(agent.speed_on(q) for q in model.queues),
        agent.max_chats,
    )


def talk_time(handle: float, speed: float, stretch: float = 1.0) -> float:
    """The rule: a customer's base `handle` time, times the agent's proficiency factor
    (`speed`) on its queue, times the chat stretch (1 for a contact that takes a whole agent,
    `1 + stretch x chats already held` for a chat). Wrap-up comes on top."""
    return handle * speed * stretch


class AgentPool:
    """The agents' states (OFF, IDLE, BUSY, BREAK), the idle agents by profile, the chats each
    holds, and what each is due to do next (a break, leaving)."""

    on_free: Callable[[Call], None]
    """Hook: agent `event._value` has nothing left in hand (handle and wrap-up done). The
    roster decides whether it leaves, rests or takes the next contact (`RosterLife.agent_free`);
    set by `connect`."""

    on_slot_free: Callable[[int], None]
    """Hook: agent a holds chats and has a slot free (it took a chat, or one of several
    ended). The router offers it waiting chats (`Router.fill_chats`); set by `connect`."""

    def __init__(self, model: Model, plan: RoutingPlan, clock: Clock, table: ContactTable):
        self.model = model
        self.clock = clock
        self.table = table
        profiles = plan.profiles
        self.profiles: list[Profile] = profiles
        # Each agent's profile: the plan's, changed while a move (cross-scheduling) is on.
        self.profile_of: list[int] = list(plan.profile_of)
        n = len(model.agents)
        self.state = [OFF] * n
        self.idle: list[OrderedDict[int, None]] = [OrderedDict() for _ in profiles]
        self.idle_since = [0.0] * n
        self.speed = [profiles[p].speed for p in self.profile_of]
        # Chat concurrency: an agent holds up to `slots` contacts of a concurrent channel at
        # once; each starts `stretch` times slower per other one already held.
        self.slots = [profiles[p].max_chats for p in self.profile_of]
        self.held = [0] * n
        stretch = [model.stretch_of(q) for q in model.queues]
        self.concurrent = [s is not None for s in stretch]
        self.stretch_of_queue = [s or 0.0 for s in stretch]  # (0 where not concurrent)
        self.deferred = [model.is_deferred(q) for q in model.queues]
        self.special = [c or d for c, d in zip(self.concurrent, self.deferred, strict=True)]
        # Deferrable work (email) started this session, against the agent's reserve.
        self.reserve = [profiles[p].reserve for p in self.profile_of]
        self.deferred_work = [0.0] * n
        self.session_start = [0.0] * n
        # Breaks due and leaving agents take no new chats.
        self.break_due: list[float | None] = [None] * n
        self.leaving = [False] * n
        # Each agent's chat lines, and per line the agents holding chats with a free slot
        # (in the order they got one): `room`, kept up to date with `has_room`.
        self.chat_lines_of_profile = plan.chat_lines_of_profile
        self.chat_lines = [plan.chat_lines_of_profile[p] for p in self.profile_of]
        self.room: list[OrderedDict[int, None]] = [OrderedDict() for _ in range(plan.n_lines)]
        self.on_free = self.on_slot_free = _unwired
        # The table's columns the hot path touches (the same list objects, looked up once).
        self.env = clock.env
        self.answer, self.agent_of, self.queue_of = table.answer, table.agent_of, table.queue_of
        self.handle, self.wrapup, self.on_done = table.handle, table.wrapup, table.on_done
        self.speed_taken = table.speed

    def connect(
        self, *, on_free: Callable[[Call], None], on_slot_free: Callable[[int], None]
    ) -> None:
        """Plug in the hooks (see the class attributes); once, when the centre is built."""
        self.on_free, self.on_slot_free = on_free, on_slot_free

    # --- on duty ----------------------------------------------------------------------------

    def log_in(self, a: int) -> bool:
        """Agent `a`'s shift (or call-in) starts. True if that starts a session (it was off),
        so it looks for work now; False if it is still finishing the shift before, which runs
        straight into this one (it stays on, no longer leaving)."""
        self.leaving[a] = False
        if self.state[a] != OFF:
            return False
        self.session_start[a] = self.env._now
        self.deferred_work[a] = 0.0
        return True

    def mark_leaving(self, a: int) -> None:
        """Agent `a`'s shift is over while it is busy (or closing down): it finishes what it
        holds, takes no new chat, then leaves."""
        self.leaving[a] = True
        self.update_room(a)

    def log_off(self, a: int) -> None:
        """Agent `a` leaves (a break not taken by then lapses)."""
        if self.state[a] == IDLE:
            self._leave_idle(a)
        self.state[a] = OFF
        self.leaving[a] = False
        self.break_due[a] = None

    # --- breaks -----------------------------------------------------------------------------

    def break_due_now(self, a: int, duration: float) -> None:
        """A break of `duration` is due for agent `a`: it takes no new chats, and goes as soon
        as it is free (`start_break`)."""
        self.break_due[a] = duration
        self.update_room(a)

    def start_break(self, a: int) -> float:
        """Agent `a` goes on the break due; returns its duration."""
        duration = self.break_due[a]
        assert duration is not None
        if self.state[a] == IDLE:
            self._leave_idle(a)
        self.break_due[a] = None
        self.state[a] = BREAK
        return duration

    # --- idle agents ------------------------------------------------------------------------

    def become_idle(self, a: int) -> None:
        """Agent `a` waits for work, from now, behind the agents of its profile idle longer.
        (Nothing changes for an agent idle already, since now.)"""
        self.state[a] = IDLE
        self.idle_since[a] = self.env._now
        self.idle[self.profile_of[a]][a] = None

    def _leave_idle(self, a: int) -> None:
        del self.idle[self.profile_of[a]][a]

    def switch_profile(self, a: int, profile: int) -> None:
        """Agent `a` now serves as `profile` (a move starts or ends): its speed, chat slots,
        reserve and chat lines change. An idle agent stays idle, as from now, among the new
        profile's idle agents."""
        idle = self.state[a] == IDLE
        if idle:
            self._leave_idle(a)
        for line in self.chat_lines[a]:
            self.room[line].pop(a, None)
        self.profile_of[a] = profile
        new = self.profiles[profile]
        self.speed[a], self.slots[a], self.reserve[a] = new.speed, new.max_chats, new.reserve
        self.chat_lines[a] = self.chat_lines_of_profile[profile]
        self.update_room(a)
        if idle:
            self.become_idle(a)

    # --- taking a contact -------------------------------------------------------------------

    def talk_time(self, a: int, i: int, held: int = 0) -> float:
        """Agent a's time talking to contact i (before wrap-up) when it already holds `held`
        chats: `talk_time` of the customer's base handle time, the agent's proficiency on the
        queue and, on a concurrent queue, the chat stretch."""
        q = self.queue_of[i]
        factor = 1.0 + self.stretch_of_queue[q] * held if self.concurrent[q] else 1.0
        return talk_time(self.handle[i], self.speed[a][q], factor)

    def work_time(self, a: int, i: int, held: int = 0) -> float:
        """Agent a's whole time on contact i: talk, then wrap-up."""
        return self.talk_time(a, i, held) + self.wrapup[i]

    def start(self, a: int, i: int) -> None:
        """Agent `a` (idle, or just done with a contact) takes contact `i` now: the talk ends
        after `talk_time`, the agent is free after its wrap-up."""
        env = self.env
        now = env._now
        state = self.state
        if state[a] == IDLE:
            del self.idle[self.profile_of[a]][a]
        state[a] = BUSY
        self.answer[i] = now
        self.agent_of[i] = a
        q = self.queue_of[i]
        speed = self.speed[a][q]
        self.speed_taken[i] = speed
        if self.special[q]:
            if self.concurrent[q]:
                self._take_chat(a, i, q, speed, now)
                return
            self.deferred_work[a] += talk_time(self.handle[i], speed) + self.wrapup[i]
        talk = now + talk_time(self.handle[i], speed)
        Call(env, talk + self.wrapup[i], self.on_free, a)
        follow = self.on_done[i]
        if follow is not None:  # the customer leaves the agent when the talk ends
            Call(env, talk, follow, i)

    def _take_chat(self, a: int, i: int, q: int, speed: float, now: float) -> None:
        table = self.table
        held = self.held[a]
        self.held[a] = held + 1
        room = self.update_room(a)
        factor = 1.0 + self.stretch_of_queue[q] * held
        table.stretch[i] = factor
        table.chats_held[i] = held + 1
        talk = now + talk_time(self.handle[i], speed, factor)
        Call(self.env, talk + self.wrapup[i], self._chat_done, a)
        follow = self.on_done[i]
        if follow is not None:  # (after the stretched time: the chat really ends then)
            Call(self.env, talk, follow, i)
        if room:  # (last: its end is scheduled before any chat it takes now)
            self.on_slot_free(a)

    def _chat_done(self, event: Call) -> None:
        a = event._value
        self.held[a] -= 1
        room = self.update_room(a)
        if self.held[a] == 0:
            self.on_free(event)
        elif room:
            self.on_slot_free(a)

    # --- chat slots and the reserve ---------------------------------------------------------

    def has_room(self, a: int) -> bool:
        """An agent holding chats, with a free slot and not about to rest or leave, can be
        offered another chat directly."""
        return (
            0 < self.held[a] < self.slots[a] and not self.leaving[a] and self.break_due[a] is None
        )

    def update_room(self, a: int) -> bool:
        """Keep `room` in step with `has_room` (after anything it reads changes); returns it."""
        room = self.has_room(a)
        for line in self.chat_lines[a]:
            if room:
                self.room[line][a] = None
            else:
                self.room[line].pop(a, None)
        return room

    def behind_reserve(self, a: int) -> bool:
        """Has agent `a` spent less than its reserved share of this session on deferrable
        work (email)? Then that work goes first."""
        reserve = self.reserve[a]
        if not reserve:
            return False
        return self.deferred_work[a] < reserve * (self.env._now - self.session_start[a])


def _unwired(*_: object) -> None:
    raise RuntimeError("agent pool used before the centre connected its hooks")
