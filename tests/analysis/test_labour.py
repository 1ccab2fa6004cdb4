"""Labour rules (`sim.analysis.labour`): each rule on hand-made rosters (one passing, one
failing, with the message), the realised check on hand-made agents tables (overtime, a lapsed
break, a rest cut short), strict mode's error and summary.json's section."""

from __future__ import annotations

import functools
from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest

from sim.analysis.labour import (
    RULES,
    check_planned,
    check_realised,
    enforce_strict,
    summary_section,
)
from sim.clock import parse_clock
from sim.errors import ConfigError
from sim.model import Agent, Break, Demand, LabourRules, Model, Shift

DEFAULTS = LabourRules()


def shift(start: str, end: str, *breaks: str) -> Shift:
    """A shift from clock times, breaks written as in the roster CSV ('12:00+30')."""
    parsed = []
    for text in breaks:
        clock, _, minutes = text.partition("+")
        parsed.append(Break(parse_clock(clock), float(minutes) * 60))
    return Shift(parse_clock(start), parse_clock(end), tuple(parsed))


def model_of(*shifts: Shift, hours: float = 24) -> Model:
    agent = Agent("ann", frozenset({"calls"}), tuple(shifts), group="team")
    demand = Demand(interval_s=1800, volumes=np.zeros((0, int(hours * 2))))
    return Model("hand", (), (), (), demand, (agent,))


def planned(*shifts: Shift, rules: LabourRules = DEFAULTS) -> list[tuple[str, str]]:
    return [(v.rule, v.detail) for v in check_planned(model_of(*shifts), rules)]


def days(n: int, start: str, end: str, *breaks: str, first: int = 0) -> list[Shift]:
    """The same shift on n consecutive days from day `first` (0: the first day)."""
    one = shift(start, end, *breaks)
    return [
        Shift(
            one.start_s + 86400 * d,
            one.end_s + 86400 * d,
            tuple(Break(b.start_s + 86400 * d, b.duration_s) for b in one.breaks),
        )
        for d in range(first, first + n)
    ]


# --- each rule on the plan: one roster that passes, one that fails ------------------------------

PASSING = {
    "max_shift": [shift("08:00", "18:00", "12:00+30", "15:00+15")],  # exactly 10 h
    "break_in_shift": [shift("09:00", "17:00", "13:00+30")],
    "work_without_break": [shift("08:00", "17:00", "12:00+30", "14:30+15")],
    "min_rest": [shift("13:00", "22:00", "17:00+30"), shift("33:00", "42:00", "37:00+30")],
    "max_week": days(5, "08:00", "17:00", "12:00+30"),  # 45 h
}
FAILING = {
    "max_shift": (
        [shift("08:00", "19:30", "12:00+30", "15:30+15")],
        "shift 08:00-19:30 is 11.5 h, longest allowed 10 h",
    ),
    "break_in_shift": (
        [shift("09:00", "17:00", "11:00+15", "14:00+15")],
        "shift 09:00-17:00 is 8 h with no break of 30 min or more (longest 15 min); "
        "a shift over 6 h needs one",
    ),
    "work_without_break": (
        [shift("08:00", "17:00", "08:30+30", "16:00+15")],
        "shift 08:00-17:00: 7 h of work 09:00-16:00 without a break of 15 min or more, "
        "longest allowed 5 h",
    ),
    "min_rest": (
        [shift("13:00", "22:00", "17:00+30"), shift("31:00", "40:00", "35:00+30")],
        "rest 22:00-31:00 between shifts is 9 h, shortest allowed 11 h",
    ),
    "max_week": (
        days(6, "08:00", "17:00", "12:00+30"),
        "54 h of shifts in the 7 days from 08:00, longest week allowed 48 h",
    ),
}


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_passes_a_roster_that_keeps_it(rule):
    assert planned(*PASSING[rule]) == []


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_fails_a_roster_that_breaks_it(rule):
    shifts, message = FAILING[rule]
    found = check_planned(model_of(*shifts), DEFAULTS)
    assert [(v.rule, v.detail) for v in found] == [(rule, message)]
    (v,) = found
    assert (v.agent, v.group, v.when, v.occurrences) == ("ann", "team", "planned", 1)
    assert v.to_dict() == {
        "agent": "ann",
        "group": "team",
        "rule": rule,
        "when": "planned",
        "detail": message,
        "occurrences": 1,
    }


def test_a_short_pause_does_not_interrupt_work():
    """A 10-minute pause is shorter than shortest_break_min (15), so 6 h count as one stretch;
    a 6-hour shift needs no 30-minute break (only shifts over 6 h do)."""
    assert planned(shift("08:00", "14:00", "11:00+10")) == [
        (
            "work_without_break",
            "shift 08:00-14:00: 6 h of work 08:00-14:00 without a break of 15 min or more, "
            "longest allowed 5 h",
        )
    ]
    assert planned(shift("08:00", "14:00", "11:00+15")) == []


def test_the_week_is_any_seven_consecutive_days():
    """Four days on, one off, four on: 8 shifts of 8.5 h (68 h in 9 days), but the busiest
    7 days hold six of them: 51 h."""
    shifts = days(4, "08:00", "16:30", "12:00+30") + days(4, "08:00", "16:30", "12:00+30", first=5)
    assert planned(*shifts) == [
        ("max_week", "51 h of shifts in the 7 days from 08:00, longest week allowed 48 h")
    ]
    assert planned(*shifts, rules=LabourRules(max_week_h=51)) == []


def test_repeated_breaches_are_one_violation_with_the_worst_case():
    shifts = [
        shift("08:00", "19:00", "12:00+30", "15:30+15"),
        shift("32:00", "44:00", "36:00+30", "39:30+15", "42:00+15"),
    ]
    (v,) = check_planned(model_of(*shifts), LabourRules(min_rest_h=None))
    assert v.rule == "max_shift" and v.occurrences == 2
    assert v.detail == "shift 32:00-44:00 is 12 h, longest allowed 10 h (the worst of 2)"


def test_a_null_limit_is_not_checked():
    shifts, _ = FAILING["max_shift"]
    assert planned(*shifts, rules=LabourRules(max_shift_h=None)) == []


# --- the tolerance: a breach goes past the limit by more than labour.tolerance_min ----------------


def at(clock: str, later_s: float = 0.0, day: int = 0) -> float:
    return parse_clock(clock) + later_s + 86400 * day


def breaks(*given: tuple[str, float], day: int = 0) -> tuple[Break, ...]:
    """Breaks ('12:00', minutes) on day `day`."""
    return tuple(Break(at(clock, day=day), minutes * 60) for clock, minutes in given)


def _past_the_limit(rule: str, over_s: float) -> list[Shift]:
    """A roster that keeps every rule but `rule`, which it goes past by `over_s` seconds."""
    if rule == "max_shift":  # 10 h + over
        return [Shift(at("08:00"), at("18:00", over_s), breaks(("12:00", 30), ("15:00", 15)))]
    if rule == "break_in_shift":  # 6 h + over with only a 15-minute break
        return [Shift(at("08:00"), at("14:00", over_s), breaks(("11:00", 15)))]
    if rule == "work_without_break":  # 5 h + over before the lunch break
        lunch = Break(at("13:00", over_s), 1800)
        return [Shift(at("08:00"), at("17:00"), (lunch, *breaks(("15:30", 15))))]
    if rule == "min_rest":  # 11 h - over between the two shifts
        return [
            Shift(at("13:00"), at("22:00"), breaks(("17:00", 30))),
            Shift(at("09:00", -over_s, day=1), at("18:00", day=1), breaks(("13:00", 30), day=1)),
        ]
    assert rule == "max_week"  # six 8-hour shifts in 7 days (48 h), the last one longer
    *week, last = days(6, "08:00", "16:00", "12:00+30")
    return [*week, Shift(last.start_s, last.end_s + over_s, last.breaks)]


@pytest.mark.parametrize("rule", list(RULES))
def test_a_breach_goes_past_the_limit_by_more_than_the_tolerance(rule):
    """30 s past the limit is within the default minute; 2 min past is a breach; with
    tolerance 0 (today's checks before the tolerance) 30 s is one too, the limit itself not."""
    exact = LabourRules(tolerance_min=0)
    assert planned(*_past_the_limit(rule, 0), rules=exact) == []
    assert planned(*_past_the_limit(rule, 30)) == []
    assert [r for r, _ in planned(*_past_the_limit(rule, 120))] == [rule]
    assert [r for r, _ in planned(*_past_the_limit(rule, 30), rules=exact)] == [rule]
    assert planned(*_past_the_limit(rule, 150), rules=LabourRules(tolerance_min=2.5)) == []


def _a_break_short(rule: str, short_s: float) -> list[Shift]:
    """A break `short_s` seconds shorter than the one `rule` asks for."""
    if rule == "break_in_shift":  # a 9-hour shift needs a break of 30 min
        lunch = Break(at("12:00"), 1800 - short_s)
        return [Shift(at("08:00"), at("17:00"), (lunch, *breaks(("15:00", 15))))]
    assert rule == "work_without_break"  # only a break of 15 min or more ends a stretch of work
    return [Shift(at("08:00"), at("14:00"), (Break(at("11:00"), 900 - short_s),))]


@pytest.mark.parametrize("rule", ["break_in_shift", "work_without_break"])
def test_a_break_short_by_less_than_the_tolerance_counts(rule):
    """29:30 is a 30-minute break, 14:30 a 15-minute one; 2 minutes short, they are not."""
    roster = functools.partial(_a_break_short, rule)
    assert planned(*roster(30)) == []
    assert [r for r, _ in planned(*roster(120))] == [rule]
    assert [r for r, _ in planned(*roster(30), rules=LabourRules(tolerance_min=0))] == [rule]


def test_a_break_a_second_late_is_no_violation():
    """The review's case: the lunch break taken at 13:00:01 made "5.0003 h of work"; within the
    minute's tolerance it is not listed, with tolerance 0 it is."""
    model = model_of(shift("08:00", "17:00", "12:30+30", "15:30+15"))
    table = frame(
        (0, "break", "13:00:01", "13:30:01"),
        (0, "break", "15:30", "15:45"),
        (0, "shift", "08:00", "17:00", "17:00"),
    )
    assert realised(model, table, reps=1) == []
    assert realised(model, table, LabourRules(tolerance_min=0), reps=1) == [
        (
            "work_without_break",
            "shift 08:00-17:00: 5.0003 h of work 08:00-13:00:01 without a break of 15 min or "
            "more, longest allowed 5 h; in 1 of 1 days",
            1,
        )
    ]


# --- times in the details: clock times on one day, day and clock time on several -------------


def test_a_multi_day_run_writes_the_day_and_the_clock_time():
    """Day 6 of a week: 'day 6 07:45-16:45', not 'shift 127:45-136:45'."""
    late_lunch = Shift(at("07:45", day=5), at("16:45", day=5), (Break(at("15:00", day=5), 1800),))
    (v,) = check_planned(model_of(late_lunch, hours=7 * 24), DEFAULTS)
    assert v.detail == (
        "shift day 6 07:45-16:45: 7.25 h of work 07:45-15:00 without a break of 15 min or more, "
        "longest allowed 5 h"
    )


def test_a_multi_day_run_writes_a_shift_across_midnight_with_both_days():
    night = Shift(at("22:00", day=5), at("06:00", day=6))
    evening = Shift(at("16:00", day=6), at("00:00", day=7))  # ends at midnight: day 7's 24:00
    found = check_planned(model_of(night, hours=7 * 24), LabourRules(min_rest_h=None))
    assert [v.detail for v in found] == [
        "shift day 6 22:00 - day 7 06:00 is 8 h with no break of 30 min or more; "
        "a shift over 6 h needs one",
        "shift day 6 22:00 - day 7 06:00: 8 h of work 22:00 - day 7 06:00 without a break of "
        "15 min or more, longest allowed 5 h",
    ]
    found = check_planned(model_of(evening, hours=8 * 24), DEFAULTS)
    assert found[0].detail.startswith("shift day 7 16:00-24:00 is 8 h")


def test_a_multi_day_run_writes_overtime_into_the_next_day_with_its_day():
    planned_breaks = breaks(("12:00", 30), ("15:00", 15), day=1)
    model = model_of(Shift(at("08:00", day=1), at("17:30", day=1), planned_breaks), hours=48)
    rows = [
        {
            "kind": "shift",
            "start_s": at("08:00", day=1),
            "end_s": at("00:20", day=2),
            "planned_end_s": at("17:30", day=1),
        },
        *(
            {"kind": "break", "start_s": b.start_s, "end_s": b.start_s + b.duration_s}
            for b in planned_breaks
        ),
    ]
    table = pd.DataFrame(rows).assign(replication=0, agent="ann", group="team")
    (v,) = check_realised(model, table, LabourRules(max_work_without_break_h=None), 1)
    assert v.detail == (
        "shift day 2 08:00-17:30 (worked until day 3 00:20) is 16.33 h, longest allowed 10 h; "
        "in 1 of 1 replications"
    )


def test_a_one_day_run_keeps_plain_clock_times():
    late_lunch = Shift(at("07:45"), at("16:45"), (Break(at("15:00"), 1800),))
    (v,) = check_planned(model_of(late_lunch, hours=24), DEFAULTS)
    assert v.detail.startswith("shift 07:45-16:45: 7.25 h of work 07:45-15:00 ")


# --- the realised day, on hand-made agents tables -----------------------------------------------


def frame(*rows: tuple) -> pd.DataFrame:
    """Agents-table rows (replication, kind, start, end[, planned end]) of agent ann."""
    records = []
    for replication, kind, start, end, *planned_end in rows:
        records.append(
            {
                "replication": replication,
                "agent": "ann",
                "group": "team",
                "kind": kind,
                "start_s": parse_clock(start),
                "end_s": parse_clock(end),
                "planned_end_s": parse_clock(planned_end[0]) if planned_end else np.nan,
            }
        )
    return pd.DataFrame.from_records(records)


def realised(model: Model, table: pd.DataFrame, rules: LabourRules = DEFAULTS, reps: int = 3):
    return [(v.rule, v.detail, v.replications) for v in check_realised(model, table, rules, reps)]


def test_overtime_stretches_a_shift_past_the_longest():
    """A 9.5-hour shift is fine as planned; 40 and 50 minutes' overtime make it 10.17 and
    10.33 h in two of three days (the worst is shown), 15 minutes' keeps it at 9.75 h."""
    model = model_of(shift("08:00", "17:30", "12:00+30", "15:00+15"))
    assert check_planned(model, DEFAULTS) == []
    breaks = [("12:00", "12:30"), ("15:00", "15:15")]
    table = frame(
        *[(r, "break", a, b) for r in range(3) for a, b in breaks],
        (0, "shift", "08:00", "18:10", "17:30"),
        (1, "shift", "08:00", "17:45", "17:30"),
        (2, "shift", "08:00", "18:20", "17:30"),
    )
    assert realised(model, table) == [
        (
            "max_shift",
            "shift 08:00-17:30 (worked until 18:20) is 10.33 h, longest allowed 10 h; "
            "in 2 of 3 days",
            2,
        )
    ]
    (v,) = check_realised(model, table, DEFAULTS, 3)
    assert v.to_dict()["replications"] == 2 and v.to_dict()["when"] == "realised"


def test_a_lapsed_break_grows_work_without_a_break():
    """The 13:00 lunch lapsed (the agent was busy): 10:45-17:00 without a break, and a 9-hour
    shift with no 30-minute break."""
    model = model_of(shift("08:00", "17:00", "10:30+15", "13:00+30"))
    assert check_planned(model, DEFAULTS) == []
    table = frame(
        (0, "break", "10:30", "10:45"),
        (0, "break", "13:00", "13:30"),
        (0, "shift", "08:00", "17:00", "17:00"),
        (1, "break", "10:30", "10:45"),
        (1, "shift", "08:00", "17:00", "17:00"),
    )
    assert realised(model, table, reps=2) == [
        (
            "break_in_shift",
            "shift 08:00-17:00 is 9 h with no break of 30 min or more (longest 15 min); a shift "
            "over 6 h needs one; 1 of 2 planned breaks not taken; in 1 of 2 days",
            1,
        ),
        (
            "work_without_break",
            "shift 08:00-17:00: 6.25 h of work 10:45-17:00 without a break of 15 min or more, "
            "longest allowed 5 h; 1 of 2 planned breaks not taken; in 1 of 2 days",
            1,
        ),
    ]


def test_a_late_break_grows_work_without_a_break():
    """Planned at 12:30 (4.5 h in), taken at 13:10:12 (5.17 h in)."""
    model = model_of(shift("08:00", "17:00", "12:30+30", "15:30+15"))
    table = frame(
        (0, "break", "13:10:12", "13:40:12"),
        (0, "break", "15:40", "15:55"),
        (0, "shift", "08:00", "17:00", "17:00"),
    )
    assert realised(model, table, reps=1) == [
        (
            "work_without_break",
            "shift 08:00-17:00: 5.17 h of work 08:00-13:10:12 without a break of 15 min or more, "
            "longest allowed 5 h; in 1 of 1 days",
            1,
        )
    ]


def test_overtime_cuts_the_rest_before_the_next_shift():
    model = model_of(
        shift("13:00", "22:00", "17:00+30"), shift("33:00", "42:00", "37:00+30"), hours=48
    )
    assert check_planned(model, DEFAULTS) == []  # exactly 11 h of rest
    table = frame(
        (0, "break", "17:00", "17:30"),
        (0, "break", "37:00", "37:30"),
        (0, "shift", "13:00", "22:30", "22:00"),
        (0, "shift", "33:00", "42:00", "42:00"),
    )
    assert realised(model, table, reps=2) == [
        (
            "min_rest",
            "rest day 1 22:30 - day 2 09:00 between shifts is 10.5 h, shortest allowed 11 h; the "
            "shift before was to end at 22:00; in 1 of 2 replications",
            1,
        )
    ]


def test_working_straight_into_the_next_shift_leaves_no_rest():
    """The engine keeps an agent still busy at the next shift's start logged in: one session
    over both shifts. It is cut at the second shift's start, so the rest shows as 0 h."""
    model = model_of(shift("08:00", "12:00"), shift("12:10", "16:00"))
    rules = LabourRules(min_rest_h=0.1)  # 10 minutes' rest planned: fine
    assert check_planned(model, rules) == []
    table = frame((0, "shift", "08:00", "16:00", "16:00"))
    assert realised(model, table, rules, reps=1) == [
        (
            "min_rest",
            "rest 12:10-12:10 between shifts is 0 h, shortest allowed 0.1 h; the shift before "
            "was to end at 12:00; in 1 of 1 days",
            1,
        )
    ]


def test_overtime_past_the_longest_week():
    """Five 9.5-hour shifts are 47.5 h; 30 minutes' overtime on two (10 h each: the longest
    shift allowed) makes the week 48.5 h."""
    shifts = days(5, "08:00", "17:30", "12:00+30", "15:00+15")
    model = model_of(*shifts, hours=7 * 24)
    assert check_planned(model, DEFAULTS) == []
    rows = []
    for k, s in enumerate(shifts):
        end = s.end_s + (1800 if k in (1, 3) else 0)
        rows.append({"kind": "shift", "start_s": s.start_s, "end_s": end, "planned_end_s": s.end_s})
        for b in s.breaks:
            rows.append({"kind": "break", "start_s": b.start_s, "end_s": b.start_s + b.duration_s})
    table = pd.DataFrame(rows).assign(replication=0, agent="ann", group="team")
    assert realised(model, table, reps=1) == [
        (
            "max_week",
            "48.5 h of shifts in the 7 days from day 1 08:00, longest week allowed 48 h; "
            "in 1 of 1 replications",
            1,
        )
    ]


def test_a_planned_breach_is_not_repeated_as_realised():
    """The plan already breaks the longest shift; overtime on it adds no realised row."""
    model = model_of(shift("08:00", "19:30", "12:00+30", "15:30+15"))
    assert [v.rule for v in check_planned(model, DEFAULTS)] == ["max_shift"]
    table = frame(
        (0, "break", "12:00", "12:30"),
        (0, "break", "15:30", "15:45"),
        (0, "shift", "08:00", "20:00", "19:30"),
    )
    assert realised(model, table, reps=1) == []


# --- strict mode and the summary ---------------------------------------------------------------


def test_strict_names_the_first_violation_and_counts_the_rest():
    shifts, detail = FAILING["max_shift"]
    found = check_planned(
        model_of(*shifts, *days(6, "08:00", "17:00", "12:00+30", first=1)), DEFAULTS
    )
    assert [v.rule for v in found] == ["max_shift", "max_week"]
    with pytest.raises(ConfigError) as err:
        enforce_strict(found, "roster.csv")
    assert err.value.source == "roster.csv" and err.value.field == "labour.max_shift_h"
    assert err.value.problem.startswith(
        f"agent ann (team): {detail}; 1 more labour-rule violation "
    )
    enforce_strict([], "roster.csv")  # nothing broken: nothing raised


def test_summary_section_lists_the_rules_and_violations():
    shifts, _ = FAILING["max_shift"]
    found = check_planned(model_of(*shifts), DEFAULTS)
    section = summary_section(DEFAULTS, found, [])
    assert section["rules"] == asdict(DEFAULTS) and section["realised"] == []
    assert [v["rule"] for v in section["planned"]] == ["max_shift"]
    assert section["planned"][0] == found[0].to_dict()
