"""What happens before the queue: lines (trunks), the IVR and bot, announcements, callbacks.

Contacts with none of these (no front end, no line limit on their channel) skip this module
altogether: the centre sends them straight to the router.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from heapq import heappop, heappush

from sim.engine.contacts import ContactTable
from sim.engine.core import Call, Clock
from sim.engine.router import Router
from sim.model import Announcement, Model


class Lines:
    """A channel's lines (phone trunks, IVR ports): a contact holds one from arrival until it
    leaves (contained at the end of the IVR, balked, hung up for a callback, abandoned, or
    the talk of its last leg ends: the agent's wrap-up holds no line). An arrival that finds all taken is blocked.

    Abandonment costs no event, so a line held by a contact that abandons is given back
    lazily: contacts holding a line while they wait sit in a heap by deadline, and the next
    arrival first returns the lines of those whose deadline has passed unanswered."""

    def __init__(self, capacity: int, table: ContactTable, clock: Clock):
        self.capacity = capacity
        self.busy = 0
        self.table = table
        self.clock = clock
        self.holding: set[int] = set()  # the contacts (first legs) holding a line
        self.deadlines: list[tuple[float, int]] = []

    def admit(self, i: int) -> bool:
        table = self.table
        now = self.clock.now
        deadlines = self.deadlines
        while deadlines and deadlines[0][0] < now:
            _, j = heappop(deadlines)
            if table.answer[j] != table.answer[j] and table.deadline[j] < now:
                self.release(j)  # it abandoned
        if self.busy >= self.capacity:
            return False
        self.busy += 1
        self.holding.add(i)
        if table.deadline[i] < math.inf:
            heappush(deadlines, (table.deadline[i], i))
        return True

    def release(self, i: int) -> None:
        root = self.table.transfer_of[i]
        i = root if root >= 0 else i
        if i in self.holding:
            self.holding.remove(i)
            self.busy -= 1

    def release_at_end(self, event: Call) -> None:
        """`on_done` of a contact holding a line: its service is over."""
        self.release(event._value)


class FrontEnd:
    """A contact's way from arrival to its queue (`arrive`), for the channels that have one."""

    on_leave: Callable[[int], None]
    """Hook: contact i left unanswered at once (blocked or balked): what it may do next (the
    follow-ups' `FollowUps.on_leave`: its retrial); set by `connect`, nothing until then."""

    def __init__(self, model: Model, clock: Clock, table: ContactTable, router: Router):
        self.clock = clock
        self.table = table
        self.router = router
        types = model.contact_types
        self.lines_of_channel = {
            c.name: Lines(c.lines, table, clock) for c in model.channels if c.lines is not None
        }
        self.lines_of_type = [self.lines_of_channel.get(t.channel) for t in types]
        self.announce_of_type: list[Announcement | None] = [
            model.announcement_of(t) for t in range(len(types))
        ]
        # What ends a type's service, when its channel has lines: giving the line back.
        self.release_of_type: list[Callable[[Call], None] | None] = [
            None if lines is None else lines.release_at_end for lines in self.lines_of_type
        ]
        self.on_leave = _nothing

    def connect(self, *, on_leave: Callable[[int], None]) -> None:
        """Plug in the hook (see the class attribute); once, when the centre is built."""
        self.on_leave = on_leave

    def arrive(self, i: int) -> None:
        """Contact `i` reaches the centre: a line, the IVR or bot, then its queue."""
        table = self.table
        lines = self.lines_of_type[table.type_of[i]]
        if lines is not None and not lines.admit(i):
            table.blocked[i] = True  # a busy signal: it never reaches the IVR or bot
            table.contained[i] = False
            table.front[i] = 0.0
            table.deadline[i] = self.clock.now  # gone at once (a retry counts from now)
            self.on_leave(i)
            return
        if table.contained[i]:  # resolved at the IVR or by the bot
            if lines is not None:
                self.clock.at(table.join[i], lines.release_at_end, i)
            return
        if table.front[i]:
            self.clock.at(table.join[i], self._from_front_end, i)
        else:  # (an IVR may take no time, and still announce)
            self._leave_front_end(i)

    def _from_front_end(self, event: Call) -> None:
        self._leave_front_end(event._value)

    def _leave_front_end(self, i: int) -> None:
        announcement = self.announce_of_type[self.table.type_of[i]]
        if announcement is not None and self._announce(i, announcement):
            return  # balked
        self.router.offer(i)

    def _hang_up(self, i: int) -> None:
        lines = self.lines_of_type[self.table.type_of[i]]
        if lines is not None:
            lines.release(i)

    def _announce(self, i: int, announcement: Announcement) -> bool:
        """Announce the expected wait; the caller may balk (True) or take a callback."""
        table = self.table
        wait = self.router.expected_wait(i)
        table.announced[i] = wait
        if table.balk_u[i] < announcement.balk_probability(wait):
            table.balked[i] = True
            table.deadline[i] = self.clock.now  # gone at once (a retry counts from now)
            self._hang_up(i)
            self.on_leave(i)
            return True
        above = announcement.callback_above_s
        if above is not None and wait > above:
            table.callback_offered[i] = True
            if table.accept_u[i] < announcement.callback_accept:
                self._accept_callback(i, announcement)
        return False

    def _accept_callback(self, i: int, announcement: Announcement) -> None:
        """The caller hangs up but keeps its place, and never abandons. The agent's time:
        the call attempt, then (if reached) the contact itself."""
        table = self.table
        reached = bool(table.reach_u[i] < announcement.callback_reach)
        table.callback[i] = True
        table.callback_reached[i] = reached
        table.deadline[i] = math.inf
        self._hang_up(i)
        if reached:
            table.handle[i] += table.callback_s[i]
        else:
            table.handle[i] = table.callback_s[i]
            table.wrapup[i] = 0.0
            table.transfer_queue[i] = -1  # nobody to transfer
            table.on_done[i] = None


def _nothing(i: int) -> None:
    """A contact that leaves does nothing more (before `FrontEnd.connect`)."""
