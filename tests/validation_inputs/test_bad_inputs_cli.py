"""Bad input through the command line, as a user meets it: a table of broken overrides, each run
as `python -m sim` in a subprocess. Every one must end with exit code 2, one line on stderr
naming the place and the field, no traceback, and no run directory at all (Hydra made one for
the job; the app removes it, `sim.rundir.hydra`)."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli

ERLANG = ("scenario=erlang", "scenario.hours=2", "replications=2", "workforce=none")

CASES = [
    # (overrides, words the one line must contain)
    (("+replicatons=3",), ["config", "replicatons", "unknown key"]),
    (("replicatons=3",), ["config", "replicatons", "unknown key"]),
    (("replications=0",), ["config", "replications", "whole number"]),
    (("scenario.agents=10000000",), ["roster", "200,000"]),
    (("scenario.rate_per_hour=1e12",), ["scenario.forecast", "contacts expected"]),
    (("scenario.hours=1e6",), ["scenario", "hours"]),
    (("scenario.aht_s=-5",), ["scenario.contact_types.calls", "handle"]),
    (("scenario.vip_share=1.5",), ["scenario.segments.vip", "share"]),
    (("+scenario.channels.phone.lines=0",), ["scenario.channels.phone", "lines"]),
    (("+scenario.channels.phone.close=720",), ["scenario.channels.phone", "quotes"]),
    (("routing.discipline=lifo",), ["routing", "discipline"]),
    (("+routing.stages.calls=[{groups:[ghosts]}]",), ["routing.stages.calls", "no agent group"]),
    (("+workforce.absence.ghosts=0.1",), ["workforce.absence", "ghosts"]),
    (("labour.max_shift_h=-1",), ["labour", "max_shift_h"]),
]


@pytest.mark.parametrize(("overrides", "words"), CASES, ids=[c[0][0] for c in CASES])
def test_every_bad_input_ends_in_one_clear_line(tmp_path, overrides, words):
    run_dir = tmp_path / "run"
    done = run_cli(run_dir, *ERLANG, *overrides)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, (overrides, done.returncode, done.stderr[-500:])
    assert len(lines) == 1 and lines[0].startswith("ccsim: error: "), (overrides, lines)
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0], (overrides, word, lines[0])
    assert not run_dir.exists(), sorted(p.name for p in run_dir.iterdir())
