"""The router against the exact solution of a small multi-skill centre's Markov chain.

Two contact types and two agent groups (see the model statement in `tests/markov.py`): G1
serves A; G2 serves B and takes A as overflow (a stage with no delay), preferring B or A by
its group rank; G2 is slower on A (a proficiency factor). Exponential handle times and
patience, agents on duty all the time. The simulator runs the same centre from a config, long
enough for tight confidence intervals, and every exact figure must lie inside its 95% CI.
"""

from __future__ import annotations

import pytest

from tests.conftest import run_config
from tests.markov import solve
from tests.test_validation import assert_within

pytestmark = pytest.mark.slow

LAM_A, LAM_B = 1 / 30, 1 / 40  # arrivals per second
MU_A1, MU_A2, MU_B2 = 1 / 100, 1 / 150, 1 / 120  # G2 is 1.5x slower on A
THETA_A, THETA_B = 1 / 200, 1 / 300
C1, C2 = 3, 4
T = 20.0
HOURS, REPLICATIONS = 100, 16


def centre_config(prefers: str) -> dict:
    return {
        "seed": 4,
        "replications": REPLICATIONS,
        "progress": False,
        "targets": {"threshold_s": T},
        "scenario": {
            "name": "two_skills",
            "interval_min": 60,
            "hours": HOURS,
            "channels": {"line_a": {}, "line_b": {}},
            "contact_types": {
                "A": {"channel": "line_a", "skill": "a", "handle": 1 / MU_A1},
                "B": {"channel": "line_b", "skill": "b", "handle": 1 / MU_B2},
            },
            "patience": {"line_a": 1 / THETA_A, "line_b": 1 / THETA_B},
            "forecast": {"unit": "per_hour", "values": {"A": LAM_A * 3600, "B": LAM_B * 3600}},
        },
        "roster": {
            "agents": [
                {
                    "agent": "g1",
                    "group": "G1",
                    "skills": "a",
                    "count": C1,
                    "start": 0,
                    "end": HOURS,
                },
                {
                    "agent": "g2",
                    "group": "G2",
                    "skills": "b",
                    "count": C2,
                    "start": 0,
                    "end": HOURS,
                },
            ],
            "proficiency": {"G2": {"a": MU_A1 / MU_A2}},
        },
        "routing": {
            "name": f"g2_prefers_{prefers}",
            "discipline": "fifo",
            "stages": {"A": [{"groups": ["G1"]}, {"groups": ["G2"]}]},
            "prefer": {"G2": [prefers]},
        },
    }


@pytest.mark.parametrize("prefers", ["B", "A"])
def test_two_skill_overflow_matches_its_markov_chain(tmp_path, prefers):
    exact = solve(LAM_A, LAM_B, MU_A1, MU_A2, MU_B2, THETA_A, THETA_B, C1, C2, g2_prefers=prefers)
    summary = run_config(centre_config(prefers), tmp_path)
    for name, queue in (("A", "queue=a"), ("B", "queue=b")):
        kpis = summary["kpis"][queue]
        figures = exact.types[name]
        assert_within(kpis["service_level"], exact.service_level(name, T), 0.01)
        assert_within(kpis["abandon_rate"], figures.p_abandon, 0.01)
        assert_within(kpis["mean_wait_s"], figures.mean_wait, 2.5)
    for group in ("G1", "G2"):
        occupancy = summary["agents"][f"group={group}"]["occupancy"]
        assert_within(occupancy, exact.groups[group].occupancy, 0.005)
