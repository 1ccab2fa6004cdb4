"""Replications on several processes (`workers=2`, joblib's loky workers): none outlives a
killed run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.paths import PROJECT_ROOT


def _children(pid: int) -> dict[int, str]:
    """Processes whose parent is `pid` (read from /proc: psutil is not a dependency), with
    their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) `pid` has used so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_killing_the_run_leaves_no_worker_running(tmp_path, how):
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sim",
            "progress=false",
            f"hydra.run.dir={tmp_path}",
            "workers=2",
            "replications=20",
            "scenario=erlang",
            "scenario.hours=1000",
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        workers: dict[int, str] = {}
        while time.monotonic() < deadline and run.poll() is None:
            workers = {p: c for p, c in _children(run.pid).items() if "loky" in c}
            if len([c for c in workers.values() if "LokyProcess" in c]) == 2:
                break
            time.sleep(0.1)
        assert run.poll() is None and len(workers) >= 2, "the workers never started"
        # Under way: each worker has used more CPU than importing the simulator costs (about
        # 1.2 s), so its initializer has run; a fixed sleep is too short on a busy machine.
        loky = [p for p, c in workers.items() if "LokyProcess" in c]
        while time.monotonic() < deadline and min(_cpu_seconds(p) for p in loky) < 2.0:
            time.sleep(0.1)
        assert run.poll() is None, "the run ended before the workers were under way"
        children = _children(run.pid)
        os.kill(run.pid, how)
        run.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_running(p) for p in children):
            time.sleep(0.1)
        left = {p: c for p, c in children.items() if _running(p)}
        assert not left, f"still running after the run was killed: {left}"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for pid in [p for p in locals().get("children", {}) if _running(p)]:
            os.kill(pid, signal.SIGKILL)  # only this test's own leftovers, should it fail
