"""ccsim: a discrete-event contact-centre simulator for workforce planners.

The pieces, in the order data flows through them: `config` (build and validate a `Model` from
the composed config), `arrivals` (draw the day's contacts), `engine` (simulate with SimPy),
`tables` and `metrics` (KPIs with confidence intervals), `outputs` (the run directory), and
`erlang` (Erlang C and A formulas for staffing and validation).

The names below are loaded on first use (PEP 562), so importing a submodule such as
`sim.metrics` or `sim.report` (to read a finished run) does not import the engine or SimPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.engine import simulate
    from sim.erlang import QueueFigures, agents_required, erlang_a, erlang_b, erlang_c
    from sim.model import Model

# public name -> the submodule that defines it
_LAZY = {
    "Model": "sim.model",
    "QueueFigures": "sim.erlang",
    "agents_required": "sim.erlang",
    "erlang_a": "sim.erlang",
    "erlang_b": "sim.erlang",
    "erlang_c": "sim.erlang",
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
