"""CSV files as planners save them: UTF-8 with or without BOM, GB18030/GBK from Excel, spaces
after commas, numbers of hours for times; and clear refusals of files that cannot be read."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from tests.inputs.configs import erlang_cfg, with_roster

ROSTER = "agent,skills,start,end,group\n王芳,calls,00:00,04:00,一组\n李娜,calls,00:00,04:00,二组\n"


def with_roster_file(path) -> dict:
    return with_roster({"file": str(path)})


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_roster_csv_in_utf8_bom_and_gb18030(tmp_path, encoding):
    path = tmp_path / "roster.csv"
    path.write_bytes(ROSTER.encode(encoding))
    agents = build_model(with_roster_file(path), PROJECT_ROOT).agents
    assert [(a.name, a.group) for a in agents] == [("王芳", "一组"), ("李娜", "二组")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_forecast_and_empirical_csv_in_utf8_bom_and_gb18030(tmp_path, encoding):
    forecast = tmp_path / "forecast.csv"
    forecast.write_bytes("start,calls\n00:00,10\n00:30,20\n".encode(encoding))
    sample = tmp_path / "handle.csv"
    sample.write_bytes("处理时长\n100\n200\n".encode(encoding))
    cfg = erlang_cfg(forecast={"file": str(forecast)}, hours=1)
    cfg["scenario"]["contact_types"]["calls"]["handle"] = {"dist": "empirical", "file": str(sample)}
    model = build_model(cfg, PROJECT_ROOT)
    assert model.demand.volumes[0].tolist() == [10.0, 20.0]
    assert model.contact_types[0].handle.mean == 150.0


@pytest.mark.parametrize("name", ["roster", "forecast", "handle"])
def test_file_in_no_accepted_encoding_is_refused_by_name(tmp_path, name):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(b"agent,skills,start,end\n\x80")
    if name == "roster":
        cfg = with_roster_file(path)
    elif name == "forecast":
        cfg = erlang_cfg(forecast={"file": str(path)})
    else:
        cfg = erlang_cfg()
        cfg["scenario"]["contact_types"]["calls"]["handle"] = {
            "dist": "empirical",
            "file": str(path),
        }
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.source == str(path)
    assert "UTF-8" in err.value.problem and "GB18030" in err.value.problem


@pytest.mark.parametrize("name", ["roster", "forecast", "handle"])
@pytest.mark.parametrize("text", ["", "\n\n", "  \n"])
def test_empty_file_says_so(tmp_path, name, text):
    path = tmp_path / f"{name}.csv"
    path.write_text(text)
    if name == "roster":
        cfg = with_roster_file(path)
    elif name == "forecast":
        cfg = erlang_cfg(forecast={"file": str(path)})
    else:
        cfg = erlang_cfg()
        cfg["scenario"]["contact_types"]["calls"]["handle"] = {
            "dist": "empirical",
            "file": str(path),
        }
    with pytest.raises(ConfigError) as err:
        build_model(cfg, PROJECT_ROOT)
    assert err.value.source == str(path) and "the file is empty" in err.value.problem


def test_spaces_after_commas_are_accepted(tmp_path):
    forecast = tmp_path / "forecast.csv"
    forecast.write_text("start, calls\n00:00, 10\n00:30, 20\n")
    roster = tmp_path / "roster.csv"
    roster.write_text("agent, skills, start, end, group\nwang_fang, calls, 00:00, 01:00, day\n")
    cfg = erlang_cfg(forecast={"file": str(forecast)}, hours=1)
    cfg["roster"] = {"file": str(roster)}
    model = build_model(cfg, PROJECT_ROOT)
    assert model.demand.volumes[0].tolist() == [10.0, 20.0]
    (agent,) = model.agents
    assert (agent.name, agent.skills, agent.group) == ("wang_fang", frozenset({"calls"}), "day")
    assert agent.shifts[0].end_s == 3600


def test_numbers_of_hours_in_roster_csv_and_yaml(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("agent,skills,start,end\nwang_fang,calls,0.25,3.75\n")
    csv_agents = build_model(with_roster_file(path), PROJECT_ROOT).agents
    cfg = erlang_cfg()
    for start, end in [(0.25, 3.75), ("0.25", "3.75")]:
        cfg["roster"] = {
            "agents": [{"name": "wang_fang", "skills": ["calls"], "start": start, "end": end}]
        }
        yaml_agents = build_model(cfg, PROJECT_ROOT).agents
        assert yaml_agents == csv_agents
    shift = csv_agents[0].shifts[0]
    assert (shift.start_s, shift.end_s) == (15 * 60, 3 * 3600 + 45 * 60)


def test_numbers_of_hours_in_forecast_start(tmp_path):
    path = tmp_path / "forecast.csv"
    path.write_text("start,calls\n0.5,10\n1,20\n")
    volumes = build_model(erlang_cfg(forecast={"file": str(path)}, hours=1.5), PROJECT_ROOT)
    assert np.allclose(volumes.demand.volumes[0], [0.0, 10.0, 20.0])
