"""Evaluations on a Ray cluster: the replications of each candidate as Ray tasks.

`staffing.ray: local` starts Ray on this machine; `staffing.ray: auto` (or an address such as
`ray://head:10001`) joins an existing cluster, the one the Ray launcher uses for sweeps
(`configs/hydra/launcher/ray_cluster.yaml`). Replications are pure functions of (model, seed,
replication), so where they run changes no result (tested against the local evaluation).
Ray is imported only here, and only when asked for.
"""

from __future__ import annotations

from sim.engine import simulate
from sim.model import Model
from sim.records import Records


def simulate_on_ray(model: Model, seed: int, replications: int, address: str) -> list[Records]:
    """Every replication as a Ray task (through joblib's Ray backend), on all the cluster's
    CPUs; in replication order."""
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
        runs = Parallel(n_jobs=-1)(delayed(simulate)(model, seed, r) for r in range(replications))
    return list(runs)
