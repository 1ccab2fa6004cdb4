"""`python -m sim.report RUN_DIR`: (re)build report.html and figures/ of an existing run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.pages.run import render_run_report
from sim.rundir.read import RunDirError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.report",
        description="(Re)build report.html and figures/ of an existing ccsim run directory.",
    )
    parser.add_argument("run_dir", type=Path, help="a run directory written by python -m sim")
    args = parser.parse_args(argv)
    try:
        path = render_run_report(args.run_dir)
    except RunDirError as err:
        print(f"ccsim: error: {err}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
