"""`python -m bench.digest`: fingerprints of every library scenario's run outputs.

A behaviour-preserving change (a refactor) must leave `summary.json`, `intervals.csv` and
`contacts.parquet` of every scenario byte-identical. This runs each scenario through the whole
CLI (`python -m sim`, a subprocess, so it measures what a planner runs), hashes the three
files and writes or compares a JSON of the hashes:

    git worktree add /tmp/old <old commit>
    python -m bench.digest --write before.json --root /tmp/old   # the old commit's outputs
    python -m bench.digest --compare before.json                 # this checkout's: exit 1 on a difference

`summary.json` is hashed without its `schema_version` key, the one difference a refactor may
add. Runs use 3 replications, no report, no progress bar; the variants below add the workforce,
routing and replay features the scenarios alone leave off.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUNS: dict[str, list[str]] = {
    "holiday_peak": ["scenario=holiday_peak"],
    "holiday_peak_workforce": [
        "scenario=holiday_peak",
        "workforce=holiday_peak",
        "routing=overflow",
    ],
    "holiday_peak_long_waiters": ["scenario=holiday_peak", "routing=long_waiters"],
    "holiday_peak_fifo_workers": ["scenario=holiday_peak", "routing=fifo", "workers=2"],
    "normal_weekday": ["scenario=normal_weekday"],
    "double11_opening": ["scenario=double11_opening"],
    "spring_festival_eve": ["scenario=spring_festival_eve"],
    "finance_month_end": ["scenario=finance_month_end"],
    "product_launch_week": ["scenario=product_launch_week"],
    "erlang": ["scenario=erlang"],
}

FILES = ("summary.json", "intervals.csv", "contacts.parquet", "agents.parquet", "alerts.csv")


def run_one(name: str, overrides: list[str], out: Path, root: Path = ROOT) -> dict[str, str]:
    run_dir = out / name
    command = [
        sys.executable,
        "-m",
        "sim",
        *overrides,
        "replications=3",
        "report=false",
        "progress=false",
        f"hydra.run.dir={run_dir}",
    ]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{name}: exit {done.returncode}\n{done.stderr}")
    return {f: _digest(run_dir / f) for f in FILES if (run_dir / f).exists()}


def _digest(path: Path) -> str:
    data = path.read_bytes()
    if path.name == "summary.json":
        summary = json.loads(data)
        summary.pop("schema_version", None)
        data = json.dumps(summary, sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()


def digests(names: list[str], root: Path = ROOT) -> dict[str, dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        return {name: run_one(name, RUNS[name], Path(tmp), root) for name in names}


def compare(before: dict, after: dict) -> list[str]:
    differences = []
    for name, files in before.items():
        for file, digest in files.items():
            now = after.get(name, {}).get(file)
            if now != digest:
                differences.append(f"{name}/{file}: {digest[:12]} -> {(now or 'missing')[:12]}")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="write the digests to this JSON file")
    group.add_argument("--compare", type=Path, help="compare with digests written before")
    parser.add_argument("--only", nargs="*", choices=sorted(RUNS), help="a subset of the runs")
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="the checkout to run (another commit's worktree, say); this one by default",
    )
    args = parser.parse_args()
    names = args.only or list(RUNS)
    now = digests(names, args.root)
    if args.write:
        args.write.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"{len(now)} runs, {sum(len(f) for f in now.values())} files -> {args.write}")
        return
    before = json.loads(args.compare.read_text())
    before = {name: files for name, files in before.items() if name in names}
    differences = compare(before, now)
    for line in differences:
        print(line)
    checked = sum(len(f) for f in before.values())
    print(f"{checked} files of {len(before)} runs: {len(differences)} differ")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
