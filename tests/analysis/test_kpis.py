"""The contact measures' definitions (`sim.analysis.kpis`) on hand-made contact tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.kpis import (
    COUNTS,
    METRICS,
    OUTCOME_COUNTS,
    REACHED_OUTCOMES,
    TIME_MEASURES,
    agent_group_kpis,
    complete,
    contact_kpis,
    kpi_groups,
    mixes_thresholds,
    queued,
    reached,
    summarise_kpis,
    waiting_spans,
)
from tests.analysis.samples import DAY_S, mixed_day, two_channel_model


def contacts(rows):
    """rows: (outcome, wait_s) with threshold 20 s and 100 s of work each."""
    frame = pd.DataFrame(rows, columns=["outcome", "wait_s"])
    frame["replication"] = 0
    frame["threshold_s"] = 20.0
    frame["handle_s"] = 90.0
    frame["wrapup_s"] = 10.0
    frame["customer"] = np.arange(len(frame))
    frame["attempt"] = 0
    return frame


def test_service_level_and_wait_definitions():
    table = contacts(
        [
            ("answered", 0.0),  # answered at once: within, counts in ASA
            ("answered", 15.0),
            ("answered", 40.0),
            ("abandoned", 3.0),  # a short abandon when short_abandon_s = 5
            ("abandoned", 60.0),
            ("unserved", 100.0),
        ]
    )
    k = contact_kpis(table, [], short_abandon_s=5.0).iloc[0]
    assert (k.offered, k.answered, k.abandoned, k.unserved, k.short_abandoned) == (6, 3, 2, 1, 1)
    # within 2 / (3 answered + 2 abandoned + 1 unserved - 1 short)
    assert k.service_level == pytest.approx(2 / 5)
    assert k.abandon_rate == pytest.approx(2 / 6)
    assert k.asa_s == pytest.approx(55 / 3)
    assert k.mean_wait_s == pytest.approx(218 / 6)
    assert k.max_wait_s == 100.0
    assert k.aht_s == 100.0
    no_short = contact_kpis(table, [], short_abandon_s=0.0).iloc[0]
    assert no_short.service_level == pytest.approx(2 / 6)


def test_unserved_contacts_still_within_their_threshold_are_not_judged_yet():
    """An email still waiting at the end but inside its deadline may yet be answered in time:
    neither a success nor a failure of the service level (a backlog carried over)."""
    table = contacts([("answered", 5.0), ("unserved", 10.0), ("unserved", 30.0)])
    k = contact_kpis(table, [], short_abandon_s=0.0).iloc[0]
    assert k.service_level == pytest.approx(1 / 2)  # the 10 s one is left out
    assert k.unserved == 2 and k.mean_wait_s == pytest.approx(15.0)


def test_blocked_callers_count_apart_and_never_reached_a_queue():
    """A blocked caller (busy signal) is offered, counted as blocked, and in none of the
    measures of contacts that reached a queue; block_rate = blocked / offered."""
    table = contacts(
        [
            ("answered", 0.0),
            ("answered", 40.0),
            ("abandoned", 60.0),
            ("contained", np.nan),
            ("blocked", np.nan),
            ("blocked", np.nan),
            ("balked", 0.0),
            ("callback_failed", 10.0),
        ]
    )
    k = contact_kpis(table, [], short_abandon_s=0.0).iloc[0]
    assert (k.offered, k.blocked, k.contained, k.answered, k.abandoned) == (8, 2, 1, 2, 1)
    assert k.offered == sum(k[m] for m in OUTCOME_COUNTS)
    assert k.block_rate == pytest.approx(2 / 8)
    reached_n = 5  # answered, abandoned, balked and the failed callback
    assert k.service_level == pytest.approx(1 / reached_n)
    assert k.abandon_rate == pytest.approx(1 / reached_n)
    assert k.mean_wait_s == pytest.approx(110 / reached_n)
    assert k.max_wait_s == 60.0 and k.asa_s == pytest.approx(20.0)
    # A customer blocked first and answered in time on a retry is served well.
    retry = contacts([("blocked", np.nan), ("answered", 5.0), ("blocked", np.nan)])
    retry["customer"] = [0, 0, 1]
    retry["attempt"] = [0, 1, 0]
    r = contact_kpis(retry, [], short_abandon_s=0.0).iloc[0]
    assert (r.customers, r.retrials, r.blocked) == (2, 1, 2)
    assert r.customer_service_level == 1.0  # customer 1 never reached a queue
    assert r.service_level == 1.0 and r.block_rate == pytest.approx(2 / 3)


def test_without_blocked_contacts_the_block_measures_are_zero():
    table = contacts([("answered", 0.0), ("contained", np.nan), ("abandoned", 30.0)])
    k = contact_kpis(table, [], short_abandon_s=0.0).iloc[0]
    assert (k.blocked, k.block_rate, k.contained) == (0, 0.0, 1)
    assert "blocked" in METRICS and "block_rate" in METRICS and "blocked" in OUTCOME_COUNTS


def test_transfer_legs_count_as_transfers_not_as_contacts():
    table = contacts([("answered", 5.0), ("answered", 50.0), ("answered", 0.0)])
    table["queue"] = ["sales", "sales", "billing"]
    table["transfer_of"] = [-1, -1, 0]  # the third row: contact 0's second agent, in billing
    by_queue = contact_kpis(table, ["queue"], short_abandon_s=0.0).droplevel("replication")
    assert by_queue.loc["sales", "offered"] == 2 and by_queue.loc["sales", "transfers"] == 0
    assert by_queue.loc["billing", "offered"] == 0 and by_queue.loc["billing", "transfers"] == 1
    assert by_queue.loc["sales", "service_level"] == pytest.approx(1 / 2)


def test_complete_adds_empty_replications_with_zero_counts_and_undefined_ratios():
    measures = contact_kpis(contacts([("answered", 5.0)]), [], short_abandon_s=0.0)
    full = complete(measures, pd.Index(range(3), name="replication"))
    assert full["offered"].tolist() == [1, 0, 0]
    assert (full.loc[[1, 2], COUNTS] == 0).all().all()
    assert full.loc[0, "service_level"] == 1.0 and full.loc[[1, 2], "service_level"].isna().all()


# --- one definition of "reached a queue"; waits never averaged over thresholds ----------------


def test_reached_is_the_one_definition_behind_the_queue_measures():
    table = contacts(
        [
            ("answered", 0.0),
            ("abandoned", 30.0),
            ("unserved", 50.0),
            ("balked", 0.0),
            ("callback_failed", 10.0),
            ("contained", np.nan),
            ("blocked", np.nan),
        ]
    )
    mask = reached(table)
    assert mask.tolist() == [True] * 5 + [False] * 2
    assert set(queued(table)["outcome"]) == set(REACHED_OUTCOMES)
    k = contact_kpis(table, [], short_abandon_s=0.0).iloc[0]
    assert k.abandoned / k.abandon_rate == mask.sum()  # the abandon rate's denominator
    assert k.mean_wait_s == pytest.approx(table.loc[mask, "wait_s"].mean())


def test_waiting_spans_start_when_the_contact_joins_the_queue():
    table = contacts([("answered", 20.0), ("abandoned", 5.0)])
    table["arrival_s"] = [100.0, 200.0]
    table["join_s"] = [160.0, 200.0]  # 60 s in the IVR first
    start, end = waiting_spans(queued(table))
    assert start.tolist() == [160.0, 200.0] and end.tolist() == [180.0, 205.0]
    old = table.drop(columns="join_s")  # tables from before the front end
    assert waiting_spans(old)[0].tolist() == [100.0, 200.0]


def test_kpi_groups_are_the_contracts_and_a_segments_waits_per_channel():
    model = two_channel_model(DAY_S)
    labels = [g.label for g in kpi_groups(model)]
    assert labels[:5] == ["all", "channel=phone", "channel=email", "queue=phone", "queue=email"]
    assert "segment=vip" in labels and "channel=email/segment=regular" in labels
    assert mixes_thresholds(model, ["phone", "email"]) and not mixes_thresholds(model, ["phone"])
    assert not mixes_thresholds(two_channel_model(20.0), ["phone", "email"])


def test_time_measures_are_null_where_thresholds_would_mix():
    table, agents = mixed_day()
    kpis = summarise_kpis(two_channel_model(DAY_S), table, agents, 1)
    for group in ("all", "segment=vip", "segment=regular"):
        assert all(kpis[group][m] == {"mean": None, "ci95": [None, None]} for m in TIME_MEASURES)
        assert kpis[group]["offered"]["mean"] > 0 and "service_level" in kpis[group]
    assert kpis["channel=phone"]["asa_s"]["mean"] == 20.0
    assert kpis["channel=email"]["asa_s"]["mean"] == 5400.0
    # A segment's waits, one channel at a time.
    assert kpis["channel=phone/segment=vip"]["asa_s"]["mean"] == 10.0
    assert kpis["channel=phone/segment=regular"]["asa_s"]["mean"] == 30.0
    assert kpis["channel=email/segment=regular"]["max_wait_s"]["mean"] == 7200.0
    assert kpis["channel=email/segment=vip"]["offered"]["mean"] == 1
    # Channels judged against the same threshold may be pooled.
    same = summarise_kpis(two_channel_model(20.0), table, agents, 1)
    assert same["all"]["asa_s"]["mean"] == pytest.approx((10 + 30 + 3600 + 7200) / 4)


def test_every_group_has_every_metric_and_occupancy_from_its_agents():
    table, agents = mixed_day()
    kpis = summarise_kpis(two_channel_model(DAY_S), table, agents, 1)
    assert all(set(figures) == set(METRICS) for figures in kpis.values())
    # The phone agent worked 2 x 60 s of the day, the email agent 2 x 60 s too.
    assert kpis["queue=phone"]["occupancy"]["mean"] == pytest.approx(120 / DAY_S)
    assert kpis["all"]["occupancy"]["mean"] == pytest.approx(240 / (2 * DAY_S))
    assert kpis["segment=vip"]["occupancy"]["mean"] is None  # segments have no agents


def test_agent_group_kpis_hours_overtime_and_occupancy():
    table, agents = mixed_day()
    agents.loc[agents["agent"].eq("p"), "planned_end_s"] = DAY_S - 1800  # 30 min overtime
    groups = agent_group_kpis(agents, table, 1)
    assert set(groups) == {"group=phone", "group=email"}
    phone = groups["group=phone"]
    assert phone["agents"] == 1 and phone["logged_in_h"]["mean"] == 24.0
    assert phone["overtime_h"]["mean"] == 0.5 and groups["group=email"]["overtime_h"]["mean"] == 0
    assert phone["occupancy"]["mean"] == pytest.approx(120 / DAY_S)
