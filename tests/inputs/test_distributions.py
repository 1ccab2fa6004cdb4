"""Distributions as configs write them (`sim.inputs.distributions`): a family's parameters, an
empirical sample from a CSV, a survival curve inline or from a file, and their errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.distributions import Lognormal, Survival
from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.inputs.distributions import parse_distribution
from sim.inputs.files import FileFinder
from sim.paths import PROJECT_ROOT
from tests.inputs.configs import erlang_cfg


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


def test_survival_in_the_config(tmp_path: Path):
    files = FileFinder(tmp_path)
    (tmp_path / "curve.csv").write_text("seconds,survival\n30,0.9\n90,0.4\n")
    dist = parse_distribution(
        {"dist": "survival", "file": str(tmp_path / "curve.csv"), "tail_mean": 50},
        "scenario.patience.phone",
        "vip",
        files,
    )
    assert isinstance(dist, Survival) and dist.levels == (0.9, 0.4)
    inline = parse_distribution(
        {"dist": "survival", "points": [[30, 0.9], [90, 0]]}, "where", "field", files
    )
    assert inline.mean == pytest.approx(0.95 * 30 + 0.45 * 60)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"dist": "survival", "points": [[30, 0.9]]}, "tail_mean"),
        ({"dist": "survival", "points": [[30, 0.9], [20, 0.5]], "tail_mean": 9}, "increasing"),
        ({"dist": "survival", "points": [[30, 0.5], [60, 0.7]], "tail_mean": 9}, "never increase"),
        ({"dist": "survival", "points": [[30, 0.0]], "tail_mean": 9}, "no tail"),
        ({"dist": "survival", "tail_mean": 9}, "exactly one"),
        ({"dist": "survival", "points": "x", "tail_mean": 9}, "pairs"),
        ({"dist": "survival", "points": [[30, 0.5]], "tail_mean": -1}, "greater than 0"),
    ],
)
def test_bad_survival_curves_are_refused(spec, message, tmp_path: Path):
    with pytest.raises(ConfigError, match=message):
        parse_distribution(spec, "scenario.patience.phone", "vip", FileFinder(tmp_path))


def test_bad_survival_file_names_the_line(tmp_path: Path):
    (tmp_path / "curve.csv").write_text("seconds,survival\n30,0.9\nabc,0.4\n")
    with pytest.raises(ConfigError, match="line 3"):
        parse_distribution(
            {"dist": "survival", "file": str(tmp_path / "curve.csv"), "tail_mean": 5},
            "w",
            "f",
            FileFinder(tmp_path),
        )
