"""What importing the package pulls in, each checked in a fresh interpreter.

Reading a finished run (`sim.report`, `sim.metrics`, `sim.tables`) and the Erlang formulas must
not import the engine or SimPy; the package's public names are loaded on first use.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str) -> None:
    """Run `code` in a fresh interpreter; fail with its stderr if it fails."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
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

        import sim.erlang
        import sim.metrics
        import sim.report
        import sim.tables

        engine = sorted(m for m in sys.modules if m == "simpy" or m.startswith(("simpy.", "sim.engine")))
        assert not engine, engine
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
        assert QueueFigures.__module__ == "sim.erlang"
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
