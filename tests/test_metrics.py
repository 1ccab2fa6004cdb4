"""The measures' definitions on hand-made contact tables, and the helpers behind them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.backlog import backlog_summary
from sim.analysis.bins import agent_time, busy_and_available, time_in_bins, time_in_bins_by
from sim.analysis.figure import mean_ci, mean_ci_frame
from sim.analysis.intervals import forecast_offered
from sim.analysis.kpis import (
    METRICS,
    OUTCOME_COUNTS,
    REACHED_OUTCOMES,
    TIME_MEASURES,
    contact_kpis,
    queued,
    reached,
    summarise_kpis,
    waiting_spans,
)
from sim.analysis.planning import offered_traffic
from sim.distributions import Deterministic
from sim.model import Agent, Channel, ContactType, Demand, Model, Segment, Shift


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


def test_time_in_bins_matches_brute_force():
    rng = np.random.default_rng(1)
    starts = rng.uniform(0, 1000, 300)
    ends = starts + rng.exponential(80, 300)
    edges = np.linspace(0, 1200, 13)
    brute = [
        np.clip(np.minimum(ends, hi) - np.maximum(starts, lo), 0, None).sum()
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    assert np.allclose(time_in_bins(starts, ends, edges), brute)


def _overlap(starts, ends, weights, edges) -> np.ndarray:
    """Brute force: each span's overlap with each bin, weighted and summed."""
    starts, ends, weights = (np.asarray(x, dtype=float) for x in (starts, ends, weights))
    return np.array(
        [
            (weights * np.clip(np.minimum(ends, hi) - np.maximum(starts, lo), 0, None)).sum()
            for lo, hi in zip(edges[:-1], edges[1:], strict=True)
        ]
    )


def test_time_in_bins_by_key_matches_brute_force():
    """Spans before, across and after the edges, with weights (negative too), by key."""
    rng = np.random.default_rng(2)
    n = 400
    starts = rng.uniform(-200, 1300, n)
    ends = starts + rng.exponential(150, n)
    weights = rng.choice([1.0, 1 / 3, -1.0], n)
    keys = rng.integers(0, 5, n)
    edges = np.linspace(0, 1200, 9)
    out = time_in_bins_by(keys, 6, starts, ends, edges, weights)
    assert out.shape == (6, 8)
    for key in range(6):
        mine = keys == key
        brute = _overlap(starts[mine], ends[mine], weights[mine], edges)
        np.testing.assert_allclose(out[key], brute, rtol=1e-9, atol=1e-7)
    assert not out[5].any()  # a key without spans


def hand_agents_and_contacts():
    """Three agents in two groups over two replications: shifts, breaks, other rows that must
    not count (absent, call_in), work past the last interval, and chats held at 1/2 slot."""
    agents = pd.DataFrame(
        [
            # replication, agent, group, skills, kind, start, end
            (0, "ann", "phone", "calls", "shift", 0, 3000),
            (0, "ann", "phone", "calls", "break", 1000, 1300),
            (0, "bo", "phone", "calls;chat", "shift", 500, 4200),
            (0, "bo", "phone", "calls;chat", "absent", 0, 500),
            (0, "cy", "chat", "chat", "shift", 0, 1800),
            (1, "ann", "phone", "calls", "shift", 0, 2400),
            (1, "cy", "chat", "chat", "shift", 600, 3600),
            (1, "cy", "chat", "chat", "call_in", 0, 600),
        ],
        columns=["replication", "agent", "group", "skills", "kind", "start_s", "end_s"],
    )
    agents["planned_end_s"] = agents["end_s"]
    contacts = pd.DataFrame(
        [
            # replication, agent, outcome, answer, handle, wrapup, share
            (0, "ann", "answered", 100, 400, 50, 1.0),
            (0, "bo", "answered", 3500, 600, 0, 1.0),  # ends after the last interval
            (0, "bo", "callback_failed", 900, 30, 0, 1.0),
            (0, "cy", "answered", 200, 900, 0, 0.5),
            (0, "cy", "answered", 300, 900, 0, 0.5),
            (0, None, "abandoned", np.nan, 0, 0, np.nan),
            (1, "ann", "answered", 2000, 300, 60, 1.0),
            (1, "cy", "answered", 700, 2000, 100, 0.5),
            (1, "ann", "abandoned", np.nan, 0, 0, np.nan),
        ],
        columns=["replication", "agent", "outcome", "answer_s", "handle_s", "wrapup_s"]
        + ["agent_share"],
    )
    return agents, contacts


def test_agent_time_gives_every_occupancy_of_the_agents_it_covers():
    """Summed once per cell, the busy and available time of any set of agents (holding some
    skills, of a group, every agent) equals that set's own, by interval and whole run."""
    agents, contacts = hand_agents_and_contacts()
    grid = np.array([0.0, 1800.0, 3600.0])
    time = agent_time(contacts, agents, 2, grid)
    whole = np.array([-1e9, 1e9])
    for names, cells in [
        ({"ann", "bo"}, time.holding({"calls"})),
        ({"bo", "cy"}, time.holding({"chat"})),
        ({"ann", "bo", "cy"}, time.holding(None)),
        ({"ann", "bo"}, time.of_group("phone")),
        ({"cy"}, time.of_group("chat")),
    ]:
        busy, available = _brute_busy_and_available(agents, contacts, names, grid, 2)
        with np.errstate(invalid="ignore", divide="ignore"):
            np.testing.assert_allclose(time.by_interval(cells), busy / available, rtol=1e-12)
        busy, available = _brute_busy_and_available(agents, contacts, names, whole, 2)
        np.testing.assert_allclose(time.whole_run(cells), (busy / available)[:, 0], rtol=1e-12)
        fast = busy_and_available(contacts, agents, names, grid, 2)
        np.testing.assert_allclose(
            fast, _brute_busy_and_available(agents, contacts, names, grid, 2)
        )
    # Work past the grid counts in the whole run: bo is busy 3500-4100, on shift to 4200.
    assert time.busy.sum() == pytest.approx(450 + 600 + 30 + 450 + 450 + 360 + 1050)


def _brute_busy_and_available(agents, contacts, names, edges, replications):
    busy = np.zeros((replications, len(edges) - 1))
    available = np.zeros_like(busy)
    for rep in range(replications):
        work = contacts[
            contacts["replication"].eq(rep)
            & contacts["agent"].isin(names)
            & contacts["outcome"].isin(["answered", "callback_failed"])
        ]
        end = work["answer_s"] + work["handle_s"] + work["wrapup_s"]
        busy[rep] = _overlap(work["answer_s"], end, work["agent_share"], edges)
        spans = agents[agents["replication"].eq(rep) & agents["agent"].isin(names)]
        for kind, sign in (("shift", 1.0), ("break", -1.0)):
            rows = spans[spans["kind"].eq(kind)]
            available[rep] += sign * _overlap(
                rows["start_s"], rows["end_s"], 1.0 + 0 * rows["start_s"], edges
            )
    return busy, available


def test_mean_ci_is_the_student_t_interval():
    values = np.array([0.8, 0.82, 0.79, 0.85, np.nan])
    mean, low, high = mean_ci(values)
    v = values[:4]
    half = stats.t.ppf(0.975, 3) * v.std(ddof=1) / 2
    assert (mean, low, high) == pytest.approx((v.mean(), v.mean() - half, v.mean() + half))
    assert np.isnan(mean_ci([0.5])[1])


def test_mean_ci_frame_agrees_with_mean_ci():
    per_rep = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 3, "x": [1.0, 2, 3, 4, 10, 11, 15]})
    table = mean_ci_frame(per_rep, ["g"])
    for group, values in per_rep.groupby("g")["x"]:
        assert tuple(table.loc[group, ["x", "x_lo", "x_hi"]]) == pytest.approx(mean_ci(values))


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
    reached = 5  # answered, abandoned, balked and the failed callback
    assert k.service_level == pytest.approx(1 / reached)
    assert k.abandon_rate == pytest.approx(1 / reached)
    assert k.mean_wait_s == pytest.approx(110 / reached)
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


DAY_S = 86400.0


def two_channel_model(email_threshold: float) -> Model:
    """Phone (20 s) and a second channel, `email`, deferrable, with the given threshold;
    segments vip and regular; one agent per channel."""
    return Model(
        name="mix",
        channels=(
            Channel("phone", 0.0, DAY_S, 20.0),
            Channel("email", 0.0, DAY_S, email_threshold, deferrable=True),
        ),
        segments=(Segment("vip", 0.2, 1), Segment("regular", 0.8, 0)),
        contact_types=(
            ContactType("calls", "phone", "phone", Deterministic(60), Deterministic(0)),
            ContactType("mails", "email", "email", Deterministic(60), Deterministic(0)),
        ),
        demand=Demand(3600.0, np.zeros((2, 24))),
        agents=(
            Agent("p", frozenset({"phone"}), (Shift(0, DAY_S),)),
            Agent("e", frozenset({"email"}), (Shift(0, DAY_S),)),
        ),
    )


def mixed_day() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two phone calls and three emails (two answered, one left at the end), one replication."""
    rows = [
        # channel, segment, outcome, join, wait, agent
        ("phone", "vip", "answered", 100.0, 10.0, "p"),
        ("phone", "regular", "answered", 200.0, 30.0, "p"),
        ("email", "vip", "answered", 300.0, 3600.0, "e"),
        ("email", "regular", "answered", 400.0, 7200.0, "e"),
        ("email", "regular", "unserved", 80000.0, DAY_S - 80000.0, None),
    ]
    frame = pd.DataFrame(
        rows, columns=["channel", "segment", "outcome", "join_s", "wait_s", "agent"]
    )
    frame["queue"] = frame["channel"]
    frame["arrival_s"] = frame["join_s"]
    frame["answer_s"] = np.where(
        frame["outcome"].eq("answered"), frame["join_s"] + frame["wait_s"], np.nan
    )
    frame["threshold_s"] = np.where(frame["channel"].eq("phone"), 20.0, DAY_S)
    frame["handle_s"], frame["wrapup_s"] = 60.0, 0.0
    frame["replication"], frame["attempt"] = 0, 0
    frame["customer"] = np.arange(len(frame))
    agents = pd.DataFrame(
        {
            "agent": ["p", "e"],
            "skills": ["phone", "email"],
            "group": ["phone", "email"],
            "replication": [0, 0],
            "kind": ["shift", "shift"],
            "start_s": [0.0, 0.0],
            "end_s": [DAY_S, DAY_S],
            "planned_end_s": [DAY_S, DAY_S],
        }
    )
    return frame, agents


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


def test_backlog_left_at_the_end():
    table, _ = mixed_day()
    backlog = backlog_summary(two_channel_model(DAY_S), table, 1, DAY_S)
    assert set(backlog) == {"channel=email", "queue=email"}
    email = {k: v["mean"] for k, v in backlog["channel=email"].items()}
    assert email["left"] == 1 and email["arrived"] == 3
    assert email["oldest_h"] == pytest.approx((DAY_S - 80000.0) / 3600)
    assert email["growth"] == 1  # nothing waited at the start of the day
    assert email["share_if_late"] == pytest.approx(2 / 3)


def test_forecast_columns_say_what_they_count():
    """intervals.csv's forecast_offered counts every contact the forecast expects, those the
    IVR or bot will contain included; forecast_queued only those expected to reach the queue."""
    from sim.inputs.config import build_model
    from sim.paths import PROJECT_ROOT
    from tests.conftest import composed

    model = build_model(composed("scenario=holiday_peak"), PROJECT_ROOT)
    for channel, queue in {(t.channel, t.skill) for t in model.contact_types}:
        types = [
            i
            for i, t in enumerate(model.contact_types)
            if t.channel == channel and t.skill == queue
        ]
        volumes = model.demand.volumes[types]
        kept = np.array([1 - model.contact_types[i].contained for i in types])
        offered = forecast_offered(model, channel, queue)
        queued_, _, _ = offered_traffic(model, channel, queue)
        assert offered == pytest.approx(volumes.sum(axis=0))
        assert queued_ == pytest.approx((volumes * kept[:, None]).sum(axis=0))
        if (kept < 1).any():  # the IVR or bot contains some: fewer reach the queue
            assert queued_.sum() < offered.sum()
