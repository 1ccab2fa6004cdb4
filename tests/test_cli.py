"""`python -m sim` with a mistyped top-level key: one ccsim line naming the keys that exist."""

from __future__ import annotations

from sim.cli import top_level_keys
from tests.conftest import composed, run_cli
from tests.test_errors import assert_user_error


def test_mistyped_top_level_key_names_the_keys_that_exist(tmp_path):
    result = run_cli(tmp_path / "run", "replicatons=3")
    assert_user_error(
        result,
        tmp_path / "run",
        "config: replicatons: unknown key; allowed:",
        "seed",
        "replications",
        "scenario",
    )
    assert "Could not override" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_top_level_keys_are_those_of_the_composed_config():
    assert set(top_level_keys()) == set(composed()) - {"hydra"}


def test_other_hydra_errors_are_left_to_hydra(tmp_path):
    result = run_cli(tmp_path / "run", "scenario=no_such_scenario")
    assert "Could not find 'scenario/no_such_scenario'" in result.stderr
    assert "ccsim: error" not in result.stderr
