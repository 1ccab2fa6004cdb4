"""`python -m bench --end-to-end`: a week of the M/M/c+M centre through the whole CLI against
the textbook SimPy model of the same week.

`python -m bench` times the engine alone; a planner runs `python -m sim`, which also starts
Python, imports its libraries, composes the Hydra config, builds the model, writes the contact
log (Parquet), the interval table and the summary, and exits. This times all of that, as a
subprocess from start to exit, against `run_textbook_simpy` on the same workload (40 calls/min,
AHT 5 min, mean patience 3 min, 205 agents, here 168 hours: about 403,000 calls) in this
process. The textbook model's time is its simulation only (no interpreter start, no imports, no
output): the comparison is generous to it. The two alternate, `repeat` times each; the best
time of each is kept and the ratio printed, with CPU seconds beside wall seconds (a shared
machine's load shows in wall time first).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.baselines import BenchResult, Workload, run_textbook_simpy

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class CliResult:
    """One `python -m sim` run: its wall and CPU seconds and the figures it wrote."""

    wall_s: float
    cpu_s: float
    offered: float
    abandon_rate: float
    service_level: float


def cli_command(w: Workload, seed: int, run_dir: Path, report: str) -> list[str]:
    """`python -m sim` on the `erlang` scenario set to workload `w`, one replication."""
    return [
        sys.executable,
        "-m",
        "sim",
        "scenario=erlang",
        f"scenario.rate_per_hour={w.calls_per_min * 60:g}",
        f"scenario.aht_s={w.aht_s:g}",
        f"scenario.patience_s={w.patience_s:g}",
        f"scenario.agents={w.agents}",
        f"scenario.hours={w.hours:g}",
        f"targets.threshold_s={w.threshold_s:g}",
        f"seed={seed}",
        "replications=1",
        "progress=false",
        f"report={report}",
        f"hydra.run.dir={run_dir}",
    ]


def run_cli(w: Workload, seed: int, report: str) -> CliResult:
    """Run the CLI once into a fresh directory; wall time from start to exit."""
    with tempfile.TemporaryDirectory(prefix="ccsim-e2e-") as tmp:
        run_dir = Path(tmp) / "run"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            cli_command(w, seed, run_dir, report),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"python -m sim failed ({done.returncode}):\n{done.stderr}")
        kpis = json.loads((run_dir / "summary.json").read_text())["kpis"]["all"]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return CliResult(
        wall_s=wall,
        cpu_s=cpu,
        offered=kpis["offered"]["mean"],
        abandon_rate=kpis["abandon_rate"]["mean"],
        service_level=kpis["service_level"]["mean"],
    )


def run_textbook(w: Workload, seed: int) -> tuple[BenchResult, float]:
    """The textbook model once, and the CPU seconds it took."""
    start = time.process_time()
    result = run_textbook_simpy(w, seed)
    return result, time.process_time() - start


def end_to_end(hours: float, repeat: int, report: str) -> float:
    """Alternate the CLI and the textbook model `repeat` times; print the best of each and
    the ratio textbook / CLI (above 1: the whole CLI is faster); return that ratio."""
    w = Workload(hours=hours)
    cli: list[CliResult] = []
    textbook: list[tuple[BenchResult, float]] = []
    for k in range(repeat):
        seed = k + 1
        cli.append(run_cli(w, seed, report))
        textbook.append(run_textbook(w, seed))
    best_cli = min(cli, key=lambda r: r.wall_s)
    best_tb, _ = min(textbook, key=lambda r: r[0].wall_s)
    cli_cpu = min(r.cpu_s for r in cli)
    tb_cpu = min(cpu for _, cpu in textbook)
    print(
        f"M/M/c+M, {w.agents} agents, {w.calls_per_min:g} calls/min, {hours:g} h; "
        f"best of {repeat}; CLI with report={report}"
    )
    print(
        f"{'python -m sim (whole CLI)':28s} {best_cli.offered:9,.0f} calls  "
        f"{best_cli.wall_s:6.2f} s wall  {cli_cpu:6.2f} s CPU   "
        f"P(abandon) {best_cli.abandon_rate:.4f}  SL {best_cli.service_level:.4f}"
    )
    print(
        f"{'textbook SimPy (sim only)':28s} {best_tb.calls:9,d} calls  "
        f"{best_tb.wall_s:6.2f} s wall  {tb_cpu:6.2f} s CPU   "
        f"P(abandon) {best_tb.p_abandon:.4f}  SL {best_tb.service_level:.4f}"
    )
    ratio = best_tb.wall_s / best_cli.wall_s
    print(
        f"textbook SimPy / whole CLI: {ratio:.2f}x wall, {tb_cpu / cli_cpu:.2f}x CPU "
        "(above 1: the CLI is faster)"
    )
    return ratio
