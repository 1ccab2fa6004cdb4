"""Inputs that used to be accepted silently or to crash with a traceback: each now ends in a
ConfigError naming where the value lives, the field and what is allowed."""

from __future__ import annotations

import pytest

from sim.app import PROJECT_ROOT
from sim.config import build_model
from sim.errors import ConfigError
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
