"""Who is free, and how long will it take: the agent pool.

Agents are integer indices with their state in plain lists. Agents alike in everything routing
looks at (group, skills, proficiency, chat slots) share a `Profile`; idle agents wait in one
insertion-ordered dict per profile, so the first key is the one idle longest and leaving idle
is one deletion.

`work_time` is the one place that says how long agent a takes on contact i: the customer's base
handle time (drawn when the contact was created, the same under any roster: common random
numbers) times the agent's proficiency factor on the queue, times the chat-concurrency stretch,
plus wrap-up.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sim.engine.contacts import ContactTable
from sim.engine.core import Call, Clock
from sim.model import Agent, Model

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


def profile_key(model: Model, agent: Agent) -> tuple:
    return (
        agent.group,
        agent.skills,
        tuple(agent.speed_on(q) for q in model.queues),
        agent.max_chats,
    )


class AgentPool:
    def __init__(self, model: Model, clock: Clock, table: ContactTable, profiles, profile_of):
        self.model = model
        self.clock = clock
        self.table = table
        self.profiles: list[Profile] = profiles
        self.profile_of: list[int] = profile_of
        n = len(model.agents)
        self.state = [OFF] * n
        self.idle: list[OrderedDict[int, None]] = [OrderedDict() for _ in profiles]
        self.idle_since = [0.0] * n
        self.speed = [profiles[p].speed for p in profile_of]
        # Chat concurrency: an agent holds up to `slots` contacts of a concurrent channel at
        # once; each starts `stretch` times slower per other one already held.
        self.slots = [profiles[p].max_chats for p in profile_of]
        self.held = [0] * n
        self.stretch_of_queue = [model.stretch_of(q) for q in model.queues]
        self.concurrent = [s is not None for s in self.stretch_of_queue]
        self.deferred = [model.is_deferred(q) for q in model.queues]
        self.special = [c or d for c, d in zip(self.concurrent, self.deferred, strict=True)]
        # Deferrable work (email) started this session, against the agent's reserve.
        self.reserve = [profiles[p].reserve for p in profile_of]
        self.deferred_work = [0.0] * n
        self.session_start = [0.0] * n
        # Set by the roster: breaks due and leaving agents take no new chats.
        self.break_due: list[float | None] = [None] * n
        self.leaving = [False] * n
        # Wired by the centre: what to do when an agent has nothing left in hand, and when
        # a chat slot frees while others are still held.
        self.on_free: Callable[[Call], None] = _unwired
        self.on_slot_free: Callable[[int], None] = _unwired
        # Set by the router: each agent's chat lines, and per line the agents holding chats
        # with a free slot (in the order they got one).
        self.chat_lines: list[list[int]] = [[] for _ in range(n)]
        self.room: list[OrderedDict[int, None]] = []
        # The table's columns the hot path touches (the same list objects, looked up once).
        self.env = clock.env
        self.answer, self.agent_of, self.queue_of = table.answer, table.agent_of, table.queue_of
        self.handle, self.wrapup, self.on_done = table.handle, table.wrapup, table.on_done
        self.speed_taken = table.speed

    # --- idle agents ------------------------------------------------------------------------

    def become_idle(self, a: int) -> None:
        self.state[a] = IDLE
        self.idle_since[a] = self.env._now
        self.idle[self.profile_of[a]][a] = None

    def leave_idle(self, a: int) -> None:
        del self.idle[self.profile_of[a]][a]

    # --- taking a contact -------------------------------------------------------------------

    def work_time(self, a: int, i: int, held: int = 0) -> float:
        """Agent a's time on contact i: the customer's base handle time times the agent's
        proficiency on the queue (times the chat stretch when it already holds `held` chats of
        a concurrent queue), plus wrap-up."""
        q = self.queue_of[i]
        stretch = self.stretch_of_queue[q]
        factor = self.speed[a][q] * (1.0 + stretch * held if stretch is not None else 1.0)
        return self.handle[i] * factor + self.wrapup[i]

    def start(self, a: int, i: int) -> None:
        """Agent `a` takes contact `i` now. (`work_time`, inlined: this runs per contact.)"""
        env = self.env
        now = env._now
        self.state[a] = BUSY
        self.answer[i] = now
        self.agent_of[i] = a
        q = self.queue_of[i]
        speed = self.speed[a][q]
        self.speed_taken[i] = speed
        if self.special[q]:
            if self.concurrent[q]:
                self._take_chat(a, i, q, speed, now)
                return
            self.deferred_work[a] += self.handle[i] * speed + self.wrapup[i]
        talk = now + self.handle[i] * speed
        Call(env, talk + self.wrapup[i], self.on_free, a)
        follow = self.on_done[i]
        if follow is not None:  # the customer leaves the agent when the talk ends
            Call(env, talk, follow, i)

    def _take_chat(self, a: int, i: int, q: int, speed: float, now: float) -> None:
        table = self.table
        held = self.held[a]
        self.held[a] = held + 1
        factor = 1.0 + self.stretch_of_queue[q] * held  # type: ignore[operator]
        table.stretch[i] = factor
        table.chats_held[i] = held + 1
        talk = now + self.handle[i] * speed * factor
        Call(self.env, talk + self.wrapup[i], self._chat_done, a)
        follow = self.on_done[i]
        if follow is not None:  # (after the stretched time: the chat really ends then)
            Call(self.env, talk, follow, i)

    def _chat_done(self, event: Call) -> None:
        a = event._value
        self.held[a] -= 1
        self.update_room(a)
        if self.held[a] == 0:
            self.on_free(event)
        else:
            self.on_slot_free(a)

    def has_room(self, a: int) -> bool:
        """An agent holding chats, with a free slot and not about to rest or leave, can be
        offered another chat directly."""
        return (
            0 < self.held[a] < self.slots[a] and not self.leaving[a] and self.break_due[a] is None
        )

    def update_room(self, a: int) -> None:
        room = self.has_room(a)
        for line in self.chat_lines[a]:
            if room:
                self.room[line][a] = None
            else:
                self.room[line].pop(a, None)

    def behind_reserve(self, a: int) -> bool:
        """Has agent `a` spent less than its reserved share of this session on deferrable
        work (email)? Then that work goes first."""
        reserve = self.reserve[a]
        if not reserve:
            return False
        return self.deferred_work[a] < reserve * (self.env._now - self.session_start[a])


def _unwired(*_: object) -> None:
    raise RuntimeError("agent pool used before the centre wired it")
