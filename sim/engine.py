"""The SimPy runtime: one replication of the centre, from pre-drawn contacts to records.

Design for speed (see the benchmark in `bench/`): contacts are plain indices into arrays,
agents are plain indices too, and the only SimPy events are arrivals, ends of service and the
roster's own moments (log-in, breaks, log-off). Events carry their subject in `value` and run a
bound method as callback, with no process or generator per contact.

Abandonment costs no event at all. Each waiting contact has a deadline (arrival + patience);
when an agent looks for work it skips the contacts whose deadline has passed. That is exact:
an abandoning contact changes nothing else in the system, so learning of it late changes no
decision. Whether a contact was answered, abandoned or is still waiting is read off at the end.

Queues are one deque per priority level per skill. A freed agent takes, among the queues it
serves, the highest priority level first, then the longest-waiting head. An arriving contact
goes to the eligible agent idle the longest: idle agents sit in an insertion-ordered dict per
queue, so that is its first key.
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from collections.abc import Callable

import numpy as np
import simpy
from simpy.events import Timeout

from sim.arrivals import Contacts, announce_draws, generate_contacts, routing_draws
from sim.model import Model
from sim.records import AgentLog, Records
from sim.streams import Stream, rng

OFF, IDLE, BUSY, BREAK = range(4)

# Per-contact columns only the front end, chat slots, retries and transfers read or extend.
LISTED_WHEN_USED = (
    "type_of",
    "segment_of",
    "patience",
    "customer",
    "attempt",
    "front",
    "contained",
    "transfer_queue",
    "transfer_work",
    "transfer_of",
    "stretch",
    "handle",
    "wrapup",
    "announce_draws",
)


class CentreRun:
    """The state of one replication. Build it, call `run()`, read `records()`."""

    def __init__(self, model: Model, contacts: Contacts, seed: int = 0, replication: int = 0):
        self.model = model
        self.seed, self.replication = seed, replication
        self.env = simpy.Environment()
        queue_index = {q: k for k, q in enumerate(model.queues)}
        levels = self._priority_levels(model)

        # Contacts, as Python lists: indexing a list is several times faster than an array.
        # Retries and transfer legs are appended as new contacts of the same customer. The
        # columns in LISTED_WHEN_USED stay arrays unless a feature needs them on the hot path.
        self.n = len(contacts)
        self.type_of = contacts.type_index
        self.segment_of = contacts.segment_index
        self.patience = contacts.patience_s
        self.customer = np.arange(self.n)
        self.attempt = np.zeros(self.n, dtype=np.int32)
        self.arrival = contacts.arrival_s.tolist()
        # Contacts reach their queue after the front end (IVR, bot), if any; patience runs
        # from then. Queue order is by `key`: the time joined, except that the bot hands a
        # chat over with its place counted from arrival.
        join = contacts.arrival_s + contacts.front_s
        self.join = join.tolist()
        self.front = contacts.front_s
        self.contained = contacts.contained
        self.deadline = (join + contacts.patience_s).tolist()
        by_arrival = np.array([_keeps_place(model, t) for t in model.contact_types], dtype=bool)
        self.key = np.where(by_arrival[contacts.type_index], contacts.arrival_s, join).tolist()
        self.work = (contacts.handle_s + contacts.wrapup_s).tolist()
        self.type_queue = [queue_index[t.skill] for t in model.contact_types]
        self.levels = levels
        self.by_arrival = by_arrival.tolist()
        # Misroutes and transfers: a first leg in another queue, a second leg to follow.
        queue_of = np.asarray(self.type_queue)[contacts.type_index]
        override = contacts.queue_override
        if override is not None:  # (a contact contained by the IVR is routed nowhere)
            queue_of = np.where((override >= 0) & ~contacts.contained, override, queue_of)
        self.queue_of = queue_of.tolist()
        n = self.n
        none = contacts.transfer_queue is None
        self.transfer_queue = np.full(n, -1) if none else contacts.transfer_queue
        self.transfer_work = np.full(n, math.nan) if none else contacts.transfer_work_s
        self.transfer_of = np.full(n, -1)
        self.level_of = np.asarray(levels)[contacts.segment_index].tolist()
        self.retrial_of_type = [model.retrials.get(t.channel) for t in model.contact_types]
        self._retry_rng: dict[int, np.random.Generator] = {}
        # Contacts with no front end join their queue on arrival (the common, fast path).
        self.direct = ((contacts.front_s == 0) & ~contacts.contained).tolist()
        self.answer = [math.nan] * self.n
        self.agent_of = [-1] * self.n

        # Queues and agents.
        deferrable = {c.name for c in model.channels if c.deferrable}
        self.deferred = [
            any(t.skill == q and t.channel in deferrable for t in model.contact_types)
            for q in model.queues
        ]
        n_levels = max(levels) + 1
        self.waiting = [[deque() for _ in range(n_levels)] for _ in model.queues]
        self.idle: list[OrderedDict[int, None]] = [OrderedDict() for _ in model.queues]
        self.agent_queues = [
            tuple(queue_index[s] for s in model.queues if s in a.skills) for a in model.agents
        ]
        n_agents = len(model.agents)
        # Chat concurrency: an agent holds up to `slots` contacts of a concurrent channel at
        # once; each starts `stretch` times slower per other one already held.
        self.stretch_of_queue = [_stretch(model, q) for q in model.queues]
        self.concurrent = [stretch is not None for stretch in self.stretch_of_queue]
        self.slots = [a.max_chats for a in model.agents]
        self.chat_queues = [tuple(q for q in qs if self.concurrent[q]) for qs in self.agent_queues]
        self.held = [0] * n_agents
        # Deferrable work (email) an agent has started this session, against its reserve.
        self.reserve = [_reserve(model, a) for a in model.agents]
        self.deferred_work = [0.0] * n_agents
        self.has_room: list[OrderedDict[int, None]] = [OrderedDict() for _ in model.queues]
        self.stretch = np.ones(self.n)
        self.chats_held: dict[int, int] = {}  # chats the agent held once it took this one
        # Announcing IVR: what each caller heard, and what it did about it.
        self.announce_of_type = [_announcement(model, t) for t in model.contact_types]
        self.announcing = any(a is not None for a in self.announce_of_type)
        self.queue_work = [model.mean_work(q) for q in model.queues]
        none_drawn = contacts.announce_draws is None
        self.announce_draws = (
            np.full((self.n, 4), np.nan) if none_drawn else contacts.announce_draws
        )
        self.announced: dict[int, float] = {}
        self.balked: set[int] = set()
        self.callback_offered: set[int] = set()
        self.callback: dict[int, bool] = {}  # accepted callbacks: was the customer reached?
        self.handle = contacts.handle_s
        self.wrapup = contacts.wrapup_s
        # Which features this model uses: the hot path skips the others' bookkeeping.
        self.chats = any(self.concurrent)
        self.retrials = bool(model.retrials)
        self.transfers = model.has_transfers
        self.bot = any(self.by_arrival)
        self.reserves = any(self.reserve)
        self.special = [c or d for c, d in zip(self.concurrent, self.deferred, strict=True)]
        if self.chats or self.retrials or self.transfers or self.announcing or not all(self.direct):
            for name in LISTED_WHEN_USED:
                setattr(self, name, getattr(self, name).tolist())
        self.state = [OFF] * n_agents
        self.break_due: list[float | None] = [None] * n_agents
        self.leaving = [False] * n_agents
        self.staffed = [0] * len(model.queues)  # agents on shift per queue, not counting leavers
        self.log = AgentLog()
        self._session_start = [0.0] * n_agents
        self._planned_end = [0.0] * n_agents
        self._break_start = [0.0] * n_agents

    @staticmethod
    def _priority_levels(model: Model) -> list[int]:
        """Level per segment, 0 first: distinct priorities ranked high to low. Level 0 is kept
        for transferred contacts when there are any: they go ahead of all others."""
        first = 1 if model.has_transfers else 0
        if not model.routing.use_priority:
            return [first] * len(model.segments)
        ranked = sorted({s.priority for s in model.segments}, reverse=True)
        return [first + ranked.index(s.priority) for s in model.segments]

    # --- scheduling helpers -----------------------------------------------------------------

    def _at(self, time: float, callback: Callable, value) -> None:
        event = Timeout(self.env, max(0.0, time - self.env.now), value)
        event.callbacks.append(callback)

    # --- running ----------------------------------------------------------------------------

    def run(self, on_progress: Callable[[float], None] | None = None) -> None:
        """Simulate until nothing is left to happen: the horizon's arrivals, then whatever is
        still queued or in service, served by whoever is still on shift."""
        for a, agent in enumerate(self.model.agents):
            for shift in agent.shifts:
                self._at(shift.start_s, self._shift_start, (a, shift))
        if self.n:
            self._at(self.arrival[0], self._arrive, 0)
        if on_progress is None:
            self.env.run()
            return
        step = 3600.0
        horizon = self.model.demand.horizon_s
        t = step
        while t <= horizon and self.env.peek() < math.inf:
            self.env.run(until=t)
            on_progress(t)
            t += step
        self.env.run()
        on_progress(horizon)

    def records(self, replication: int) -> Records:
        return Records.from_run(self, replication)

    # --- contacts ---------------------------------------------------------------------------

    def _arrive(self, event: Timeout) -> None:
        i = event._value
        if self.direct[i]:
            self._join(i)
        else:
            self._enter(i)
        j = i + 1
        if j < self.n:  # (self.n counts the day's contacts; retries and legs come after)
            self._at(self.arrival[j], self._arrive, j)

    def _enter(self, i: int) -> None:
        if self.contained[i]:
            return  # resolved at the IVR or by the bot: nothing more happens to it
        if not self.front[i]:
            self._join(i)
        else:
            self._at(self.join[i], self._from_front_end, i)

    def _from_front_end(self, event: Timeout) -> None:
        i = event._value
        announced = self.announcing and self.announce_of_type[self.type_of[i]] is not None
        if announced and self._announce(i):
            return  # balked
        self._join(i)

    # --- announcements and callbacks --------------------------------------------------------

    def expected_wait(self, q: int, level: int) -> float:
        """The wait the IVR announces to a caller about to join queue `q` at priority `level`:
        (contacts waiting ahead of it + 1) x mean work per contact / agents on shift for the
        queue; 0 when an agent is free. Simple and what many ACDs announce; its accuracy is
        reported (announce_error_s)."""
        if self.idle[q]:
            return 0.0
        now, deadline = self.env.now, self.deadline
        ahead = sum(
            1 for waiting in self.waiting[q][: level + 1] for j in waiting if deadline[j] >= now
        )
        return (ahead + 1) * self.queue_work[q] / max(1, self.staffed[q])

    def _announce(self, i: int) -> bool:
        """Announce the expected wait; the caller may balk (True) or take a callback."""
        t = self.type_of[i]
        announcement = self.announce_of_type[t]
        wait = self.expected_wait(self.queue_of[i], self.level_of[i])
        self.announced[i] = wait
        balk_u, accept_u, reach_u, attempt = self.announce_draws[i]
        if balk_u < announcement.balk_probability(wait):
            self.balked.add(i)
            self.deadline[i] = self.env.now  # gone at once (a retry, if any, counts from now)
            if self.retrials and self.retrial_of_type[t] is not None:
                self._plan_retrial(i)
            return True
        above = announcement.callback_above_s
        if above is not None and wait > above:
            self.callback_offered.add(i)
            if accept_u < announcement.callback_accept:
                # Hangs up but keeps its place, and never abandons. The agent's time: the
                # call attempt, then (if reached) the contact itself.
                reached = reach_u < announcement.callback_reach
                self.callback[i] = reached
                if not reached:
                    self.transfer_queue[i] = -1  # nobody to transfer
                self.deadline[i] = math.inf
                self.handle[i] = attempt + (self.handle[i] if reached else 0.0)
                self.wrapup[i] = self.wrapup[i] if reached else 0.0
                self.work[i] = self.handle[i] + self.wrapup[i]
        return False

    def _join(self, i: int) -> None:
        """Contact `i` reaches its queue: straight to the agent idle longest, or wait."""
        q = self.queue_of[i]
        idle = self.idle[q]
        if idle:
            a = next(iter(idle))
            self._leave_idle(a)
            self._serve(a, i)
            if self.chats and self.held[a]:
                self._fill_chat_slots(a)
            return
        if self.chats and self.has_room[q]:
            self._serve(next(iter(self.has_room[q])), i)
            return
        if self.retrials and self.retrial_of_type[self.type_of[i]] is not None:
            self._plan_retrial(i)
        waiting = self.waiting[q][self.level_of[i]]
        key = self.key
        if not self.bot or not waiting or key[waiting[-1]] <= key[i]:
            waiting.append(i)
        else:  # a chat back from the bot goes before those who arrived after it
            position = len(waiting) - 1
            while position > 0 and key[waiting[position - 1]] > key[i]:
                position -= 1
            waiting.insert(position, i)

    # --- transfers -----------------------------------------------------------------------------

    def _transfer(self, event: Timeout) -> None:
        """Contact `i`'s first agent is done: its second leg joins the transfer queue, ahead of
        the contacts waiting there. The customer is held, so the leg does not abandon."""
        i = event._value
        j = self._append(
            i,
            arrival=self.env.now,
            t=self.type_of[i],
            patience=math.inf,
            handle=self.transfer_work[i],
            wrapup=0.0,
            front=0.0,
            contained=False,
            attempt=self.attempt[i],
            queue=self.transfer_queue[i],
            level=0,
        )
        self.transfer_of[j] = i
        self._join(j)

    # --- retrials ------------------------------------------------------------------------------

    def _plan_retrial(self, i: int) -> None:
        """Contact `i` has to wait. Should it abandon, will its customer try again, and when?
        Decided now from the customer's own stream (so the same under any staffing) and
        checked when the retry is due: if `i` was answered before its deadline, nothing."""
        if self.deadline[i] == math.inf:
            return
        plan = self.retrial_of_type[self.type_of[i]]
        attempt = self.attempt[i]
        if attempt >= plan.max_retries:
            return
        stream = rng(self.seed, self.replication, Stream.RETRIAL, self.customer[i], attempt)
        if stream.random() >= (plan.first if attempt == 0 else plan.later):
            return
        self._retry_rng[i] = stream
        self._at(self.deadline[i] + float(plan.delay.sample(stream, 1)[0]), self._retry, i)

    def _retry(self, event: Timeout) -> None:
        i = event._value
        stream = self._retry_rng.pop(i)
        if self.answer[i] == self.answer[i]:  # answered in time after all (not NaN)
            return
        j = self._new_attempt(i, stream)
        if j >= 0:
            self._enter(j)

    def _new_attempt(self, i: int, stream: np.random.Generator) -> int:
        """Append the next attempt of contact `i`'s customer, arriving now, with its own draws;
        -1 if its channel is closed now (the retry is lost)."""
        model = self.model
        t = self.type_of[i]
        u = stream.random()
        for name, share in self.retrial_of_type[t].switch:
            if u < share:
                t = next(k for k, c in enumerate(model.contact_types) if c.name == name)
                break
            u -= share
        ctype = model.contact_types[t]
        channel = model.channel(ctype.channel)
        if not channel.open_s <= self.env.now % 86400 < channel.close_s:
            return -1  # the channel is closed: the customer does not get through
        dist = model.patience.get((ctype.channel, model.segments[self.segment_of[i]].name))
        patience = math.inf if dist is None else float(dist.sample(stream, 1)[0])
        front = (
            0.0 if channel.front_end is None else float(channel.front_end.time.sample(stream, 1)[0])
        )
        contained = channel.front_end is not None and stream.random() < ctype.contained
        handle, wrapup, override, transfer_queue, transfer_work = routing_draws(
            model, t, ctype.handle.sample(stream, 1), ctype.wrapup.sample(stream, 1), stream
        )
        j = self._append(
            i,
            arrival=self.env.now,
            t=t,
            patience=patience,
            handle=float(handle[0]),
            wrapup=float(wrapup[0]),
            front=front,
            contained=contained,
            attempt=self.attempt[i] + 1,
            queue=int(override[0]) if override[0] >= 0 and not contained else self.type_queue[t],
            level=self.levels[self.segment_of[i]],
        )
        self.transfer_queue[j] = int(transfer_queue[0])
        self.transfer_work[j] = float(transfer_work[0])
        self.announce_draws[j] = announce_draws(model, t, 1, stream)[0].tolist()
        return j

    def _append(
        self, i, *, arrival, t, patience, handle, wrapup, front, contained, attempt, queue, level
    ) -> int:
        """A new contact (a retry or a transfer leg) of contact `i`'s customer; its index."""
        j = len(self.arrival)
        join = arrival + front
        for column, value in (
            (self.arrival, arrival),
            (self.type_of, t),
            (self.segment_of, self.segment_of[i]),
            (self.patience, patience),
            (self.customer, self.customer[i]),
            (self.attempt, attempt),
            (self.join, join),
            (self.front, front),
            (self.contained, contained),
            (self.deadline, join + patience),
            (self.key, arrival if self.by_arrival[t] else join),
            (self.work, handle + wrapup),
            (self.handle, handle),
            (self.wrapup, wrapup),
            (self.queue_of, queue),
            (self.level_of, level),
            (self.answer, math.nan),
            (self.agent_of, -1),
            (self.stretch, 1.0),
            (self.transfer_queue, -1),
            (self.transfer_work, math.nan),
            (self.transfer_of, -1),
            (self.announce_draws, [math.nan] * 4),
        ):
            column.append(value)
        return j

    def _serve(self, a: int, i: int) -> None:
        self.state[a] = BUSY
        self.answer[i] = self.env.now
        self.agent_of[i] = a
        if self.transfers and self.transfer_queue[i] >= 0:
            self._at(self.env.now + self.work[i], self._transfer, i)
        q = self.queue_of[i]
        if self.special[q]:
            if self.deferred[q]:
                self.deferred_work[a] += self.work[i]
            if self.concurrent[q]:
                self._take_chat(a, i, q)
                return
        event = Timeout(self.env, self.work[i], a)
        event.callbacks.append(self._done)

    def _take_chat(self, a: int, i: int, q: int) -> None:
        held = self.held[a]
        self.held[a] = held + 1
        factor = 1.0 + self.stretch_of_queue[q] * held
        self.stretch[i] = factor
        self.chats_held[i] = held + 1
        event = Timeout(self.env, self.handle[i] * factor + self.wrapup[i], a)
        event.callbacks.append(self._chat_done)
        self._update_room(a)

    def _has_room(self, a: int) -> bool:
        """An agent holding chats, with a free slot and not about to rest or leave, can be
        offered another chat directly."""
        return (
            0 < self.held[a] < self.slots[a] and not self.leaving[a] and self.break_due[a] is None
        )

    def _update_room(self, a: int) -> None:
        room = self._has_room(a)
        for q in self.chat_queues[a]:
            if room:
                self.has_room[q][a] = None
            else:
                self.has_room[q].pop(a, None)

    def _fill_chat_slots(self, a: int) -> None:
        """After taking a chat, take more waiting chats while slots are free."""
        while self._has_room(a):
            i = self._next_contact(a, self.chat_queues[a])
            if i < 0:
                return
            self._serve(a, i)

    def _chat_done(self, event: Timeout) -> None:
        a = event._value
        self.held[a] -= 1
        self._update_room(a)
        if self.held[a] == 0:
            self._done(event)
        else:
            self._fill_chat_slots(a)

    def _done(self, event: Timeout) -> None:
        """An agent finished a contact (handle and wrap-up): leave, rest, or take the next."""
        a = event._value
        if self.leaving[a]:
            self._close_down(a)
        elif self.break_due[a] is not None:
            self._start_break(a)
        else:
            self._next_or_idle(a)

    def _next_or_idle(self, a: int) -> None:
        if self.reserves and self._behind_reserve(a):
            i = self._next_contact(a, None, True)
        else:
            i = self._next_contact(a)
        if i >= 0:
            self._serve(a, i)
            if self.chats and self.held[a]:
                self._fill_chat_slots(a)
        else:
            self.state[a] = IDLE
            for q in self.agent_queues[a]:
                self.idle[q][a] = None

    def _behind_reserve(self, a: int) -> bool:
        """Has agent `a` spent less than its reserved share of this session on deferrable
        work (email)? Then that work goes first."""
        reserve = self.reserve[a]
        if not reserve:
            return False
        return self.deferred_work[a] < reserve * (self.env.now - self._session_start[a])

    def _next_contact(
        self, a: int, queues: tuple[int, ...] | None = None, deferred_first: bool = False
    ) -> int:
        """The contact agent `a` should take now from its queues (or `queues`), or -1:
        real-time before deferrable queues (the other way round when `deferred_first`), then
        the best priority level, then the longest-waiting head, skipping contacts whose
        patience has run out."""
        now = self.env.now
        deadline, deferred, key = self.deadline, self.deferred, self.key
        best = None
        best_key = (True, math.inf, math.inf)
        for q in self.agent_queues[a] if queues is None else queues:
            for level, waiting in enumerate(self.waiting[q]):
                while waiting and deadline[waiting[0]] < now:
                    waiting.popleft()
                if waiting:
                    candidate = (deferred[q] is not deferred_first, level, key[waiting[0]])
                    if candidate < best_key:
                        best, best_key = waiting, candidate
                    break
        return best.popleft() if best is not None else -1

    def _leave_idle(self, a: int) -> None:
        for q in self.agent_queues[a]:
            del self.idle[q][a]

    # --- the roster -------------------------------------------------------------------------

    def _shift_start(self, event: Timeout) -> None:
        a, shift = event._value
        for brk in shift.breaks:
            self._at(brk.start_s, self._break_time, (a, brk.duration_s))
        self._at(shift.end_s, self._shift_end, a)
        self._planned_end[a] = shift.end_s
        self.leaving[a] = False
        for q in self.agent_queues[a]:
            self.staffed[q] += 1
        if self.state[a] == OFF:
            self._session_start[a] = self.env.now
            self.deferred_work[a] = 0.0
            self._next_or_idle(a)
        # else: still finishing the shift before, which runs straight into this one.

    def _break_time(self, event: Timeout) -> None:
        a, duration = event._value
        self.break_due[a] = duration
        self._update_room(a)  # no new chats before the break
        if self.state[a] == IDLE:
            self._leave_idle(a)
            self._start_break(a)
        # A busy agent goes when free (`_done`); one on another break goes after it.

    def _start_break(self, a: int) -> None:
        duration = self.break_due[a]
        self.break_due[a] = None
        self.state[a] = BREAK
        self._break_start[a] = self.env.now
        self._at(self.env.now + duration, self._break_over, a)

    def _break_over(self, event: Timeout) -> None:
        a = event._value
        self.log.add(a, "break", self._break_start[a], self.env.now, math.nan)
        if self.leaving[a]:
            self._close_down(a)
        elif self.break_due[a] is not None:
            self._start_break(a)
        else:
            self._next_or_idle(a)

    def _shift_end(self, event: Timeout) -> None:
        a = event._value
        for q in self.agent_queues[a]:
            self.staffed[q] -= 1
        if self.state[a] == IDLE:
            self._leave_idle(a)
            self._log_off(a)
        else:
            self.leaving[a] = True  # finish the contact (or break) in hand, then go
            self._update_room(a)

    def _close_down(self, a: int) -> None:
        """A leaving agent who was the last on shift for one of its queues keeps serving until
        nothing it can take is waiting, so contacts queued at close are finished, not dropped;
        the extra time shows up as overtime."""
        closing = tuple(
            q for q in self.agent_queues[a] if self.staffed[q] == 0 and not self.deferred[q]
        )
        if closing:  # (a deferrable backlog, email, is carried over instead)
            i = self._next_contact(a, closing)
            if i >= 0:
                self._serve(a, i)
                return
        self._log_off(a)

    def _log_off(self, a: int) -> None:
        self.state[a] = OFF
        self.leaving[a] = False
        self.break_due[a] = None  # a break not taken by shift end lapses
        self.log.add(a, "shift", self._session_start[a], self.env.now, self._planned_end[a])


def _announcement(model: Model, ctype):
    front_end = model.channel(ctype.channel).front_end
    return None if front_end is None else front_end.announce


def _reserve(model: Model, agent) -> float:
    """The largest reserved share among the deferrable channels whose queues `agent` serves."""
    shares = [
        model.channel(t.channel).reserved_share
        for t in model.contact_types
        if t.skill in agent.skills and model.channel(t.channel).deferrable
    ]
    return max(shares, default=0.0)


def _stretch(model: Model, queue: str) -> float | None:
    """The concurrency stretch of a queue's channel, or None if its contacts take a whole
    agent (a queue of a concurrent channel must not also serve others: checked in config)."""
    for ctype in model.contact_types:
        if ctype.skill == queue:
            return model.channel(ctype.channel).concurrency_stretch
    return None


def _keeps_place(model: Model, ctype) -> bool:
    """A chat the bot hands over keeps its place from arrival (no loss of place)."""
    front_end = model.channel(ctype.channel).front_end
    return front_end is not None and front_end.kind == "bot"


def simulate(
    model: Model,
    seed: int,
    replication: int,
    on_progress: Callable[[float], None] | None = None,
) -> Records:
    """One replication: a pure function of (model, seed, replication)."""
    run = CentreRun(model, generate_contacts(model, seed, replication), seed, replication)
    run.run(on_progress)
    return run.records(replication)
