"""`python -m bench`: ccsim's engine against textbook SimPy and Ciw on one M/M/c+M day.

All three run in this one process on the same workload (40 calls/min, AHT 5 min, mean patience
3 min, 205 agents, 24 h: about 57,600 calls), each `--repeat` times; the best wall time of each
is kept and the ratios are printed, so machine speed cancels out. Each model's abandonment and
service level are printed beside the exact Erlang A figures, so a fast but wrong engine shows.
Timing covers the simulation only: for ccsim, drawing the day's contacts and running the
engine (not building the model from config or computing KPIs).

`--workload erlang` times the Erlang C and A formulas at 10,000 agents and the staffing
requirement at 5,000 erlangs, as ratios to the textbook recursion (bench/erlang_scale.py).

`--workload full` times ccsim alone on the full-featured workload instead (every holiday_peak
feature, 12 queues, about 100,000 contacts and 400 agents a day: bench/workloads.py), and
`--scaling` runs that workload at about 100k and 1M contacts and prints the time ratio.
`--report` times the run report against the run it reports on (bench/report.py).

`--end-to-end` times a week of the M/M/c+M workload through the whole CLI (`python -m sim` as a
subprocess, start to exit) against the textbook SimPy model of the same week (bench/end_to_end.py);
`--e2e-report auto` runs it with the report.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from bench.baselines import BenchResult, Workload, run_ciw, run_textbook_simpy
from bench.end_to_end import end_to_end
from bench.erlang_scale import bench_erlang
from bench.workloads import CHANNEL_KINDS, FullResult, full_model, run_full
from sim.analysis.erlang import erlang_a
from sim.inputs.config import build_model
from sim.paths import PROJECT_ROOT
from sim.runner import replicate


def run_ccsim(w: Workload, seed: int) -> BenchResult:
    model = build_model(_erlang_config(w), PROJECT_ROOT)
    start = time.perf_counter()
    records = replicate(model, seed, 0)
    wall = time.perf_counter() - start
    outcome, wait = records.outcome, records.wait_s
    answered = outcome == "answered"
    return BenchResult(
        name="ccsim",
        calls=len(outcome),
        answered=int(answered.sum()),
        abandoned=int((outcome == "abandoned").sum()),
        answered_within=int((answered & (wait <= w.threshold_s)).sum()),
        wall_s=wall,
    )


def _erlang_config(w: Workload) -> dict:
    """The `erlang` scenario's shape, written out for this workload."""
    return {
        "scenario": {
            "name": "bench",
            "interval_min": 60,
            "hours": w.hours,
            "channels": {"phone": {}},
            "contact_types": {"calls": {"channel": "phone", "skill": "calls", "handle": w.aht_s}},
            "patience": {"phone": w.patience_s},
            "forecast": {"unit": "per_hour", "values": {"calls": w.calls_per_min * 60}},
        },
        "roster": {
            "agents": [
                {
                    "name": "agent",
                    "count": w.agents,
                    "skills": ["calls"],
                    "start": 0,
                    "end": w.hours,
                }
            ]
        },
        "targets": {"threshold_s": w.threshold_s},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per model; best time kept")
    parser.add_argument(
        "--hours", type=float, default=None, help="horizon (default 24; --end-to-end: 168)"
    )
    parser.add_argument("--skip-ciw", action="store_true", help="Ciw is the slowest; skip it")
    parser.add_argument(
        "--workload",
        choices=("mmc", "full", "erlang"),
        default="mmc",
        help="mmc: ccsim, SimPy and Ciw on M/M/c+M (default); full: ccsim on every feature; "
        "erlang: the Erlang formulas at 10,000 agents against the textbook recursion",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="full: volume and agents x")
    parser.add_argument("--days", type=int, default=1, help="full: days simulated")
    parser.add_argument("--seed", type=int, default=1, help="full: the seed of every repeat")
    parser.add_argument(
        "--busyness-cv",
        type=float,
        default=0.0,
        help="full: gamma day factor (holiday_peak: 0.1); 0 keeps every day at the forecast",
    )
    parser.add_argument(
        "--scaling", action="store_true", help="full workload at ~100k and ~1M contacts"
    )
    parser.add_argument(
        "--scaling-by",
        choices=("days", "volume"),
        default="days",
        help="1M contacts as 10 days (default) or 10x volume and agents in one day",
    )
    parser.add_argument(
        "--end-to-end",
        action="store_true",
        help="a week of M/M/c+M through the whole CLI (python -m sim) vs textbook SimPy",
    )
    parser.add_argument(
        "--e2e-report",
        choices=("false", "auto"),
        default="false",
        help="end-to-end: the CLI's report key (auto: report.html, as a single run's default)",
    )
    parser.add_argument(
        "--report",
        nargs="*",
        metavar="OVERRIDE",
        help="the run report's time against the run's (default scenario, or these overrides)",
    )
    args = parser.parse_args()
    if args.end_to_end:
        end_to_end(args.hours or 168.0, args.repeat, args.e2e_report)
    elif args.report is not None:
        from bench.report import bench_report

        bench_report(args.repeat, args.report)
    elif args.scaling:
        scaling(args.scaling_by, args.repeat, args.seed, args.busyness_cv)
    elif args.workload == "erlang":
        bench_erlang(args.repeat)
    elif args.workload == "full":
        bench_full(args.scale, args.days, args.repeat, args.seed, args.busyness_cv)
    else:
        compare(args)


def compare(args: argparse.Namespace) -> None:
    """ccsim, textbook SimPy and Ciw on the M/M/c+M day: the default."""
    w = Workload(hours=args.hours or 24.0)
    exact = erlang_a(w.agents, w.calls_per_min / 60, w.aht_s, w.patience_s, w.threshold_s)
    runners = {"ccsim": run_ccsim, "textbook SimPy": run_textbook_simpy}
    if not args.skip_ciw:
        runners["Ciw"] = run_ciw
    best: dict[str, BenchResult] = {}
    for name, runner in runners.items():
        results = [runner(w, seed) for seed in range(1, args.repeat + 1)]
        fastest = min(results, key=lambda r: r.wall_s)
        best[name] = fastest
        p_ab = np.mean([r.p_abandon for r in results])
        sl = np.mean([r.service_level for r in results])
        print(
            f"{name:15s} {fastest.calls:7d} calls  {fastest.wall_s:6.2f} s  "
            f"{fastest.calls_per_s:9,.0f} calls/s   P(abandon) {p_ab:.4f}  SL {sl:.4f}"
        )
    print(
        f"{'Erlang A exact':15s} {'':37s}P(abandon) {exact.p_abandon:.4f}  SL {exact.service_level:.4f}"
    )
    ours = best["ccsim"].calls_per_s
    for name, result in best.items():
        if name != "ccsim":
            print(f"ccsim / {name}: {ours / result.calls_per_s:.2f}x")


def bench_full(
    scale: float, days: int, repeat: int, seed: int, busyness_cv: float = 0.0
) -> FullResult:
    """The full workload, `repeat` runs of the same seed (the same work each time, so the best
    time is the least disturbed one); prints the size, the best time and sanity figures."""
    start = time.perf_counter()
    model = full_model(scale, days, busyness_cv)
    built = time.perf_counter() - start
    shifts = sum(len(a.shifts) for a in model.agents)
    print(
        f"full workload x{scale:g}, {days} day(s), day factor cv {busyness_cv:g}: "
        f"{len(model.queues)} queues, "
        f"{len(model.contact_types)} contact types, {len(model.agents)} agents, {shifts:,} shifts "
        f"(model built in {built:.2f} s, not timed)"
    )
    results = []
    for k in range(1, repeat + 1):
        result = run_full(model, seed)
        results.append(result)
        print(
            f"  run {k}: {result.contacts:,} contacts  {result.wall_s:6.2f} s  "
            f"{result.contacts_per_s:9,.0f} contacts/s  (CPU {result.cpu_s:.2f} s)"
        )
    best = min(results, key=lambda r: r.wall_s)
    print(
        f"best of {repeat}: {best.contacts:,} contacts  {best.wall_s:.2f} s  "
        f"{best.contacts_per_s:,.0f} contacts/s  (CPU {best.cpu_s:.2f} s)"
        f"   process peak RSS {_peak_rss_mib():,.0f} MiB"
    )
    print("  " + _describe(best))
    return best


def _describe(r: FullResult) -> str:
    offered = sum(r.outcomes.values())
    shares = "  ".join(f"{o} {n / offered:.1%}" for o, n in r.outcomes.items())
    sl = "  ".join(f"{k} {r.service_level[k]:.3f}" for k in CHANNEL_KINDS)
    ab = "  ".join(f"{k} {r.abandon_rate[k]:.3f}" for k in CHANNEL_KINDS)
    return (
        f"{offered:,} attempts ({r.retries:,} of them retries) + {r.legs:,} transfer legs: "
        f"{shares}\n  service level: {sl}\n  abandon rate:  {ab}"
    )


def scaling(by: str, repeat: int, seed: int, busyness_cv: float = 0.0) -> None:
    """The full workload at ~100k and ~1M contacts (ten days, or ten times the volume and agents
    of one day): best of `repeat` each, and the time ratio. Target: at most 11x."""
    sizes = [(1.0, 1), (1.0, 10)] if by == "days" else [(1.0, 1), (10.0, 1)]
    small, large = (bench_full(scale, days, repeat, seed, busyness_cv) for scale, days in sizes)
    contacts_ratio = large.contacts / small.contacts
    wall_ratio = large.wall_s / small.wall_s
    print(
        f"scaling by {by}: {small.contacts:,} -> {large.contacts:,} contacts "
        f"({contacts_ratio:.2f}x): wall {small.wall_s:.2f} s -> {large.wall_s:.2f} s, "
        f"ratio {wall_ratio:.2f}x (per contact {wall_ratio / contacts_ratio:.2f}x); "
        f"target <= 11x: {'met' if wall_ratio <= 11 else 'NOT met'}"
    )
    cpu_ratio = large.cpu_s / small.cpu_s
    print(
        f"  CPU time of the same runs: {small.cpu_s:.2f} s -> {large.cpu_s:.2f} s, ratio "
        f"{cpu_ratio:.2f}x (per contact {cpu_ratio / contacts_ratio:.2f}x)"
    )


def _peak_rss_mib() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
