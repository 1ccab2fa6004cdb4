"""The forecast (`sim.inputs.forecast`): a CSV or inline values placed on the interval grid,
the forecast's handle times as factors, and the errors naming the file, column and line."""

from __future__ import annotations

import pytest

from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.inputs.configs import erlang_cfg, two_type_cfg


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
