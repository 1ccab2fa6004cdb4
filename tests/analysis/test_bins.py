"""Time in bins, agent time and occupancy (`sim.analysis.bins`) against brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.bins import (
    agent_time,
    busy_and_available,
    interval_edges,
    occupancy,
    time_in_bins,
    time_in_bins_by,
)
from tests.analysis.samples import DAY_S, two_channel_model


def _overlap(starts, ends, weights, edges) -> np.ndarray:
    """Brute force: each span's overlap with each bin, weighted and summed."""
    starts, ends, weights = (np.asarray(x, dtype=float) for x in (starts, ends, weights))
    return np.array(
        [
            (weights * np.clip(np.minimum(ends, hi) - np.maximum(starts, lo), 0, None)).sum()
            for lo, hi in zip(edges[:-1], edges[1:], strict=True)
        ]
    )


def test_time_in_bins_matches_brute_force():
    rng = np.random.default_rng(1)
    starts = rng.uniform(0, 1000, 300)
    ends = starts + rng.exponential(80, 300)
    edges = np.linspace(0, 1200, 13)
    np.testing.assert_allclose(
        time_in_bins(starts, ends, edges), _overlap(starts, ends, np.ones(300), edges)
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


def test_interval_edges_are_the_forecast_grid():
    edges = interval_edges(two_channel_model(DAY_S))
    assert edges.tolist() == [3600.0 * k for k in range(25)]


def test_occupancy_is_undefined_where_nobody_was_available():
    result = occupancy(np.array([30.0, 0.0, 5.0]), np.array([60.0, 0.0, 0.0]))
    assert result[0] == 0.5 and np.isnan(result[1:]).all()


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
