"""`python -m sim.calibrate LOG --name NAME`: a ready scenario from a contact log.

Bad input (a log that cannot be read, a bad option, an existing NAME without --force) is one
line on stderr naming the file or option, the column or field and the line, and exit code 2;
nothing is written then.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from sim.errors import ConfigError
from sim.model import DEFAULT_INTERVAL_MIN
from sim.paths import INSTALLED, PROJECT_ROOT

# Where a new scenario goes: the checkout's configs/ and scenarios/; from a regular install
# (whose configs sit inside the package) the working directory, run with --config-dir.
DEFAULT_ROOT = Path.cwd() if INSTALLED else PROJECT_ROOT


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one ccsim line too (exit 2), like every bad input."""

    def error(self, message: str) -> NoReturn:
        print(f"ccsim: error: {message} (see python -m sim.calibrate --help)", file=sys.stderr)
        sys.exit(2)


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m sim.calibrate",
        description="Estimate a scenario (forecast, handle times, patience, segments, roster) "
        "from a contact log or an interval-counts file, runnable as python -m sim scenario=NAME.",
    )
    p.add_argument("log", type=Path, help="contact log (CSV or Parquet), one row per contact")
    p.add_argument("--name", required=True, help="the scenario's name (files are named by it)")
    p.add_argument("--map", default=None, help="rename columns: ours=theirs,... (type=queue)")
    p.add_argument(
        "--days",
        default="all",
        help="all (default), weekday, weekend, mon,tue,... or dates 2026-11-02,2026-11-03",
    )
    p.add_argument(
        "--day-column",
        default=None,
        help="a column numbering separate days that share one clock (e.g. replication)",
    )
    p.add_argument("--interval-min", type=int, choices=(15, 30), default=DEFAULT_INTERVAL_MIN)
    p.add_argument(
        "--root",
        type=Path,
        default=DEFAULT_ROOT,
        help="where configs/ and scenarios/ are (default: the project)",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing scenario NAME")
    p.add_argument(
        "--counts",
        action="store_true",
        help="LOG is an interval-counts file (date, interval, type, count, aht_s)",
    )
    return p


def run(args: argparse.Namespace) -> Path:
    """Check the name and read the log first (a bad one fails fast, before scipy and
    matplotlib load), then estimate and write."""
    from sim.calibrate import scenario
    from sim.calibrate.days import select_days
    from sim.inputs.contact_log import parse_map, read_interval_counts, read_log

    scenario.check_free(scenario.target_paths(args.name, args.root), args.force)
    mapping = parse_map(args.map)
    interval_s = args.interval_min * 60.0
    source = str(args.log)
    if args.counts:
        from sim.calibrate.counts import calibrate_counts, counts_days

        table = read_interval_counts(args.log, mapping)
        chosen = counts_days(table, args.days, source, interval_s)
        cal = calibrate_counts(chosen, source, interval_s)
    else:
        from sim.calibrate.calibration import calibrate_log

        keep = [args.day_column] if args.day_column else []
        log = read_log(args.log, mapping, keep=keep)
        cal = calibrate_log(select_days(log.frame, args.days, args.day_column), source, interval_s)
    from sim.calibrate.view import view_of
    from sim.pages import calibration as page

    def render(cal, rows, folder):  # the page takes plain data, not the estimator's types
        return page.render(view_of(cal, rows), folder)

    written = scenario.write_scenario(cal, args.name, args.root, args.force, render)
    return written.data


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        data = run(args)
    except ConfigError as err:
        print(f"ccsim: error: {err}", file=sys.stderr)
        return 2
    print(
        f"ccsim: calibrated scenario {args.name!r}: run it with {_run_command(args.root, args.name)}; "
        f"estimates in {data / 'calibration.html'}"
    )
    return 0


def _run_command(root: Path, name: str) -> str:
    """How to run the new scenario: plainly in the project, else from `root` with its configs."""
    if root.resolve() == PROJECT_ROOT.resolve():
        return f"python -m sim scenario={name}"
    return f"cd {root} && python -m sim --config-dir configs scenario={name}"
