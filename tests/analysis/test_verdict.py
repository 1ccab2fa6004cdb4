"""The verdict's rules on small hand-made run tables (a summary and an interval table)."""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest

from sim.analysis.figure import Figure
from sim.analysis.verdict import (
    agents_short,
    headline,
    judge,
    judge_deferred,
    reasons,
    when,
    worst_channel_sl,
)
from sim.model import Targets

HALF_HOUR = 1800.0


def fig(mean, low=None, high=None) -> dict:
    return {"mean": mean, "ci95": [low, high]}


def intervals(queue: str, sl: list[float], channel: str | None = None, **columns) -> pd.DataFrame:
    """One queue's interval table: service levels per interval (NaN: no contacts), CI +-0.1
    (cut to 0-1), 10 contacts offered where there is a service level."""
    n = len(sl)
    values = np.array(sl, dtype=float)
    frame = pd.DataFrame(
        {
            "channel": channel or queue,
            "queue": queue,
            "interval": range(n),
            "start": [f"{k // 2:02d}:{30 * (k % 2):02d}" for k in range(n)],
            "open": 1,
            "offered": np.where(np.isnan(values), 0.0, 10.0),
            "service_level": values,
            "service_level_lo": np.clip(values - 0.1, 0, 1),
            "service_level_hi": np.clip(values + 0.1, 0, 1),
            "agents_scheduled": 10.0,
            "erlang_c_required": 10.0,
            "erlang_a_required": 10.0,
        }
    )
    for column, value in columns.items():
        frame[column] = value
    return frame


# The rule at its strictest (no interval allowed to miss, no caps): a queue then holds exactly
# when every judged interval and the run meet the target.
STRICT = asdict(Targets(misses=0, abandon_max=None, occupancy_max=None))


def summary(
    thresholds: dict[str, float], kpis: dict, backlog: dict | None = None, **targets
) -> dict:
    goals = {**STRICT, **targets}
    queues = {q.removeprefix("queue="): goals for q in kpis if q.startswith("queue=")}
    out = {
        "service_level": {"target": 0.8, "threshold_s_by_channel": thresholds},
        "targets": {
            "default": goals,
            "channels": {c: {**goals, "threshold_s": s} for c, s in thresholds.items()},
            "queues": queues,
        },
        "kpis": kpis,
    }
    if backlog is not None:
        out["backlog"] = backlog
    return out


def test_a_queue_above_target_on_the_day_misses_in_its_intervals_below_target():
    sl = [0.9, 0.75, 0.6, 0.85, 0.5, math.nan, 0.95]
    table = intervals("chat", sl)
    table.loc[2, "erlang_c_required"] = 13.2  # 3.2 agents short: 4 more needed
    table.loc[2, "erlang_a_required"] = 12.0
    s = summary({"chat": 30.0}, {"queue=chat": {"service_level": fig(0.82, 0.78, 0.86)}})
    [chat] = judge(s, table, HALF_HOUR)
    [queue] = chat.queues
    assert not chat.met and not queue.met
    assert (queue.open_intervals, queue.below, queue.clearly) == (
        6,
        3,
        2,
    )  # 0.6+0.1 and 0.5+0.1 < 0.8
    assert [w.at for w in queue.worst] == ["02:00", "01:00", "00:30"]
    assert queue.worst[0].sl == Figure(0.5, 0.4, 0.6)
    first, second = queue.spans
    assert (first.start, first.end, first.intervals) == ("00:30", "01:30", 2)
    assert first.worst.at == "01:00" and (first.short_c, first.short_a) == (4, 2)
    assert (second.start, second.end, second.short_c) == ("02:00", "02:30", 0)
    assert reasons(chat) == "chat: 3 of 6 intervals below target (worst 50% at 02:00)"


def test_every_interval_at_target_and_the_day_too_is_met():
    table = intervals("phone", [0.9, 0.8, math.nan, 0.85])
    s = summary({"phone": 20.0}, {"queue=phone": {"service_level": fig(0.85)}})
    [phone] = judge(s, table, HALF_HOUR)
    assert phone.met and phone.queues[0].below == 0 and reasons(phone) == ""


def test_the_day_below_target_misses_even_without_an_interval_below():
    table = intervals("phone", [0.8, 0.8])
    kpis = {
        "queue=phone": {"service_level": fig(0.79)},
        "channel=phone": {"service_level": fig(0.79)},
    }
    [phone] = judge(summary({"phone": 20.0}, kpis), table, HALF_HOUR)
    assert not phone.met and reasons(phone) == "phone: 79.0% over the run"


def test_a_channel_misses_when_one_of_its_queues_does():
    table = pd.concat(
        [intervals("general", [0.9, 0.9], "phone"), intervals("senior", [0.9, 0.6], "phone")]
    )
    kpis = {
        "channel=phone": {"service_level": fig(0.85)},
        "queue=general": {"service_level": fig(0.9)},
        "queue=senior": {"service_level": fig(0.75)},
    }
    [phone] = judge(summary({"phone": 20.0}, kpis), table, HALF_HOUR)
    general, senior = phone.queues
    assert general.met and not senior.met and not phone.met
    assert phone.below == 1 and "in senior" in reasons(phone)


def backlog_block(left, growth, share_if_late, arrived=100.0, oldest_h=5.0) -> dict:
    block = {
        "left": fig(left),
        "oldest_h": fig(oldest_h),
        "growth": fig(growth),
        "arrived": fig(arrived),
        "share_if_late": fig(share_if_late),
    }
    return {"channel=email": block, "queue=email": block}


def email_verdict(share: float, backlog: dict):
    table = intervals("email", [1.0, math.nan])
    kpis = {
        "channel=email": {"service_level": fig(share)},
        "queue=email": {"service_level": fig(share)},
    }
    [email] = judge(summary({"email": 86400.0}, kpis, backlog), table, HALF_HOUR)
    return email


def test_a_backlog_that_grows_all_day_is_missed_though_all_answered_were_in_time():
    email = email_verdict(1.0, backlog_block(left=80, growth=80, share_if_late=0.73, arrived=300))
    assert email.deferrable and not email.met and not email.queues[0].met
    assert email.queues[0].spans == []  # a deadline, not intervals: no Erlang spans
    text = reasons(email)
    assert "grew by 80" in text and "80 left" in text and "73%" in text


def test_a_backlog_left_at_the_end_that_cannot_tip_the_deadline_share_is_met():
    assert email_verdict(1.0, backlog_block(left=2, growth=2, share_if_late=0.98)).met
    # A carried-over backlog shrinking over the last day is being worked down.
    assert email_verdict(1.0, backlog_block(left=40, growth=-20, share_if_late=0.7)).met


def test_a_deadline_share_below_target_is_missed():
    email = email_verdict(0.6, backlog_block(left=0, growth=0, share_if_late=0.6))
    assert not email.met and "60.0% answered within the deadline" in reasons(email)


def test_worst_channel_is_the_lowest_service_level_of_any_channel():
    table = pd.concat([intervals("phone", [0.9]), intervals("email", [1.0])])
    kpis = {
        "channel=phone": {"service_level": fig(0.9)},
        "channel=email": {"service_level": fig(0.85)},
    }
    s = summary({"phone": 20.0, "email": 86400.0}, kpis, backlog_block(5, 5, 0.7))
    verdicts = judge(s, table, HALF_HOUR)
    assert [v.channel for v in verdicts] == ["phone", "email"]
    assert worst_channel_sl(verdicts) == pytest.approx(0.85)  # email's deadline share


def test_the_console_headline_gives_each_channel_and_its_verdict_never_a_blend():

    table = pd.concat([intervals("phone", [0.9, 0.7]), intervals("email", [1.0])])
    kpis = {
        "channel=phone": {"service_level": fig(0.85)},
        "queue=phone": {"service_level": fig(0.85)},
        "channel=email": {"service_level": fig(1.0)},
        "queue=email": {"service_level": fig(1.0)},
    }
    s = summary({"phone": 20.0, "email": 86400.0}, kpis, backlog_block(80, 80, 0.7))
    assert headline(judge(s, table, HALF_HOUR)) == (
        "at risk: phone 85.0% at risk, email 100.0% (80 left at the end) at risk"
    )  # one answer per channel (what is left is a figure, not a second verdict)


def test_staffing_search_figure_is_the_most_agents_its_roster_adds_in_the_span():
    table = intervals("chat", [0.9, 0.6, 0.7, 0.9])
    after = table[["channel", "queue", "interval"]].copy()
    after["agents_scheduled"] = [10.0, 12.0, 13.5, 10.0]
    s = summary({"chat": 30.0}, {"queue=chat": {"service_level": fig(0.8)}})
    [span] = judge(s, table, HALF_HOUR, staffing=after)[0].queues[0].spans
    assert span.search_adds == pytest.approx(3.5)
    [plain] = judge(s, table, HALF_HOUR)[0].queues[0].spans
    assert plain.search_adds is None


def test_agents_short_rounds_up_and_is_never_negative():
    rows = pd.DataFrame({"agents_scheduled": [10.5, 12.0], "erlang_c_required": [12.0, 11.0]})
    assert agents_short(rows, "erlang_c_required") == 2  # 1.5 short: two more agents
    assert agents_short(rows.assign(erlang_c_required=5.0), "erlang_c_required") == 0
    assert agents_short(rows, "erlang_a_required") is None


def test_several_days_count_the_intervals_below_target_per_day():
    sl = [0.5, 0.9, 0.6] * 48 + [0.9] * 48  # three days two in three below, a clean fourth
    table = intervals("chat", sl)
    s = summary({"chat": 30.0}, {"queue=chat": {"service_level": fig(0.8)}})
    [chat] = judge(s, table, HALF_HOUR)
    assert chat.queues[0].by_day == [(1, 32, 48), (2, 32, 48), (3, 32, 48), (4, 0, 48)]
    assert chat.queues[0].worst[0].at == "day 1 00:00"


def test_times_name_the_day_in_runs_longer_than_a_day():
    assert when(9 * 3600, 86400) == "09:00"
    assert when(86400 + 9.5 * 3600, 7 * 86400) == "day 2 09:30"
    assert when(86400, 7 * 86400) == "day 1 24:00"


def test_backlog_holds_with_the_share_and_no_growth_that_could_tip_it():
    def backlog(share, growth, if_late):
        figures = {"left": fig(10), "growth": fig(growth), "share_if_late": fig(if_late)}
        return judge_deferred(figures, Figure(share), Targets(), 86400.0)

    assert backlog(0.9, 10, 0.85).met
    assert not backlog(0.9, 10, 0.75).met and backlog(0.9, 10, 0.75).growing
    assert backlog(0.9, 0, 0.75).met
    assert not backlog(0.7, -5, 0.9).met
