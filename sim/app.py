"""The Hydra app behind `python -m sim`: compose, build the model, simulate, write the run.

A thin shell on purpose: everything it calls works without Hydra, so tests and scripts can run
the same steps directly (`run_scenario`).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException
from tqdm import tqdm

from sim import labour, rundir
from sim.config import build_model
from sim.engine import simulate
from sim.errors import ConfigError
from sim.model import Model
from sim.outputs import invalidate, run_lock, write_run
from sim.paths import CONFIGS, PROJECT_ROOT
from sim.records import Records
from sim.tables import agents_frame, contacts_frame
from sim.workforce_kpis import alerts_frame

log = logging.getLogger(__name__)


def run_scenario(cfg: Mapping[str, Any], run_dir: Path, in_sweep: bool = False) -> dict:
    """Validate, simulate every replication and write the run directory; returns the summary.

    Holds the directory's lock throughout (refusing a directory another live run is writing)
    and first removes a previous run's summary.json, so the directory never looks complete
    with files of two runs (`sim.outputs`). Into a directory that does not exist yet, the
    config is validated first, so an input error leaves nothing behind. `in_sweep`: the run
    is a job of a multirun, where `report: auto` writes no report.html."""
    prepared = None if run_dir.exists() else _prepare(cfg, in_sweep)
    with run_lock(run_dir):
        invalidate(run_dir)
        return _simulate_and_write(cfg, run_dir, prepared or _prepare(cfg, in_sweep))


def _prepare(cfg: Mapping[str, Any], in_sweep: bool) -> tuple:
    """Every check on the input: the model, labour rules and run settings."""
    model = build_model(cfg, PROJECT_ROOT)
    rules, strict = labour.rules_from_config(cfg)
    planned = labour.check_planned(model, rules)
    if strict:
        labour.enforce_strict(planned, labour.roster_source(cfg))
    return model, rules, planned, _run_settings(cfg), report_wanted(cfg, in_sweep)


def report_wanted(cfg: Mapping[str, Any], in_sweep: bool) -> bool:
    """The `report` key: true or false force report.html on or off; `auto` (the default)
    writes it for a single run but not for a sweep's jobs, where it would cost more than the
    simulation and the sweep's own page compares the variants (`python -m sim.report DIR`
    builds a job's report later)."""
    value = cfg.get("report", "auto")
    if isinstance(value, bool):
        return value
    if value == "auto":
        return not in_sweep
    raise ConfigError("config", "report", f"expected auto, true or false, got {value!r}")


def _simulate_and_write(cfg: Mapping[str, Any], run_dir: Path, prepared: tuple) -> dict:
    model, rules, planned, (seed, replications, workers), report = prepared
    runs = simulate_all(model, seed, replications, workers, bool(cfg.get("progress", True)))
    agents = agents_frame(model, runs)
    realised = labour.check_realised(model, agents, rules, replications)
    return write_run(
        run_dir,
        model,
        seed,
        replications,
        float(cfg.get("service_level", {}).get("threshold_s", 20)),
        contacts_frame(model, runs),
        agents,
        alerts_frame(runs),
        labour=labour.summary_section(rules, planned, realised),
        report=report,
    )


def simulate_all(
    model: Model,
    seed: int,
    replications: int,
    workers: int = 1,
    show: bool = False,
    keep_workers: bool = False,
) -> list[Records]:
    """Every replication, on `workers` processes. Each replication is a pure function of
    (model, seed, replication), so the results do not depend on how many workers ran them.
    The workers are shut down at the end unless `keep_workers` (many calls in a row, as the
    staffing search's evaluations; they still die with this process on Linux)."""
    bar = tqdm(total=replications, desc="replications", disable=not show)
    if workers == 1:
        runs = []
        for replication in range(replications):
            runs.append(simulate(model, seed, replication, _day_progress(model, show)))
            bar.update()
    else:
        from joblib import Parallel, delayed, parallel_config

        runs = []
        with (
            parallel_config(backend="loky", initializer=_die_with_parent, initargs=(os.getpid(),)),
            _terminated_as_exit(stop_workers=not keep_workers),
        ):
            parallel = Parallel(n_jobs=workers, return_as="generator")
            for records in parallel(delayed(simulate)(model, seed, r) for r in range(replications)):
                runs.append(records)
                bar.update()
    bar.close()
    return runs


@contextmanager
def _terminated_as_exit(stop_workers: bool = True) -> Iterator[None]:
    """While workers run, SIGTERM raises SystemExit in the main process instead of killing it
    outright: joblib then aborts the batch and kills its loky workers (which would otherwise
    finish their replication, orphaned, before noticing), and `run_lock` is released. At the
    end the workers are shut down, so none outlives the run (a SIGKILL of the parent later,
    while it writes the outputs, leaves no idle worker behind)."""

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        try:
            yield
        finally:
            if stop_workers:
                _stop_workers()
        return
    try:
        yield
    finally:
        if stop_workers:
            _stop_workers()
        signal.signal(signal.SIGTERM, previous)


def _die_with_parent(parent: int) -> None:
    """A worker's initializer: on Linux, ask the kernel to SIGKILL this worker when its
    parent dies (even by SIGKILL, which leaves the parent no say); a busy loky worker would
    otherwise finish its replication, or an idle one wait, orphaned."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _stop_workers() -> None:
    """End joblib's reusable loky workers now. Left idle for reuse, they outlive a parent
    killed while it writes the outputs (they notice its death only when given work)."""
    from joblib.externals.loky import reusable_executor

    executor = reusable_executor._executor
    if executor is not None:
        executor.shutdown(wait=True, kill_workers=True)


def _run_settings(cfg: Mapping[str, Any]) -> tuple[int, int, int]:
    """seed, replications and workers, each a whole number (workers defaults to 1)."""
    settings = []
    for key, default, minimum in (("seed", None, 0), ("replications", None, 1), ("workers", 1, 1)):
        value = cfg.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ConfigError("config", key, f"expected a whole number >= {minimum}, got {value!r}")
        settings.append(value)
    return settings[0], settings[1], settings[2]


def _day_progress(model: Model, show: bool):
    """A bar over simulated hours, for long horizons (more than two days)."""
    hours = model.demand.horizon_s / 3600
    if not show or hours <= 48:
        return None
    total = round(hours)
    bar = tqdm(total=total, desc="simulated hours", leave=False)

    def update(now_s: float) -> None:
        bar.update(round(now_s / 3600) - bar.n)
        if bar.n >= total:
            bar.close()

    return update


def _resolved(cfg: DictConfig) -> dict:
    try:
        resolved = OmegaConf.to_container(cfg, resolve=True)
    except OmegaConfBaseException as err:
        raise ConfigError(
            "config", getattr(err, "full_key", "?") or "?", str(err).splitlines()[0]
        ) from None
    assert isinstance(resolved, dict)  # a DictConfig converts to a dict
    return resolved


@hydra.main(version_base="1.3", config_path=str(CONFIGS), config_name="config")
def main(cfg: DictConfig) -> None:
    hydra_cfg = HydraConfig.get()
    run_dir = Path(hydra_cfg.runtime.output_dir)
    in_sweep = hydra_cfg.mode == RunMode.MULTIRUN
    made_now = rundir.made_for_this_job(run_dir, hydra_cfg)
    try:
        summary = run_scenario(_resolved(cfg), run_dir, in_sweep)
    except ConfigError as err:
        reject(err, run_dir, hydra_cfg, made_now, in_sweep)
        return
    except Exception:
        if not in_sweep:
            raise
        # One broken variant must not lose the others: record it, let the sweep go on.
        _record_failure(run_dir, traceback.format_exc())
        log.error(f"ccsim: job failed, see {run_dir / FAILURE_FILE}")
        return
    line = result_line(summary, run_dir)
    log.info(f"ccsim: {summary['scenario']}: {line}; outputs in {run_dir}")


def result_line(summary: dict, run_dir: Path) -> str:
    """The console's one line of results: per channel its service level and the report's
    verdict (met or missed), never a blend over channels with different thresholds, which
    would hide the one that fails."""
    import pandas as pd

    from sim import verdict

    intervals = pd.read_csv(run_dir / "intervals.csv")
    return verdict.headline(verdict.judge(summary, intervals, verdict.interval_seconds(intervals)))


def reject(err: ConfigError, run_dir: Path, hydra_cfg: Any, made_now: bool, in_sweep: bool) -> None:
    """Bad input: one line on stderr (and in app.log). Alone, exit 2, removing the run
    directory Hydra made for this job (`sim.rundir`); in a sweep, record it in error.txt and
    let the other jobs go on."""
    message = f"ccsim: error: {err}"
    log.error(message)
    if in_sweep:
        _record_failure(run_dir, message)
        return
    rundir.remove_if_unused(run_dir, hydra_cfg, made_now)
    sys.exit(2)


FAILURE_FILE = "error.txt"


def _record_failure(run_dir: Path, message: str) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / FAILURE_FILE).write_text(message + "\n", encoding="utf-8")
