"""Keep the user's terminal for our own output; send everything else (Prefect's logs, its temporary
server, shutdown tracebacks printed at exit) to a log file."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO


def prefect_home() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "foia", "prefect")


def configure_prefect_environment() -> None:
    """Settings Prefect reads at import time; a value the user set already wins."""
    defaults = {
        "PREFECT_HOME": prefect_home(),  # not ~/.prefect: its SQLite state grows with every task run
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # telemetry fails without network and logs an ERROR
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",  # slow, loaded CI machines
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


def divert_output_to(log_path: str) -> tuple[TextIO, TextIO]:
    """Point file descriptors 1 and 2 at log_path for the rest of the process; return the terminal's
    (stdout, stderr) as new streams.

    Descriptors rather than sys.stdout/sys.stderr, so child processes (Prefect's temporary API server,
    OCR workers) and messages printed at interpreter exit are diverted too. Never restored on purpose.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    terminal_out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8", errors="replace")
    terminal_err = os.fdopen(os.dup(2), "w", buffering=1, encoding="utf-8", errors="replace")
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    os.close(log_fd)
    return terminal_out, terminal_err
