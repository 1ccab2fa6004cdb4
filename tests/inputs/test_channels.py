"""The scenario's channels (`sim.inputs.channels`): their options, lines, front ends, and the
checks against them (volume only in opening hours, queues not mixing chat with calls)."""

from __future__ import annotations

import pytest

from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.inputs.configs import erlang_cfg


def test_volume_outside_opening_hours_is_refused():
    cfg = erlang_cfg(channels={"phone": {"open": "08:00", "close": "20:00"}})
    with pytest.raises(ConfigError, match="open only 08:00-20:00"):
        build_model(cfg, PROJECT_ROOT)


def test_volume_while_closed_names_the_forecast_file(tmp_path):
    path = tmp_path / "forecast.csv"
    path.write_text("start,calls\n00:00,0\n00:30,5\n")
    cfg = erlang_cfg(forecast={"file": str(path)}, hours=1, channels={"phone": {"open": "01:00"}})
    with pytest.raises(ConfigError, match="open only 01:00-24:00") as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.source == str(path) and err.value.field == "calls"
    assert "00:30" in err.value.problem
    inline = erlang_cfg(channels={"phone": {"open": "01:00"}})
    with pytest.raises(ConfigError) as err:
        build_model(inline, PROJECT_ROOT)
    assert err.value.source == "scenario.forecast"


def test_channel_options_land_in_their_own_fields():
    cfg = erlang_cfg()
    plain = build_model(cfg, PROJECT_ROOT).channels[0]
    assert plain.concurrency_stretch is None and plain.reserved_share == 0 and not plain.deferrable
    cfg["scenario"]["channels"]["phone"].update(
        {
            "deferrable": True,
            "reserved_share": 0.2,
            "concurrency": {"stretch": 0.3},
        }
    )
    channel = build_model(cfg, PROJECT_ROOT).channels[0]
    assert (channel.deferrable, channel.reserved_share, channel.concurrency_stretch) == (
        True,
        0.2,
        0.3,
    )


def test_a_channels_threshold_is_a_target():
    cfg = erlang_cfg()
    cfg["scenario"]["channels"]["phone"]["threshold_s"] = 60
    with pytest.raises(ConfigError, match="targets.channels.phone.threshold_s") as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.field == "threshold_s"


@pytest.mark.parametrize("value", [0, 2.5, True, -3, "3", "ten"])
def test_lines_must_be_a_whole_number_of_at_least_one(value):
    cfg = erlang_cfg()
    cfg["scenario"]["channels"]["phone"]["lines"] = value
    with pytest.raises(ConfigError, match="whole number") as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.source == "scenario.channels.phone" and err.value.field == "lines"
    assert "scenario.channels.phone: lines:" in str(err.value)


def test_lines_null_is_unlimited():
    cfg = erlang_cfg()
    cfg["scenario"]["channels"]["phone"]["lines"] = None
    assert build_model(cfg, PROJECT_ROOT).channel("phone").lines is None
    cfg["scenario"]["channels"]["phone"]["lines"] = 7
    assert build_model(cfg, PROJECT_ROOT).channel("phone").lines == 7


def test_front_ends_and_announcements_land_in_the_channel():
    cfg = erlang_cfg()
    cfg["scenario"]["channels"]["phone"]["ivr"] = {
        "menu": 30,
        "announce": {"balk": [[0, 0], [300, 0.5]], "callback": {"offer_above_s": 120}},
    }
    front = build_model(cfg, PROJECT_ROOT).channel("phone").front_end
    assert front is not None and front.kind == "ivr" and front.time.mean == 30
    assert front.misroute_handle is not None and front.misroute_handle.mean == 30  # the default
    assert front.announce is not None and front.announce.balk == ((0.0, 0.0), (300.0, 0.5))
    assert (front.announce.callback_above_s, front.announce.callback_accept) == (120.0, 0.5)


@pytest.mark.parametrize(
    "phone, field, message",
    [
        ({"open": "20:00", "close": "08:00"}, "close", "later than open"),
        ({"open": "8am"}, "open", "HH:MM"),
        ({"deferrable": "yes"}, "deferrable", "true or false"),
        ({"reserved_share": 0.2}, "reserved_share", "only a deferrable channel"),
        ({"ivr": {"menu": 30}, "bot": {"time": 20}}, "ivr/bot", "at most one front end"),
        ({"ivr": {}}, "ivr.menu", "a time distribution is required"),
        ({"ivr": {"menu": 30, "announce": {"balk": [[60, 0.5], [0, 0]]}}}, "announce.balk", "increasing"),
        ({"concurrency": {"slots": 2}}, "slots", "unknown key"),
        ({"channel": "phone"}, "channel", "unknown key"),
    ],
)  # fmt: skip
def test_channel_errors(phone, field, message):
    cfg = erlang_cfg()
    cfg["scenario"]["channels"]["phone"].update(phone)
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.source.startswith("scenario.channels.phone")
    assert err.value.field == field and message in err.value.problem, err.value


def test_a_queue_mixing_a_concurrent_channel_with_another_is_refused():
    cfg = erlang_cfg()
    body = cfg["scenario"]
    body["channels"]["chat"] = {"concurrency": {"stretch": 0.2}}
    body["contact_types"]["chats"] = {"channel": "chat", "skill": "calls", "handle": 300}
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert (err.value.source, err.value.field) == ("scenario.contact_types", "skill")
    assert "queue 'calls' mixes a concurrent channel" in err.value.problem
