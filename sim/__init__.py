"""ccsim: a discrete-event contact-centre simulator for workforce planners.

The pieces, in the order data flows through them: `config` (build and validate a `Model` from
the composed config), `arrivals` (draw the day's contacts), `engine` (simulate with SimPy),
`tables` and `metrics` (KPIs with confidence intervals), `outputs` (the run directory), and
`erlang` (Erlang C and A formulas for staffing and validation).
"""

from sim.engine import simulate
from sim.erlang import QueueFigures, agents_required, erlang_a, erlang_b, erlang_c
from sim.model import Model

__all__ = [
    "Model",
    "QueueFigures",
    "agents_required",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "simulate",
]
