"""What happens after: retrials of customers who leave unanswered, and transfer legs.

Retrials. Whether a customer who abandons (balks, or is blocked) tries again, and after how
long, is drawn when its attempt is created: for the day's contacts in numpy batches per contact
type (`retry_draws`), for a retry from that retry's own stream, seeded by (customer, attempt).
So the same customer makes the same retry under any staffing that lets it leave, and deciding
costs nothing on the hot path. The retry is scheduled when the attempt starts waiting, at its
deadline plus the delay; if it was answered in time after all, nothing happens then.

Transfers. A contact with a second leg (a transfer, or a misrouted call's way back) runs
`transfer` when its talk with the first agent really ends (after any proficiency or chat
stretch; the agent's wrap-up follows on its own): the leg joins its queue's line ahead of the contacts waiting there and does not abandon (the
customer is held).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from sim.arrivals.contacts import Contacts
from sim.arrivals.forecast import announce_draws, routing_draws
from sim.engine.contacts import ContactTable
from sim.engine.core import Call, Clock
from sim.engine.router import Router, RoutingPlan
from sim.model import Model, Retrial
from sim.streams import Stream, rng


def retry_draws(
    model: Model, contacts: Contacts, seed: int, replication: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each contact's retrial uniform and delay (1 and nan where its channel has no retrials),
    in one batch per contact type from a stream of its own."""
    n = len(contacts)
    u, delay = np.ones(n), np.full(n, math.nan)
    for t, ctype in enumerate(model.contact_types):
        plan = model.retrials.get(ctype.channel)
        rows = np.flatnonzero(contacts.type_index == t)
        if plan is None or not len(rows):
            continue
        stream = rng(seed, replication, Stream.RETRIAL_PLAN, t)
        u[rows] = stream.random(len(rows))
        delay[rows] = plan.delay.sample(stream, len(rows))
    return u, delay


class FollowUps:
    """Retrials (`plan_retrial`, `on_leave`) and transfer legs (`transfer`)."""

    def __init__(
        self,
        model: Model,
        plan: RoutingPlan,
        clock: Clock,
        table: ContactTable,
        router: Router,
        seed: int,
        replication: int,
        *,
        enter: Callable[[int], None],
        release_of_type: list[Callable[[Call], None] | None],
    ):
        """`enter(j)`: how a retry j comes in (the front end's `arrive`: its line, IVR or bot,
        then its queue). `release_of_type[t]`: what ends the service of a type-t contact
        (giving back its channel's line), or None; a new row's `on_done`."""
        self.model = model
        self.plan = plan
        self.clock = clock
        self.table = table
        self.router = router
        self.seed, self.replication = seed, replication
        self.retrial_of_type: list[Retrial | None] = [
            model.retrials.get(t.channel) for t in model.contact_types
        ]
        # Per type: what to do when one of its contacts has to wait (plan its retrial).
        self.on_wait: list[Callable[[int], None] | None] = [
            None if retrial is None else self.plan_retrial for retrial in self.retrial_of_type
        ]
        self.enter = enter
        self.release_of_type = release_of_type

    # --- retrials ---------------------------------------------------------------------------

    def plan_retrial(self, i: int) -> None:
        """Contact `i` has to wait (or has left): should it leave unanswered, will its
        customer try again, and when?"""
        table = self.table
        if table.deadline[i] == math.inf:
            return
        retrial = self.retrial_of_type[table.type_of[i]]
        attempt = table.attempt[i]
        if retrial is None or attempt >= retrial.max_retries:
            return
        if table.retry_u[i] >= (retrial.first if attempt == 0 else retrial.later):
            return
        self.clock.at(table.deadline[i] + table.retry_delay[i], self._retry, i)

    def on_leave(self, i: int) -> None:
        """A contact that left at once (balked, blocked): its retrial, if any."""
        if self.retrial_of_type[self.table.type_of[i]] is not None:
            self.plan_retrial(i)

    def _retry(self, event: Call) -> None:
        i = event._value
        if self.table.answer[i] == self.table.answer[i]:  # answered in time after all
            return
        j = self._new_attempt(i)
        if j >= 0:
            self.enter(j)

    def _new_attempt(self, i: int) -> int:
        """Append the next attempt of contact `i`'s customer, arriving now, with draws from its
        own stream; -1 if its channel is closed now (the retry is lost)."""
        model, table = self.model, self.table
        now = self.clock.now
        attempt = table.attempt[i] + 1
        stream = rng(self.seed, self.replication, Stream.RETRIAL, table.customer[i], attempt)
        t = self._switched_type(table.type_of[i], stream.random())
        ctype = model.contact_types[t]
        channel = model.channel(ctype.channel)
        if not channel.open_s <= now % 86400 < channel.close_s:
            return -1  # the channel is closed: the customer does not get through
        segment = table.segment_of[i]
        dist = model.patience_of(t, segment)
        patience = math.inf if dist is None else float(dist.sample(stream, 1)[0])
        front_end = channel.front_end
        front = 0.0 if front_end is None else float(front_end.time.sample(stream, 1)[0])
        contained = front_end is not None and bool(stream.random() < ctype.contained)
        base = ctype.handle.sample(stream, 1) * model.handle_factor_at(t, now)
        handle, wrapup, override, transfer_queue, transfer_work = routing_draws(
            model, t, base, ctype.wrapup.sample(stream, 1), stream
        )
        announce = announce_draws(model, t, 1, stream)[0]
        retrial = self.retrial_of_type[t]
        retry_u = float(stream.random()) if retrial is not None else 1.0
        retry_delay = float(retrial.delay.sample(stream, 1)[0]) if retrial is not None else 0.0
        queue = int(override[0]) if override[0] >= 0 and not contained else model.queue_of_type[t]
        join = now + front
        misrouted = override[0] >= 0 and not contained
        transfer = int(transfer_queue[0])
        return table.append(
            arrival=now,
            type_of=t,
            segment_of=segment,
            customer=table.customer[i],
            attempt=attempt,
            patience=patience,
            handle=float(handle[0]),
            wrapup=float(wrapup[0]),
            front=front,
            contained=contained,
            queue_of=queue,
            line_of=self.plan.line_of_queue[queue] if misrouted else self.plan.line_of_type[t],
            level_of=self.plan.level_of_segment[segment],
            join=join,
            key=now if model.keeps_place(t) else join,
            deadline=join + patience,
            transfer_queue=transfer,
            transfer_work=float(transfer_work[0]),
            retry_u=retry_u,
            retry_delay=retry_delay,
            balk_u=float(announce[0]),
            accept_u=float(announce[1]),
            reach_u=float(announce[2]),
            callback_s=float(announce[3]),
            on_done=self.transfer if transfer >= 0 else self.release_of_type[t],
        )

    def _switched_type(self, t: int, u: float) -> int:
        """The type the retry comes as: the same, or another by the plan's `switch` shares."""
        retrial = self.retrial_of_type[t]
        assert retrial is not None
        for name, share in retrial.switch:
            if u < share:
                return self.model.type_index(name)
            u -= share
        return t

    # --- transfers --------------------------------------------------------------------------

    def transfer(self, event: Call) -> None:
        """Contact `i`'s first agent is done: its second leg joins the transfer queue's line,
        ahead of the contacts waiting there. The customer is held, so the leg does not
        abandon."""
        i = event._value
        table = self.table
        now = self.clock.now
        queue = table.transfer_queue[i]
        t = table.type_of[i]
        j = table.append(
            arrival=now,
            type_of=t,
            segment_of=table.segment_of[i],
            customer=table.customer[i],
            attempt=table.attempt[i],
            handle=table.transfer_work[i],
            queue_of=queue,
            line_of=self.plan.line_of_queue[queue],
            level_of=0,
            join=now,
            key=now,
            transfer_of=i,
            on_done=self.release_of_type[t],
        )
        self.router.offer(j)
