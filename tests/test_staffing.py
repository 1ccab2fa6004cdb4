"""The staffing search (`python -m sim.staffing`): menu, covering program, outputs."""

from __future__ import annotations

import copy
import itertools
import json
import os
from dataclasses import replace

import numpy as np
import pytest

from sim.errors import ConfigError
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from sim.staffing.app import run_staffing
from sim.staffing.cover import Column, solve
from sim.staffing.menu import read_menu
from tests.conftest import composed, run


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
    # A short search (what it finds is checked elsewhere): the files must agree and run.
    short = ("staffing.replications=3", "staffing.max_evaluations=4", "staffing.workers=1")
    summary = run_staffing(_cfg(*short), tmp_path / "search")
    content = json.loads((tmp_path / "search" / "staffing.json").read_text())
    assert content["cost_after"] == summary["cost_after"]
    assert content["seed"] == 20261111
    assert (tmp_path / "search" / "staffing.html").is_file()  # report: auto, a single search
    quiet = run_staffing({**_cfg(*short), "report": False}, tmp_path / "quiet")
    assert quiet["cost_after"] == summary["cost_after"]
    assert not (tmp_path / "quiet" / "staffing.html").exists()
    assert (tmp_path / "quiet" / "roster.csv").is_file()
    roster = tmp_path / "search" / "roster.csv"
    after = run(tmp_path / "run", f"roster.file={roster}", "replications=2")
    planned = after["agents"]["all"]["planned_cost"]["mean"]
    assert planned == pytest.approx(content["cost_after"])


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("replications",), 1, "replications"),
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


@pytest.mark.parametrize("key", ["targets", "confidence"])
def test_the_menus_own_targets_are_refused_for_the_targets_group(key):
    """The search judges by the one rule and the `targets` config group: a menu still carrying
    its own targets (or the old `confidence`) is refused with where they went."""
    cfg = copy.deepcopy(_cfg())
    cfg["staffing"][key] = [{"channel": "phone", "service_level": 0.8}]
    model = build_model(cfg, PROJECT_ROOT)
    with pytest.raises(ConfigError) as err:
        read_menu(cfg, model)
    assert err.value.field == key
    assert "`targets` config group" in str(err.value) or "holds" in str(err.value)


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


# --- validation: the search against Erlang C, brute force and another seed ----------------------


def _erlang_setup(hours: int, rate: float, templates: list[dict], **menu) -> tuple:
    """The `erlang` scenario (one queue, constant rate, no abandonment) with one agent on all
    day and a staffing menu of `templates`; returns (cfg, model, menu)."""
    cfg = composed(
        "scenario=erlang",
        "targets.misses=0",  # every judged interval must meet the target: Erlang's question
        "scenario.agents=1",
        f"scenario.hours={hours}",
        f"scenario.rate_per_hour={rate}",
    )
    cfg["staffing"] = {
        "templates": templates,
        "replications": 10,
        "erlang": "C",
        "workers": 1,
        "max_evaluations": 40,
        **menu,
    }
    model = build_model(cfg, PROJECT_ROOT)
    return cfg, model, read_menu(cfg, model)


def _half_hours(last: str) -> list[dict]:
    return [
        {
            "name": "half",
            "group": "agents",
            "skills": ["calls"],
            "hours": 0.5,
            "per_hour": 10,
            "start": {"earliest": "00:00", "latest": last, "step_min": 30},
        }
    ]


def test_one_queue_recommendation_is_erlang_c():
    """Validation (1): one queue, constant rate, no abandonment, shifts one interval long: the
    recommendation is Erlang C's agents required in every interval. The simulation may
    disagree by one agent where its confidence interval straddles the target (at Erlang's
    staffing the simulated service level is then within noise of 80%), and in the first
    interval, which starts with an empty queue and so beats the steady state Erlang assumes."""
    from sim.analysis.erlang import agents_required
    from sim.staffing.requirement import intervals, scheduled
    from sim.staffing.search import search

    _, model, menu = _erlang_setup(4, 200, _half_hours("03:30"))
    result = search(model, menu, seed=11)
    erlang = agents_required(200 / 3600, 180, 20, 0.8)
    on_duty = scheduled(result.model, ("calls",), intervals(model))[0]
    first = result.history[0]  # round 1 evaluates exactly the Erlang C staffing
    assert first["cost"] == pytest.approx((erlang - 1) * 8 * 5)
    assert all(abs(n - erlang) <= 1 for n in on_duty), (list(on_duty), erlang)
    # Here Erlang C gives 13 agents 79.6%, just short of 80%, and the simulation (10 days,
    # the same seeds every round) passes several intervals with 13: within one agent is all
    # that is asserted. Equality cannot be: the simulated centre is not Erlang's steady state.
    # The day starts empty (at 13 agents all day, 200 days: 88% in the first half hour, about
    # 82% for the next two hours, then 78-80%), and an agent whose half-hour shift ends finishes
    # the call in hand, so an interval after a better-staffed one starts with spare capacity.
    assert result.after.passed


def test_search_finds_the_cheapest_passing_combination_by_brute_force():
    """Validation (2): a tiny instance (2 hours, four intervals, three shift options) where
    every combination can be simulated with the same seeds: the search's pick costs what the
    cheapest combination meeting the target costs."""
    from sim.staffing import plan
    from sim.staffing.evaluate import evaluate
    from sim.staffing.search import search

    templates = [
        {
            "name": "one",
            "group": "agents",
            "skills": ["calls"],
            "hours": 1,
            "per_hour": 10,
            "start": {"earliest": "00:00", "latest": "01:00", "step_min": 60},
        },
        {
            "name": "two",
            "group": "agents",
            "skills": ["calls"],
            "hours": 2,
            "per_hour": 9,
            "start": {"earliest": "00:00", "latest": "00:00"},
        },
    ]
    _, model, menu = _erlang_setup(2, 60, templates, replications=5)
    result = search(model, menu, seed=3)
    costs = np.array([c.cost for c in result.cols.columns])
    best = np.inf
    for x in itertools.product(range(5), repeat=len(costs)):
        counts = np.array(x)
        if (
            costs @ counts < best
            and evaluate(plan.roster_of(model, result.cols, counts), menu, 3).passed
        ):
            best = float(costs @ counts)
    assert result.after.passed
    assert float(costs @ result.counts) == pytest.approx(best)


def test_recommendation_re_simulated_with_another_seed_holds():
    """Validation (3), PRODUCT.md's promise: the search's recommendation reads "holds" when
    re-simulated on other days (another seed), judged by the same rule with the same targets.
    One queue, 4 hours, half-hour shifts, 10 replications per evaluation."""
    from sim.staffing.evaluate import evaluate
    from sim.staffing.search import search

    _, model, menu = _erlang_setup(4, 200, _half_hours("03:30"))
    result = search(model, menu, seed=11)
    assert result.after.passed
    again = evaluate(result.model, menu, seed=12345)
    assert again.level.label == "holds", again.failing


def _two_skills(overflow: bool) -> dict:
    """Two queues of 4 Erlangs each (a and b, 100 s calls, nobody abandons), groups G1 on a and
    G2 on b, one-hour shifts; with `overflow`, each type also goes to the other group at once
    when its own has nobody free (a stage with no delay)."""
    cfg = composed("scenario=erlang", "workforce=none")
    cfg["scenario"] = {
        "name": "two_skills",
        "interval_min": 60,
        "hours": 4,
        "channels": {"line_a": {}, "line_b": {}},
        "contact_types": {
            "A": {"channel": "line_a", "skill": "a", "handle": 100},
            "B": {"channel": "line_b", "skill": "b", "handle": 100},
        },
        "forecast": {"unit": "per_hour", "values": {"A": 144, "B": 144}},
    }
    cfg["roster"] = {
        "agents": [
            {"agent": "g1", "group": "G1", "skills": "a", "start": 0, "end": 4},
            {"agent": "g2", "group": "G2", "skills": "b", "start": 0, "end": 4},
        ]
    }
    if overflow:
        cfg["routing"] = {
            "name": "pooled",
            "discipline": "fifo",
            "stages": {
                "A": [{"groups": ["G1"]}, {"groups": ["G2"]}],
                "B": [{"groups": ["G2"]}, {"groups": ["G1"]}],
            },
        }
    hourly = {
        "hours": 1,
        "per_hour": 10,
        "start": {"earliest": "00:00", "latest": "03:00", "step_min": 60},
    }
    cfg["staffing"] = {
        "templates": [
            {"name": "a1h", "group": "G1", "skills": ["a"], **hourly},
            {"name": "b1h", "group": "G2", "skills": ["b"], **hourly},
        ],
        "replications": 10,
        "erlang": "C",
        "workers": 1,
        "max_evaluations": 40,
    }
    return cfg


def test_with_overflow_the_search_costs_no_more_than_erlang_per_queue(tmp_path):
    """Validation (4): on two queues that overflow into each other, the search costs no more
    than covering each queue's Erlang requirement on its own, and staffing.json says how much
    it saves (pooling: fewer agents carry the same load)."""
    pooled = run_staffing(_two_skills(overflow=True), tmp_path / "pooled")
    assert pooled["holds"]
    assert pooled["cost_after"] <= pooled["erlang_cover_cost"]
    assert pooled["saving_vs_erlang"] == pytest.approx(
        pooled["erlang_cover_cost"] - pooled["cost_after"]
    )
    assert pooled["saving_vs_erlang"] > 0  # pooling really saves here
    separate = run_staffing(_two_skills(overflow=False), tmp_path / "separate")
    assert separate["holds"]
    assert pooled["cost_after"] < separate["cost_after"]


@pytest.mark.slow
def test_evaluations_on_ray_give_the_local_results():
    """`staffing.ray: local`: each candidate's replications run as Ray tasks (as on the Ray
    launcher's cluster) and the evaluation is the very same as on local processes."""
    from sim.staffing.evaluate import evaluate

    _, model, menu = _erlang_setup(2, 200, _half_hours("01:30"), replications=4)
    here = evaluate(model, menu, seed=5)
    there = evaluate(model, replace(menu, ray="local"), seed=5)
    pd_cols = ["interval", "service_level", "answered", "abandoned"]
    assert here.table[pd_cols].equals(there.table[pd_cols])
    assert here.failing == there.failing and here.level == there.level


def test_a_directory_another_live_run_is_writing_is_refused_by_the_search(tmp_path):
    (tmp_path / "staffing.json").write_text("{}\n")
    (tmp_path / ".ccsim.lock").write_text(f"{os.getppid()}\n")  # our parent: alive, not us
    with pytest.raises(ConfigError, match="another run"):
        run_staffing(composed("scenario=erlang"), tmp_path)
    assert (tmp_path / "staffing.json").read_text() == "{}\n"  # left alone
