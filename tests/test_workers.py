"""Replications on several processes (`workers=2`, joblib's loky workers): none outlives a
killed run.

The run is `simulate_all` in a process of its own whose replications never end: each says
it has started (a line on a named pipe) and then waits to be killed. So the test knows when
both workers are busy without watching the clock, kills the run, and waits for each of the
run's child processes to exit (a pidfd becomes readable then); the timeouts are only a
safety net against a hang.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.paths import PROJECT_ROOT

SAFETY_NET_S = 120.0  # (a busy machine; the waits end as soon as the event happens)

DRIVER = '''
import os
import sys
import threading

import sim.runner as runner

ANNOUNCE = sys.argv[1]


def stuck_replication(model, seed, replication):
    """A replication that says it has started, then never ends (until it is killed)."""
    with open(ANNOUNCE, "w") as announce:
        announce.write(f"{os.getpid()}\\n")
    threading.Event().wait()


runner.replicate = stuck_replication  # (sent to the workers by value: defined here)
runner.simulate_all(None, 0, 20, workers=2)  # (the stub ignores the model)
'''


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


def _read_lines(fd: int, count: int, deadline: float) -> list[str]:
    """`count` lines from the pipe `fd`, waiting for each (until `deadline` at most)."""
    data = b""
    while data.count(b"\n") < count:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        data += os.read(fd, 4096)
    return data.decode().splitlines()


def _wait_for_exits(pidfds: dict[int, int], deadline: float) -> set[int]:
    """Wait until every process of `pidfds` (pid -> pidfd) has exited; those still running
    at `deadline`."""
    running = dict(pidfds)
    while running:
        ready, _, _ = select.select(
            list(running.values()), [], [], max(0.0, deadline - time.monotonic())
        )
        if not ready:
            break
        running = {pid: fd for pid, fd in running.items() if fd not in ready}
    return set(running)


@pytest.mark.skipif(
    not (hasattr(os, "pidfd_open") and Path("/proc/self/stat").exists()),
    reason="waits on pidfds and reads /proc (Linux)",
)
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_killing_the_run_leaves_no_worker_running(tmp_path, how):
    announce = tmp_path / "started"
    os.mkfifo(announce)
    reader = os.open(announce, os.O_RDONLY | os.O_NONBLOCK)
    keep_open = os.open(announce, os.O_WRONLY)  # (no end of file between the workers' lines)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    run = subprocess.Popen(
        [sys.executable, str(driver), str(announce)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    pidfds: dict[int, int] = {}
    try:
        started = _read_lines(reader, 2, time.monotonic() + SAFETY_NET_S)
        assert len(started) == 2, f"the workers never started: {started}"
        assert run.poll() is None
        children = _children(run.pid)
        workers = {int(pid) for pid in started}
        assert workers <= set(children), (workers, children)
        for pid in children:
            with contextlib.suppress(ProcessLookupError):  # (gone already)
                pidfds[pid] = os.pidfd_open(pid)
        os.kill(run.pid, how)
        run.wait(timeout=SAFETY_NET_S)
        left = _wait_for_exits(pidfds, time.monotonic() + SAFETY_NET_S)
        assert not left, f"still running after the run was killed: {[children[p] for p in left]}"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        for fd in pidfds.values():  # (only this test's own leftovers, should it fail)
            if not select.select([fd], [], [], 0)[0]:
                signal.pidfd_send_signal(fd, signal.SIGKILL)
            os.close(fd)
        os.close(reader)
        os.close(keep_open)
