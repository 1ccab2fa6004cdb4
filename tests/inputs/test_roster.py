"""The roster (`sim.inputs.roster`): CSV rows (counts, breaks, split shifts, proficiency),
extra agents, shift templates with the break rule and staggering, the skills the contact types
need, and the errors naming the file or template, the field and the line."""

from __future__ import annotations

import warnings

import pytest

from sim.clock import format_clock, parse_clock
from sim.distributions import Exponential
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.inputs.roster import BreakRule, UnusedSkillWarning, check_skills_covered
from sim.model import Agent, Break, ContactType, Shift, Transfer
from sim.paths import PROJECT_ROOT
from tests.conftest import composed
from tests.inputs.configs import with_roster

H = 3600.0


def agents_of(roster: dict) -> tuple[Agent, ...]:
    return build_model(with_roster(roster), PROJECT_ROOT).agents


# --- rows: a CSV file or inline agents --------------------------------------------------------


def test_roster_csv_with_counts_breaks_and_split_shifts(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "agent,group,skills,start,end,breaks,count\n"
        "li_na,senior,calls;email,08:00,12:00,10:00+15,\n"
        "li_na,senior,calls;email,13:00,17:00,,\n"
        "temp,temps,calls,09:00,13:00,,3\n"
    )
    cfg = with_roster({"file": str(path)})
    agents = build_model(cfg, PROJECT_ROOT).agents
    assert [a.name for a in agents] == ["li_na", "temp_001", "temp_002", "temp_003"]
    li_na = agents[0]
    assert li_na.group == "senior" and li_na.skills == {"calls", "email"}
    assert [(s.start_s, s.end_s) for s in li_na.shifts] == [
        (8 * 3600, 12 * 3600),
        (13 * 3600, 17 * 3600),
    ]
    assert li_na.shifts[0].breaks[0].duration_s == 900


@pytest.mark.parametrize(
    "row, field, message",
    [
        ("a,calls,08:00,12:00,13:00+15", "breaks", "outside the shift"),
        ("a,calls,08:00,12:00,10:00", "breaks", "HH:MM+minutes"),
        ("a,,08:00,12:00,", "skills", "required"),
        ("a,calls,8am,12:00,", "start/end", "HH:MM"),
    ],
)
def test_roster_row_errors(tmp_path, row, field, message):
    path = tmp_path / "roster.csv"
    path.write_text(f"agent,skills,start,end,breaks\n{row}\n")
    cfg = with_roster({"file": str(path)})
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.field == field and message in err.value.problem
    assert "line 2" in err.value.problem


def test_extra_agents_copy_the_extra_profile():
    cfg = composed("roster.extra_agents=3", "workforce=none")
    base = build_model(composed("workforce=none"), PROJECT_ROOT).agents
    agents = build_model(cfg, PROJECT_ROOT).agents
    extra = agents[len(base) :]
    assert agents[: len(base)] == base
    assert [a.name for a in extra] == ["extra_temp_001", "extra_temp_002", "extra_temp_003"]
    assert all(a.skills == {"phone_general"} and a.group == "temps" for a in extra)
    cfg["roster"]["extra_agents"] = -1
    with pytest.raises(ConfigError, match="extra_agents"):
        build_model(cfg, PROJECT_ROOT)


def test_roster_proficiency_per_row_and_per_group(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "agent,group,skills,start,end,proficiency\n"
        "novice,new,calls;email,08:00,12:00,1.3\n"
        "senior,old,calls;email,08:00,12:00,calls:0.8;email:1.1\n"
        "helper,borrowed,calls,08:00,12:00,\n"
        "lead,borrowed,calls,08:00,12:00,calls:0.9\n"
    )
    cfg = with_roster({"file": str(path), "proficiency": {"borrowed": 1.5, "old": {"email": 2.0}}})
    agents = {a.name: a for a in build_model(cfg, PROJECT_ROOT).agents}
    assert agents["novice"].speed_on("calls") == agents["novice"].speed_on("email") == 1.3
    assert agents["senior"].speed_on("calls") == 0.8
    assert agents["senior"].speed_on("email") == 1.1  # its own row wins over the group's
    assert agents["helper"].speed_on("calls") == 1.5  # the group's
    assert agents["lead"].speed_on("calls") == 0.9


@pytest.mark.parametrize(
    "value, field, message",
    [
        ("0", "proficiency: line 2", "factor > 0"),
        ("fast", "proficiency: line 2", "factor > 0"),
        ("calls:", "proficiency: line 2", "factor > 0"),
        (":1.2", "proficiency: line 2", "SKILL:FACTOR"),
    ],
)
def test_roster_proficiency_errors(tmp_path, value, field, message):
    path = tmp_path / "roster.csv"
    path.write_text(f"agent,skills,start,end,proficiency\na,calls,08:00,12:00,{value}\n")
    cfg = with_roster({"file": str(path)})
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.field == field and message in err.value.problem


def test_every_needed_skill_is_held_and_unused_ones_are_warned_about():
    calls = ContactType("calls", "phone", "calls", Exponential(180), Exponential(10))
    handed = ContactType(
        "orders", "phone", "calls", Exponential(180), Exponential(10),
        transfer=Transfer("billing", 0.1, Exponential(60)),
    )  # fmt: skip
    agents = (Agent("a", frozenset({"calls", "billing"}), (Shift(0, H),)),)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # neither a warning nor an error
        check_skills_covered((calls, handed), agents, {"file": "team.csv"})
    with pytest.raises(ConfigError) as err:
        check_skills_covered((handed,), agents[:0], {"file": "team.csv"})
    assert (err.value.source, err.value.field) == ("team.csv", "skills")
    assert "'calls' needed by contact type 'orders'" in err.value.problem
    with pytest.raises(ConfigError, match="needed by contact type 'orders \\(transfers\\)'"):
        check_skills_covered((handed,), (Agent("b", frozenset({"calls"}), ()),), {})
    with pytest.warns(UnusedSkillWarning, match="roster: skills: 'billing'"):
        check_skills_covered((calls,), agents, {})


# --- shift templates --------------------------------------------------------------------------


def breaks_text(agent: Agent) -> list[str]:
    return [f"{format_clock(b.start_s)}+{b.duration_s / 60:g}" for b in agent.shifts[0].breaks]


def test_templates_expand_into_numbered_agents_after_the_named_rows(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("agent,group,skills,start,end\nli_na,senior,calls;email,08:00,17:00\n")
    roster = {
        "file": str(path),
        "templates": [
            {"name": "early", "group": "phone_team", "skills": ["calls"], "start": "07:45",
             "hours": 9, "count": 3},
            {"name": "part_time", "group": "temps", "skills": "calls;email", "start": "10:00",
             "end": "14:00", "count": 2, "chats": 2, "proficiency": "calls:1.3",
             "breaks": ["12:00+15"]},
        ],
        "extra_agents": 1,
        "extra": {"agent": "extra", "skills": ["calls"], "start": "09:00", "end": "13:00"},
    }  # fmt: skip
    agents = agents_of(roster)
    assert [a.name for a in agents] == [
        "li_na",
        "early_001",
        "early_002",
        "early_003",
        "part_time_001",
        "part_time_002",
        "extra",
    ]
    early = agents[1]
    assert early.group == "phone_team" and early.skills == {"calls"} and early.max_chats == 1
    assert [(s.start_s, s.end_s) for s in early.shifts] == [(7.75 * H, 16.75 * H)]
    part = agents[4]
    assert part.group == "temps" and part.skills == {"calls", "email"} and part.max_chats == 2
    assert part.speed_on("calls") == 1.3 and part.speed_on("email") == 1.0
    assert (part.shifts[0].start_s, part.shifts[0].end_s) == (10 * H, 14 * H)
    # Explicit breaks: the first agent's as written, the next one 15 minutes later.
    assert breaks_text(agents[4]) == ["12:00+15"] and breaks_text(agents[5]) == ["12:15+15"]


def test_a_roster_of_templates_only_and_hours_equal_to_end():
    by_hours = agents_of(
        {"templates": [{"name": "a", "skills": ["calls"], "start": 8, "hours": 4}]}
    )
    by_end = agents_of({"templates": [{"name": "a", "skills": ["calls"], "start": 8, "end": 12}]})
    assert by_hours == by_end
    assert [a.name for a in by_hours] == ["a_001"] and by_hours[0].group == "agents"
    with pytest.raises(ConfigError) as err:
        agents_of({"break_rule": {"meal_min": 45}})
    assert err.value.field == "file/agents/templates"


def test_group_proficiency_applies_to_template_agents():
    agents = agents_of(
        {
            "templates": [
                {
                    "name": "h",
                    "group": "helpers",
                    "skills": ["calls"],
                    "start": 9,
                    "hours": 4,
                    "count": 2,
                }
            ],
            "proficiency": {"helpers": 1.5},
        }  # fmt: skip
    )
    assert [a.speed_on("calls") for a in agents] == [1.5, 1.5]


# --- the break rule ---------------------------------------------------------------------------


def place(start: str, end: str, k: int = 1, rule: BreakRule | None = None) -> list[str]:
    breaks = (rule or BreakRule()).place(parse_clock(start), parse_clock(end), k)
    return [f"{format_clock(b.start_s)}+{b.duration_s / 60:g}" for b in breaks]


def test_break_rule_places_a_meal_in_the_middle_and_short_breaks_in_each_half():
    # Agent 1 of a template sits at the rule's own place (offset 0 in the -15/0/+15/+30 cycle).
    assert place("08:00", "17:00") == ["10:00+15", "12:15+30", "14:45+15"]
    assert place("08:00", "16:00") == ["09:45+15", "11:45+30", "14:00+15"]
    # Up to 6 hours no meal; the work is still cut into parts of at most 2.5 hours.
    assert place("09:00", "15:00") == ["10:50+15", "12:55+15"]
    assert place("08:00", "12:30") == ["10:10+15"]
    assert place("09:00", "11:30") == []  # 2.5 hours: no break needed


def test_break_rule_is_configurable():
    meal_only = BreakRule(meal_after_h=4, meal_min=45, short_min=0)
    assert place("08:00", "17:00", rule=meal_only) == ["12:10+45"]
    assert place("08:00", "12:00", rule=meal_only) == []
    agents = agents_of(
        {
            "templates": [
                {"name": "a", "skills": ["calls"], "start": "08:00", "end": "17:00", "count": 2}
            ],
            "break_rule": {"meal_after_h": 4, "meal_min": 45, "short_min": 0, "stagger_min": 0},
        }  # fmt: skip
    )
    assert [breaks_text(a) for a in agents] == [["12:10+45"], ["12:10+45"]]


@pytest.mark.parametrize("hours", [2.0, 2.6, 3.5, 4.0, 4.5, 5.0, 6.0, 6.5, 8.0, 9.0, 10.0, 12.0])
def test_rule_breaks_fit_the_shift_and_leave_no_long_stretch_of_work(hours):
    rule = BreakRule()
    start, end = 7.75 * H, 7.75 * H + hours * H
    for k in range(8):
        breaks = rule.place(start, end, k)
        edges = [start]
        for b in breaks:
            assert start <= b.start_s and b.start_s + b.duration_s <= end
            assert b.start_s >= edges[-1]  # in order, no overlap
            edges += [b.start_s, b.start_s + b.duration_s]
            assert b.start_s % 300 == 0  # on the 5-minute grid
        edges.append(end)
        stretches = [edges[i + 1] - edges[i] for i in range(0, len(edges), 2)]
        assert max(stretches) <= rule.short_every_h * H + 300  # within the rounding
        meals = [b for b in breaks if b.duration_s == 30 * 60]
        assert len(meals) == (1 if hours > 6 else 0)


def test_a_templates_agents_are_staggered_in_a_cycle():
    agents = agents_of(
        {
            "templates": [
                {"name": "day", "skills": ["calls"], "start": "08:00", "end": "17:00", "count": 5}
            ]
        }  # fmt: skip
    )
    meals = [next(b for b in a.shifts[0].breaks if b.duration_s == 1800) for a in agents]
    assert [format_clock(m.start_s) for m in meals] == ["12:00", "12:15", "12:30", "12:45", "12:00"]
    # Each agent's breaks move together: the same shape, 15 minutes apart.
    assert breaks_text(agents[0]) == ["09:45+15", "12:00+30", "14:30+15"]
    assert breaks_text(agents[3]) == ["10:30+15", "12:45+30", "15:15+15"]
    # With no room (a 5-hour shift, the work before and after its break at most 2.5 h) the
    # stagger shrinks rather than break the rule.
    assert place("17:00", "22:00", k=0) == ["19:15+15"] and place("17:00", "22:00", k=3) == [
        "19:30+15"
    ]
    none = agents_of(
        {
            "templates": [
                {"name": "day", "skills": ["calls"], "start": "08:00", "end": "17:00", "count": 3}
            ],
            "break_rule": {"stagger_min": 0},
        }  # fmt: skip
    )
    assert len({tuple(a.shifts[0].breaks) for a in none}) == 1


def test_explicit_breaks_none_and_empty():
    for breaks in ([], "none"):
        (agent,) = agents_of(
            {
                "templates": [
                    {"name": "a", "skills": ["calls"], "start": 8, "hours": 9, "breaks": breaks}
                ]
            }  # fmt: skip
        )
        assert agent.shifts[0].breaks == ()


def test_spring_festival_eve_temps_template_reproduces_the_former_csv_rows():
    agents = build_model(composed("scenario=spring_festival_eve"), PROJECT_ROOT).agents
    temps = [a for a in agents if a.group == "temps"]
    assert [a.name for a in temps] == ["temps_001", "temps_002", "temps_003"]
    assert agents[-3:] == tuple(temps)
    for agent, clock in zip(temps, ["11:15", "11:30", "11:45"], strict=True):
        assert agent.skills == {"chat"} and agent.max_chats == 1
        (shift,) = agent.shifts
        assert (shift.start_s, shift.end_s) == (9 * H, 14 * H)
        assert shift.breaks == (Break(parse_clock(clock), 900.0),)


# --- errors -----------------------------------------------------------------------------------

BASE = {"name": "t", "skills": ["calls"], "start": "09:00", "end": "13:00"}
DROP = object()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"shift": "early"}, "shift", "unknown key"),
        ({"start": DROP}, "start", "required"),
        ({"skills": []}, "skills", "at least one skill"),
        ({"name": ""}, "name", "required"),
        ({"start": "9am"}, "start", "HH:MM"),
        ({"end": "08:00"}, "end", "before it starts"),
        ({"end": "25:xx"}, "end", "HH:MM"),
        ({"end": DROP, "hours": 0}, "hours", "> 0 and <= 24"),
        ({"end": DROP, "hours": 25}, "hours", "> 0 and <= 24"),
        ({"end": DROP, "hours": "long"}, "hours", "> 0 and <= 24"),
        ({"hours": 4}, "end/hours", "`end` or its length in `hours`"),
        ({"count": 0}, "count", "whole number >= 1"),
        ({"count": 2.5}, "count", "whole number >= 1"),
        ({"count": "a few"}, "count", "whole number >= 1"),
        ({"count": True}, "count", "whole number >= 1"),
        ({"chats": 0}, "chats", "whole number >= 1"),
        ({"proficiency": -1}, "proficiency", "factor > 0"),
        ({"breaks": ["14:00+15"]}, "breaks", "outside the shift"),
        ({"breaks": ["noon"]}, "breaks", "HH:MM+minutes"),
        ({"breaks": ["12:40+15"], "count": 3}, "breaks", "staggered"),
    ],
)
def test_template_errors_name_the_template_and_the_field(change, field, message):
    template = {k: v for k, v in {**BASE, **change}.items() if v is not DROP}
    roster = {"agents": [{"agent": "li_na", "skills": "calls", "start": 8, "end": 12}],
              "templates": [{**BASE, "name": "ok"}, template]}  # fmt: skip
    with pytest.raises(ConfigError) as err:
        agents_of(roster)
    assert err.value.source == "roster.templates[1]"
    assert err.value.field == field and message in err.value.problem, err.value


def test_template_names_must_not_clash():
    roster = {"agents": [{"agent": "t_001", "skills": "calls", "start": 8, "end": 12}],
              "templates": [BASE]}  # fmt: skip
    with pytest.raises(ConfigError) as err:
        agents_of(roster)
    assert (err.value.source, err.value.field) == ("roster.templates[0]", "name")
    assert "'t_001' is already in the roster" in err.value.problem
    with pytest.raises(ConfigError, match="already in the roster"):
        agents_of({"templates": [BASE, {**BASE, "count": 2}]})
    extra = {"agent": "t", "count": 1, "skills": ["calls"], "start": 8, "end": 12}
    with pytest.raises(ConfigError, match="already in the roster"):
        agents_of({"templates": [BASE], "extra_agents": 1, "extra": {**extra, "agent": "t_001"}})


@pytest.mark.parametrize(
    "rule, field, message",
    [
        ({"lunch_min": 30}, "lunch_min", "unknown key"),
        ({"meal_min": -5}, "meal_min", ">= 0"),
        ({"short_every_h": 0}, "short_every_h", ">= 0.25"),
        ({"stagger_min": "often"}, "stagger_min", ">= 0"),
        ({"stagger_slots": 0}, "stagger_slots", "whole number >= 1"),
    ],
)
def test_break_rule_errors(rule, field, message):
    with pytest.raises(ConfigError) as err:
        agents_of({"templates": [BASE], "break_rule": rule})
    assert err.value.source == "roster.break_rule"
    assert err.value.field == field and message in err.value.problem
    with pytest.raises(ConfigError) as err:
        agents_of({"agents": [{"agent": "a", "skills": "calls", "start": 8, "end": 12}],
                   "break_rule": rule})  # fmt: skip
    assert err.value.field == field  # checked even without templates
