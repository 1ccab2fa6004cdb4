"""The passive description of a contact centre: what exists, never what happens.

A `Model` is built once from the composed configuration (`sim.inputs.config.build_model`) and then
handed, unchanged, to every replication. Nothing here knows about SimPy, Hydra or files, so the
engine, the analytics and the tests can all construct and read models directly. All times are
seconds from midnight of the first simulated day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import numpy as np

from sim.distributions import Distribution

# The defaults planners quote (PRODUCT.md), defined here once: every reader takes them from here.
DEFAULT_THRESHOLD_S = 20.0  # answered within 20 s counts as good
DEFAULT_TARGET = 0.8  # 80% of contacts within the threshold
DEFAULT_INTERVAL_MIN = 30  # planning intervals of half an hour


@dataclass(frozen=True)
class Announcement:
    """The IVR tells each caller the expected wait (see `Router.expected_wait`). Callers
    leave at once with a probability that grows with the announced wait (`balk`: points of
    (announced seconds, probability), linear between, flat beyond). Above `callback_above_s`
    they are offered a callback; those who accept (`callback_accept`) hang up but keep their
    place, and the agent whose turn it is calls back: `callback_attempt` seconds, reaching the
    customer with probability `callback_reach` (then the contact is handled as usual)."""

    balk: tuple[tuple[float, float], ...] = ((0.0, 0.0),)
    callback_above_s: float | None = None
    callback_accept: float = 0.0
    callback_attempt: Distribution | None = None
    callback_reach: float = 1.0

    def balk_probability(self, wait: float) -> float:
        points = self.balk
        if wait <= points[0][0]:
            return points[0][1]
        for (w0, p0), (w1, p1) in zip(points, points[1:], strict=False):
            if wait <= w1:
                return p0 + (p1 - p0) * (wait - w0) / (w1 - w0)
        return points[-1][1]


@dataclass(frozen=True)
class FrontEnd:
    """What a contact meets before any queue: the phone IVR menu or the chat bot. It takes
    `time` seconds; each contact type's `contained` share ends there (self-service, or the bot
    answered); the rest go on to their queue."""

    kind: str  # "ivr" or "bot"
    time: Distribution
    misroute_handle: Distribution | None = None  # IVR: a wrong queue's agent's time on it
    announce: Announcement | None = None  # IVR: expected-wait announcement, balking, callbacks


@dataclass(frozen=True)
class Channel:
    """A way customers reach the centre (phone, chat, email), open between `open_s` and `close_s`
    each day. `threshold_s` is the service-level threshold for its contacts. Contacts of a
    `deferrable` channel (email) are worked only when no real-time contact the agent serves is
    waiting, however long they have waited."""

    name: str
    open_s: float
    close_s: float
    threshold_s: float
    deferrable: bool = False
    front_end: FrontEnd | None = None
    reserved_share: float = 0.0  # deferrable only: agents' minimum share of time on it
    # Chat concurrency: None, or each contact's handle time grows by this share per other
    # contact the agent already holds when it starts (agents hold up to `Agent.max_chats`).
    concurrency_stretch: float | None = None
    # Lines (trunks, IVR ports): contacts present at once, in the front end, waiting or in
    # service; an arrival finding all taken is blocked (busy signal). None: unlimited.
    lines: int | None = None

    def open_during(self, edges: np.ndarray) -> np.ndarray:
        """Whether the channel is open for some of each interval between `edges` (seconds
        from 00:00 of day one; the opening hours repeat every day)."""
        start, end = edges[:-1], edges[1:]
        day = np.floor(start / 86400.0) * 86400.0
        return (np.minimum(end, day + self.close_s) > np.maximum(start, day + self.open_s)) | (
            end - day > 86400.0 + self.open_s  # an interval running into the next day's opening
        )


@dataclass(frozen=True)
class Segment:
    """A customer class. `priority`: higher is served first (non-preemptive)."""

    name: str
    share: float
    priority: int


@dataclass(frozen=True)
class ContactType:
    """An intent on a channel: it is queued for `skill` and takes `handle` then `wrapup` seconds
    of an agent's time, unless the channel's front end contains it first."""

    name: str
    channel: str
    skill: str
    handle: Distribution
    wrapup: Distribution
    contained: float = 0.0  # share resolved by the channel's front end (IVR or bot)
    threshold_s: float | None = None  # its own threshold or deadline; None: the channel's
    transfer: Transfer | None = None
    misroute: float = 0.0  # share the IVR sends to a wrong queue (transferred after a short handle)
    # This type's own patience per segment, (segment, distribution or None: never abandons)
    # pairs, overriding the channel's for the segments named; see `Model.patience_of`.
    patience: tuple[tuple[str, Distribution | None], ...] | None = None
    # This type's own segment mix, (segment, share) pairs; None: the scenario's shares.
    segment_mix: tuple[tuple[str, float], ...] | None = None


@dataclass(frozen=True)
class Transfer:
    """A `share` of a type's contacts need a second skill after the first agent (sales to
    technical, say): they join the `to` queue ahead of its other contacts and take `handle`."""

    to: str
    share: float
    handle: Distribution


@dataclass(frozen=True)
class Retrial:
    """Customers of a channel who abandon (or balk) call again: with probability `first` after
    their first attempt, `later` after a retry, at most `max_retries` times, after `delay`.
    `switch` maps contact types to the probability the retry comes on that type instead (e.g.
    a caller who gives up on the phone and tries chat)."""

    first: float
    later: float
    delay: Distribution
    max_retries: int = 3
    switch: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Break:
    """A planned break: the agent leaves for it at `start_s`, or as soon as it is free after."""

    start_s: float
    duration_s: float


@dataclass(frozen=True)
class Shift:
    start_s: float
    end_s: float
    breaks: tuple[Break, ...] = ()

    @property
    def paid_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def scheduled_s(self) -> float:
        """Time planned on the phones: the shift less its breaks."""
        return self.paid_s - sum(b.duration_s for b in self.breaks)


@dataclass(frozen=True)
class Agent:
    name: str
    skills: frozenset[str]
    shifts: tuple[Shift, ...]
    group: str = "agents"
    max_chats: int = 1  # contacts of concurrent channels held at once
    # Proficiency: a factor on the customer's handle time (1.3 a novice, 0.8 a senior), per
    # skill in `speeds`, else `speed`.
    speed: float = 1.0
    speeds: tuple[tuple[str, float], ...] = ()

    def speed_on(self, skill: str) -> float:
        return dict(self.speeds).get(skill, self.speed)


@dataclass(frozen=True)
class Absence:
    """A group's absenteeism on the day: each planned shift of its agents is missed with
    probability `p`; a shift that is worked may start `late` (seconds after its start)."""

    p: float = 0.0
    late: Distribution | None = None


# The measures an alert rule may watch (`AlertRule.measure`), each with the words reports use
# for it; the engine's monitor implements each (checked by `sim.engine.check`).
ALERT_MEASURES: Mapping[str, str] = MappingProxyType(
    {
        "queue_length": "queue length",
        "oldest_wait_s": "oldest wait",
        "service_level": "service level",
        "occupancy": "occupancy",
    }
)


@dataclass(frozen=True)
class AlertRule:
    """Raised while `measure` of a queue or a channel is above (or below) `threshold`, checked
    every `Monitor.period_s`. Measures (`ALERT_MEASURES`): `queue_length` (contacts waiting),
    `oldest_wait_s`, `service_level` (of the contacts that arrived in the last `window_s` and
    are decided: answered, abandoned, or waiting past the threshold) and `occupancy` (busy
    share of the logged-in agents serving it who are not on a break, averaged over the checks
    in the last `window_s`)."""

    name: str
    measure: str
    threshold: float
    above: bool  # raised above the threshold (False: below it)
    queue: str | None = None  # one of queue or channel
    channel: str | None = None
    window_s: float = 1800.0


@dataclass(frozen=True)
class OnCall:
    """A pool of on-call agents (they are `Model.agents` with no shifts, in `group`): when one
    of the alerts in `when` is raised, up to `batch` of those not on duty are called in; each
    arrives after a `call_in` delay and stays at least `min_on_s`, then leaves once the alerts
    have cleared, and at the latest after `max_on_s`. Within the labour rules: call-ins less
    than `rest_s` apart make one duty, which spans at most `max_duty_s` from its first arrival
    (None: no limit); a helper with no room left in its duty for `min_on_s` is not called."""

    name: str
    group: str
    agents: tuple[int, ...]  # indices into Model.agents
    call_in: Distribution
    when: tuple[str, ...]
    min_on_s: float
    max_on_s: float
    batch: int
    max_duty_s: float | None = None  # labour.max_shift_h
    rest_s: float = 0.0  # labour.min_rest_h


@dataclass(frozen=True)
class Move:
    """Cross-scheduling: while one of the alerts in `when` is raised, agents holding skill
    `source` (a deferrable queue, e.g. email) also serve queue `to`, before their own work."""

    source: str
    to: str
    when: tuple[str, ...]


@dataclass(frozen=True)
class Monitor:
    """Real-time management: alert rules checked every `period_s` of simulated time, and
    the reserve policies that react to them."""

    period_s: float
    alerts: tuple[AlertRule, ...] = ()
    on_call: tuple[OnCall, ...] = ()
    moves: tuple[Move, ...] = ()


@dataclass(frozen=True)
class GroupCost:
    """What an agent of a group costs: `per_hour` for every paid hour (planned, or logged in),
    and hours worked past the planned shift end at `overtime` times that (1.5: time and a
    half). Read from `roster.costs` by `sim.analysis.costs`."""

    per_hour: float
    overtime: float = 1.5


@dataclass(frozen=True)
class Demand:
    """Expected arrivals per interval for each contact type (rows follow `Model.contact_types`).

    `volumes[t, k]` is the expected number of type-`t` arrivals in interval `k`; arrivals inside
    an interval are uniform (a piecewise-constant Poisson rate). `busyness_cv` is the coefficient
    of variation of a gamma day factor that scales the whole day (0: the forecast is exact).
    `handle_factor[t, k]`, when the forecast gives handle times, is the forecast mean handle of
    type-`t` contacts arriving in interval `k` over the type's configured mean (1 where not
    given; None: no handle-time forecast at all).
    """

    interval_s: float
    volumes: np.ndarray
    busyness_cv: float = 0.0
    handle_factor: np.ndarray | None = None

    @property
    def n_intervals(self) -> int:
        return self.volumes.shape[1]

    @property
    def horizon_s(self) -> float:
        return self.interval_s * self.n_intervals


@dataclass(frozen=True)
class Trace:
    """A contact log replayed instead of a forecast (`scenario.trace`; `sim.inputs.trace`): one entry
    per logged contact, in arrival order. Arrivals, types and outcomes are the log's own; so are
    segments where `segment_index` >= 0, handle times where `use_handle` and the contact was
    answered, front-end times where `front_s` is not NaN, and customers when `customer` is
    given. The rest is drawn per replication from the usual streams."""

    source: str  # the log file, for messages and the report
    arrival_s: np.ndarray  # seconds from 00:00 of the first day
    type_index: np.ndarray  # into Model.contact_types
    segment_index: np.ndarray  # into Model.segments; -1: not logged (drawn)
    outcome: np.ndarray  # the log's outcome names (answered, abandoned, contained, ...)
    wait_s: np.ndarray  # the logged wait in queue; NaN where it never queued
    handle_s: np.ndarray  # the logged handle time of answered contacts; NaN otherwise
    front_s: np.ndarray  # the logged IVR or bot time; NaN: not logged (drawn)
    customer: np.ndarray | None = None  # customer ids (0..), when `customers: true`
    use_handle: bool = False
    agent: np.ndarray | None = None  # the agent who answered (name; None: not logged)

    def __len__(self) -> int:
        return len(self.arrival_s)

    def attempts(self) -> np.ndarray | None:
        """Each contact's attempt number within its customer (0 first), in arrival order;
        None without customers."""
        if self.customer is None:
            return None
        order = np.argsort(self.customer, kind="stable")
        ranks = np.empty(len(order), dtype=np.int64)
        sorted_ids = self.customer[order]
        starts = np.searchsorted(sorted_ids, sorted_ids, side="left")
        ranks[order] = np.arange(len(order)) - starts
        return ranks


@dataclass(frozen=True)
class Stage:
    """A routing stage: once a contact has waited `after_s` seconds (from its place in line),
    it is also offered to the agents of `groups`."""

    groups: tuple[str, ...]
    after_s: float = 0.0


@dataclass(frozen=True)
class Routing:
    """How contacts meet agents (the engine's `router`, `disciplines` and `selectors`).

    - `discipline`: which waiting contact first: `priority` (segment priority, non-preemptive),
      `fifo`, or `ageing` (segment priority plus `ageing_per_s` per second waited).
    - `selection`: which idle agent takes an arriving contact, within a stage: `longest_idle`,
      `best_skill` (lowest handle-time factor), `least_skilled` (fewest queues),
      `group_rank` (in the order the stage lists its groups).
    - `stages[type]`: the ordered stages of a contact type: who is offered it, and after how
      long. A type without stages goes to every agent holding its skill at once.
    - `prefer[group]`: a group's preference over contact types or queues (first is taken
      first when the agent is freed); unlisted ones come after, in order of waiting.
    """

    name: str = "vip_first"
    discipline: str = "priority"
    ageing_per_s: float = 0.0
    selection: str = "longest_idle"
    stages: dict[str, tuple[Stage, ...]] = field(default_factory=dict)
    prefer: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class LabourRules:
    """The rules in force; a limit set to None is not checked. Defaults from planner practice:

    - `max_shift_h` 10: the longest shift, breaks included. China's Labour Law sets an 8-hour
      day with at most 3 hours' overtime in special cases; European law and most WFM tools
      cap a planned day at 10 hours (4 x 10 is the longest common pattern).
    - `break_after_h` 6 and `min_break_min` 30: a shift longer than six hours needs one break
      of at least 30 minutes (the seeds' 8-hour day with a 30-minute break; Germany's
      Arbeitszeitgesetz section 4 has the same 6 h / 30 min threshold).
    - `max_work_without_break_h` 5, counting only breaks of `shortest_break_min` (15) minutes
      or more: the law's ceiling is 6 hours in a row (ArbZG section 4, breaks of at least
      15 minutes), but headset and screen work calls for more, and the seeds' 8-hour day with
      its break in the middle works at most 4 hours at a stretch. Five hours leaves an hour
      for staggering breaks around the peaks while catching a lunch break placed at one end
      of a 9-hour shift.
    - `min_rest_h` 11: the shortest rest between two shifts of one agent (the EU Working Time
      Directive's daily rest, the usual WFM default). The parts of a split shift are shifts
      too: set it lower for a roster that splits shifts.
    - `max_week_h` 48: the most shift hours in any 7 consecutive days (the Directive's 48-hour
      week including overtime; China's 40 hours plus 36 hours' overtime a month comes close).
      A roster shorter than a week is held to it for the days it has.
    - `tolerance_min` 1: how far past any of these limits a duty may go before it is a breach
      (a shift may be 10 h 1 min long, a rest 10 h 59 min). A simulated agent finishing the
      contact in hand overruns by seconds; a second over five hours is no violation a planner
      would act on, and a minute is the grain rosters are written in. 0: every second counts.
    """

    max_shift_h: float | None = 10.0
    break_after_h: float | None = 6.0
    min_break_min: float = 30.0
    max_work_without_break_h: float | None = 5.0
    shortest_break_min: float = 15.0
    min_rest_h: float | None = 11.0
    max_week_h: float | None = 48.0
    tolerance_min: float = 1.0


# The limits that may be null (not checked); the break lengths always need a number.
OPTIONAL_LIMITS = frozenset(
    {"max_shift_h", "break_after_h", "max_work_without_break_h", "min_rest_h", "max_week_h"}
)


@dataclass(frozen=True)
class Model:
    """Everything one simulated day (or several) needs, and nothing about how to run it."""

    name: str
    channels: tuple[Channel, ...]
    segments: tuple[Segment, ...]
    contact_types: tuple[ContactType, ...]
    demand: Demand
    agents: tuple[Agent, ...]
    # patience[(channel, segment)]: None means these customers never abandon.
    patience: dict[tuple[str, str], Distribution | None] = field(default_factory=dict)
    retrials: dict[str, Retrial] = field(default_factory=dict)  # by channel
    routing: Routing = Routing()
    targets: TargetSet = field(default_factory=lambda: TargetSet())  # what "holds" means
    absence: dict[str, Absence] = field(default_factory=dict)  # by agent group
    monitor: Monitor | None = None
    description: str = ""
    costs: dict[str, GroupCost] = field(default_factory=dict)  # by agent group; none: unknown
    trace: Trace | None = None  # a replayed contact log instead of forecast arrivals
    labour: LabourRules = LabourRules()  # the config's `labour:` rules in force
    labour_strict: bool = False  # a roster breaking a labour rule is an input error
    roster_source: str = "roster.agents"  # the roster's file (or section), for messages

    @property
    def short_abandon_s(self) -> float:
        """Abandons quicker than this are left out of the service level."""
        return self.targets.short_abandon_s

    @property
    def target_sl(self) -> float:
        """The default service-level target (a queue's own: `targets.of_queue`)."""
        return self.targets.default.service_level

    @property
    def threshold_s(self) -> float:
        """The default threshold (each channel's own: `Channel.threshold_s`)."""
        return self.targets.default.threshold_s

    @property
    def has_transfers(self) -> bool:
        return any(t.transfer is not None or t.misroute > 0 for t in self.contact_types)

    @property
    def queues(self) -> tuple[str, ...]:
        """One queue per skill that some contact type needs (directly or as a transfer), in
        first-use order."""
        direct = [t.skill for t in self.contact_types]
        transfers = [t.transfer.to for t in self.contact_types if t.transfer is not None]
        return tuple(dict.fromkeys(direct + transfers))

    def channel(self, name: str) -> Channel:
        return next(c for c in self.channels if c.name == name)

    # --- facts derived from the description (read when a run is built, never per event) ----

    @cached_property
    def queue_of_type(self) -> tuple[int, ...]:
        """Each contact type's queue, as an index into `queues`."""
        queues = self.queues
        return tuple(queues.index(t.skill) for t in self.contact_types)

    def type_index(self, name: str) -> int:
        """The index into `contact_types` of the type called `name`."""
        return next(k for k, t in enumerate(self.contact_types) if t.name == name)

    def is_deferred(self, queue: str) -> bool:
        """Does `queue` hold contacts of a deferrable channel (email)? Such work is taken
        only when none of the agent's real-time queues has a contact waiting."""
        return any(
            t.skill == queue and self.channel(t.channel).deferrable for t in self.contact_types
        )

    def stretch_of(self, queue: str) -> float | None:
        """The chat-concurrency stretch of `queue`'s channel, or None if its contacts take a
        whole agent. (A queue of a concurrent channel serves no other channel: checked when
        the config is read, so the first contact type of the queue tells.)"""
        for ctype in self.contact_types:
            if ctype.skill == queue:
                return self.channel(ctype.channel).concurrency_stretch
        return None

    def reserve_of(self, agent: Agent) -> float:
        """The share of `agent`'s session kept for deferrable work: the largest reserved share
        among the deferrable channels whose queues it serves (0: none)."""
        shares = [
            self.channel(t.channel).reserved_share
            for t in self.contact_types
            if t.skill in agent.skills and self.channel(t.channel).deferrable
        ]
        return max(shares, default=0.0)

    def announcement_of(self, t: int) -> Announcement | None:
        """The expected-wait announcement type-`t` callers hear (their channel's IVR), if any."""
        front_end = self.channel(self.contact_types[t].channel).front_end
        return None if front_end is None else front_end.announce

    def keeps_place(self, t: int) -> bool:
        """Does a type-`t` contact keep its place in line from arrival? A chat the bot hands
        over does (no loss of place for the time spent with the bot); others queue from when
        they reach the queue."""
        front_end = self.channel(self.contact_types[t].channel).front_end
        return front_end is not None and front_end.kind == "bot"

    def mean_work(self, queue: str, channel: str | None = None) -> float:
        """Mean handle plus wrap-up of the contacts reaching `queue` (from `channel` only, if
        given), weighted by the forecast volume left after IVR or bot containment (and, when the
        forecast gives handle times, with each interval's handle time)."""
        rows = [
            k
            for k, t in enumerate(self.contact_types)
            if t.skill == queue and channel in (None, t.channel)
        ]
        if not rows:
            return 0.0
        types = [self.contact_types[k] for k in rows]
        work = np.array([t.handle.mean + t.wrapup.mean for t in types])
        weights = self.demand.volumes[rows].sum(axis=1) * [1 - t.contained for t in types]
        factor = self.demand.handle_factor
        if factor is not None and weights.sum() > 0:
            kept = self.demand.volumes[rows] * np.array([1 - t.contained for t in types])[:, None]
            handle = np.array([t.handle.mean for t in types])[:, None] * factor[rows] * kept
            wrapup = np.array([t.wrapup.mean for t in types]) * kept.sum(axis=1)
            return float((handle.sum() + wrapup.sum()) / kept.sum())
        return float(np.average(work, weights=weights)) if weights.sum() > 0 else float(work.mean())

    def interval_mean_work(self, queue: str, channel: str | None = None) -> np.ndarray:
        """`mean_work` per forecast interval, with each interval's handle times and type mix.
        Without handle times in the forecast every interval gets the day's `mean_work` (the
        type mix alone does not move it); intervals with no volume get it too."""
        day = self.mean_work(queue, channel)
        out = np.full(self.demand.n_intervals, day)
        factor = self.demand.handle_factor
        rows = [
            k
            for k, t in enumerate(self.contact_types)
            if t.skill == queue and channel in (None, t.channel)
        ]
        if factor is None or not rows:
            return out
        types = [self.contact_types[k] for k in rows]
        kept = self.demand.volumes[rows] * np.array([1 - t.contained for t in types])[:, None]
        handle = np.array([t.handle.mean for t in types])[:, None] * factor[rows]
        work = handle + np.array([t.wrapup.mean for t in types])[:, None]
        total = kept.sum(axis=0)
        busy = total > 0
        out[busy] = (work * kept).sum(axis=0)[busy] / total[busy]
        return out

    def handle_factor_at(self, t: int, time_s: float) -> float:
        """The forecast handle-time factor for a type-`t` contact arriving at `time_s` (a retry,
        say): its arrival interval's; 1 outside the forecast or without handle times in it."""
        factor = self.demand.handle_factor
        if factor is None:
            return 1.0
        k = int(time_s // self.demand.interval_s)
        return float(factor[t, k]) if 0 <= k < factor.shape[1] else 1.0

    def patience_of(self, t: int, s: int) -> Distribution | None:
        """The patience of type-`t` contacts of segment `s` (indices into `contact_types` and
        `segments`): the type's own if it sets one for the segment, else its channel's. None:
        they never abandon."""
        ctype, segment = self.contact_types[t], self.segments[s].name
        if ctype.patience is not None:
            own = dict(ctype.patience)
            if segment in own:
                return own[segment]
        return self.patience.get((ctype.channel, segment))

    def segment_shares(self, t: int) -> np.ndarray:
        """The segment mix of type-`t` contacts, in `segments` order: the type's own, if it has
        one, else the scenario's shares."""
        mix = self.contact_types[t].segment_mix
        if mix is None:
            return np.array([s.share for s in self.segments])
        own = dict(mix)
        return np.array([own.get(s.name, 0.0) for s in self.segments])

    def threshold_of(self, ctype: ContactType) -> float:
        """The service-level threshold (for email: the deadline) a contact type is held to."""
        return (
            ctype.threshold_s
            if ctype.threshold_s is not None
            else self.channel(ctype.channel).threshold_s
        )


@dataclass(frozen=True)
class Goal:
    """One measure's goal: at least `limit` (a service level) or at most `limit` (a cap)."""

    measure: str  # a column of intervals.csv and a figure of summary.json: service_level, ...
    limit: float
    at_least: bool


@dataclass(frozen=True)
class Targets:
    """What "holds" means for one queue: the config's `targets` with the queue's and its
    channel's overrides applied (`sim.inputs.targets`), judged by `sim.analysis.judgement`.

    Defaults are the targets planners quote (PRODUCT.md): 80% within 20 s, abandonment under
    5%, occupancy under 90%; two intervals a day may miss (a forecast is never exact); intervals
    with fewer than 5 contacts are too small to judge. The service level is judged in every
    interval and over the run; the caps (abandonment, occupancy, ASA) over the run, as planners
    quote them: a day's abandonment, not a half hour's."""

    threshold_s: float = DEFAULT_THRESHOLD_S
    service_level: float = DEFAULT_TARGET
    misses: int = 2  # intervals per day allowed below target
    min_offered: float = 5.0  # contacts (mean per replication) for an interval to be judged
    abandon_max: float | None = 0.05
    occupancy_max: float | None = 0.9
    asa_max_s: float | None = None
    left_max: float | None = None  # deferrable: items that may be left unanswered at the end

    def interval_goals(self) -> tuple[Goal, ...]:
        """What every judged interval must meet: the service level."""
        return (Goal("service_level", self.service_level, at_least=True),)

    def goals(self) -> tuple[Goal, ...]:
        """What the run must meet: the service level, then the caps."""
        goals = [Goal("service_level", self.service_level, at_least=True)]
        for measure, cap in (
            ("abandon_rate", self.abandon_max),
            ("occupancy", self.occupancy_max),
            ("asa_s", self.asa_max_s),
        ):
            if cap is not None:
                goals.append(Goal(measure, cap, at_least=False))
        return tuple(goals)


@dataclass(frozen=True)
class TargetSet:
    """Every channel's and queue's targets, resolved (defaults, channel, queue)."""

    default: Targets = Targets()
    channels: dict[str, Targets] = field(default_factory=dict)
    queues: dict[str, Targets] = field(default_factory=dict)
    short_abandon_s: float = 0.0

    def of_channel(self, channel: str) -> Targets:
        return self.channels.get(channel, self.default)

    def of_queue(self, queue: str, channel: str | None = None) -> Targets:
        if queue in self.queues:
            return self.queues[queue]
        return self.default if channel is None else self.of_channel(channel)
