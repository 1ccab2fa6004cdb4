"""engine/disciplines: which waiting contact first. Strict priority, FIFO and ageing priority
are each a set of levels (rank, offset); the queues compare the heads by them."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.disciplines import (
    DISCIPLINES,
    TRANSFER_LEVEL,
    Ageing,
    Fifo,
    StrictPriority,
)
from sim.errors import ConfigError
from sim.model import Routing
from tests.engine.days import VIP_AND_REGULAR, agent, centre, day


def test_levels_of_each_discipline():
    priorities = [1, 0, 1, 5]  # four segments
    assert StrictPriority().levels(priorities)[0] == [1, 2, 1, 0]
    assert [lv.rank for lv in StrictPriority().levels(priorities)[1]] == [0, 1, 2]
    assert Fifo().levels(priorities)[0] == [0, 0, 0, 0]
    level_of, levels = Ageing(0.5).levels(priorities)
    assert level_of == [1, 2, 1, 0]
    assert [(lv.rank, lv.offset) for lv in levels] == [(0, -10.0), (0, -2.0), (0, -0.0)]
    assert Ageing(0.0).levels(priorities) == StrictPriority().levels(priorities)


def test_disciplines_by_name_and_transfer_legs_ahead_of_every_level():
    assert DISCIPLINES.build(Routing(discipline="priority")) == StrictPriority()
    assert DISCIPLINES.build(Routing(discipline="fifo")) == Fifo()
    assert DISCIPLINES.build(Routing(discipline="ageing", ageing_per_s=0.02)) == Ageing(0.02)
    with pytest.raises(ConfigError, match="lifo"):
        DISCIPLINES.build(Routing(discipline="lifo"))
    assert all(TRANSFER_LEVEL.rank < lv.rank for lv in StrictPriority().levels([2, 1, 0])[1])


def one_agent(routing: Routing):
    return centre([agent("a1")], segments=VIP_AND_REGULAR, routing=routing)


@pytest.mark.parametrize(
    "discipline, answers", [("priority", [0, 200, 100]), ("fifo", [0, 100, 200])]
)
def test_vip_is_served_first_without_preemption(discipline, answers):
    """A regular call in service from 0; a regular (10) then a VIP (20) wait. With priority
    the VIP is next at 100 (the call in hand is not interrupted); FIFO keeps arrival order."""
    model = one_agent(Routing(discipline=discipline))
    records = day(model, [0, 10, 20], segments=["regular", "regular", "vip"])
    assert records.answer_s.tolist() == answers


@pytest.mark.parametrize("rate, first", [(0.01, "vip"), (0.05, "regular")])
def test_a_long_waiter_overtakes_a_higher_priority(rate, first):
    """One agent busy 0-100; a regular customer waits from 10, a VIP (priority 1, one more)
    from 50. At 100 the regular one has priority 90 x rate, the VIP 1 + 50 x rate: the
    regular one goes first once rate > 1/40."""
    model = one_agent(Routing(discipline="ageing", ageing_per_s=rate))
    records = day(model, [0, 10, 50], segments=["regular", "regular", "vip"])
    served_at_100 = "regular" if records.answer_s[1] == 100 else "vip"
    assert served_at_100 == first


def test_ageing_at_rate_zero_is_strict_priority_and_at_a_huge_rate_fifo():
    """A busy hour for one agent: 40 calls 60 s apart of 100 s each, segments mixed."""
    arrivals = np.arange(40) * 60.0
    segments = np.random.default_rng(5).integers(0, 2, 40).tolist()

    def answers(**routing):
        model = one_agent(Routing(**routing))
        return day(model, arrivals.tolist(), segments=segments).answer_s

    strict, fifo = answers(discipline="priority"), answers(discipline="fifo")
    np.testing.assert_array_equal(answers(discipline="ageing", ageing_per_s=0.0), strict)
    np.testing.assert_array_equal(answers(discipline="ageing", ageing_per_s=1e9), fifo)
    assert not np.array_equal(strict, fifo)  # (the discipline matters on this day)
