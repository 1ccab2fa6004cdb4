"""Queue disciplines: strict priority, FIFO, and priority that grows with waiting time."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.engine.disciplines import Ageing, Fifo, StrictPriority
from sim.inputs.config import build_model
from sim.model import Routing
from sim.paths import PROJECT_ROOT
from sim.runner import replicate
from tests.conftest import composed, hand_run
from tests.test_router import agent, centre


def test_levels_of_each_discipline():
    priorities = [1, 0, 1, 5]  # four segments
    assert StrictPriority().levels(priorities)[0] == [1, 2, 1, 0]
    assert [lv.rank for lv in StrictPriority().levels(priorities)[1]] == [0, 1, 2]
    assert Fifo().levels(priorities)[0] == [0, 0, 0, 0]
    level_of, levels = Ageing(0.5).levels(priorities)
    assert level_of == [1, 2, 1, 0]
    assert [(lv.rank, lv.offset) for lv in levels] == [(0, -10.0), (0, -2.0), (0, -0.0)]
    assert Ageing(0.0).levels(priorities) == StrictPriority().levels(priorities)


@pytest.mark.parametrize("rate, first", [(0.01, "vip"), (0.05, "regular")])
def test_a_long_waiter_overtakes_a_higher_priority(rate, first):
    """One agent busy 0-100; a regular customer waits from 10, a VIP (priority 1, one more)
    from 50. At 100 the regular one has priority 90 x rate, the VIP 1 + 50 x rate: the
    regular one goes first once rate > 1/40."""
    model = centre(
        [agent("a1", "team", {"phone"})], Routing(discipline="ageing", ageing_per_s=rate)
    )
    records = hand_run(model, [0, 10, 50], segments=[1, 1, 0])
    served_at_100 = "regular" if records.answer_s[1] == 100 else "vip"
    assert served_at_100 == first


def erlang_model(**routing):
    cfg = composed(
        "scenario=erlang", "scenario.agents=13", "scenario.vip_share=0.3", "scenario.patience_s=300"
    )
    return replace(build_model(cfg, PROJECT_ROOT), routing=Routing(**routing))


def test_ageing_at_rate_zero_is_strict_priority_and_at_a_huge_rate_fifo():
    strict = replicate(erlang_model(discipline="priority"), 5, 0)
    fifo = replicate(erlang_model(discipline="fifo"), 5, 0)
    slow = replicate(erlang_model(discipline="ageing", ageing_per_s=0.0), 5, 0)
    fast = replicate(erlang_model(discipline="ageing", ageing_per_s=1e9), 5, 0)
    np.testing.assert_array_equal(slow.answer_s, strict.answer_s)
    np.testing.assert_array_equal(fast.answer_s, fifo.answer_s)
    assert not np.array_equal(strict.answer_s, fifo.answer_s, equal_nan=True)  # (it matters)
