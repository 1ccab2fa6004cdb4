"""What importing the package pulls in, each checked in a fresh interpreter.

Reading a finished run (`sim.pages.run`, `sim.analysis.intervals`, `sim.analysis.tables`, `sim.sweep`) and the Erlang
formulas must not import the engine or SimPy; the package's public names are loaded on first
use. A run imports neither scipy (t quantiles and Erlang A's root are computed without it) nor,
with report=false, matplotlib: together they cost more than simulating a day.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str, *args: str) -> None:
    """Run `code` in a fresh interpreter; fail with its stderr if it fails."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_analysis_modules_do_not_import_simpy():
    _python(
        """
        import sys

        import sim.analysis.erlang
        import sim.analysis.kpis
        import sim.analysis.intervals
        import sim.pages.run
        import sim.sweep
        import sim.analysis.tables

        engine = sorted(m for m in sys.modules if m == "simpy" or m.startswith(("simpy.", "sim.engine")))
        assert not engine, engine
        """
    )


def test_the_pages_import_nothing_above_them():
    """sim.pages is below the applications: no page imports the staffing search, the
    calibration, the app or the runner (they import the pages)."""
    _python(
        """
        import pkgutil
        import sys

        import sim.pages

        for module in pkgutil.iter_modules(sim.pages.__path__):
            __import__(f"sim.pages.{module.name}")
        above = ("sim.staffing", "sim.calibrate", "sim.app", "sim.run", "sim.runner", "sim.engine")
        loaded = sorted(m for m in sys.modules if m in above or m.startswith(tuple(f"{a}." for a in above)))
        assert not loaded, loaded
        """
    )


def test_public_names_still_resolve():
    _python(
        """
        import sys

        import sim
        from sim import Model, QueueFigures, agents_required, erlang_a, erlang_b, erlang_c, simulate

        assert callable(simulate) and simulate is sim.simulate
        assert "simpy" in sys.modules  # simulate is the engine's
        assert Model.__module__ == "sim.model"
        assert QueueFigures.__module__ == "sim.analysis.erlang"
        assert all(callable(f) for f in (agents_required, erlang_a, erlang_b, erlang_c))
        assert set(sim.__all__) <= set(dir(sim))
        try:
            sim.no_such_name
        except AttributeError:
            pass
        else:
            raise AssertionError("sim.no_such_name resolved")
        """
    )


# `python -m sim ARGS` in this interpreter (this checkout's sim first), then print the
# top-level packages it imported.
_RUN_CLI = """
import runpy, sys

sys.path.insert(0, "")
sys.argv = ["sim", *sys.argv[1:]]
try:
    runpy.run_module("sim", run_name="__main__")
except SystemExit as exit:
    assert not exit.code, exit.code
loaded = {m.split(".")[0] for m in sys.modules}
"""


def test_a_run_without_report_imports_neither_scipy_nor_matplotlib(tmp_path):
    _python(
        _RUN_CLI
        + """
assert "simpy" in loaded and "pandas" in loaded
assert not loaded & {"scipy", "matplotlib"}, sorted(loaded & {"scipy", "matplotlib"})
""",
        *_SMALL_RUN,
        f"hydra.run.dir={tmp_path}",
        "report=false",
    )
    assert (tmp_path / "summary.json").is_file()


def test_a_run_with_its_report_imports_matplotlib_but_not_scipy(tmp_path):
    _python(
        _RUN_CLI
        + """
assert "matplotlib" in loaded
assert "scipy" not in loaded
""",
        *_SMALL_RUN,
        f"hydra.run.dir={tmp_path}",
    )
    assert (tmp_path / "report.html").is_file()


_SMALL_RUN = ("scenario=erlang", "scenario.hours=2", "scenario.patience_s=300", "progress=false")
