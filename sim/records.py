"""What a replication leaves behind: one row per contact and one per agent session or break.

Columnar (one numpy array per field) because the analysis is vectorised pandas and the
contacts table goes straight to Parquet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ANSWERED, ABANDONED, UNSERVED, CONTAINED = "answered", "abandoned", "unserved", "contained"
BALKED, CALLBACK_FAILED, BLOCKED = "balked", "callback_failed", "blocked"
OUTCOMES = (CONTAINED, ANSWERED, ABANDONED, BALKED, CALLBACK_FAILED, UNSERVED, BLOCKED)


@dataclass
class AgentLog:
    """Agent time lines: `shift` rows are logged-in sessions (with the planned end, so overtime
    is end - planned_end), `break` rows are breaks taken."""

    agent: list[int] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    start_s: list[float] = field(default_factory=list)
    end_s: list[float] = field(default_factory=list)
    planned_end_s: list[float] = field(default_factory=list)

    def add(self, agent: int, kind: str, start: float, end: float, planned_end: float) -> None:
        self.agent.append(agent)
        self.kind.append(kind)
        self.start_s.append(start)
        self.end_s.append(end)
        self.planned_end_s.append(planned_end)


@dataclass
class AlertLog:
    """Alert crossings: time, rule, measure, value, and whether it was raised or cleared."""

    time_s: list[float] = field(default_factory=list)
    rule: list[str] = field(default_factory=list)
    measure: list[str] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    state: list[str] = field(default_factory=list)  # "raised" or "cleared"

    def add(self, time: float, rule: str, measure: str, value: float, state: str) -> None:
        self.time_s.append(time)
        self.rule.append(rule)
        self.measure.append(measure)
        self.value.append(value)
        self.state.append(state)


@dataclass(frozen=True)
class Records:
    replication: int
    # When the run ended: the last thing that happened to a contact or an agent (arrival, end
    # of service, abandonment, log-off), not the monitor's checks or other bookkeeping; the
    # wait of unserved contacts runs to it (`sim.engine.centre.last_moment`).
    stop_s: float
    arrival_s: np.ndarray
    type_index: np.ndarray
    segment_index: np.ndarray
    patience_s: np.ndarray
    handle_s: np.ndarray  # as worked: times the agent's proficiency and the chat stretch
    wrapup_s: np.ndarray
    front_s: np.ndarray  # time at the IVR or bot
    contained: np.ndarray  # bool: resolved there
    answer_s: np.ndarray  # nan unless answered
    stretch: np.ndarray  # handle-time factor from chat concurrency (1 otherwise)
    speed: np.ndarray  # handle-time factor of the agent's proficiency (1 otherwise)
    agent_index: np.ndarray  # -1 unless answered
    customer: np.ndarray  # the customer behind the attempt (retries share it)
    attempt: np.ndarray  # 0 first try, 1 first retry, ...
    transfer_of: np.ndarray  # for a transfer leg, the contact it continues; else -1
    queue_index: np.ndarray  # the queue it waited in (a misroute's first leg: the wrong one)
    announced_s: np.ndarray  # the expected wait the IVR announced (nan: none)
    balked: np.ndarray  # bool: left on hearing it
    blocked: np.ndarray  # bool: found every line of its channel taken (busy signal)
    callback_offered: np.ndarray  # bool
    callback: np.ndarray  # bool: accepted a callback
    callback_reached: np.ndarray  # bool: the callback reached the customer
    chats_held: np.ndarray  # on a concurrent channel: chats its agent held once it took it
    agent_log: AgentLog
    alert_log: AlertLog = field(default_factory=lambda: AlertLog())

    @classmethod
    def from_columns(
        cls,
        c: dict[str, np.ndarray],
        replication: int,
        stop_s: float,
        agent_log: AgentLog,
        alert_log: AlertLog | None = None,
    ) -> Records:
        """From the engine's exported contact columns (originals, then retries and legs as
        they came; see `sim.engine.contacts.ContactTable`)."""
        stretch = c["stretch"]
        speed = c["speed"]
        return cls(
            replication=replication,
            stop_s=float(stop_s),
            arrival_s=c["arrival"],
            type_index=c["type_of"].astype(np.int32),
            segment_index=c["segment_of"].astype(np.int32),
            patience_s=c["patience"],
            handle_s=c["handle"] * stretch * speed,
            wrapup_s=c["wrapup"],
            front_s=c["front"],
            contained=c["contained"],
            answer_s=c["answer"],
            stretch=stretch,
            speed=speed,
            agent_index=c["agent_of"].astype(np.int32),
            customer=c["customer"].astype(np.int64),
            attempt=c["attempt"].astype(np.int32),
            transfer_of=c["transfer_of"].astype(np.int64),
            queue_index=c["queue_of"].astype(np.int32),
            announced_s=c["announced"],
            balked=c["balked"],
            blocked=c["blocked"],
            callback_offered=c["callback_offered"],
            callback=c["callback"],
            callback_reached=c["callback_reached"],
            chats_held=c["chats_held"],
            agent_log=agent_log,
            alert_log=alert_log or AlertLog(),
        )

    @property
    def join_s(self) -> np.ndarray:
        """When the contact reached its queue (after the IVR or bot); nan if it never did
        (contained, or blocked)."""
        return np.where(self.contained | self.blocked, np.nan, self.arrival_s + self.front_s)

    @property
    def gives_up(self) -> np.ndarray:
        """Contacts that abandon if not answered in time: finite patience, no callback."""
        return np.isfinite(self.patience_s) & ~self.callback

    @property
    def outcome(self) -> np.ndarray:
        """contained: the IVR or bot resolved it; blocked: every line was taken; balked: left
        on hearing the announced wait; answered: an agent took it (callback_failed: an agent called back and did not reach
        the customer); abandoned: its patience ran out first (it did, or will, since nobody
        else would take it); unserved: it never gives up and nobody was left to serve it when
        the run stopped."""
        return np.array(OUTCOMES)[self.outcome_code]

    @property
    def outcome_code(self) -> np.ndarray:
        """`outcome` as its index in OUTCOMES (small integers: the contacts table's categorical
        codes, without building a column of strings)."""
        code = {name: np.int8(k) for k, name in enumerate(OUTCOMES)}
        answered = ~np.isnan(self.answer_s)
        failed = self.callback & ~self.callback_reached
        served = np.where(failed, code[CALLBACK_FAILED], code[ANSWERED])
        waiting = np.where(self.gives_up, code[ABANDONED], code[UNSERVED])
        outcome = np.where(answered, served, waiting)
        outcome = np.where(self.balked, code[BALKED], outcome)
        contained = np.where(self.contained, code[CONTAINED], outcome)
        return np.where(self.blocked, code[BLOCKED], contained).astype(np.int8)

    @property
    def wait_s(self) -> np.ndarray:
        """Time in queue: to answer, to abandonment, or (unserved) to the end of the run; 0
        for a balking caller; nan for contained and blocked contacts, which never queued."""
        join = self.join_s
        answered = ~np.isnan(self.answer_s)
        gave_up = np.where(self.gives_up, self.patience_s, self.stop_s - join)
        wait = np.where(answered, self.answer_s - join, gave_up)
        wait = np.where(self.balked, 0.0, wait)
        return np.where(self.contained | self.blocked, np.nan, wait)
