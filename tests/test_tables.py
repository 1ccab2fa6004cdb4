"""The contacts table's named columns, built from codes, say what the records say."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.tables import CONTACT_COLUMNS, contacts_frame
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from sim.records import OUTCOMES
from sim.runner import replicate
from tests.conftest import composed


def test_named_columns_match_the_records_and_the_model():
    model = build_model(composed("scenario=holiday_peak"), PROJECT_ROOT)
    runs = [replicate(model, 7, r) for r in range(2)]
    frame = contacts_frame(model, runs)
    assert list(frame.columns) == CONTACT_COLUMNS
    records = runs[1]
    rows = frame[frame["replication"] == 1].reset_index(drop=True)
    assert len(rows) == len(records.arrival_s)
    types = [model.contact_types[t] for t in records.type_index]
    assert list(rows["contact_type"]) == [t.name for t in types]
    assert list(rows["channel"]) == [t.channel for t in types]
    assert list(rows["queue"]) == [model.queues[q] for q in records.queue_index]
    assert list(rows["segment"]) == [model.segments[s].name for s in records.segment_index]
    assert list(rows["outcome"]) == list(records.outcome)
    assert set(records.outcome) <= set(OUTCOMES) and len(set(records.outcome)) > 3
    names = [None if a < 0 else model.agents[a].name for a in records.agent_index]
    groups = [None if a < 0 else model.agents[a].group for a in records.agent_index]
    assert [None if pd.isna(x) else x for x in rows["agent"]] == names
    assert [None if pd.isna(x) else x for x in rows["agent_group"]] == groups
    assert any(n is None for n in names) and any(n is not None for n in names)
    for column in ("channel", "contact_type", "queue", "segment", "outcome"):
        assert isinstance(rows[column].dtype, pd.CategoricalDtype)
    assert rows["agent"].dtype == pd.Series(["x"]).dtype  # the default string dtype
    answered = ~np.isnan(records.answer_s)
    assert (rows["agent_share"][~answered] == 1.0).all()
    assert (rows["agent_share"][answered] <= 1.0).all() and (rows["agent_share"] < 1).any()
