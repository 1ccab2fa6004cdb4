"""One replication of the centre: build the parts, connect them, run, export the records.

The parts and the question each answers: `core` (when), `contacts` (what we know about
contact i), `queues` and `disciplines` (who is waiting, in what order), `agents` and
`selectors` (who is free, how long it takes), `router` (who meets whom), `frontend` (what
happens before the queue), `followups` (what happens after), `roster` (who is on duty),
`monitor` (when to react).

Who calls whom. A part is built with the parts it calls (`Router(.., pool)`: the router calls
the pool); the few calls the other way are hooks, each declared, typed and documented on the
class that calls it, and plugged in once by `Centre.__init__`:

    arrival -> FrontEnd.arrive -> Router.offer -> AgentPool.start
    AgentPool --on_free--> RosterLife.agent_free -> Router.assign (next contact, or idle)
    AgentPool --on_slot_free--> Router.fill_chats (a chat ended; others still held)
    Router --on_wait[type]--> FollowUps.plan_retrial (a contact starts waiting)
    FrontEnd --on_leave--> FollowUps.on_leave (blocked or balked: a retrial?)
    FollowUps --enter--> FrontEnd.arrive (a retry);  FollowUps.transfer -> Router.offer
    a contact's on_done (when its talk ends) -> FollowUps.transfer, or its line given back
    RosterLife -> AgentPool (log in, breaks, log off), Router (assign, on_shift)
    MonitorRun -> RosterLife (call in, call out), Router.switch_profile (moves)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.arrivals import Contacts
from sim.engine.agents import AgentPool
from sim.engine.contacts import ContactTable
from sim.engine.core import Call, Clock, paused_gc
from sim.engine.followups import FollowUps, retry_draws
from sim.engine.frontend import FrontEnd
from sim.engine.monitor import MonitorRun
from sim.engine.queues import WaitingLines
from sim.engine.roster import RosterLife
from sim.engine.router import Router, RoutingPlan, plan_routing
from sim.model import Model
from sim.records import AgentLog, Records


class Centre:
    """The state of one replication. Build it, call `run()`, read `records()`."""

    def __init__(
        self,
        model: Model,
        contacts: Contacts,
        seed: int = 0,
        replication: int = 0,
        plan: RoutingPlan | None = None,
    ):
        self.model = model
        self.replication = replication
        self.plan = plan = plan or plan_routing(model)
        self.clock = clock = Clock()
        self.table = table = ContactTable()
        self._fill_table(contacts, seed)  # (first: the parts look its columns up)
        self.lines = WaitingLines(
            table,
            plan.n_lines,
            plan.levels,
            [
                any(
                    model.keeps_place(t) and plan.line_of_type[t] == ln
                    for t in range(len(model.contact_types))
                )
                for ln in range(plan.n_lines)
            ],
        )
        # Each part is built with the parts it calls that exist already ...
        self.pool = pool = AgentPool(model, plan, clock, table)
        self.router = router = Router(model, plan, clock, table, self.lines, pool)
        self.front_end = front_end = FrontEnd(model, clock, table, router)
        self.followups = followups = FollowUps(
            model,
            plan,
            clock,
            table,
            router,
            seed,
            replication,
            enter=front_end.arrive,
            release_of_type=front_end.release_of_type,
        )
        self.roster = roster = RosterLife(model, clock, pool, router, seed, replication)
        # ... and the calls back up that order are hooks, declared on the class that calls
        # them and plugged in here, once.
        pool.connect(on_free=roster.agent_free, on_slot_free=router.fill_chats)
        router.connect(on_wait=followups.on_wait)
        front_end.connect(on_leave=followups.on_leave)
        self._fill_on_done()
        # Contacts with no front-end time, announcement or line limit go straight to the router.
        special = np.array(
            [
                lines is not None or announcement is not None
                for lines, announcement in zip(
                    front_end.lines_of_type, front_end.announce_of_type, strict=True
                )
            ]
        )
        self.direct = (
            (contacts.front_s == 0) & ~contacts.contained & ~special[contacts.type_index]
        ).tolist()
        self.n = len(contacts)
        self.arrival = table.arrival
        self.monitor = (
            None
            if model.monitor is None
            else MonitorRun(
                model,
                model.monitor,
                plan,
                clock,
                table,
                self.lines,
                pool,
                router,
                roster,
                self.n,
                seed,
                replication,
            )
        )
        self._offer, self._front_end = router.offer, front_end.arrive
        self._next_arrival = self._arrive

    def _fill_on_done(self) -> None:
        """What ends each of the day's contacts' service (its `on_done`): its transfer leg, or
        giving back its line. (New rows get theirs from the follow-ups.)"""
        release = self.front_end.release_of_type
        if self.model.has_transfers or any(release):
            table, transfer = self.table, self.followups.transfer
            table.on_done[:] = [
                transfer if tq >= 0 else release[k]
                for tq, k in zip(table.transfer_queue, table.type_of, strict=True)
            ]

    def _fill_table(self, contacts: Contacts, seed: int) -> None:
        model, plan, table = self.model, self.plan, self.table
        n = len(contacts)
        t = contacts.type_index
        type_queue = np.array(model.queue_of_type)
        queue = type_queue[t]
        line = np.asarray(plan.line_of_type)[t]
        override = contacts.queue_override
        if override is not None:  # misrouted: its first leg waits in the wrong queue
            misrouted = (override >= 0) & ~contacts.contained
            queue = np.where(misrouted, override, queue)
            line = np.where(misrouted, np.asarray(plan.line_of_queue)[override], line)
        join = contacts.arrival_s + contacts.front_s
        keeps = np.array([model.keeps_place(k) for k in range(len(model.contact_types))])
        columns = {
            "arrival": contacts.arrival_s,
            "type_of": t,
            "segment_of": contacts.segment_index,
            "customer": np.arange(n) if contacts.customer is None else contacts.customer,
            "patience": contacts.patience_s,
            "handle": contacts.handle_s,
            "wrapup": contacts.wrapup_s,
            "front": contacts.front_s,
            "contained": contacts.contained,
            "queue_of": queue,
            "line_of": line,
            "level_of": np.asarray(plan.level_of_segment)[contacts.segment_index],
            "join": join,
            "key": np.where(keeps[t], contacts.arrival_s, join),
            "deadline": join + contacts.patience_s,
        }
        # Columns of features the model does not use keep their defaults (cheaper to fill).
        if any(c.front_end is not None and c.front_end.announce for c in model.channels):
            assert contacts.announce_draws is not None
            for k, name in enumerate(("balk_u", "accept_u", "reach_u", "callback_s")):
                columns[name] = contacts.announce_draws[:, k]
        if model.retrials:
            columns["retry_u"], columns["retry_delay"] = retry_draws(
                model, contacts, seed, self.replication
            )
        if model.has_transfers:
            assert contacts.transfer_queue is not None
            columns["transfer_queue"] = contacts.transfer_queue
            columns["transfer_work"] = contacts.transfer_work_s
        if contacts.attempt is not None:
            columns["attempt"] = contacts.attempt
        table.extend(n, **columns)

    def run(self, on_progress: Callable[[float], None] | None = None) -> None:
        """Simulate until nothing is left to happen: the horizon's arrivals, then whatever is
        still queued or in service, served by whoever is still on shift."""
        self.roster.schedule()
        if self.monitor is not None:
            self.monitor.start()
        if self.n:
            self.clock.at(self.table.arrival[0], self._arrive, 0)
        self.clock.run(self.model.demand.horizon_s, on_progress)

    def _arrive(self, event: Call) -> None:
        i = event._value
        if self.direct[i]:
            self._offer(i)
        else:
            self._front_end(i)
        j = i + 1
        if j < self.n:  # (self.n counts the day's contacts; retries and legs come after)
            Call(event.env, self.arrival[j], self._next_arrival, j)

    def records(self) -> Records:
        alerts = None if self.monitor is None else self.monitor.log
        columns = self.table.exported()
        stop_s = last_moment(columns, self.roster.log)
        return Records.from_columns(columns, self.replication, stop_s, self.roster.log, alerts)


def last_moment(c: dict[str, np.ndarray], log: AgentLog) -> float:
    """The run's end (`Records.stop_s`, to which unserved contacts' waits run): when the last
    thing happened to a contact or an agent. That is the latest of: an arrival or the end of
    its time at the IVR or bot (joining the queue, being contained, balking); an end of
    service (talk and wrap-up); an abandonment (at its deadline: it leaves the line then,
    although abandoning is no event in the engine); an agent's log-off. Not the clock's last
    event: the monitor's checks, progress reports and timers that find nothing left to do
    (an overflow or retry of a contact answered meanwhile, a released helper's latest end)
    are bookkeeping, and must not move it. Computed from the records, so watching the run
    costs the engine nothing per event. 0 if nothing happened."""
    arrival, answer = c["arrival"], c["answer"]
    reached = arrival + c["front"]
    answered = ~np.isnan(answer)
    # (`agents.talk_time`, in its order: the very floats of the engine's service ends)
    served = answer + c["handle"] * c["speed"] * c["stretch"] + c["wrapup"]
    gave_up = ~answered & ~c["contained"] & ~c["blocked"] & ~c["balked"] & ~c["callback"]
    abandoned = (reached + c["patience"])[gave_up & np.isfinite(c["patience"])]
    logged_off = [end for kind, end in zip(log.kind, log.end_s, strict=True) if kind == "shift"]
    return float(
        max(
            0.0,
            reached.max(initial=0.0),
            served[answered].max(initial=0.0),
            abandoned.max(initial=0.0),
            max(logged_off, default=0.0),
        )
    )


def simulate(
    model: Model,
    contacts: Contacts,
    seed: int,
    replication: int,
    on_progress: Callable[[float], None] | None = None,
) -> Records:
    """One replication: a pure function of (model, contacts, seed, replication). The contacts
    come from `sim.arrivals.draw_contacts` (the forecast's or a replayed log's); `seed` and
    `replication` seed what happens to them here (retries, routing draws, absences)."""
    with paused_gc():
        centre = Centre(model, contacts, seed, replication)
        centre.run(on_progress)
        records = centre.records()
        centre.table.clear()
        return records
