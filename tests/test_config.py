"""Building the model from configs: forecast and roster forms, and the checks on them."""

from __future__ import annotations

import numpy as np
import pytest

from sim.clock import format_clock, parse_clock
from sim.distributions import Exponential, Lognormal
from sim.engine import check
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.conftest import composed


def erlang_cfg(**scenario) -> dict:
    cfg = composed("scenario=erlang", "scenario.hours=4")
    cfg["scenario"].update(scenario)
    return cfg


def test_erlang_scenario_builds_the_textbook_model():
    model = build_model(
        composed("scenario=erlang", "scenario.agents=9", "scenario.patience_s=60"), PROJECT_ROOT
    )
    assert len(model.agents) == 9 and model.agents[0].shifts[0].end_s == 8 * 3600
    assert model.contact_types[0].handle == Exponential(180.0)
    assert model.patience[("phone", "regular")] == Exponential(60.0)
    # 200 per hour in 30-minute intervals is 100 per interval.
    assert np.allclose(model.demand.volumes, 100.0) and model.demand.n_intervals == 16


def test_clock_round_trip():
    assert parse_clock("08:30") == 8.5 * 3600
    assert parse_clock("25:15") == 25.25 * 3600
    assert parse_clock(2) == 7200
    assert format_clock(parse_clock("23:45")) == "23:45"
    with pytest.raises(ValueError, match="HH:MM"):
        parse_clock("8h30")


def test_forecast_csv_places_rows_on_the_grid(tmp_path):
    path = tmp_path / "forecast.csv"
    path.write_text("start,calls\n08:00,10\n08:30,20.5\n")
    cfg = erlang_cfg(forecast={"file": str(path)}, hours=None)
    volumes = build_model(cfg, PROJECT_ROOT).demand.volumes
    # The horizon runs from 00:00 to the table's last interval; earlier intervals are empty.
    assert volumes.shape == (1, 18)
    assert volumes[0].tolist() == [0.0] * 16 + [10.0, 20.5]
    cfg["scenario"]["hours"] = 8
    with pytest.raises(ConfigError, match="past the 8-hour horizon"):
        build_model(cfg, PROJECT_ROOT)


@pytest.mark.parametrize(
    "text, field, message",
    [
        ("start,calls,billing\n00:00,1,2\n", "billing", "not a contact type"),
        ("start\n00:00\n", "calls", "missing column"),
        ("start,calls\n00:00,1\n01:00,1\n", "start", "consecutive"),
        ("start,calls\n00:00,abc\n", "calls", "number"),
        ("start,calls\n00:10,1\n", "start", "grid"),
    ],
)
def test_forecast_csv_errors(tmp_path, text, field, message):
    path = tmp_path / "forecast.csv"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        build_model(erlang_cfg(forecast={"file": str(path)}), PROJECT_ROOT)
    assert err.value.field == field and message in err.value.problem
    assert err.value.source == str(path)


def test_volume_outside_opening_hours_is_refused():
    cfg = erlang_cfg(channels={"phone": {"open": "08:00", "close": "20:00"}})
    with pytest.raises(ConfigError, match="open only 08:00-20:00"):
        build_model(cfg, PROJECT_ROOT)


def test_unknown_keys_are_refused_not_ignored():
    cfg = erlang_cfg()
    cfg["scenario"]["contact_types"]["calls"]["handel"] = 100
    with pytest.raises(ConfigError, match="unknown key"):
        build_model(cfg, PROJECT_ROOT)


def test_distribution_needs_its_parameters():
    cfg = erlang_cfg()
    cfg["scenario"]["contact_types"]["calls"]["handle"] = {"dist": "lognormal", "mean": 200}
    with pytest.raises(ConfigError, match="handle.cv"):
        build_model(cfg, PROJECT_ROOT)
    cfg["scenario"]["contact_types"]["calls"]["handle"]["cv"] = 0.5
    assert build_model(cfg, PROJECT_ROOT).contact_types[0].handle == Lognormal(200, 0.5)


def test_empirical_handle_times_from_a_file(tmp_path):
    path = tmp_path / "handle.csv"
    path.write_text("seconds\n100\n200\n300\n")
    cfg = erlang_cfg()
    cfg["scenario"]["contact_types"]["calls"]["handle"] = {"dist": "empirical", "file": str(path)}
    handle = build_model(cfg, PROJECT_ROOT).contact_types[0].handle
    assert handle.mean == 200
    draws = handle.sample(np.random.default_rng(0), 1000)
    assert set(draws.tolist()) == {100.0, 200.0, 300.0}


def test_roster_csv_with_counts_breaks_and_split_shifts(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "agent,group,skills,start,end,breaks,count\n"
        "li_na,senior,calls;email,08:00,12:00,10:00+15,\n"
        "li_na,senior,calls;email,13:00,17:00,,\n"
        "temp,temps,calls,09:00,13:00,,3\n"
    )
    cfg = erlang_cfg()
    cfg["roster"] = {"file": str(path)}
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
    cfg = erlang_cfg()
    cfg["roster"] = {"file": str(path)}
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.field == field and message in err.value.problem
    assert "line 2" in err.value.problem


def test_segment_shares_must_add_up():
    cfg = erlang_cfg(segments={"vip": {"share": 0.3}, "regular": {"share": 0.3}})
    with pytest.raises(ConfigError, match="add up to 1"):
        build_model(cfg, PROJECT_ROOT)


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


def test_channel_options_land_in_their_own_fields():
    cfg = erlang_cfg()
    plain = build_model(cfg, PROJECT_ROOT).channels[0]
    assert plain.concurrency_stretch is None and plain.reserved_share == 0 and not plain.deferrable
    cfg["scenario"]["channels"]["phone"].update(
        {
            "deferrable": True,
            "reserved_share": 0.2,
            "concurrency": {"stretch": 0.3},
            "threshold_s": 60,
        }
    )
    channel = build_model(cfg, PROJECT_ROOT).channels[0]
    assert (channel.deferrable, channel.reserved_share, channel.concurrency_stretch) == (
        True,
        0.2,
        0.3,
    )
    assert channel.threshold_s == 60


# --- handle times in the forecast, a contact type's own patience and segment mix --------------


def two_type_cfg(**types) -> dict:
    """`erlang_cfg` with a second phone type, `complaints`, and a VIP segment; `types` adds keys
    to the types' bodies, e.g. complaints={"segments": {...}}."""
    cfg = composed("scenario=erlang", "scenario.hours=4", "scenario.vip_share=0.2")
    body = cfg["scenario"]
    body["contact_types"]["complaints"] = {"channel": "phone", "skill": "calls", "handle": 480}
    body["patience"] = {"phone": 120}
    body["forecast"]["values"] = {"calls": 200, "complaints": 100}
    for name, extra in types.items():
        body["contact_types"][name].update(extra)
    return cfg


def test_forecast_aht_columns_become_handle_factors(tmp_path):
    path = tmp_path / "forecast.csv"
    path.write_text("start,calls,calls_aht\n08:00,10,90\n08:30,20,\n09:00,20,360\n")
    model = build_model(erlang_cfg(forecast={"file": str(path)}, hours=None), PROJECT_ROOT)
    factor = model.demand.handle_factor
    assert factor.shape == (1, 19)
    # Before the table and in the empty cell: the configured 180 s.
    assert factor[0].tolist() == [1.0] * 16 + [0.5, 1.0, 2.0]


def test_inline_aht_lists_and_numbers():
    cfg = two_type_cfg()
    cfg["scenario"]["forecast"]["aht"] = {"calls": [None, 270], "complaints": 240}
    factor = build_model(cfg, PROJECT_ROOT).demand.handle_factor
    assert factor[0].tolist() == [1.0, 1.5] + [1.0] * 6
    assert factor[1].tolist() == [0.5] * 8


@pytest.mark.parametrize(
    "text, field, message",
    [
        ("start,calls,billing_aht\n00:00,1,200\n", "billing_aht", "not a contact type"),
        ("start,calls,calls_aht\n00:00,1,200\n00:30,1,abc\n", "calls_aht", "line 3"),
        ("start,calls,calls_aht\n00:00,1,0\n", "calls_aht", "line 2: a mean handle time"),
        ("start,calls,calls_aht\n00:00,1,200\n00:30,1,-5\n", "calls_aht", "above 0"),
    ],
)
def test_forecast_aht_column_errors(tmp_path, text, field, message):
    path = tmp_path / "forecast.csv"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        build_model(erlang_cfg(forecast={"file": str(path)}), PROJECT_ROOT)
    assert err.value.source == str(path)
    assert err.value.field == field and message in err.value.problem


@pytest.mark.parametrize(
    "aht, field, message",
    [
        ({"billing": 200}, "aht.billing", "not a contact type"),
        ({"calls": 0}, "aht.calls", "above 0"),
        ({"calls": "slow"}, "aht.calls", "a mean handle time"),
        ({"calls": [200, True]}, "aht.calls", "item 2"),
        ({"calls": [200] * 9}, "aht.calls", "run past"),
        ([200], "aht", "mapping"),
    ],
)
def test_inline_aht_errors(aht, field, message):
    cfg = erlang_cfg()
    cfg["scenario"]["forecast"]["aht"] = aht
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.source == "scenario.forecast"
    assert err.value.field == field and message in err.value.problem


def test_inline_aht_with_a_csv_file_is_refused(tmp_path):
    path = tmp_path / "forecast.csv"
    path.write_text("start,calls\n00:00,1\n")
    with pytest.raises(ConfigError) as err:
        build_model(erlang_cfg(forecast={"file": str(path), "aht": {"calls": 200}}), PROJECT_ROOT)
    assert (err.value.source, err.value.field) == ("scenario.forecast", "aht")
    assert "_aht" in err.value.problem


def test_contact_type_patience_forms():
    def patience(spec):
        model = build_model(two_type_cfg(complaints={"patience": spec}), PROJECT_ROOT)
        return [model.patience_of(1, s) for s in range(2)]  # vip, regular

    channel = Exponential(120.0)
    assert patience(None) == [None, None]
    assert patience(300) == [Exponential(300.0)] * 2
    assert patience({"dist": "exponential", "mean": 60}) == [Exponential(60.0)] * 2
    assert patience({"vip": 600}) == [Exponential(600.0), channel]
    assert patience({"vip": None, "all": 60}) == [None, Exponential(60.0)]
    model = build_model(two_type_cfg(complaints={"patience": 300}), PROJECT_ROOT)
    assert [model.patience_of(0, s) for s in range(2)] == [channel, channel]
    # The channel's own figure is still there for readers of Model.patience.
    assert model.patience[("phone", "regular")] == channel


def test_contact_type_segment_mix():
    model = build_model(two_type_cfg(complaints={"segments": {"vip": 0.5}}), PROJECT_ROOT)
    assert model.segment_shares(1).tolist() == [0.5, 0.5]
    assert model.segment_shares(0).tolist() == pytest.approx([0.2, 0.8])
    both = build_model(
        two_type_cfg(calls={"segments": {"vip": 0.25, "regular": 0.75}}), PROJECT_ROOT
    )
    assert both.segment_shares(0).tolist() == [0.25, 0.75]


@pytest.mark.parametrize(
    "extra, field, message",
    [
        ({"patience": {"gold": 100}}, "gold", "unknown key"),
        ({"patience": {"vip": {"dist": "weibull"}}}, "patience.vip.dist", "unknown distribution"),
        ({"patience": {"all": -5}}, "patience.all", "greater than 0"),
        ({"patience": {"dist": "lognormal", "mean": 60}}, "patience.cv", "required"),
        ({"segments": {"gold": 0.5}}, "gold", "unknown key"),
        ({"segments": {"vip": 0.5, "regular": 0.6}}, "segments", "add up to 1"),
        ({"segments": {"vip": 1.5}}, "segments.vip", "at most 1"),
        ({"segments": {"vip": "half"}}, "segments.vip", "number"),
        ({"segments": {}}, "segments", "at most one"),
        ({"segments": [0.5, 0.5]}, "segments", "mapping"),
        ({"patiense": 100}, "patiense", "unknown key"),
    ],
)
def test_contact_type_patience_and_segment_errors(extra, field, message):
    with pytest.raises(ConfigError) as err:
        build_model(two_type_cfg(complaints=extra), PROJECT_ROOT)
    assert err.value.source.startswith("scenario.contact_types.complaints")
    assert err.value.field == field and message in err.value.problem


def test_roster_proficiency_per_row_and_per_group(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(
        "agent,group,skills,start,end,proficiency\n"
        "novice,new,calls;email,08:00,12:00,1.3\n"
        "senior,old,calls;email,08:00,12:00,calls:0.8;email:1.1\n"
        "helper,borrowed,calls,08:00,12:00,\n"
        "lead,borrowed,calls,08:00,12:00,calls:0.9\n"
    )
    cfg = erlang_cfg()
    cfg["roster"] = {"file": str(path), "proficiency": {"borrowed": 1.5, "old": {"email": 2.0}}}
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
    cfg = erlang_cfg()
    cfg["roster"] = {"file": str(path)}
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.field == field and message in err.value.problem


def test_routing_groups_compose_with_the_default_scenario():
    routing = build_model(composed("routing=overflow"), PROJECT_ROOT).routing
    assert [(s.groups, s.after_s) for s in routing.stages["orders"]] == [
        (("phone_team", "temps", "on_call"), 0.0),
        (("senior",), 30.0),
        (("chat_team",), 90.0),
    ]
    assert routing.prefer == {"senior": ("complaints", "phone_senior")}
    ageing = build_model(composed("routing=long_waiters"), PROJECT_ROOT).routing
    assert ageing.discipline == "ageing" and ageing.ageing_per_s > 0


@pytest.mark.parametrize(
    "routing, field, message",
    [
        ({"use_priority": False}, "use_priority", "discipline: fifo"),
        ({"discipline": "lifo"}, "discipline", "priority, fifo, ageing"),
        ({"ageing_per_s": 0.1}, "ageing_per_s", "discipline: ageing"),
        ({"selection": "random"}, "selection", "longest_idle"),
        ({"stages": {"nope": [{"groups": ["agents"]}]}}, "stages.nope", "not a contact type"),
        ({"stages": {"calls": [{"groups": ["ghosts"]}]}}, "[0].groups", "no agent group"),
        ({"stages": {"calls": [{"groups": []}]}}, "[0].groups", "at least one"),
        ({"stages": {"calls": [{"groups": ["agents"], "after_s": 5}]}}, "[0].after_s", "at once"),
        ({"stages": {"calls": [{"groups": ["agents"], "delay": 5}]}}, "delay", "unknown key"),
        ({"prefer": {"ghosts": ["calls"]}}, "prefer.ghosts", "no agent group"),
        ({"prefer": {"agents": ["billing"]}}, "prefer.agents", "not a contact type or queue"),
    ],
)
def test_routing_errors(routing, field, message):
    """Reading the config refuses bad stages and preferences; the engine's check (its
    policies register there) bad discipline and selection names and their parameters."""
    cfg = erlang_cfg()
    cfg["routing"] = {"name": "bad", **routing}
    with pytest.raises(ConfigError) as err:
        check(build_model(cfg, PROJECT_ROOT))
    assert err.value.field == field and message in err.value.problem


def test_channel_lines_must_be_a_whole_number():
    for bad in (0, 2.5, True, "ten"):
        cfg = erlang_cfg()
        cfg["scenario"]["channels"]["phone"]["lines"] = bad
        with pytest.raises(ConfigError, match="whole number"):
            build_model(cfg, PROJECT_ROOT)
