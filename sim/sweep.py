"""Comparing the variants of a Hydra multirun: `sweep.csv`, `sweep.html` and their figures.

A sweep directory holds one run directory per job (`0/`, `1/`, ...), each with its overrides
in `.hydra/overrides.yaml`. This module reads only those saved files, so the comparison can be
regenerated at any time (`python -m sim.sweep SWEEP_DIR`); the `SweepReport` Hydra callback
produces it automatically when a multirun ends.

Every variant is judged as its run's report judges it (`sim.analysis.verdict`, on the one rule
of `sim.analysis.judgement`: holds, at risk or breaks per channel and overall), with the
reasons where it does not hold. Variants are ranked by that judgement, then by cost: the
realised `cost` at the roster's rates (`sim.analysis.costs`) when every finished variant has
one, else planned paid agent-hours (`rank_by` says which). The cheapest variant that holds is
the recommendation, and the first in ranking order is the baseline the paired differences are
measured against (common random numbers: every variant sees the same customers, so the
per-replication difference is far more precise than comparing two means). `pareto` marks the
cost-judgement frontier: a variant is dominated by one that costs no more, is at least as good
in every channel and is cheaper or better in some channel (`sim.analysis.sweep.dominates`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from hydra.experimental.callback import Callback

from sim.pages.sweep import write_sweep_report
from sim.rundir.read import failed_jobs


class SweepReport(Callback):
    """Hydra callback: write the sweep report when a multirun ends, then exit with status 1
    when any job failed (the sweep went on past them), so scripts notice."""

    def on_multirun_end(self, config, **kwargs) -> None:
        sweep_dir = Path(config.hydra.sweep.dir)
        try:
            path = write_sweep_report(sweep_dir)
        except Exception as err:  # a report failure must not hide the jobs' own results
            print(f"ccsim: sweep report failed: {err}", file=sys.stderr)
        else:
            print(f"ccsim: sweep report in {path}")
        failed = failed_jobs(sweep_dir)
        if failed:
            numbers = ", ".join(str(job.number) for job in failed)  # the others went on
            print(
                f"ccsim: error: {len(failed)} of the sweep's jobs failed (job {numbers}); "
                f"see error.txt in their directories under {sweep_dir}",
                file=sys.stderr,
            )
            sys.exit(1)


def main(argv: list[str] | None = None) -> int:
    """`python -m sim.sweep SWEEP_DIR` (as `python -m sim.report SWEEP_DIR`, for sweeps only)."""
    from sim.report import run_cli

    return run_cli(
        lambda directory: [write_sweep_report(directory)],
        argv,
        "python -m sim.sweep",
        "(Re)build sweep.csv, sweep.html and figures/ of a finished ccsim sweep "
        "(python -m sim -m ...) from its job directories; prints the page's path.",
        "a multirun directory written by -m",
    )


if __name__ == "__main__":
    sys.exit(main())
