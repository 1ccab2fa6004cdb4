"""When to react: alert rules checked at a fixed period, and the reserve policies they drive.

Built only when the model has a `monitor`; without one nothing here runs and no event is
added. Every `period_s` of simulated time (not per contact) each rule's measure is computed
from the live state: the waiting lines, the contact table and the agents' states. A rule is
raised while its measure is past its threshold and its channel is open (after closing time
nobody calls staff in); each crossing (raised, cleared) is logged with
the time, the rule, the measure and its value.

The reserve reacts to crossings:
- on-call pools: when an alert a pool listens to is raised, up to `batch` of its agents who are
  not on duty are called, those called least so far first; each arrives after its own call-in delay (drawn from a stream seeded
  by its name) and stays at least `min_on_s`; once none of the pool's alerts is raised it
  leaves (finishing what it holds), and at the latest after `max_on_s`;
- moves (cross-scheduling): while one of its alerts is raised, the agents holding the move's
  deferrable skill (email) also serve its real-time queue (chat), before their own backlog.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable

from sim.engine.agents import BUSY, IDLE, OFF, AgentPool
from sim.engine.contacts import ContactTable
from sim.engine.core import Call, Clock
from sim.engine.queues import WaitingLines
from sim.engine.roster import RosterLife, name_key
from sim.engine.router import Router, RoutingPlan
from sim.errors import ConfigError
from sim.model import ALERT_MEASURES, AlertRule, Model, Monitor, OnCall
from sim.records import AlertLog
from sim.streams import Stream, rng

# How each alert measure (`sim.model.ALERT_MEASURES`) is computed, registered beside its
# definition below: measure(run, watch, rule, now) -> its value now (NaN: no data).
Measure = Callable[["MonitorRun", "Watch", AlertRule, float], float]
MEASURES: dict[str, Measure] = {}


def measure(name: str) -> Callable[[Measure], Measure]:
    """Method decorator: register the implementation of alert measure `name`."""

    def register(implementation: Measure) -> Measure:
        MEASURES[name] = implementation
        return implementation

    return register


def check_measures(monitor: Monitor | None) -> None:
    """The measures implemented here are the vocabulary's (else a RuntimeError: a slip in the
    code, not the input), and every alert rule watches one of them (else a ConfigError)."""
    if set(MEASURES) != set(ALERT_MEASURES):
        raise RuntimeError(
            f"alert measures implemented {list(MEASURES)}, named {list(ALERT_MEASURES)}"
        )
    for rule in monitor.alerts if monitor is not None else ():
        if rule.measure not in MEASURES:
            raise ConfigError(
                f"workforce.monitor.alerts.{rule.name}",
                "measure",
                f"{rule.measure!r} is not one of {', '.join(ALERT_MEASURES)}",
            )


class Watch:
    """What one rule looks at: its lines, contact types, agents' profiles and threshold."""

    def __init__(self, model: Model, plan: RoutingPlan, rule: AlertRule):
        if rule.queue is not None:
            queues = {model.queues.index(rule.queue)}
        else:
            queues = {
                q
                for q, t in zip(model.queue_of_type, model.contact_types, strict=True)
                if t.channel == rule.channel
            }
        self.lines = [ln for ln, q in enumerate(plan.line_queue) if q in queues]
        self.types = {t for t, q in enumerate(model.queue_of_type) if q in queues}
        self.threshold_of_type = [model.threshold_of(t) for t in model.contact_types]
        self.profiles = {p for p, delays in enumerate(plan.delay) if set(delays) & set(self.lines)}
        # Opening hours of the watched channels: a closed channel raises nothing.
        self.hours = [
            (c.open_s, c.close_s)
            for c in model.channels
            if any(model.contact_types[t].channel == c.name for t in self.types)
        ]
        self.samples: deque[tuple[float, float]] = deque()  # (time, busy share): occupancy

    def open_at(self, now: float) -> bool:
        clock = now % 86400
        return any(open_s <= clock < close_s for open_s, close_s in self.hours)


class MonitorRun:
    def __init__(
        self,
        model: Model,
        monitor: Monitor,
        plan: RoutingPlan,
        clock: Clock,
        table: ContactTable,
        lines: WaitingLines,
        pool: AgentPool,
        router: Router,
        roster: RosterLife,
        n_contacts: int,
        seed: int,
        replication: int,
    ):
        check_measures(monitor)
        self.model, self.monitor, self.plan = model, monitor, plan
        self.clock, self.table, self.lines = clock, table, lines
        self.pool, self.router, self.roster = pool, router, roster
        self.n = n_contacts  # the day's contacts, in arrival order (retries come after)
        self.watches = [Watch(model, plan, rule) for rule in monitor.alerts]
        self.raised = {rule.name: False for rule in monitor.alerts}
        self.log = AlertLog()
        self.end_s = model.demand.horizon_s
        # On-call agents: who is called or on duty, its session and arrival time.
        self.call_stream = {
            a: rng(seed, replication, Stream.CALL_IN, name_key(model.agents[a].name))
            for pool_ in monitor.on_call
            for a in pool_.agents
        }
        self.pending: set[int] = set()  # called, not arrived yet
        self.session: dict[int, int] = {}
        self.duty: dict[int, tuple[float, float]] = {}  # on-call agent: (first arrival, latest end)
        self.moved_profile = {a: p for a, p in enumerate(plan.profile_of)}  # each agent's own

    def start(self) -> None:
        self.clock.at(self.monitor.period_s, self._check, None)

    # --- the check --------------------------------------------------------------------------

    def _check(self, event: Call) -> None:
        now = self.clock.now
        for rule, watch in zip(self.monitor.alerts, self.watches, strict=True):
            value = (
                MEASURES[rule.measure](self, watch, rule, now) if watch.open_at(now) else math.nan
            )
            past = value > rule.threshold if rule.above else value < rule.threshold
            if past != self.raised[rule.name]:  # (NaN: no data, never past a threshold)
                self.raised[rule.name] = past
                self.log.add(now, rule.name, rule.measure, value, "raised" if past else "cleared")
                self._react(rule, past)
        nxt = now + self.monitor.period_s
        if nxt <= self.end_s or self._reserve_out():  # (after the horizon: until they leave)
            self.clock.at(nxt, self._check, None)

    def _reserve_out(self) -> bool:
        """Is an on-call agent still called or on duty?"""
        return bool(self.pending) or any(
            self.roster.on_duty(a) for pool_ in self.monitor.on_call for a in pool_.agents
        )

    @measure("queue_length")
    def _queue_length(self, watch: Watch, rule: AlertRule, now: float) -> float:
        deadline = self.table.deadline
        return float(
            sum(
                1
                for ln in watch.lines
                for waiting in self.lines.deques[ln]
                for i in waiting
                if deadline[i] >= now
            )
        )

    @measure("oldest_wait_s")
    def _oldest_wait(self, watch: Watch, rule: AlertRule, now: float) -> float:
        deadline, key = self.table.deadline, self.table.key
        oldest = 0.0
        for ln in watch.lines:
            for waiting in self.lines.deques[ln]:
                i = next((j for j in waiting if deadline[j] >= now), -1)
                if i >= 0:
                    oldest = max(oldest, now - key[i])
        return oldest

    @measure("service_level")
    def _service_level(self, watch: Watch, rule: AlertRule, now: float) -> float:
        """Over the contacts of the watched types that arrived in the window and are decided:
        answered (within the threshold or not), gone unanswered (abandoned or balked), or
        still waiting past the threshold."""
        table = self.table
        arrival = table.arrival
        first = bisect_left(arrival, now - rule.window_s, 0, self.n)
        last = bisect_right(arrival, now, 0, self.n)
        good = bad = 0
        for i in range(first, last):
            t = table.type_of[i]
            if t not in watch.types or table.contained[i] or table.blocked[i]:
                continue
            join = table.join[i]
            if join > now:
                continue  # still in the IVR or with the bot
            threshold = watch.threshold_of_type[t]
            answer = table.answer[i]
            if answer == answer:  # answered
                if answer - join <= threshold:
                    good += 1
                else:
                    bad += 1
            elif table.balked[i] or table.deadline[i] < now or now - join > threshold:
                bad += 1
        return good / (good + bad) if good + bad else math.nan

    @measure("occupancy")
    def _occupancy(self, watch: Watch, rule: AlertRule, now: float) -> float:
        state, profile_of = self.pool.state, self.pool.profile_of
        busy = idle = 0
        for a, p in enumerate(profile_of):
            if p in watch.profiles:
                if state[a] == BUSY:
                    busy += 1
                elif state[a] == IDLE:
                    idle += 1
        samples = watch.samples
        if busy + idle:
            samples.append((now, busy / (busy + idle)))
        while samples and samples[0][0] <= now - rule.window_s:
            samples.popleft()
        return sum(v for _, v in samples) / len(samples) if samples else math.nan

    # --- reactions --------------------------------------------------------------------------

    def _react(self, rule: AlertRule, raised: bool) -> None:
        for pool_ in self.monitor.on_call:
            if rule.name in pool_.when:
                if raised:
                    self._call_in(pool_)
                else:
                    self._release_when_clear(pool_)
        for m, move in enumerate(self.monitor.moves):
            if rule.name in move.when:
                active = any(self.raised[name] for name in move.when)
                self._move(m, active)

    def _call_in(self, pool_: OnCall) -> None:
        now = self.clock.now
        free = [
            a
            for a in pool_.agents
            if a not in self.pending
            and self.pool.state[a] == OFF
            and self._duty_room(a, pool_, now) >= pool_.min_on_s
        ]
        free.sort(key=lambda a: self.roster.session[a])  # those called least so far first
        for a in free[: pool_.batch]:
            self.pending.add(a)
            delay = float(pool_.call_in.sample(self.call_stream[a], 1)[0])
            self.clock.at(now + delay, self._arrive, (a, pool_, now))

    def _duty_room(self, a: int, pool_: OnCall, now: float) -> float:
        """How long on-call agent `a` may still stay from `now` within its duty: the rest of
        the longest shift since its duty's first arrival, or a whole one once it has rested
        (infinite without the limit)."""
        if pool_.max_duty_s is None:
            return math.inf
        first, last_end = self.duty.get(a, (-math.inf, -math.inf))
        if now - last_end >= pool_.rest_s:
            return pool_.max_duty_s  # rested: a new duty
        return first + pool_.max_duty_s - now

    def _arrive(self, event: Call) -> None:
        a, pool_, called_at = event._value
        self.pending.discard(a)
        now = self.clock.now
        room = self._duty_room(a, pool_, now)
        if room <= 0:
            return  # the call-in delay used up its duty: it is not logged in
        first, last_end = self.duty.get(a, (now, -math.inf))
        if now - last_end >= pool_.rest_s:
            first = now
        end = now + min(pool_.max_on_s, room)
        self.duty[a] = (first, end)
        self.session[a] = self.roster.call_in(a, called_at, end)
        self.clock.at(now + pool_.min_on_s, self._maybe_release, (a, pool_, self.session[a]))

    def _release_when_clear(self, pool_: OnCall) -> None:
        for a in pool_.agents:
            if a in self.session and self.roster.on_duty(a):
                self._maybe_release_now(a, pool_, self.session[a])

    def _maybe_release(self, event: Call) -> None:
        self._maybe_release_now(*event._value)

    def _maybe_release_now(self, a: int, pool_: OnCall, session: int) -> None:
        """Call agent `a` out if its session has run its minimum and its alerts are clear."""
        if any(self.raised[name] for name in pool_.when):
            return
        started = self.pool.session_start[a]
        if self.clock.now < started + pool_.min_on_s:
            return  # (its minimum-time check comes later)
        if self.session.get(a) == session and self.roster.on_duty(a):
            self.roster.call_out(a, session)
            first, _ = self.duty[a]
            self.duty[a] = (first, self.clock.now)  # its duty ends here, not at its latest end

    def _move(self, m: int, active: bool) -> None:
        twins = self.plan.twins
        for a, own in self.moved_profile.items():
            twin = twins.get((own, m))
            if twin is not None:
                self.router.switch_profile(a, twin if active else own)
                self.roster.log_move(a, active)
