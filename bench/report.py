"""`python -m bench --report`: what the run report costs beside the run it reports on.

Runs the default scenario (holiday_peak, 10 replications, or the overrides given) in this one
process `repeat` times: each time the simulation and analysis with every file written except
the report (`sim.run.run_scenario` with `report: false`), then the report alone
(`sim.pages.run.render_run_report`: figures and report.html) on that run directory. Prints the
best time of each and their ratio, (run + report) / run; the goal is at most 2x. The first
report also pays for importing matplotlib, which a real `python -m sim` pays once too: it is
printed separately and left out of the best time.

Then the same comparison as a planner sees it: the whole command `python -m sim` (the report
on, as a single run's default) against `python -m sim report=false`, each a fresh process from
start to exit, alternating, best of `repeat`. This is the issue's measure ("the default run,
report included, at most twice the time of the simulation and analysis without the report");
the in-process figures show where the time goes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from sim.pages.run import render_run_report
from sim.paths import PROJECT_ROOT
from sim.run import run_scenario

GOAL = 2.0  # (run + report) / run


@dataclass
class ReportTiming:
    run_s: float  # best simulation + analysis + files, without the report
    report_s: float  # best report (figures and report.html)
    first_report_s: float  # the first report, matplotlib's import included
    run_cpu_s: float  # the same as CPU time of this process (steadier on a busy machine)
    report_cpu_s: float

    @property
    def ratio(self) -> float:
        return (self.run_s + self.report_s) / self.run_s

    @property
    def cpu_ratio(self) -> float:
        return (self.run_cpu_s + self.report_cpu_s) / self.run_cpu_s


def composed(overrides: Sequence[str]) -> dict:
    """The resolved config `python -m sim OVERRIDES` runs."""
    with initialize_config_dir(config_dir=str(PROJECT_ROOT / "configs"), version_base="1.3"):
        cfg = compose(config_name="config", overrides=["progress=false", *overrides])
    return OmegaConf.to_container(cfg, resolve=True)  # type: ignore[return-value]


def time_report(repeat: int = 3, overrides: Sequence[str] = ()) -> ReportTiming:
    """Best-of-`repeat` times of the run without its report and of the report alone."""
    cfg = composed(overrides)
    runs, reports, run_cpu, report_cpu = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(repeat):
            run_dir = Path(tmp) / f"run{k}"
            (run_dir / ".hydra").mkdir(parents=True)  # as the app writes it: the report reads it
            OmegaConf.save(OmegaConf.create(cfg), run_dir / ".hydra" / "config.yaml")
            start, cpu = time.perf_counter(), time.process_time()
            run_scenario({**cfg, "report": False}, run_dir)
            runs.append(time.perf_counter() - start)
            run_cpu.append(time.process_time() - cpu)
            start, cpu = time.perf_counter(), time.process_time()
            render_run_report(run_dir)
            reports.append(time.perf_counter() - start)
            report_cpu.append(time.process_time() - cpu)
    return ReportTiming(
        min(runs),
        min(reports[1:] or reports),
        reports[0],
        min(run_cpu),
        min(report_cpu[1:] or report_cpu),
    )


def time_commands(repeat: int = 3, overrides: Sequence[str] = ()) -> tuple[float, float]:
    """Best-of-`repeat` wall seconds of `python -m sim` with its report and without, each a
    whole process, run in turn so a drifting machine treats both alike."""
    with_report, without = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(repeat):
            for report, times in (("auto", with_report), ("false", without)):
                command = [
                    sys.executable, "-m", "sim", "progress=false", f"report={report}",
                    f"hydra.run.dir={tmp}/{report}{k}", *overrides,
                ]  # fmt: skip
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True, cwd=PROJECT_ROOT)
                times.append(time.perf_counter() - start)
    return min(with_report), min(without)


def bench_report(repeat: int, overrides: Sequence[str] = ()) -> ReportTiming:
    with_report, without = time_commands(repeat, overrides)
    print(
        f"python -m sim {with_report:.2f} s, with report=false {without:.2f} s (whole "
        f"processes, best of {repeat}): {with_report / without:.2f}x; goal <= {GOAL:g}x: "
        f"{'met' if with_report / without <= GOAL else 'NOT met'}"
    )
    timing = time_report(repeat, overrides)
    print(
        f"run without report {timing.run_s:.2f} s, report {timing.report_s:.2f} s "
        f"(first, with matplotlib's import: {timing.first_report_s:.2f} s); best of {repeat}\n"
        f"in this process, imports and start-up left out: (run + report) / run "
        f"{timing.ratio:.2f}x\n"
        f"CPU time: run {timing.run_cpu_s:.2f} s, report {timing.report_cpu_s:.2f} s, "
        f"ratio {timing.cpu_ratio:.2f}x"
    )
    return timing
