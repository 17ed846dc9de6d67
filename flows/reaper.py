"""No process of a run outlives it: its workers, their fork server and Prefect's local API server included.

The run marks itself and, through the environment it passes down, every process it starts with a token; a
small watcher process holds the reading end of a pipe whose writing end only the run holds. When the run ends,
however it ends (a normal exit, Ctrl-C, SIGTERM, SIGKILL), the pipe closes and the
watcher stops every process that still carries the token (SIGTERM, then SIGKILL). Processes started by the
run's children need no cooperation: they inherit the environment. Linux only (it reads /proc); elsewhere a no-op.

SIGTERM ends the run as Ctrl-C does: recorded as stopped, then cleaned up. The run does not end with the shell
that started it (`nohup foia ingest ... &` goes on), so it asks for no signal on its own parent's death.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

TOKEN_VARIABLE = "FOIA_RUN_TOKEN"
GRACE_SECONDS = 3.0


def processes_carrying(token: str) -> list[int]:
    """The processes (but this one) whose environment holds the run's token."""
    needle = f"{TOKEN_VARIABLE}={token}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if needle in handle.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:  # gone already, or not ours to read
            continue
    return found


def _stop(token: str) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = processes_carrying(token)
        for pid in pids:
            try:
                os.kill(pid, sig)
            except OSError:
                pass
        deadline = time.monotonic() + GRACE_SECONDS
        while pids and time.monotonic() < deadline and processes_carrying(token):
            time.sleep(0.1)


def _watch(token: str) -> None:
    """The watcher: wait for the pipe on stdin to close, then stop what carries the token."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the whole foreground group: outlive the run
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    sys.stdin.buffer.read()
    _stop(token)


def _on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # the same path as Ctrl-C: the run is recorded as stopped, the rest cleaned up


def _start_watcher() -> None:
    """A watcher for this process: what it starts from now on carries a new token, stopped when this process ends."""
    token = uuid.uuid4().hex
    read_end, write_end = os.pipe()
    subprocess.Popen([sys.executable, "-c", f"from flows.reaper import _watch; _watch({token!r})"],
                     stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True,
                     start_new_session=True, env={k: v for k, v in os.environ.items() if k != TOKEN_VARIABLE},
                     cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.close(read_end)
    os.set_inheritable(write_end, False)  # only this process holds the pipe open: children must not
    os.environ[TOKEN_VARIABLE] = token


def guard_run() -> None:
    """Make this process's run reap its descendants when it ends (see the module's docstring)."""
    if not sys.platform.startswith("linux") or os.environ.get(TOKEN_VARIABLE):
        return  # not Linux, or already inside a guarded run
    _start_watcher()
    signal.signal(signal.SIGTERM, _on_sigterm)


def reap_with_this_process() -> None:
    """For a long-lived process that is not a run (a Dask worker): the processes it starts from now on end when it
    does, however it ends, even inside a guarded run (whose own watcher then stops this process)."""
    if sys.platform.startswith("linux"):
        _start_watcher()
