"""Replications of one model, on one process or on workers.

Each replication is a pure function of (model, contacts drawn for (seed, replication)), so the
results do not depend on how many workers ran them. Used by the run (`sim.run`), the staffing
search, the benchmark and the tests."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm

from sim.arrivals import draw_contacts
from sim.engine import simulate
from sim.model import Model
from sim.records import Records


def replicate(
    model: Model,
    seed: int,
    replication: int,
    on_progress: Callable[[float], None] | None = None,
) -> Records:
    """One replication: its contacts drawn (or replayed), then simulated."""
    return simulate(model, draw_contacts(model, seed, replication), seed, replication, on_progress)


def simulate_all(
    model: Model,
    seed: int,
    replications: int,
    workers: int = 1,
    show: bool = False,
    keep_workers: bool = False,
    ray: str | None = None,
) -> list[Records]:
    """Every replication, on `workers` processes. Each replication is a pure function of
    (model, seed, replication), so the results do not depend on how many workers ran them.
    The workers are shut down at the end unless `keep_workers` (many calls in a row, as the
    staffing search's evaluations; they still die with this process on Linux)."""
    if ray is not None:
        return simulate_on_ray(model, seed, replications, ray)
    bar = tqdm(total=replications, desc="replications", disable=not show)
    if workers == 1:
        runs = []
        for replication in range(replications):
            runs.append(replicate(model, seed, replication, _day_progress(model, show)))
            bar.update()
    else:
        from joblib import Parallel, delayed, parallel_config

        runs = []
        with (
            parallel_config(backend="loky", initializer=_die_with_parent, initargs=(os.getpid(),)),
            _terminated_as_exit(stop_workers=not keep_workers),
        ):
            parallel = Parallel(n_jobs=workers, return_as="generator")
            for records in parallel(
                delayed(replicate)(model, seed, r) for r in range(replications)
            ):
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


def simulate_on_ray(model: Model, seed: int, replications: int, address: str) -> list[Records]:
    """Every replication as a Ray task (through joblib's Ray backend), on all the cluster's
    CPUs; in replication order. `address` `local` starts Ray on this machine; `auto` (or an
    address such as `ray://head:10001`) joins an existing cluster, the one the Ray launcher
    uses for sweeps (`configs/hydra/launcher/ray_cluster.yaml`). Where replications run
    changes no result (tested against the local evaluation). Ray is imported only here, and
    only when asked for."""
    import ray
    from joblib import Parallel, delayed, parallel_backend
    from ray.util.joblib import register_ray

    if not ray.is_initialized():
        ray.init(
            address=None if address == "local" else address,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    register_ray()
    with parallel_backend("ray"):
        runs = Parallel(n_jobs=-1)(delayed(replicate)(model, seed, r) for r in range(replications))
    return list(runs)
