"""ccsim: a discrete-event contact-centre simulator for workforce planners.

The pieces, in the order data flows through them: `config` (build and validate a `Model` from
the composed config), `arrivals` (draw the day's contacts), `engine` (simulate with SimPy),
`tables` and `metrics` (KPIs with confidence intervals), `outputs` (the run directory), and
`erlang` (Erlang C and A formulas for staffing and validation).

The names below are loaded on first use (PEP 562), so importing a submodule such as
`sim.analysis.kpis` or `sim.pages.run` (to read a finished run) does not import the engine or SimPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.analysis.erlang import QueueFigures, agents_required, erlang_a, erlang_b, erlang_c
    from sim.engine import simulate
    from sim.model import Model

# public name -> the submodule that defines it
_LAZY = {
    "Model": "sim.model",
    "QueueFigures": "sim.analysis.erlang",
    "agents_required": "sim.analysis.erlang",
    "erlang_a": "sim.analysis.erlang",
    "erlang_b": "sim.analysis.erlang",
    "erlang_c": "sim.analysis.erlang",
    "simulate": "sim.engine",
}

__all__ = [
    "Model",
    "QueueFigures",
    "agents_required",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "simulate",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
