"""The segment mix per contact type."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.calibrate.segments import NO_SEGMENT, segment_mix


def test_mix_per_type_and_overall():
    frame = pd.DataFrame(
        {
            "type": ["a"] * 4 + ["b"] * 6,
            "segment": ["vip"] + ["reg"] * 3 + ["vip"] * 3 + ["reg"] * 3,
        }
    )
    mix = segment_mix(frame)
    assert mix.segments == ("reg", "vip")
    assert mix.shares["a"] == pytest.approx({"reg": 0.75, "vip": 0.25})
    assert mix.shares["b"] == pytest.approx({"reg": 0.5, "vip": 0.5})
    assert mix.overall == pytest.approx({"reg": 0.6, "vip": 0.4})


def test_no_segment_column_is_one_segment():
    mix = segment_mix(pd.DataFrame({"type": ["a", "b"]}))
    assert mix.segments == (NO_SEGMENT,)
    assert mix.shares["a"] == {NO_SEGMENT: 1.0}
