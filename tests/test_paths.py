"""Where configs and scenario data are found (sim/paths.py), and that a regular install
(`pip install .`) carries all of them: every package of sim/ and every file of configs/ and
scenarios/ is named in pyproject.toml's setuptools tables (the build itself needs the network
for its build dependencies; it was tried by hand, see README "Install")."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sim import paths

ROOT = Path(__file__).resolve().parent.parent


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_a_checkout_uses_its_own_configs_and_scenarios():
    assert paths.PROJECT_ROOT == ROOT and paths.CONFIGS == ROOT / "configs"
    assert (paths.CONFIGS / "config.yaml").is_file()


def test_every_package_of_sim_is_installed():
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "sim").rglob("__init__.py")
    }
    assert found <= set(_setuptools()["packages"]), found - set(_setuptools()["packages"])


def test_every_config_and_scenario_file_is_installed():
    table = _setuptools()
    assert table["package-dir"]["sim._project"] == "."
    patterns = table["package-data"]["sim._project"]
    shipped = {path for pattern in patterns for path in ROOT.glob(pattern)}
    wanted = {
        path
        for folder in ("configs", "scenarios")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert wanted <= shipped, sorted(str(p.relative_to(ROOT)) for p in wanted - shipped)
