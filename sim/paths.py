"""Where ccsim's configs and scenario data are: the checkout, or the installed package.

From a checkout (and an editable install) they are the top-level `configs/` and `scenarios/`
beside `sim/`. A regular install (`pip install .`) has no checkout: the build copies both into
the package as `sim/_project/configs/` and `sim/_project/scenarios/` (pyproject.toml,
`[tool.setuptools.package-dir]`), so `python -m sim` runs the same from any directory.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_INSTALLED = _PACKAGE / "_project"

# The directory holding configs/ and scenarios/: relative data file names in configs (e.g.
# `scenarios/holiday_peak/roster.csv`) are looked up in the working directory, then here.
INSTALLED = (_INSTALLED / "configs").is_dir()  # a regular install, not a checkout
PROJECT_ROOT = _INSTALLED if INSTALLED else _PACKAGE.parent
CONFIGS = PROJECT_ROOT / "configs"
