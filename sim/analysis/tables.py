"""Replication records as tables: the contacts and agents frames every later step reads.

These frames are exactly what lands in `contacts.parquet` and `agents.parquet`, so the
analysis and the report can be re-run from a run directory without simulating again.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from sim.model import Model
from sim.records import OUTCOMES, Records


def contacts_frame(model: Model, runs: list[Records]) -> pd.DataFrame:
    """One row per contact per replication: its whole journey.

    Built column by column from the records' numpy arrays; the named columns (channel, type,
    queue, segment, outcome: categoricals; agent and agent group: strings) from their codes,
    never through a column of Python strings, which cost more than the rest of the table."""
    if not runs:
        return pd.DataFrame()
    types = model.contact_types
    channel_names = [c.name for c in model.channels]
    channel_of_type = np.array([channel_names.index(t.channel) for t in types], dtype=np.int32)
    threshold_of_type = np.array([model.threshold_of(t) for t in types])
    # Share of its agent a contact takes: 1, or 1/chats on a concurrent channel (slot-time).
    concurrent_type = np.array(
        [model.channel(t.channel).concurrency_stretch is not None for t in types]
    )
    chats = np.array([a.max_chats for a in model.agents] + [1], dtype=float)
    columns: dict[str, list[np.ndarray]] = {}
    for rec in runs:
        for name, values in _contact_columns(model, rec, channel_of_type).items():
            columns.setdefault(name, []).append(values)
    data = {name: np.concatenate(parts) for name, parts in columns.items()}
    t = data.pop("type")
    answered = ~np.isnan(data["answer_s"])
    agent = data.pop("agent_index")
    categories = {
        "channel": channel_names,
        "contact_type": [t.name for t in types],
        "queue": list(model.queues),
        "segment": [s.name for s in model.segments],
        "outcome": list(OUTCOMES),
    }
    named = {
        column: pd.Categorical.from_codes(
            np.asarray(data.pop(column), dtype=np.int32), categories=pd.Index(values)
        )
        for column, values in categories.items()
    }
    rest = {
        "agent": _strings([a.name for a in model.agents], agent),
        "agent_group": _strings([a.group for a in model.agents], agent),  # who took it
        "threshold_s": threshold_of_type[t],
        "agent_share": np.where(concurrent_type[t] & answered, 1.0 / chats[agent], 1.0),
    }
    frame = pd.DataFrame({**data, **named, **rest})
    return frame[CONTACT_COLUMNS]


CONTACT_COLUMNS = [
    "replication",
    "contact",
    "customer",
    "attempt",
    "transfer_of",
    "announced_s",
    "callback_offered",
    "callback",
    "chats_held",
    "channel",
    "contact_type",
    "queue",
    "segment",
    "interval",
    "arrival_s",
    "front_s",
    "join_s",
    "patience_s",
    "handle_s",
    "wrapup_s",
    "outcome",
    "wait_s",
    "answer_s",
    "end_s",
    "agent",
    "agent_group",
    "threshold_s",
    "agent_share",
]


def _contact_columns(
    model: Model, rec: Records, channel_of_type: npt.NDArray[np.int32]
) -> dict[str, np.ndarray]:
    """One replication's columns, the named ones as codes (`type`, `agent_index`: -1 none)."""
    t = rec.type_index
    wait = rec.wait_s
    answered = ~np.isnan(rec.answer_s)
    left = np.where(rec.contained, rec.arrival_s + rec.front_s, rec.join_s + wait)
    return {
        "replication": np.full(len(t), rec.replication, dtype=np.int32),
        "contact": np.arange(len(t), dtype=np.int32),
        "customer": rec.customer,
        "attempt": rec.attempt,
        "transfer_of": rec.transfer_of,
        "announced_s": rec.announced_s,
        "callback_offered": rec.callback_offered,
        "callback": rec.callback,
        "chats_held": rec.chats_held,
        "type": t,
        "channel": channel_of_type[t],
        "contact_type": t,
        "queue": rec.queue_index,
        "segment": rec.segment_index,
        "interval": (rec.arrival_s // model.demand.interval_s).astype(np.int32),
        "arrival_s": rec.arrival_s,
        "front_s": rec.front_s,
        "join_s": rec.join_s,
        "patience_s": rec.patience_s,
        "handle_s": rec.handle_s,
        "wrapup_s": rec.wrapup_s,
        "outcome": rec.outcome_code,
        "wait_s": wait,
        "answer_s": rec.answer_s,
        "end_s": np.where(
            answered,
            rec.answer_s + rec.handle_s,
            np.where(rec.blocked, rec.arrival_s, left),  # blocked: gone at once
        ),
        "agent_index": np.asarray(rec.agent_index),
    }


def _strings(names: list[str], index: npt.NDArray[np.integer]) -> pd.api.extensions.ExtensionArray:
    """names[index] as a string column (missing where index is -1), built by Arrow from the
    codes: a dictionary array cast to strings."""
    import pyarrow as pa  # type: ignore[import-untyped]

    missing = index < 0
    codes = pa.array(np.where(missing, 0, index).astype(np.int32), mask=missing)
    values = pa.DictionaryArray.from_arrays(codes, pa.array(names or [""], pa.string()))
    strings: pd.api.extensions.ExtensionArray = pd.array(values.cast(pa.string()), dtype="str")
    return strings  # (Arrow is untyped: mypy sees pd.array of Any as Any)


def agents_frame(model: Model, runs: list[Records]) -> pd.DataFrame:
    """One row per logged-in session (`kind` = shift) or break taken, per replication."""
    names = np.array([a.name for a in model.agents], dtype=object)
    groups = np.array([a.group for a in model.agents], dtype=object)
    skills = np.array([";".join(sorted(a.skills)) for a in model.agents], dtype=object)
    chats = np.array([a.max_chats for a in model.agents])
    frames = []
    for rec in runs:
        log = rec.agent_log
        index = np.asarray(log.agent, dtype=int)
        frames.append(
            pd.DataFrame(
                {
                    "replication": np.full(len(index), rec.replication, dtype=np.int32),
                    "agent": names[index],
                    "group": groups[index],
                    "skills": skills[index],
                    "chats": chats[index],
                    "kind": np.asarray(log.kind, dtype=object),
                    "start_s": np.asarray(log.start_s, dtype=float),
                    "end_s": np.asarray(log.end_s, dtype=float),
                    "planned_end_s": np.asarray(log.planned_end_s, dtype=float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
