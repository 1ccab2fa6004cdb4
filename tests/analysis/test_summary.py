"""summary.json's content and the interval table of a run (`sim.analysis.summary`), from
hand-made contact and agent tables."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd

from sim.analysis.kpis import SL_DEFINITION
from sim.analysis.summary import SCHEMA_VERSION, build_summary, run_results
from tests.analysis.samples import DAY_S, mixed_day, two_channel_model


def test_the_summary_holds_the_contracts_blocks():
    contacts, agents = mixed_day()
    model = two_channel_model(DAY_S)
    summary = build_summary(model, 7, 1, contacts, agents)
    assert summary["schema_version"] == SCHEMA_VERSION
    assert (summary["scenario"], summary["seed"], summary["replications"]) == ("mix", 7, 1)
    sl = summary["service_level"]
    assert sl["threshold_s_by_channel"] == {"phone": 20.0, "email": DAY_S}
    assert sl["target"] == model.target_sl and sl["definition"] == SL_DEFINITION
    assert summary["staffing"] == {"agents": 2, "paid_hours": 48.0, "scheduled_hours": 48.0}
    assert summary["kpis"]["channel=phone"]["service_level"]["mean"] == 0.5
    assert set(summary["agents"]) == {"group=phone", "group=email", "all"}
    assert set(summary["backlog"]) == {"channel=email", "queue=email"}  # email is deferrable
    json.dumps(summary, allow_nan=False)  # plain JSON: no NaN, no numpy types


def test_without_a_deferrable_channel_there_is_no_backlog_block():
    contacts, agents = mixed_day()
    full = two_channel_model(DAY_S)
    phone_only = replace(
        full,
        channels=full.channels[:1],
        contact_types=full.contact_types[:1],
        demand=replace(full.demand, volumes=np.zeros((1, 24))),
        agents=full.agents[:1],
    )
    phone = contacts[contacts["channel"].eq("phone")]
    summary = build_summary(phone_only, 1, 1, phone, agents[agents["agent"].eq("p")])
    assert "backlog" not in summary and set(summary["kpis"]) >= {"all", "channel=phone"}


def test_run_results_add_the_labour_section_only_when_given():
    contacts, agents = mixed_day()
    model = two_channel_model(DAY_S)
    alerts = pd.DataFrame(columns=["replication", "time_s", "rule", "measure", "value", "state"])
    plain = run_results(model, 1, 1, contacts, agents, alerts)
    built = build_summary(model, 1, 1, contacts, agents)
    assert len(plain.intervals) == 2 * 24
    assert {k: v for k, v in plain.summary.items() if k != "verdict"} == built
    assert set(plain.summary["verdict"]) == {"phone", "email"}  # judged last, on the summary
    assert not {"log", "workforce", "labour"} & set(plain.summary)
    labour = {"rules": {}, "planned": [], "realised": []}
    assert run_results(model, 1, 1, contacts, agents, alerts, labour).summary["labour"] == labour
