"""Writing a run directory: the model's facts, the contact and agent logs, the interval table,
the report, and last the summary.

`summary.json` is written last and atomically (to a temporary name, then renamed), so a run
that crashed part-way never leaves a directory that looks complete. Its content depends only
on the config and seed (no paths, clocks or timings), so it is byte-identical across reruns.

A run directory may be reused (the same `hydra.run.dir` twice, a rerun after a crash). So that
it never mixes the files of two runs, a run first takes the directory's lock (`.ccsim.lock`,
holding its pid; a live run's lock refuses the directory, a dead one's is taken over), removes
the previous run's `summary.json` (the directory no longer looks complete), writes its files
into a staging directory inside the run directory (`.staging-<pid>/`), removes the previous
run's other outputs, moves its own into place and writes `summary.json` last. Hydra's `.hydra/`
and log files stay where Hydra puts them.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from sim.analysis.summary import RunResults
from sim.errors import ConfigError


def write_run(
    run_dir: Path,
    results: RunResults,
    facts: dict,
    contacts: pd.DataFrame,
    agents: pd.DataFrame,
    alerts: pd.DataFrame | None = None,
    render: Callable[[Path], object] | None = None,
) -> None:
    """Write every file of the run into a staging directory, let `render(staging)` add the
    report there (report.html, figures/), move them into place and write summary.json last.
    `facts`: model.json's content (`sim.analysis.summary.model_facts`). `alerts`: alerts.csv's
    rows, None when the run had no monitor (no file is written)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    invalidate(run_dir)
    staging = run_dir / f"{STAGING_PREFIX}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    write_json(staging / MODEL, facts)
    write_parquet(contacts, staging / "contacts.parquet")
    write_parquet(agents, staging / "agents.parquet")
    if alerts is not None:
        alerts.to_csv(staging / "alerts.csv", index=False, float_format="%.6g")
    results.intervals.to_csv(staging / "intervals.csv", index=False, float_format="%.6g")
    if render is not None:
        render(staging)
    _move_into_place(staging, run_dir)
    write_json_atomically(run_dir / SUMMARY, results.summary)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """`frame` as Parquet, dictionary-encoding only its text columns (names, categories):
    pyarrow otherwise tries a dictionary for every column, and numbers, nearly all distinct,
    only cost it time (a third of the contact log's writing) for a larger file."""
    text = [
        str(name)
        for name, dtype in frame.dtypes.items()
        if isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(dtype)
    ]
    frame.to_parquet(path, index=False, use_dictionary=text)


SUMMARY = "summary.json"
MODEL = "model.json"
LOCK = ".ccsim.lock"
STAGING_PREFIX = ".staging-"
# Everything a run writes besides summary.json (and error.txt, a failed sweep job's message):
# the previous run's copies go before this run's are moved in.
OUTPUTS = (
    MODEL,
    "contacts.parquet",
    "agents.parquet",
    "alerts.csv",
    "intervals.csv",
    "report.html",
    "figures",
    "error.txt",
)


def invalidate(run_dir: Path) -> None:
    """Make a previous run's directory look unfinished: remove its summary.json (first) and
    any staging directory a crashed run left behind. Call with the lock held."""
    (run_dir / SUMMARY).unlink(missing_ok=True)
    for leftover in run_dir.glob(f"{STAGING_PREFIX}*"):
        if leftover.is_dir() and leftover.name != f"{STAGING_PREFIX}{os.getpid()}":
            shutil.rmtree(leftover, ignore_errors=True)


def _move_into_place(staging: Path, run_dir: Path) -> None:
    """Replace the previous run's outputs by the staged ones (summary.json is already gone)."""
    for name in OUTPUTS:
        _remove(run_dir / name)
    for path in sorted(staging.iterdir()):
        os.replace(path, run_dir / path.name)
    staging.rmdir()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def run_lock(run_dir: Path) -> Iterator[None]:
    """Hold `run_dir/.ccsim.lock` (this process's pid) while the run writes the directory.

    Raises ConfigError when another live process holds it; a lock whose process is gone (a
    killed run) is taken over. The lock is removed at the end, whatever happened."""
    run_dir.mkdir(parents=True, exist_ok=True)
    lock = run_dir / LOCK
    for _ in range(3):
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _lock_holder(lock)
            if holder is not None and holder != os.getpid() and _alive(holder):
                raise ConfigError(
                    str(run_dir),
                    LOCK,
                    f"another run (pid {holder}) is writing this directory; "
                    "wait for it or choose another hydra.run.dir",
                ) from None
            lock.unlink(missing_ok=True)  # stale: its run is gone
            continue
        with os.fdopen(descriptor, "w") as handle:
            handle.write(f"{os.getpid()}\n")
        break
    else:
        raise ConfigError(str(run_dir), LOCK, "could not take the run directory's lock")
    try:
        yield
    finally:
        if _lock_holder(lock) == os.getpid():
            lock.unlink(missing_ok=True)


def _lock_holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, allow_nan=False) + "\n", encoding="utf-8")


def write_json_atomically(path: Path, data: dict) -> None:
    temporary = path.with_suffix(".json.part")
    write_json(temporary, data)
    os.replace(temporary, path)
