"""The staffing search (`python -m sim.staffing`): menu, covering program, outputs."""

from __future__ import annotations

import copy
import itertools
import json

import numpy as np
import pytest

from sim.app import PROJECT_ROOT
from sim.config import build_model
from sim.errors import ConfigError
from sim.staffing.app import run_staffing
from sim.staffing.cover import Column, solve
from sim.staffing.menu import read_menu
from tests.conftest import composed, run_cli


def test_cover_matches_brute_force():
    """The integer program's optimum equals the cheapest of all whole-number combinations."""
    rng = np.random.default_rng(7)
    for _ in range(20):
        n_cols, n_rows = 4, 5
        supply = (rng.random((n_cols, 1, n_rows)) < 0.5) * rng.choice(
            [0.5, 1.0], (n_cols, 1, n_rows)
        )
        supply[:, 0, :] += np.eye(n_cols, n_rows)  # every row coverable
        cost = rng.integers(1, 10, n_cols).astype(float)
        need = rng.integers(0, 4, (1, n_rows)).astype(float)
        fixed = rng.choice([0.0, 0.5, 1.0], (1, n_rows))
        cover = solve(need, fixed, [Column(str(j), cost[j], supply[j]) for j in range(n_cols)])
        best = np.inf
        for x in itertools.product(range(9), repeat=n_cols):
            x = np.array(x)
            if np.all(np.tensordot(x, supply, axes=1) + fixed >= need - 1e-9):
                best = min(best, float(cost @ x))
        assert cover.cost == pytest.approx(best)
        assert np.all(np.tensordot(cover.counts, supply, axes=1) + fixed >= need - 1e-6)


def test_cover_bounded_columns_and_uncoverable_rows():
    """Removable shifts are 0/1; a need nothing can meet is reported, not infeasible."""
    keep = Column("keep", 5.0, np.array([[1.0, 1.0, 0.0]]), upper=1.0)
    add = Column("add", 3.0, np.array([[1.0, 0.0, 0.0]]))
    cover = solve(np.array([[2.0, 1.0, 1.0]]), np.zeros((1, 3)), [keep, add])
    assert list(cover.counts) == [1, 1]
    assert list(cover.uncoverable[0]) == [False, False, True]


def _cfg(*overrides: str) -> dict:
    return composed("replications=2", *overrides)


def test_erlang_cover_writes_a_runnable_roster(tmp_path):
    summary = run_staffing(_cfg(), tmp_path / "search")
    content = json.loads((tmp_path / "search" / "staffing.json").read_text())
    assert content["cost_after"] == summary["cost_after"]
    assert content["seed"] == 20261111
    roster = tmp_path / "search" / "roster.csv"
    done = run_cli(tmp_path / "run", f"roster.file={roster}", "replications=2")
    assert done.returncode == 0, done.stderr
    after = json.loads((tmp_path / "run" / "summary.json").read_text())
    planned = after["agents"]["all"]["planned_cost"]["mean"]
    assert planned == pytest.approx(content["cost_after"])


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("confidence",), "sure", "confidence"),
        (("replications",), 1, "replications"),
        (("targets", 0, "channel"), "fax", "channel"),
        (("targets", 0, "service_level"), 1.2, "service_level"),
        (("templates", 0, "skills"), ["welding"], "skills"),
        (("templates", 0, "hours"), 0, "hours"),
        (("templates", 0, "start", "earliest"), "25:xx", "start"),
        (("removable",), ["nobody"], "removable"),
        (("colour",), "blue", "colour"),
    ],
)
def test_config_errors_name_the_field(path, value, field):
    cfg = copy.deepcopy(_cfg())
    node = cfg["staffing"]
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    model = build_model(cfg, PROJECT_ROOT)
    with pytest.raises(ConfigError) as err:
        read_menu(cfg, model)
    assert err.value.source.startswith("staffing")
    assert field in err.value.field


def test_no_menu_says_what_to_add(tmp_path):
    done = run_cli_staffing(tmp_path, "scenario=normal_weekday")
    assert done.returncode == 2
    assert "staffing" in done.stderr and "templates" in done.stderr


def run_cli_staffing(tmp_path, *overrides: str):
    import subprocess
    import sys

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sim.staffing",
            "progress=false",
            f"hydra.run.dir={tmp_path}",
            *overrides,
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
