"""The Hydra app behind `python -m sim`: compose, build the model, simulate, write the run.

A thin shell on purpose: everything it calls works without Hydra, so tests and scripts can run
the same steps directly (`run_scenario`).
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.cli import FAILURE_FILE, record_failure, reject, resolved_config
from sim.errors import ConfigError
from sim.paths import CONFIGS
from sim.run import run_scenario
from sim.rundir import hydra as rundir

log = logging.getLogger(__name__)


@hydra.main(version_base="1.3", config_path=str(CONFIGS), config_name="config")
def main(cfg: DictConfig) -> None:
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    in_sweep = hydra_cfg.mode == RunMode.MULTIRUN
    made_now = rundir.made_for_this_job(run_dir, hydra_cfg)
    try:
        summary = run_scenario(resolved_config(cfg), run_dir, in_sweep)
    except ConfigError as err:
        reject(err, run_dir, hydra_cfg, made_now, in_sweep)
        return
    except Exception:
        if not in_sweep:
            raise
        # One broken variant must not lose the others: record it, let the sweep go on.
        record_failure(run_dir, traceback.format_exc())
        log.error(f"ccsim: job failed, see {run_dir / FAILURE_FILE}")
        return
    line = result_line(summary, run_dir)
    log.info(f"ccsim: {summary['scenario']}: {line}; outputs in {run_dir}")


def result_line(summary: dict, run_dir: Path) -> str:
    """The console's one line of results: per channel its service level and the report's
    verdict (met or missed), never a blend over channels with different thresholds, which
    would hide the one that fails."""
    from sim.analysis import verdict
    from sim.rundir.read import read_facts, read_intervals

    intervals = read_intervals(run_dir / "intervals.csv")
    return verdict.headline(verdict.judge(summary, intervals, read_facts(run_dir).interval_s))
