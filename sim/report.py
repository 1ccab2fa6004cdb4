"""`python -m sim.report DIR`: rebuild whatever page DIR holds, from its saved files alone.

- a run of `python -m sim` (summary.json): report.html and figures/ (`sim.pages.run`);
- a staffing search of `python -m sim.staffing` (staffing.json): staffing.html
  (`sim.pages.staffing`);
- a sweep of `python -m sim -m` (job directories 0/, 1/, ...): sweep.csv, sweep.html
  (`sim.sweep`, also `python -m sim.sweep DIR`).

Prints each page's path. A directory holding none of them, or written by an older ccsim, is
one line `ccsim: error: ...` on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from sim.rundir.read import STAFFING, SUMMARY, RunDirError


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one ccsim line too (exit 2), like every bad input."""

    def error(self, message: str) -> NoReturn:
        print(f"ccsim: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


def is_sweep(directory: Path) -> bool:
    return any(p.parent.parent.name.isdigit() for p in directory.glob("*/.hydra/overrides.yaml"))


def rebuild(directory: Path) -> list[Path]:
    """Rebuild every page `directory` holds; returns their paths. RunDirError when it holds
    none (or its files are missing or older)."""
    if not directory.is_dir():
        raise RunDirError(f"{directory}: no such directory")
    pages = []
    if (directory / SUMMARY).is_file():
        from sim.pages.run import render_run_report

        pages.append(render_run_report(directory))
    if (directory / STAFFING).is_file():
        from sim.pages.staffing import render_staffing_page

        pages.append(render_staffing_page(directory))
    if not pages and is_sweep(directory):
        from sim.pages.sweep import write_sweep_report

        pages.append(write_sweep_report(directory))
    if not pages:
        raise RunDirError(
            f"{directory}: nothing to rebuild: missing {SUMMARY} (a run), {STAFFING} (a staffing "
            "search) and job directories with .hydra/overrides.yaml (a sweep)"
        )
    return pages


def run_cli(rebuilder, argv: list[str] | None, prog: str, description: str, what: str) -> int:
    """The shared shell of `python -m sim.report` and `python -m sim.sweep`."""
    parser = Parser(prog=prog, description=description)
    parser.add_argument("directory", type=Path, help=what)
    args = parser.parse_args(argv)
    try:
        pages = rebuilder(args.directory)
    except RunDirError as err:
        print(f"ccsim: error: {err}", file=sys.stderr)
        return 2
    for page in pages:
        print(page)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_cli(
        rebuild,
        argv,
        "python -m sim.report",
        "(Re)build the page of a ccsim directory from its saved files: a run's report.html, a "
        "staffing search's staffing.html or a sweep's sweep.html (with their figures/); prints "
        "each page's path.",
        "a run, staffing search or sweep directory",
    )


if __name__ == "__main__":
    sys.exit(main())
