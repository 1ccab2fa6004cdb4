"""engine/selectors: which free agent. A selector scores an agent profile for a queue and a
stage's groups; the lowest score wins, ties go to the agent idle longest."""

from __future__ import annotations

import pytest

from sim.engine.agents import Profile
from sim.engine.selectors import SELECTORS, best_skill, group_rank, least_skilled, longest_idle
from sim.model import Routing, Stage
from tests.engine.days import agent, calls, centre, day, served_by


def profile(group: str = "g1", speed: tuple[float, ...] = (1.0, 1.0), n_queues: int = 1):
    return Profile(group, frozenset({"calls"}), speed, 1, 0.0, n_queues)


def test_each_selector_scores_what_it_says():
    fast_on_second = profile(speed=(1.0, 0.8), n_queues=3)
    assert longest_idle(fast_on_second, 1, ("g1",)) == 0.0
    assert best_skill(fast_on_second, 1, ("g1",)) == 0.8
    assert best_skill(fast_on_second, 0, ("g1",)) == 1.0
    assert least_skilled(fast_on_second, 0, ()) == 3.0
    assert group_rank(profile("g2"), 0, ("g1", "g2")) == 1.0
    assert group_rank(profile("g3"), 0, ("g1", "g2")) == 2.0  # not listed: after the listed
    assert set(SELECTORS) == {"longest_idle", "best_skill", "least_skilled", "group_rank"}


def test_an_arrival_goes_to_the_agent_idle_longest():
    """a1 and a2 take the first two calls; at 200 a3 (idle since 0) beats a1 (idle since
    110, after its call) and a2 (since 120)."""
    model = centre([agent("a1"), agent("a2"), agent("a3")])
    records = day(model, [10, 20, 200])
    assert served_by(model, records) == ["a1", "a2", "a3"]
    assert records.answer_s.tolist() == [10, 20, 200]


SELECTION_CASES = [
    # g1's a1 holds two skills and is idle since 0; g2's a2 holds one, is faster (0.8) and
    # idle since 10. A call at 100 goes to:
    ("longest_idle", ("g1", "g2"), "a1"),
    ("best_skill", ("g1", "g2"), "a2"),
    ("least_skilled", ("g1", "g2"), "a2"),
    ("group_rank", ("g1", "g2"), "a1"),
    ("group_rank", ("g2", "g1"), "a2"),
]


@pytest.mark.parametrize("selection, groups, chosen", SELECTION_CASES)
def test_idle_agent_selection(selection, groups, chosen):
    model = centre(
        [
            agent("a1", ("calls", "complaints"), group="g1"),
            agent("a2", ("calls",), group="g2", start=10, speed=0.8),
        ],
        types=(calls(), calls("complaints")),
        routing=Routing(selection=selection, stages={"calls": (Stage(groups),)}),
    )
    records = day(model, [100])
    assert served_by(model, records) == [chosen]
    assert records.handle_s[0] == (80 if chosen == "a2" else 100)  # proficiency applied


def test_agents_scoring_alike_go_by_idle_time():
    """Best skill: b1 and b2 are equally fast (0.8), b2 idle longer (b1 logged in at 5);
    slow s1 (idle longest) comes last: b2, then b1, then s1."""
    model = centre(
        [agent("s1"), agent("b1", start=5, speed=0.8), agent("b2", speed=0.8)],
        routing=Routing(selection="best_skill"),
    )
    records = day(model, [10, 20, 30])
    assert served_by(model, records) == ["b2", "b1", "s1"]
