"""Reference (baseline) simulators for benchmarking ccsim.

Both baselines simulate the same M/M/c+M (Erlang A) workload: Poisson arrivals,
exponential handle times, exponential patience, ``c`` identical agents on duty the
whole time, one FIFO queue.  Callers abandon only while waiting; once an agent
answers, the call is always completed.

* :func:`run_textbook_simpy` is the *speed reference* named in the product spec: the
  model written the way the SimPy documentation and tutorials write it (one process
  per call, ``Resource.request() | timeout(patience)``), deliberately not optimised.
* :func:`run_ciw` is the *peer Python simulator*: the same workload expressed in
  Ciw 3.x, an established open-source queueing-network simulator.

All times are in **seconds** in both models.  Only calls that arrive before
``Workload.hours`` are counted; every counted call is followed until it is answered
or abandons, so ``answered + abandoned == calls``.

The harness that runs ccsim beside these baselines imports ``Workload``,
``BenchResult``, ``run_textbook_simpy`` and ``run_ciw`` from this module.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

import ciw
import simpy

__all__ = ["BenchResult", "Workload", "run_ciw", "run_textbook_simpy"]


@dataclass(frozen=True)
class BenchResult:
    """Tallies and wall time of one baseline run."""

    name: str
    calls: int  # arrivals generated (arrived before Workload.hours)
    answered: int
    abandoned: int
    answered_within: int  # answered with wait <= threshold_s
    wall_s: float  # perf_counter seconds for the simulation itself

    @property
    def calls_per_s(self) -> float:
        """Simulated calls per wall-clock second."""
        return self.calls / self.wall_s if self.wall_s > 0 else float("inf")

    @property
    def p_abandon(self) -> float:
        """Fraction of arrivals that abandoned: abandoned / calls."""
        return self.abandoned / self.calls if self.calls else 0.0

    @property
    def service_level(self) -> float:
        """answered_within / (answered + abandoned): abandons count against the SL."""
        offered = self.answered + self.abandoned
        return self.answered_within / offered if offered else 0.0


@dataclass(frozen=True)
class Workload:
    """An M/M/c+M workload.  Defaults: 200 Erlangs offered to 205 agents for 24 h."""

    calls_per_min: float = 40.0
    aht_s: float = 300.0
    patience_s: float = 180.0
    agents: int = 205
    hours: float = 24.0
    threshold_s: float = 20.0

    @property
    def horizon_s(self) -> float:
        """End of the arrival window, in seconds."""
        return self.hours * 3600.0

    @property
    def arrival_rate_per_s(self) -> float:
        return self.calls_per_min / 60.0


def run_textbook_simpy(w: Workload, seed: int) -> BenchResult:
    """The textbook SimPy model: the speed reference in the product spec.

    Written the way the SimPy docs and tutorials write a call centre with reneging,
    and deliberately *not* optimised: a source process draws exponential
    inter-arrival gaps with ``random.Random(seed).expovariate`` and starts one
    process per call; each call does ``with agents.request() as req:
    result = yield req | env.timeout(patience)`` on a ``simpy.Resource`` of
    capacity ``agents``, then either holds the agent for an exponential handle time
    or abandons.

    Counted: every call that arrives before ``w.hours``.  The source stops
    generating at ``w.hours`` and ``env.run()`` (no ``until``) then drains the system,
    so every counted call ends answered or abandoned.  ``wall_s`` covers building
    the environment and ``env.run()``; the counters are updated inside the call
    processes, as in the tutorials.
    """
    rng = random.Random(seed)
    arrival_rate = w.arrival_rate_per_s
    service_rate = 1.0 / w.aht_s
    abandon_rate = 1.0 / w.patience_s
    horizon = w.horizon_s
    threshold = w.threshold_s
    stats = {"calls": 0, "answered": 0, "abandoned": 0, "answered_within": 0}

    def call(env: simpy.Environment, agents: simpy.Resource):
        arrived = env.now
        patience = rng.expovariate(abandon_rate)
        with agents.request() as req:
            result = yield req | env.timeout(patience)
            if req in result:
                wait = env.now - arrived
                stats["answered"] += 1
                if wait <= threshold:
                    stats["answered_within"] += 1
                yield env.timeout(rng.expovariate(service_rate))
            else:
                stats["abandoned"] += 1

    def source(env: simpy.Environment, agents: simpy.Resource):
        while True:
            yield env.timeout(rng.expovariate(arrival_rate))
            if env.now >= horizon:
                return
            stats["calls"] += 1
            env.process(call(env, agents))

    t0 = time.perf_counter()
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=w.agents)
    env.process(source(env, agents))
    env.run()
    wall = time.perf_counter() - t0

    return BenchResult(
        name="textbook_simpy",
        calls=stats["calls"],
        answered=stats["answered"],
        abandoned=stats["abandoned"],
        answered_within=stats["answered_within"],
        wall_s=wall,
    )


def run_ciw(w: Workload, seed: int, drain_hours: float = 1.0) -> BenchResult:
    """The same workload in Ciw 3.x: the peer Python simulator.

    One node, ``Exponential`` arrival, service and reneging-time distributions
    (``reneging_time_distributions``; reneging customers leave the system), ``agents``
    servers, FIFO.  Seeded with ``ciw.seed(seed)``.  Times are in seconds.

    Ciw cannot stop arrivals at a given time, so the model runs until
    ``w.hours + drain_hours`` and only customers whose ``arrival_date`` is before
    ``w.hours`` are counted; arrivals during the drain keep the agents loaded as
    they would be in steady state.  A counted customer is *answered* if its service
    started (a ``"service"`` record, or an ``"incomplete"`` record with a service
    start date for the rare call still being handled at the end of the run) and
    *abandoned* if it has a ``"renege"`` record.  Patience is exponential with mean
    ``patience_s``, so with the default one-hour drain a counted customer still
    waiting at the end is astronomically unlikely; such a customer would be counted
    in ``calls`` only.

    ``wall_s`` covers ``create_network``, ``ciw.Simulation`` and
    ``simulate_until_max_time``; ``get_all_records`` and the tally are excluded.
    """
    horizon = w.horizon_s
    threshold = w.threshold_s

    t0 = time.perf_counter()
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=w.arrival_rate_per_s)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / w.aht_s)],
        number_of_servers=[w.agents],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / w.patience_s)],
    )
    ciw.seed(seed)
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(horizon + drain_hours * 3600.0)
    wall = time.perf_counter() - t0

    calls = answered = abandoned = answered_within = 0
    for rec in sim.get_all_records(only=["service", "renege"], include_incomplete=True):
        if rec.arrival_date >= horizon:
            continue
        calls += 1
        if rec.record_type == "renege":
            abandoned += 1
        elif rec.service_start_date is not None:  # "service", or incomplete but answered
            answered += 1
            if rec.waiting_time <= threshold:
                answered_within += 1

    return BenchResult(
        name="ciw",
        calls=calls,
        answered=answered,
        abandoned=abandoned,
        answered_within=answered_within,
        wall_s=wall,
    )
