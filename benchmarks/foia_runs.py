"""What the benchmarks share about running `foia` as a user does: a `foia server` for the duration, and when a
run loaded its first document (its log's first "loaded" line)."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

FOIA = os.path.join(os.path.dirname(sys.executable), "foia")


@contextmanager
def running_foia_server(env: dict, port: int) -> Iterator[None]:
    """`foia server` on this port, ready, for the block; stopped after it."""
    server = subprocess.Popen([FOIA, "server", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()  # "Prefect server ready ..."
        yield
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def first_loaded_after(db: str, start: float) -> float | None:
    """Seconds from `start` (time.time()) to the first document the run writing db.log loaded."""
    for line in open(db + ".log", encoding="utf-8", errors="replace"):
        if " loaded " in line:
            return datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp() - start
    return None
