"""Replication records as tables: the contacts and agents frames every later step reads.

These frames are exactly what lands in `contacts.parquet` and `agents.parquet`, so the
analysis and the report can be re-run from a run directory without simulating again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model import Model
from sim.records import OUTCOMES, Records


def contacts_frame(model: Model, runs: list[Records]) -> pd.DataFrame:
    """One row per contact per replication: its whole journey."""
    types = model.contact_types
    type_names = [t.name for t in types]
    channel_of_type = np.array([t.channel for t in types], dtype=object)
    queue_names = np.array(model.queues, dtype=object)
    threshold_of_type = np.array([model.threshold_of(t) for t in types])
    agent_names = np.array([a.name for a in model.agents] + [None], dtype=object)
    agent_groups = np.array([a.group for a in model.agents] + [None], dtype=object)
    # Share of its agent a contact takes: 1, or 1/chats on a concurrent channel (slot-time).
    concurrent_type = np.array(
        [model.channel(t.channel).concurrency_stretch is not None for t in types]
    )
    chats = np.array([a.max_chats for a in model.agents] + [1], dtype=float)
    frames = []
    for rec in runs:
        t = rec.type_index
        wait = rec.wait_s
        answered = ~np.isnan(rec.answer_s)
        left = np.where(rec.contained, rec.arrival_s + rec.front_s, rec.join_s + wait)
        frames.append(
            pd.DataFrame(
                {
                    "replication": np.full(len(t), rec.replication, dtype=np.int32),
                    "contact": np.arange(len(t), dtype=np.int32),
                    "customer": rec.customer,
                    "attempt": rec.attempt,
                    "transfer_of": rec.transfer_of,
                    "announced_s": rec.announced_s,
                    "callback_offered": rec.callback_offered,
                    "callback": rec.callback,
                    "chats_held": rec.chats_held,
                    "channel": channel_of_type[t],
                    "contact_type": np.asarray(type_names, dtype=object)[t],
                    "queue": queue_names[rec.queue_index],
                    "segment": np.array([s.name for s in model.segments], dtype=object)[
                        rec.segment_index
                    ],
                    "interval": (rec.arrival_s // model.demand.interval_s).astype(np.int32),
                    "arrival_s": rec.arrival_s,
                    "front_s": rec.front_s,
                    "join_s": rec.join_s,
                    "patience_s": rec.patience_s,
                    "handle_s": rec.handle_s,
                    "wrapup_s": rec.wrapup_s,
                    "outcome": rec.outcome,
                    "wait_s": wait,
                    "answer_s": rec.answer_s,
                    "end_s": np.where(
                        answered,
                        rec.answer_s + rec.handle_s,
                        np.where(rec.blocked, rec.arrival_s, left),  # blocked: gone at once
                    ),
                    "agent": agent_names[rec.agent_index],
                    "agent_group": agent_groups[rec.agent_index],  # (who took it: overflow)
                    "threshold_s": threshold_of_type[t],
                    "agent_share": np.where(
                        concurrent_type[t] & answered, 1.0 / chats[rec.agent_index], 1.0
                    ),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    categories = {
        "channel": [c.name for c in model.channels],
        "contact_type": type_names,
        "queue": list(model.queues),
        "segment": [s.name for s in model.segments],
        "outcome": list(OUTCOMES),
    }
    for column, values in categories.items():
        frame[column] = pd.Categorical(frame[column], categories=values)
    return frame


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
