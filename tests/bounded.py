"""Run a command as an attacker's input would: in a subprocess, with a time and a memory limit.

The issue's rule is that each check finishes in 10 s and 1 GB or less. The child's address space is
capped with RLIMIT_AS (a read of /dev/zero or a 2 GB list fails inside it, never on the machine)
and its processor time with RLIMIT_CPU (the kernel stops it at 10 s of work). Processor time,
not the clock, is the measure: on a test machine busy with other work the clock runs three times
faster than the work. A child still running after WAIT seconds of clock (blocked on a pipe, say)
is killed and reported as a hang. Standard input is a pipe that stays open and empty, so a read
of /dev/stdin would block, as it would for a user.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SECONDS = 10          # of processor time
WAIT = 60.0           # of clock time: a child that does no work for this long is blocked
MEMORY = 1 << 30
PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float        # processor time, user and system
    wall: float
    max_rss_mb: float
    hung: bool            # still running after WAIT, or stopped at the processor-time limit


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS + 1))


def run_main(*args: str, wait: float = WAIT, cwd: Path | None = None, stdin: str = "") -> Run:
    """`python main.py ARGS`, bounded; its own time and peak memory are measured (wait4). `stdin`
    is written to standard input, which then stays open (never an end of input)."""
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, str(PROJECT / "main.py"), *args], stdin=subprocess.PIPE,
                                stdout=out, stderr=err, preexec_fn=_limit, cwd=cwd, env=env)
        if stdin:
            proc.stdin.write(stdin.encode())
            proc.stdin.flush()
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(wait, kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
            proc.stdin.close()
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        stopped = proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL) or cpu > SECONDS
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   cpu, elapsed, usage.ru_maxrss / 1024, killed.is_set() or stopped)
