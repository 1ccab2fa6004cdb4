"""What a replication leaves behind: one row per contact and one per agent session or break.

Columnar (one numpy array per field) because the analysis is vectorised pandas and the
contacts table goes straight to Parquet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ANSWERED, ABANDONED, UNSERVED, CONTAINED = "answered", "abandoned", "unserved", "contained"
BALKED, CALLBACK_FAILED = "balked", "callback_failed"
OUTCOMES = (CONTAINED, ANSWERED, ABANDONED, BALKED, CALLBACK_FAILED, UNSERVED)


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


@dataclass(frozen=True)
class Records:
    replication: int
    stop_s: float  # when the last event happened
    arrival_s: np.ndarray
    type_index: np.ndarray
    segment_index: np.ndarray
    patience_s: np.ndarray
    handle_s: np.ndarray  # as worked: stretched by chat concurrency
    wrapup_s: np.ndarray
    front_s: np.ndarray  # time at the IVR or bot
    contained: np.ndarray  # bool: resolved there
    answer_s: np.ndarray  # nan unless answered
    stretch: np.ndarray  # handle-time factor from chat concurrency (1 otherwise)
    agent_index: np.ndarray  # -1 unless answered
    customer: np.ndarray  # the customer behind the attempt (retries share it)
    attempt: np.ndarray  # 0 first try, 1 first retry, ...
    transfer_of: np.ndarray  # for a transfer leg, the contact it continues; else -1
    queue_index: np.ndarray  # the queue it waited in (a misroute's first leg: the wrong one)
    announced_s: np.ndarray  # the expected wait the IVR announced (nan: none)
    balked: np.ndarray  # bool: left on hearing it
    callback_offered: np.ndarray  # bool
    callback: np.ndarray  # bool: accepted a callback
    callback_reached: np.ndarray  # bool: the callback reached the customer
    chats_held: np.ndarray  # on a concurrent channel: chats its agent held once it took it
    agent_log: AgentLog

    @classmethod
    def from_run(cls, run, replication: int) -> Records:
        """From the engine's per-contact lists (originals, then retries as they came)."""
        stretch = np.asarray(run.stretch)
        return cls(
            replication=replication,
            stop_s=float(run.env.now),
            arrival_s=np.asarray(run.arrival, dtype=float),
            type_index=np.asarray(run.type_of, dtype=np.int32),
            segment_index=np.asarray(run.segment_of, dtype=np.int32),
            patience_s=np.asarray(run.patience, dtype=float),
            handle_s=np.asarray(run.handle, dtype=float) * stretch,
            wrapup_s=np.asarray(run.wrapup, dtype=float),
            front_s=np.asarray(run.front, dtype=float),
            contained=np.asarray(run.contained, dtype=bool),
            answer_s=np.asarray(run.answer, dtype=float),
            stretch=stretch,
            agent_index=np.asarray(run.agent_of, dtype=np.int32),
            customer=np.asarray(run.customer, dtype=np.int64),
            attempt=np.asarray(run.attempt, dtype=np.int32),
            transfer_of=np.asarray(run.transfer_of, dtype=np.int64),
            queue_index=np.asarray(run.queue_of, dtype=np.int32),
            **_announcements(run),
            chats_held=_sparse(run.chats_held, len(run.arrival)),
            agent_log=run.log,
        )

    @property
    def join_s(self) -> np.ndarray:
        """When the contact reached its queue (after the IVR or bot); nan if contained."""
        return np.where(self.contained, np.nan, self.arrival_s + self.front_s)

    @property
    def gives_up(self) -> np.ndarray:
        """Contacts that abandon if not answered in time: finite patience, no callback."""
        return np.isfinite(self.patience_s) & ~self.callback

    @property
    def outcome(self) -> np.ndarray:
        """contained: the IVR or bot resolved it; balked: left on hearing the announced wait;
        answered: an agent took it (callback_failed: an agent called back and did not reach
        the customer); abandoned: its patience ran out first (it did, or will, since nobody
        else would take it); unserved: it never gives up and nobody was left to serve it when
        the run stopped."""
        answered = ~np.isnan(self.answer_s)
        failed = self.callback & ~self.callback_reached
        served = np.where(failed, CALLBACK_FAILED, ANSWERED)
        waiting = np.where(self.gives_up, ABANDONED, UNSERVED)
        outcome = np.where(answered, served, waiting)
        return np.where(self.contained, CONTAINED, np.where(self.balked, BALKED, outcome))

    @property
    def wait_s(self) -> np.ndarray:
        """Time in queue: to answer, to abandonment, or (unserved) to the end of the run; 0
        for a balking caller; nan for contained contacts, which never queued."""
        join = self.join_s
        answered = ~np.isnan(self.answer_s)
        gave_up = np.where(self.gives_up, self.patience_s, self.stop_s - join)
        wait = np.where(answered, self.answer_s - join, gave_up)
        wait = np.where(self.balked, 0.0, wait)
        return np.where(self.contained, np.nan, wait)


def _announcements(run) -> dict[str, np.ndarray]:
    """The announcement columns from the engine's sparse records of them."""
    n = len(run.arrival)

    def flags(indices) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[list(indices)] = True
        return out

    announced = _sparse(run.announced, n)
    reached = flags(i for i, ok in run.callback.items() if ok)
    return {
        "announced_s": announced,
        "balked": flags(run.balked),
        "callback_offered": flags(run.callback_offered),
        "callback": flags(run.callback),
        "callback_reached": reached,
    }


def _sparse(values: dict[int, float], n: int) -> np.ndarray:
    out = np.full(n, np.nan)
    out[list(values)] = list(values.values())
    return out
