"""The Hydra app behind `python -m sim`: compose, build the model, simulate, write the run.

A thin shell on purpose: everything it calls works without Hydra, so tests and scripts can run
the same steps directly (`run_scenario`).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException
from tqdm import tqdm

from sim.config import build_model
from sim.engine import simulate
from sim.errors import ConfigError
from sim.model import Model
from sim.outputs import write_run
from sim.tables import agents_frame, contacts_frame

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def run_scenario(cfg: Mapping[str, Any], run_dir: Path) -> dict:
    """Validate, simulate every replication and write the run directory; returns the summary."""
    model = build_model(cfg, PROJECT_ROOT)
    seed, replications = _run_settings(cfg)
    show = bool(cfg.get("progress", True))
    runs = []
    for replication in tqdm(range(replications), desc="replications", disable=not show):
        runs.append(simulate(model, seed, replication, _day_progress(model, show)))
    return write_run(
        run_dir,
        model,
        seed,
        replications,
        float(cfg.get("service_level", {}).get("threshold_s", 20)),
        contacts_frame(model, runs),
        agents_frame(model, runs),
    )


def _run_settings(cfg: Mapping[str, Any]) -> tuple[int, int]:
    seed, replications = cfg.get("seed"), cfg.get("replications")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError("config", "seed", f"expected a whole number >= 0, got {seed!r}")
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ConfigError(
            "config", "replications", f"expected a whole number >= 1, got {replications!r}"
        )
    return seed, replications


def _day_progress(model: Model, show: bool):
    """A bar over simulated hours, for long horizons (more than two days)."""
    hours = model.demand.horizon_s / 3600
    if not show or hours <= 48:
        return None
    bar = tqdm(total=round(hours), desc="simulated hours", leave=False)

    def update(now_s: float) -> None:
        bar.update(round(now_s / 3600) - bar.n)
        if bar.n >= bar.total:
            bar.close()

    return update


def _resolved(cfg: DictConfig) -> dict:
    try:
        return OmegaConf.to_container(cfg, resolve=True)
    except OmegaConfBaseException as err:
        raise ConfigError(
            "config", getattr(err, "full_key", "?") or "?", str(err).splitlines()[0]
        ) from None


@hydra.main(version_base="1.3", config_path=str(PROJECT_ROOT / "configs"), config_name="config")
def main(cfg: DictConfig) -> None:
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    in_sweep = hydra_cfg.mode == RunMode.MULTIRUN
    try:
        summary = run_scenario(_resolved(cfg), run_dir)
    except ConfigError as err:
        message = f"ccsim: error: {err}"
        print(message, file=sys.stderr)
        if not in_sweep:
            sys.exit(2)
        _record_failure(run_dir, message)
        return
    except Exception:
        if not in_sweep:
            raise
        # One broken variant must not lose the others: record it, let the sweep go on.
        _record_failure(run_dir, traceback.format_exc())
        print(f"ccsim: job failed, see {run_dir / FAILURE_FILE}", file=sys.stderr)
        return
    sl = summary["kpis"]["all"]["service_level"]["mean"]
    shown = "n/a" if sl is None else f"{sl:.3f}"
    print(f"ccsim: {summary['scenario']}: service level {shown}; outputs in {run_dir}")


FAILURE_FILE = "error.txt"


def _record_failure(run_dir: Path, message: str) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / FAILURE_FILE).write_text(message + "\n", encoding="utf-8")
