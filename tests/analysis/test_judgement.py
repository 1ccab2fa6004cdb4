"""The one rule of judgement (`sim.analysis.judgement`) on hand-made interval tables."""

import math

import numpy as np
import pandas as pd
import pytest

from sim.analysis.figure import Figure
from sim.analysis.judgement import Level, judge_backlog, judge_queue, miss_of
from sim.model import Goal, Targets

SL = Targets(misses=1, abandon_max=None, occupancy_max=None)  # service level, one miss a day


def queue(sl, lo=None, hi=None, offered=None, open_=None, **more):
    """A queue's intervals.csv rows: service level (mean, CI), contacts, opening."""
    n = len(sl)
    rows = {
        "interval": np.arange(n),
        "open": open_ if open_ is not None else [True] * n,
        "offered": offered if offered is not None else [20.0] * n,
        "service_level": sl,
        "service_level_lo": lo if lo is not None else [s - 0.05 for s in sl],
        "service_level_hi": hi if hi is not None else [s + 0.05 for s in sl],
    }
    rows.update(more)
    return pd.DataFrame(rows)


def test_every_interval_at_target_holds():
    j = judge_queue(queue([0.85, 0.9, 0.82]), SL)
    assert j.level is Level.HOLDS and j.judged == 3 and not j.misses


def test_misses_within_the_allowance_hold_when_none_is_clear():
    j = judge_queue(queue([0.85, 0.78, 0.9]), SL)  # 0.78 [0.73, 0.83]: the CI reaches 0.8
    assert j.level is Level.HOLDS and len(j.misses) == 1 and j.clear == 0


def test_a_clear_miss_is_never_allowed_to_hold():
    j = judge_queue(queue([0.85, 0.6, 0.9]), SL)  # 0.6 [0.55, 0.65]: wholly below
    assert j.level is Level.AT_RISK and j.clear == 1


def test_more_misses_than_allowed_but_none_clear_is_at_risk():
    j = judge_queue(queue([0.78, 0.79, 0.9]), SL)
    assert j.level is Level.AT_RISK and len(j.misses) == 2 and j.clear == 0


def test_more_clear_misses_than_allowed_breaks():
    j = judge_queue(queue([0.5, 0.6, 0.9]), SL)
    assert j.level is Level.BREAKS and j.clear == 2
    assert [m.interval for m in j.misses] == [0, 1]  # the worst first


def test_the_allowance_is_per_day():
    rows = queue([0.5, 0.6, 0.9, 0.9])
    assert judge_queue(rows, SL, days=1).level is Level.BREAKS
    assert judge_queue(rows, SL, days=2).level is Level.AT_RISK  # two clear misses, two allowed


def test_closed_and_quiet_intervals_are_not_judged():
    rows = queue(
        [0.0, 0.2, 0.9], offered=[3.0, 20.0, 20.0], open_=[True, False, True]
    )  # 0.0 with 3 contacts: too few; 0.2 while closed (stragglers)
    j = judge_queue(rows, SL)
    assert j.level is Level.HOLDS and (j.judged, j.quiet, j.closed) == (1, 1, 1)


def test_caps_are_judged_over_the_run_not_in_each_interval():
    """A half hour's abandonment is noise; the day's is the figure planners quote."""
    capped = Targets(misses=1, abandon_max=0.05, occupancy_max=None)
    rows = queue(
        [0.9, 0.9],
        abandon_rate=[0.2, 0.01],
        abandon_rate_lo=[0.1, 0.0],
        abandon_rate_hi=[0.3, 0.02],
    )
    assert judge_queue(rows, capped).holds
    run = {"abandon_rate": Figure(0.105, 0.08, 0.13)}
    assert judge_queue(rows, capped, run).level is Level.BREAKS


def test_a_run_level_cap_exceeded_beyond_doubt_breaks():
    capped = Targets(misses=1, abandon_max=0.05, occupancy_max=None)
    rows = queue([0.9, 0.9])
    over = {"abandon_rate": Figure(0.08, 0.07, 0.09), "service_level": Figure(0.9, 0.88, 0.92)}
    maybe = {"abandon_rate": Figure(0.06, 0.04, 0.08)}
    assert judge_queue(rows, capped, over).level is Level.BREAKS
    assert judge_queue(rows, capped, maybe).level is Level.AT_RISK
    assert judge_queue(rows, capped, {"abandon_rate": Figure(0.03, 0.02, 0.04)}).holds


def test_a_figure_without_a_ci_never_misses_clearly():
    miss = miss_of(Goal("service_level", 0.8, at_least=True), Figure(0.5))
    assert miss is not None and not miss.clear
    assert miss_of(Goal("service_level", 0.8, at_least=True), Figure(math.nan)) is None


@pytest.mark.parametrize(
    ("share", "left", "left_max", "level"),
    [
        (Figure(0.95, 0.9, 1.0), Figure(0.0, 0.0, 0.0), 0, Level.HOLDS),
        (Figure(0.95, 0.9, 1.0), Figure(30.0, 20.0, 40.0), 0, Level.BREAKS),  # not cleared
        (Figure(0.95, 0.9, 1.0), Figure(3.0, 0.0, 6.0), 0, Level.AT_RISK),  # may be cleared
        (Figure(0.5, 0.4, 0.6), Figure(0.0, 0.0, 0.0), 0, Level.BREAKS),  # deadline share
        (Figure(0.95, 0.9, 1.0), Figure(30.0, 20.0, 40.0), None, Level.HOLDS),  # no cap
    ],
)
def test_a_backlog_is_judged_by_its_deadline_and_what_is_left(share, left, left_max, level):
    targets = Targets(left_max=left_max)
    assert judge_backlog(share, left, targets).level is level


def test_without_a_cap_a_backlog_breaks_when_growing_it_would_tip_the_deadline_share():
    share, left = Figure(0.95, 0.9, 1.0), Figure(40.0, 30.0, 50.0)
    growth, late = Figure(25.0, 10.0, 40.0), Figure(0.6, 0.55, 0.65)
    growing = judge_backlog(share, left, Targets(), growth, late)
    assert growing.level is Level.BREAKS and growing.notes
    carried = judge_backlog(share, left, Targets(), Figure(-3.0, -8.0, 2.0), late)
    assert carried.holds  # the evening's mail, carried overnight: how email works
    harmless = judge_backlog(share, left, Targets(), growth, Figure(0.85, 0.8, 0.9))
    assert harmless.holds  # growing, but counted late the share still meets the target
    maybe = judge_backlog(share, left, Targets(), Figure(5.0, -2.0, 12.0), late)
    assert maybe.level is Level.AT_RISK
