"""Inputs that used to be accepted silently or to crash with a traceback: each now ends in a
ConfigError naming where the value lives, the field and what is allowed."""

from __future__ import annotations

import pytest

from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.conftest import composed


def erlang_cfg(*overrides: str) -> dict:
    return composed("scenario=erlang", "scenario.hours=4", *overrides)


def refused(cfg: dict, *expected: str) -> str:
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    message = str(err.value)
    for text in expected:
        assert text in message, message
    return message


@pytest.mark.parametrize(
    "override, expected",
    [
        ("scenario.segments.vip.priority=1.5", "scenario.segments.vip: priority"),
        (
            "+scenario.retrials.phone={delay: 60, max_retries: 2.5}",
            "scenario.retrials.phone: max_retries",
        ),
    ],
)
def test_fractional_counts_refused(override, expected):
    refused(erlang_cfg(override), expected, "whole number", "2.5" if "2.5" in override else "1.5")


def test_whole_counts_written_as_floats_accepted():
    model = build_model(erlang_cfg("scenario.segments.vip.priority=2.0"), PROJECT_ROOT)
    assert [s.priority for s in model.segments] == [2, 0]


def test_zero_handle_time_refused():
    cfg = erlang_cfg("scenario.contact_types.calls.handle={dist: deterministic, mean: 0}")
    refused(cfg, "scenario.contact_types.calls", "handle", "greater than 0")


def test_zero_wrapup_accepted():
    cfg = erlang_cfg("+scenario.contact_types.calls.wrapup={dist: deterministic, mean: 0}")
    assert build_model(cfg, PROJECT_ROOT).contact_types[0].wrapup.mean == 0


@pytest.mark.parametrize("text", ["", "seconds\n"])
def test_empty_empirical_sample_file(tmp_path, text):
    path = tmp_path / "handle_sample.csv"
    path.write_text(text)
    cfg = erlang_cfg(f"scenario.contact_types.calls.handle={{dist: empirical, file: '{path}'}}")
    refused(cfg, "handle_sample.csv")


def test_unquoted_clock_time_refused_for_channel_hours():
    cfg = erlang_cfg()
    # What YAML makes of `close: 12:00` without quotes: the base-60 integer 720.
    cfg["scenario"]["channels"]["phone"] = {"open": "08:00", "close": 720}
    refused(cfg, "scenario.channels.phone: close", 'write "12:00" in quotes')


def test_yaml_reads_unquoted_clock_times_as_base_60():
    from omegaconf import OmegaConf

    read = OmegaConf.create("open: 07:00\nclose: 12:00\n")
    assert read["open"] == "07:00" and read["close"] == 720


def test_parse_clock_numbers_only_where_allowed():
    from sim.clock import parse_clock

    assert parse_clock(2) == 7200
    with pytest.raises(ValueError, match='write "09:30" in quotes'):
        parse_clock(570, numbers=False)


def roster_cfg(tmp_path, text: str) -> dict:
    path = tmp_path / "roster.csv"
    path.write_text(text)
    cfg = erlang_cfg()
    cfg["roster"] = {"file": str(path)}
    return cfg


HEADER = "agent,group,skills,start,end,breaks\n"


def test_shift_longer_than_24_hours(tmp_path):
    cfg = roster_cfg(tmp_path, HEADER + "wang_fang,team,calls,08:00,33:00,\n")
    refused(cfg, "roster.csv", "end", "line 2", "longer than 24 hours")


@pytest.mark.parametrize("start, end", [("08:00", 1020), (600, 1080)])
def test_unquoted_yaml_shift_times_hint_at_quotes(start, end):
    # `start: 08:00, end: 17:00` unquoted: YAML keeps 08:00 as text but makes 17:00 1020.
    cfg = erlang_cfg()
    cfg["roster"] = {"agents": [{"agent": "li", "skills": ["calls"], "start": start, "end": end}]}
    refused(cfg, "roster", "end", "longer than 24 hours", "in quotes")


def test_textbook_roster_on_duty_for_a_long_horizon():
    # The erlang roster: plain numbers of hours from 0 to the horizon's end, which may pass 24.
    model = build_model(erlang_cfg("scenario.hours=100"), PROJECT_ROOT)
    assert model.agents[0].shifts[0].end_s == 100 * 3600


def test_overlapping_breaks(tmp_path):
    cfg = roster_cfg(tmp_path, HEADER + "wang_fang,team,calls,08:00,17:00,12:00+30;12:15+15\n")
    refused(cfg, "roster.csv", "breaks", "line 2", "breaks overlap", "12:00+30", "12:15+15")


def test_overlapping_template_breaks():
    cfg = erlang_cfg()
    template = {"name": "t", "skills": ["calls"], "start": "08:00", "hours": 8}
    cfg["roster"] = {"templates": [{**template, "breaks": ["12:00+30", "12:20+15"]}]}
    refused(cfg, "roster.templates[0]", "breaks", "breaks overlap")


def test_agent_in_two_groups(tmp_path):
    cfg = roster_cfg(
        tmp_path,
        HEADER
        + "wang_fang,phone_team,calls,00:00,04:00,\nwang_fang,chat_team,calls,05:00,08:00,\n",
    )
    refused(cfg, "roster.csv", "group", "line 3", "'wang_fang'", "'chat_team'", "'phone_team'")


def test_unused_roster_skill_warns(tmp_path):
    from sim.inputs.roster import UnusedSkillWarning

    cfg = roster_cfg(tmp_path, HEADER + "wang_fang,team,calls;biling,00:00,08:00,\n")
    with pytest.warns(UnusedSkillWarning, match="'biling'.*no contact type"):
        build_model(cfg, PROJECT_ROOT)


def test_unknown_top_level_key_refused():
    refused(erlang_cfg("+replicatons=3"), "config: replicatons", "unknown key", "replications")


@pytest.mark.parametrize(
    "override, expected",
    [
        ("scenario.rate_per_hour=inf", "finite"),
        ("scenario.rate_per_hour=1e12", "4,000,000,000,000 contacts expected per replication"),
        ("scenario.hours=1e6", "scenario: hours: must be at most 8784"),
        ("scenario.agents=10000000", "10,000,000 agents; at most 200,000"),
        ("+roster.extra_agents=10000000", "roster: extra_agents: 10,000,000 agents"),
    ],
)
def test_absurd_sizes_refused(override, expected):
    refused(erlang_cfg(override), expected)


def test_absurd_forecast_file_volume(tmp_path):
    path = tmp_path / "forecast.csv"
    path.write_text("start,calls\n00:00,1e15\n00:30,10\n")
    cfg = erlang_cfg()
    cfg["scenario"]["forecast"] = {"file": str(path)}
    refused(cfg, "contacts expected per replication", "50,000,000")
