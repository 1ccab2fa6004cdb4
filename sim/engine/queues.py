"""Who is waiting, in what order: the waiting lines.

A line is where contacts wait for the same agents under the same routing (by default one per
queue, i.e. skill; a contact type with its own routing stages or preference ranks gets its own).
Each line holds one deque per discipline level (see `disciplines`), in order of place (`key`).

Contacts leave lazily. One whose patience ran out (its `deadline` passed) or that an overflow
took from the middle of its line (deadline -inf) stays in its deque until it reaches the head,
where `take` drops it. That is exact: a contact that has gone changes no other decision, so
learning of it late changes nothing, and abandonment costs no event at all.
"""

from __future__ import annotations

from collections import deque
from typing import NamedTuple

from sim.engine.contacts import ContactTable
from sim.engine.disciplines import Level


class Slot(NamedTuple):
    """One deque as seen by one agent profile: the deque, how long a contact must have waited
    before this profile may take it (an overflow stage's delay), the head's offset (ageing),
    and `order`: slots are scanned in increasing order, and a lower order always wins
    (real-time before deferrable work, the group's preference rank, the discipline's rank)."""

    order: int
    waiting: deque[int]
    delay: float
    offset: float
    line: int


class WaitingLines:
    def __init__(
        self, table: ContactTable, n_lines: int, levels: list[Level], keeps_place: list[bool]
    ):
        self.table = table
        self.line_of, self.level_of = table.line_of, table.level_of
        self.key, self.deadline = table.key, table.deadline
        self.levels = levels
        self.deques: list[list[deque[int]]] = [[deque() for _ in levels] for _ in range(n_lines)]
        self.keeps_place = keeps_place

    def push(self, i: int) -> None:
        """Contact `i` starts waiting in its line, behind those with an earlier place."""
        line = self.line_of[i]
        waiting = self.deques[line][self.level_of[i]]
        key = self.key
        if not self.keeps_place[line] or not waiting or key[waiting[-1]] <= key[i]:
            waiting.append(i)
            return
        # A chat back from the bot goes before those who arrived after it.
        position = len(waiting) - 1
        while position > 0 and key[waiting[position - 1]] > key[i]:
            position -= 1
        waiting.insert(position, i)

    def take(self, slots: list[Slot], now: float) -> int:
        """The contact an agent scanning `slots` takes now, removed from its line, or -1:
        the lowest order, then the smallest place plus offset, among the heads it may take."""
        deadline, key = self.deadline, self.key
        best = None
        best_key = 0.0
        best_order = 0
        for order, waiting, delay, offset, _ in slots:
            if best is not None and order != best_order:
                break  # every later slot ranks lower
            while waiting and deadline[waiting[0]] < now:
                waiting.popleft()
            if waiting:
                place = key[waiting[0]]
                if delay and now - place < delay:
                    continue  # (nobody behind the head has waited longer)
                place += offset
                if best is None or place < best_key:
                    best, best_key, best_order = waiting, place, order
        return best.popleft() if best is not None else -1

    def waiting_ahead(self, line: int, level: int, now: float) -> int:
        """Contacts still waiting in `line` that go before a newcomer at `level`."""
        deadline = self.deadline
        rank = self.levels[level].rank
        return sum(
            1
            for lv, waiting in zip(self.levels, self.deques[line], strict=True)
            if lv.rank <= rank
            for j in waiting
            if deadline[j] >= now
        )
