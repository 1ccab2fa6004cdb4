"""`python -m bench`: ccsim's engine against textbook SimPy and Ciw on one M/M/c+M day.

All three run in this one process on the same workload (40 calls/min, AHT 5 min, mean patience
3 min, 205 agents, 24 h: about 57,600 calls), each `--repeat` times; the best wall time of each
is kept and the ratios are printed, so machine speed cancels out. Each model's abandonment and
service level are printed beside the exact Erlang A figures, so a fast but wrong engine shows.
Timing covers the simulation only: for ccsim, drawing the day's contacts and running the
engine (not building the model from config or computing KPIs).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from bench.baselines import BenchResult, Workload, run_ciw, run_textbook_simpy
from sim.app import PROJECT_ROOT
from sim.config import build_model
from sim.engine import simulate
from sim.erlang import erlang_a


def run_ccsim(w: Workload, seed: int) -> BenchResult:
    model = build_model(_erlang_config(w), PROJECT_ROOT)
    start = time.perf_counter()
    records = simulate(model, seed, 0)
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
        "service_level": {"threshold_s": w.threshold_s},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per model; best time kept")
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--skip-ciw", action="store_true", help="Ciw is the slowest; skip it")
    args = parser.parse_args()
    w = Workload(hours=args.hours)
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


if __name__ == "__main__":
    main()
