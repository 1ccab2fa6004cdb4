"""The passive description of a contact centre: what exists, never what happens.

A `Model` is built once from the composed configuration (`sim.config.build_model`) and then
handed, unchanged, to every replication. Nothing here knows about SimPy, Hydra or files, so the
engine, the analytics and the tests can all construct and read models directly. All times are
seconds from midnight of the first simulated day.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.distributions import Distribution


@dataclass(frozen=True)
class Announcement:
    """The IVR tells each caller the expected wait (see `CentreRun.expected_wait`). Callers
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


@dataclass(frozen=True)
class Demand:
    """Expected arrivals per interval for each contact type (rows follow `Model.contact_types`).

    `volumes[t, k]` is the expected number of type-`t` arrivals in interval `k`; arrivals inside
    an interval are uniform (a piecewise-constant Poisson rate). `busyness_cv` is the coefficient
    of variation of a gamma day factor that scales the whole day (0: the forecast is exact).
    """

    interval_s: float
    volumes: np.ndarray
    busyness_cv: float = 0.0

    @property
    def n_intervals(self) -> int:
        return self.volumes.shape[1]

    @property
    def horizon_s(self) -> float:
        return self.interval_s * self.n_intervals


@dataclass(frozen=True)
class Routing:
    """How contacts meet agents. A contact arriving to several idle eligible agents goes to the one
    idle longest; a freed agent takes the highest-priority, then longest-waiting, contact among
    the queues it serves. With `use_priority` false every segment is one FIFO class."""

    name: str = "vip_first"
    use_priority: bool = True


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
    short_abandon_s: float = 0.0
    target_sl: float = 0.8
    description: str = ""

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

    def mean_work(self, queue: str, channel: str | None = None) -> float:
        """Mean handle plus wrap-up of the contacts reaching `queue` (from `channel` only, if
        given), weighted by the forecast volume left after IVR or bot containment."""
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
        return float(np.average(work, weights=weights)) if weights.sum() > 0 else float(work.mean())

    def threshold_of(self, ctype: ContactType) -> float:
        """The service-level threshold (for email: the deadline) a contact type is held to."""
        return (
            ctype.threshold_s
            if ctype.threshold_s is not None
            else self.channel(ctype.channel).threshold_s
        )
