"""Shared helpers: compose the real Hydra configs and run scenarios into temporary folders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from sim.paths import PROJECT_ROOT
from sim.run import run_scenario

CONFIGS = PROJECT_ROOT / "configs"


def composed(*overrides: str) -> dict:
    """The resolved config `python -m sim OVERRIDES` would run, as plain dicts."""
    with initialize_config_dir(config_dir=str(CONFIGS), version_base="1.3"):
        cfg = compose(config_name="config", overrides=["progress=false", *overrides])
    return OmegaConf.to_container(cfg, resolve=True)


def run(tmp_path: Path, *overrides: str, report: bool = False) -> dict:
    """Run a scenario in-process and return its summary.json content. Without `report`, no
    report.html and figures/: rendering costs several times the simulation, and only the tests
    of the report read it."""
    run_config(composed(*overrides), tmp_path, report=report)
    return json.loads((tmp_path / "summary.json").read_text())


def run_config(cfg: dict, run_dir: Path, *, report: bool = False) -> dict:
    """`run_scenario` on a composed (and maybe edited) config; `report` as in `run`."""
    return run_scenario({**cfg, "report": report}, run_dir)


def run_cli(
    tmp_path: Path, *overrides: str, report: bool | None = False
) -> subprocess.CompletedProcess:
    """`python -m sim` as a user runs it, with the run directory in tmp_path (`report` as in
    `run`; None: the config's own, `auto`)."""
    if report is not None:
        overrides = (f"report={str(report).lower()}", *overrides)
    return subprocess.run(
        [sys.executable, "-m", "sim", "progress=false", f"hydra.run.dir={tmp_path}", *overrides],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )


@pytest.fixture
def tmp_run(tmp_path: Path) -> Path:
    return tmp_path / "run"
