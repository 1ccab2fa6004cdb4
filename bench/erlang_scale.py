"""`python -m bench --workload erlang`: the Erlang formulas at planning scale, as ratios.

Replaces the timed assertions the Erlang scale tests once had (speed is measured here, never
in a test). In one process, best of `repeat`: `erlang_c` and `erlang_a` at 10,000 agents and
`agents_required` (Erlang C, and Erlang A with an abandonment cap) at 5,000 erlangs, each
against the textbook Erlang C (the Erlang B recursion, one step per agent, in plain Python)
at the same size; machine speed cancels out of the ratio. The textbook figure is printed
beside ccsim's, so a fast but wrong formula shows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from sim.analysis.erlang import agents_required, erlang_a, erlang_c

AHT, THRESHOLD = 180.0, 20.0
T = TypeVar("T")


def textbook_p_wait(agents: int, load: float) -> float:
    """Erlang C's P(wait) by the Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1))."""
    b = 1.0
    for k in range(1, agents + 1):
        b = load * b / (k + load * b)
    return agents * b / (agents - load * (1 - b))


@dataclass(frozen=True)
class Case:
    name: str
    seconds: float  # best of the repeats
    textbook_s: float  # the textbook Erlang C at the same number of agents, best of the repeats
    figure: str  # what it computed, beside the textbook's P(wait)

    @property
    def ratio(self) -> float:
        return self.seconds / self.textbook_s


def _best(call: Callable[[], T], repeat: int) -> tuple[float, T]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        value = call()
        times.append(time.perf_counter() - start)
    return min(times), value


def erlang_cases(agents: int = 10_000, erlangs: float = 5_000, repeat: int = 5) -> list[Case]:
    """The four timed cases (sizes smaller in the tests)."""
    rate = (agents - 100) / AHT  # 99% loaded at `agents`
    textbook_s, p_wait = _best(lambda: textbook_p_wait(agents, rate * AHT), repeat)
    cases = []
    seconds, c = _best(lambda: erlang_c(agents, rate, AHT, THRESHOLD), repeat)
    shown = f"P(wait) {c.p_wait:.6f} (textbook {p_wait:.6f})"
    cases.append(Case(f"erlang_c, {agents:,} agents", seconds, textbook_s, shown))
    seconds, a = _best(lambda: erlang_a(agents, rate, AHT, 300.0, THRESHOLD), repeat)
    shown = f"P(abandon) {a.p_abandon:.6f}"
    cases.append(Case(f"erlang_a, {agents:,} agents", seconds, textbook_s, shown))
    rate = erlangs / AHT
    for name, call in (
        ("agents_required C", lambda: agents_required(rate, AHT, THRESHOLD, 0.8)),
        (
            "agents_required A",
            lambda: agents_required(rate, AHT, THRESHOLD, 0.8, patience=300.0, max_abandon=0.01),
        ),
    ):
        seconds, needed = _best(call, repeat)
        base_s, _ = _best(partial(textbook_p_wait, needed, erlangs), repeat)
        cases.append(Case(f"{name}, {erlangs:,.0f} erlangs", seconds, base_s, f"{needed:,} agents"))
    return cases


def bench_erlang(repeat: int) -> list[Case]:
    cases = erlang_cases(repeat=repeat)
    for case in cases:
        print(
            f"{case.name:34s} {case.seconds * 1e3:8.2f} ms   {case.ratio:6.2f}x the textbook "
            f"Erlang C ({case.textbook_s * 1e3:.2f} ms)   {case.figure}"
        )
    return cases
