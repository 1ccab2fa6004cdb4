"""The run directory Hydra makes before any ccsim code runs, and removing it after bad input.

Hydra creates the run directory (with `.hydra/` and the job's log file, `app.log`) before it
calls `sim.app.main`. When the input then fails validation, that directory holds nothing of a
run; left behind, it would look like a run that started. So the app notes, on entry, whether
the directory is Hydra's fresh one (only Hydra's files, the log still empty: nothing written
into it by an earlier run) and, after a validation error outside a sweep, removes it if it
still holds only Hydra's files. A directory that held an earlier run's results is never
removed (a sweep's failed job keeps its directory: its error.txt is how the sweep report
lists it).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any


def hydra_files(hydra_cfg: Any) -> set[str]:
    """The names Hydra puts into a run directory: `.hydra/` and the job's log file."""
    names = {f"{hydra_cfg.job.name}.log"}
    if hydra_cfg.output_subdir is not None:
        names.add(str(hydra_cfg.output_subdir))
    return names


def only_hydra_files(run_dir: Path, hydra_cfg: Any) -> bool:
    """True when `run_dir` holds nothing but what Hydra puts there."""
    try:
        names = {path.name for path in run_dir.iterdir()}
    except FileNotFoundError:
        return False
    return names <= hydra_files(hydra_cfg)


def made_for_this_job(run_dir: Path, hydra_cfg: Any) -> bool:
    """Whether Hydra made `run_dir` for this job: only Hydra's files, and its log still empty
    (an earlier run's log would hold that run's messages). Call first thing in the app."""
    if not only_hydra_files(run_dir, hydra_cfg):
        return False
    log = run_dir / f"{hydra_cfg.job.name}.log"
    return not log.exists() or log.stat().st_size == 0


def remove_if_unused(run_dir: Path, hydra_cfg: Any, made_now: bool) -> None:
    """Remove the run directory made for this job (`made_now`) if it still holds only Hydra's
    files: bad input leaves no directory that looks like a run."""
    if made_now and only_hydra_files(run_dir, hydra_cfg):
        shutil.rmtree(run_dir, ignore_errors=True)
