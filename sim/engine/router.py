"""Who meets whom: the router.

Two questions, asked all the time: which agent does a contact that starts waiting (or has
waited long enough to overflow) go to (`offer`, `_overflow`), and which contact does a freed
agent take (`assign`). Everything they need is worked out once, when the run is built
(`RoutingPlan`): the waiting lines, each line's stages (which profiles are offered it after how
long, in the selector's order), and each profile's slots (the deques it may take from, in
the order it takes them). Nothing on the hot path tests a routing option.

Overflow stages are plain events: a contact that waits is given one event per later stage, at
its place in line plus the stage's delay; if it is still waiting then, the stage's idle agents
are offered it. A freed agent takes a contact of a stage only once the contact has waited the
stage's delay. Delays count from the contact's place in line (`key`): when it joined, or, for a
chat the bot handed over, when it arrived (the bot keeps its place).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sim.engine.agents import IDLE, OFF, AgentPool, Profile, profile_key
from sim.engine.contacts import ContactTable
from sim.engine.core import Call, Clock
from sim.engine.disciplines import DISCIPLINES, TRANSFER_LEVEL, Level
from sim.engine.queues import Slot, WaitingLines
from sim.engine.selectors import SELECTORS
from sim.model import Agent, Model, Stage

# A stage as the router uses it: its delay and its profiles as (selector score, profile),
# best first.
StageEntries = tuple[float, list[tuple[float, int]]]
# Where a profile's deque comes in its scan (`Slot.order`): deferrable work after real-time
# work, then the group's preference rank, then the discipline level's rank.
SlotOrder = tuple[bool, int, int]


@dataclass
class RoutingPlan:
    """The routing of one model, worked out once: lines, stages, profiles and their slots."""

    profiles: list[Profile]
    profile_of: list[int]  # per agent, as rostered (the pool keeps each agent's current one)
    levels: list[Level]
    level_of_segment: list[int]
    line_of_type: list[int]  # where a contact type waits
    line_of_queue: list[int]  # where transfer legs and misrouted calls wait
    line_queue: list[int]  # each line's queue
    stages: list[list[StageEntries]] = field(default_factory=list)  # per line
    delay: list[dict[int, float]] = field(default_factory=list)  # per profile: line -> delay
    order: list[dict[tuple[int, int], SlotOrder]] = field(default_factory=list)  # (line, level)
    twins: dict[tuple[int, int], int] = field(default_factory=dict)  # (profile, move) -> twin
    concurrent_line: list[bool] = field(default_factory=list)  # per line: chats (concurrency)?
    lines_of_profile: list[list[int]] = field(default_factory=list)  # the lines it may serve
    chat_lines_of_profile: list[list[int]] = field(default_factory=list)  # those of chats

    @property
    def n_lines(self) -> int:
        return len(self.line_queue)


def plan_routing(model: Model) -> RoutingPlan:
    """Work out the routing of `model`: profiles, discipline levels, lines, who may serve
    each line after how long, and in which order each profile takes from its deques."""
    routing = model.routing
    # Profiles: agents alike in all routing looks at; each represented by its first agent.
    keys: dict[tuple[object, ...], int] = {}
    profile_of = [keys.setdefault(profile_key(model, a), len(keys)) for a in model.agents]
    first_agent = {p: model.agents[a] for a, p in reversed(list(enumerate(profile_of)))}
    twins = _moved_profiles(model, keys, first_agent)
    # Levels: transfer legs first (when there are any), then the discipline's.
    discipline = DISCIPLINES.build(routing)
    level_of_segment, levels = discipline.levels([s.priority for s in model.segments])
    if model.has_transfers:
        levels = [TRANSFER_LEVEL, *levels]
        level_of_segment = [k + 1 for k in level_of_segment]
    lines = _Lines(model)
    members = [
        _stage_members(first_agent, lines.stages[ln], model.queues[q])
        for ln, q in enumerate(lines.queue)
    ]
    delay: list[dict[int, float]] = [{} for _ in keys]
    for ln, line_members in enumerate(members):
        for after, _, profiles_of_stage in line_members:
            for p in profiles_of_stage:
                delay[p][ln] = after
    profiles = [
        _profile(model, first_agent[p], len({lines.queue[ln] for ln in delay[p]}))
        for p in keys.values()
    ]
    for twin in set(twins.values()):  # a moved agent keeps no reserve for its own backlog
        profiles[twin] = replace(profiles[twin], reserve=0.0)
    select = SELECTORS.build(routing)
    stages = [
        [
            (
                after,
                sorted((select(profiles[p], lines.queue[ln], names or ()), p) for p in of_stage),
            )
            for after, names, of_stage in line_stages
        ]
        for ln, line_stages in enumerate(members)
    ]
    deferred = [model.is_deferred(q) for q in model.queues]
    order = [
        {
            (ln, lv): (deferred[lines.queue[ln]], lines.rank[ln][profiles[p].group], level.rank)
            for ln in delay[p]
            for lv, level in enumerate(levels)
        }
        for p in keys.values()
    ]
    concurrent_line = [model.stretch_of(model.queues[q]) is not None for q in lines.queue]
    lines_of_profile = [sorted(d) for d in delay]
    return RoutingPlan(
        profiles=profiles,
        profile_of=profile_of,
        levels=levels,
        level_of_segment=level_of_segment,
        line_of_type=lines.of_type,
        line_of_queue=lines.of_queue,
        line_queue=lines.queue,
        stages=stages,
        delay=delay,
        order=order,
        twins=twins,
        concurrent_line=concurrent_line,
        lines_of_profile=lines_of_profile,
        chat_lines_of_profile=[[ln for ln in ls if concurrent_line[ln]] for ls in lines_of_profile],
    )


def _moved_profiles(
    model: Model, keys: dict[tuple[object, ...], int], first_agent: dict[int, Agent]
) -> dict[tuple[int, int], int]:
    """For each move (cross-scheduling) and each profile holding its source skill, a twin
    profile that also serves the move's queue: (profile, move) -> twin. Adds them to `keys`
    and `first_agent`; agents switch to a twin while the move is on."""
    twins: dict[tuple[int, int], int] = {}
    moves = model.monitor.moves if model.monitor is not None else ()
    for m, move in enumerate(moves):
        for p, agent in list(first_agent.items()):
            if move.source in agent.skills and move.to not in agent.skills:
                moved = replace(agent, skills=agent.skills | {move.to})
                key = (*profile_key(model, moved), "moved")
                twins[(p, m)] = keys.setdefault(key, len(keys))
                first_agent[twins[(p, m)]] = moved
    return twins


class _Lines:
    """The waiting lines: one per distinct (queue, stages, each group's preference rank), so
    contact types routed alike share a line. Every queue has one for its transfer legs and
    misrouted calls (its skill holders, no stages); a type without stages or a preference of
    its own waits in that same line."""

    def __init__(self, model: Model):
        self.routing = model.routing
        self.groups = sorted({a.group for a in model.agents})
        self.queues = list(model.queues)
        self.signatures: dict[tuple[str, tuple[Stage, ...] | None, tuple[int, ...]], int] = {}
        self.queue: list[int] = []  # per line
        self.stages: list[tuple[Stage, ...] | None] = []  # per line; None: skill holders
        self.rank: list[dict[str, int]] = []  # per line: each group's preference rank
        self.of_queue = [self._line(q, None, q) for q in self.queues]
        self.of_type = [
            self._line(t.skill, self.routing.stages.get(t.name), t.name, t.skill)
            for t in model.contact_types
        ]

    def _rank(self, group: str, names: tuple[str, ...]) -> int:
        prefer = self.routing.prefer.get(group, ())
        return next((k for k, name in enumerate(prefer) if name in names), len(prefer))

    def _line(self, queue: str, stages: tuple[Stage, ...] | None, *names: str) -> int:
        ranks = tuple(self._rank(g, names) for g in self.groups)
        signature = (queue, stages, ranks)
        if signature not in self.signatures:
            self.signatures[signature] = len(self.queue)
            self.queue.append(self.queues.index(queue))
            self.stages.append(stages)
            self.rank.append(dict(zip(self.groups, ranks, strict=True)))
        return self.signatures[signature]


def _stage_members(
    first_agent: dict[int, Agent], stages: tuple[Stage, ...] | None, queue: str
) -> list[tuple[float, tuple[str, ...] | None, list[int]]]:
    """(delay, groups, profiles first offered the line then) per stage; without stages, the
    profiles holding the queue's skill, at once."""
    if stages is None:
        return [(0.0, None, [p for p, agent in first_agent.items() if queue in agent.skills])]
    seen: set[int] = set()
    out: list[tuple[float, tuple[str, ...] | None, list[int]]] = []
    for stage in stages:
        new = [
            p for p, agent in first_agent.items() if agent.group in stage.groups and p not in seen
        ]
        seen.update(new)
        out.append((stage.after_s, stage.groups, new))
    return out


def _profile(model: Model, agent: Agent, n_queues: int) -> Profile:
    return Profile(
        group=agent.group,
        skills=agent.skills,
        speed=tuple(agent.speed_on(q) for q in model.queues),
        max_chats=agent.max_chats,
        reserve=model.reserve_of(agent),
        n_queues=n_queues,
    )


class Router:
    """Offers waiting contacts to agents (`offer`, `_overflow`) and agents the next contact
    (`assign`, `fill_chats`), by the plan."""

    on_wait: list[Callable[[int], None] | None]
    """Hook, per contact type: runs when a contact of the type starts waiting (the follow-ups'
    `FollowUps.plan_retrial`, for types whose customers retry); None: nothing. Set by
    `connect`; nothing until then."""

    def __init__(
        self,
        model: Model,
        plan: RoutingPlan,
        clock: Clock,
        table: ContactTable,
        lines: WaitingLines,
        pool: AgentPool,
    ):
        self.plan = plan
        self.clock = clock
        self.table = table
        self.lines = lines
        self.pool = pool
        self.stages = plan.stages
        self.later_stages = [len(stages) > 1 for stages in plan.stages]
        self.delay = plan.delay
        self.concurrent_line = plan.concurrent_line
        self.slots = [self._slots(p, False) for p in range(len(plan.profiles))]
        self.reserve_slots = [self._slots(p, True) for p in range(len(plan.profiles))]
        self.chat_slots = [
            [s for s in slots if self.concurrent_line[s.line]] for slots in self.slots
        ]
        self.lines_of_profile = plan.lines_of_profile
        self.staffed = [0] * plan.n_lines  # agents on shift per line, not counting leavers
        self.line_work = [model.mean_work(model.queues[q]) for q in plan.line_queue]
        self.on_wait: list[Callable[[int], None] | None] = [None] * len(model.contact_types)
        # Looked up once: what the hot path touches.
        self.env = clock.env
        self.key, self.line_of, self.type_of = table.key, table.line_of, table.type_of
        self.profile_of = pool.profile_of  # (the pool's: it changes while a move is on)
        self.idle = pool.idle
        self._pool_start = pool.start
        # A line offered at once to one profile and nobody else (the common case) needs no
        # stages and no selector: its profile, else -1.
        self.only = [
            stages[0][1][0][1] if len(stages) == 1 and len(stages[0][1]) == 1 else -1
            for stages in plan.stages
        ]
        # A stage offered to one profile needs no selector.
        self.single = [
            [entries[0][1] if len(entries) == 1 else -1 for _, entries in stages]
            for stages in plan.stages
        ]

    def connect(self, *, on_wait: list[Callable[[int], None] | None]) -> None:
        """Plug in the hook (see the class attribute); once, when the centre is built."""
        self.on_wait = on_wait

    def _slots(self, p: int, deferred_first: bool) -> list[Slot]:
        """Profile p's deques, in the order it takes from them (see `queues.Slot`)."""
        raw = []
        for (ln, lv), (deferred, rank, level_rank) in self.plan.order[p].items():
            first = deferred if not deferred_first else not deferred
            raw.append(((first, rank, level_rank), ln, lv))
        raw.sort(key=lambda r: r[0])
        distinct = sorted({r[0] for r in raw})
        return [
            Slot(
                distinct.index(o),
                self.lines.deques[ln][lv],
                self.delay[p][ln],
                self.plan.levels[lv].offset,
                ln,
            )
            for o, ln, lv in raw
        ]

    # --- a contact starts waiting -----------------------------------------------------------

    def choose(self, entries: list[tuple[float, int]]) -> int:
        """The idle agent of these profiles the selector prefers, or -1."""
        idle = self.pool.idle
        best = -1
        best_score = 0.0
        best_since = 0.0
        for score, p in entries:
            if best >= 0 and score > best_score:
                break
            agents = idle[p]
            if agents:
                a = next(iter(agents))
                since = self.pool.idle_since[a]
                if best < 0 or since < best_since:
                    best, best_score, best_since = a, score, since
        return best

    def offer(self, i: int) -> None:
        """Contact `i` reaches its line: to an idle agent of the first stage that has one (of
        those whose delay has passed), else to an agent with a free chat slot, else it waits."""
        line = self.line_of[i]
        only = self.only[line]
        if only >= 0:
            agents = self.idle[only]
            if agents:
                a = next(iter(agents))
                self._pool_start(a, i)
                return
        waited = self.env._now - self.key[i]
        if only < 0:
            single = self.single[line]
            for k, (after, entries) in enumerate(self.stages[line]):
                if after > waited:
                    break
                p = single[k]
                if p >= 0:
                    agents = self.idle[p]
                    a = next(iter(agents)) if agents else -1
                else:
                    a = self.choose(entries)
                if a >= 0:
                    self._pool_start(a, i)
                    return
        if self.concurrent_line[line] and self._to_free_slot(i, line, waited):
            return
        plan = self.on_wait[self.type_of[i]]
        if plan is not None:
            plan(i)
        self.lines.push(i)
        if self.later_stages[line]:
            at = self.clock.at
            for k, (after, _) in enumerate(self.stages[line]):
                if after > waited:
                    at(self.key[i] + after, self._overflow, (i, k))

    def _to_free_slot(self, i: int, line: int, waited: float) -> bool:
        profile_of, delay = self.profile_of, self.delay
        for a in self.pool.room[line]:
            if delay[profile_of[a]][line] <= waited:
                self._pool_start(a, i)
                return True
        return False

    def _overflow(self, event: Call) -> None:
        """Contact `i` has waited stage k's delay: stage k's idle agents may take it now."""
        i, k = event._value
        table = self.table
        now = self.env._now
        if table.deadline[i] < now or table.answer[i] == table.answer[i]:
            return  # gone, or answered already
        line = table.line_of[i]
        entries = self.stages[line][k][1]
        a = self.choose(entries)
        if a < 0 and self.concurrent_line[line]:
            members = {p for _, p in entries}
            a = next((b for b in self.pool.room[line] if self.profile_of[b] in members), -1)
        if a >= 0:
            table.deadline[i] = -float("inf")  # out of the middle of its line
            self._pool_start(a, i)

    # --- an agent is free -------------------------------------------------------------------

    def assign(self, a: int) -> None:
        """Agent `a` has nothing in hand: take the next contact, or wait idle."""
        pool = self.pool
        p = self.profile_of[a]
        slots = (
            self.reserve_slots[p] if pool.reserve[a] and pool.behind_reserve(a) else self.slots[p]
        )
        i = self.lines.take(slots, self.env._now)
        if i >= 0:
            self._pool_start(a, i)
        else:
            pool.become_idle(a)

    def fill_chats(self, a: int) -> None:
        """Agent `a` holds chats and has a slot free: it takes the next waiting chat it may,
        if any. (Taking it, the pool asks again while a slot is still free.)"""
        i = self.lines.take(self.chat_slots[self.profile_of[a]], self.env._now)
        if i >= 0:
            self._pool_start(a, i)

    def take_closing(self, a: int) -> int:
        """For an agent leaving last on shift for some lines: a contact still waiting there
        (real-time work only: a deferrable backlog is carried over), or -1."""
        p = self.profile_of[a]
        closing = {
            ln
            for ln in self.lines_of_profile[p]
            if self.staffed[ln] == 0 and not self.pool.deferred[self.plan.line_queue[ln]]
        }
        if not closing:
            return -1
        slots = [s for s in self.slots[p] if s.line in closing]
        return self.lines.take(slots, self.clock.env._now)

    def switch_profile(self, a: int, profile: int) -> None:
        """Agent `a` now serves as `profile` (a move starts or ends): its lines, speed, slots
        and reserve change; an idle agent looks for work at once."""
        pool = self.pool
        if self.profile_of[a] == profile:
            return
        on_shift = pool.state[a] != OFF and not pool.leaving[a]
        if on_shift:
            self.on_shift(a, -1)
        pool.switch_profile(a, profile)
        if on_shift:
            self.on_shift(a, +1)
        if pool.state[a] == IDLE:  # (it stayed idle, as from now: a contact for it now?)
            self.assign(a)

    def on_shift(self, a: int, change: int) -> None:
        for ln in self.lines_of_profile[self.profile_of[a]]:
            self.staffed[ln] += change

    # --- announcements ----------------------------------------------------------------------

    def expected_wait(self, i: int) -> float:
        """The wait announced to a caller about to join its line: (contacts waiting ahead of
        it + 1) x mean work per contact / agents on shift for the line; 0 when an agent it may
        go to at once is free. Simple and what many ACDs announce; its accuracy is reported
        (announce_error_s)."""
        table = self.table
        line = table.line_of[i]
        now = self.env._now
        waited = now - table.key[i]
        idle = self.pool.idle
        for after, entries in self.stages[line]:
            if after <= waited and any(idle[p] for _, p in entries):
                return 0.0
        ahead = self.lines.waiting_ahead(line, table.level_of[i], now)
        return (ahead + 1) * self.line_work[line] / max(1, self.staffed[line])
