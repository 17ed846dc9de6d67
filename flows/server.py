"""`foia server`: a Prefect server kept running between ingests, which they find and use.

Without one, each `foia ingest` starts Prefect's temporary server and waits for it: about 5.5 s of a run that loads
a one-page document in 8.5 s here. With one running, a run skips that, and its flow and task runs stay in the
server's database, to be watched in its UI. The server writes where it listens to PREFECT_HOME/foia-server.json;
`foia ingest` uses it when that file names a live process whose API answers (PREFECT_API_URL, when set, wins).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from typing import TextIO

from flows import terminal

STATE_FILE = "foia-server.json"
HEALTH_TIMEOUT_SECONDS = 0.5  # a server that takes longer to answer is not used: the run starts its own
START_TIMEOUT_SECONDS = 180.0


def state_path() -> str:
    return os.path.join(os.environ.get("PREFECT_HOME") or terminal.prefect_home(), STATE_FILE)


def _answers(api_url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def warm_server_url() -> str | None:
    """The API of a `foia server` that is running and answering, or None."""
    try:
        with open(state_path(), encoding="utf-8") as file:
            state = json.load(file)
        url, pid = state["api_url"], int(state["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if _alive(pid) and _answers(url, HEALTH_TIMEOUT_SECONDS) else None


def use_warm_server() -> str | None:
    """Point this process's Prefect at a running `foia server`, unless the user chose a server already; the API
    URL used, or None for Prefect's temporary server. Call before Prefect is imported."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    url = warm_server_url()
    if url:
        os.environ["PREFECT_API_URL"] = url
    return url


def start_prefect_server(host: str, port: int, err: TextIO) -> subprocess.Popen | None:
    """Start `prefect server start` and wait until its API answers; None (and why, on err) if it does not."""
    api_url = f"http://{host}:{port}/api"
    prefect = [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port),
               "--analytics-off"]
    log_path = os.path.join(os.path.dirname(state_path()), "foia-server.log")
    with open(log_path, "a", encoding="utf-8") as log:
        server = subprocess.Popen(prefect, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not _answers(api_url, 1.0):
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            err.write(f"foia: the Prefect server did not start on {host}:{port} (its output is in {log_path})\n")
            return None
        time.sleep(0.2)
    return server


def stop_prefect_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def add_server_parser(commands) -> None:
    server = commands.add_parser(
        "server", help="run a Prefect server that ingests use (they start faster, and their runs show in its UI)",
        description="Run a Prefect server in the foreground until Ctrl-C. While it runs, every foia ingest on this "
        "machine (same PREFECT_HOME) uses it instead of starting Prefect's temporary server, and its UI shows their "
        "flow and task runs.")
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    server.add_argument("--port", type=int, default=4200, help="port to listen on (default: %(default)s)")


def run_server_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    terminal.configure_prefect_environment()
    api_url = f"http://{args.host}:{args.port}/api"
    if running := warm_server_url():
        err.write(f"foia: a foia server is already running ({running})\n")
        return 2
    server = start_prefect_server(args.host, args.port, err)
    if server is None:
        return 2
    path = state_path()
    with open(path, "w", encoding="utf-8") as file:
        json.dump({"api_url": api_url, "pid": os.getpid()}, file)
    out.write(f"Prefect server ready: API {api_url}, UI http://{args.host}:{args.port}\n"
              "foia ingest on this machine uses it while it runs. Ctrl-C stops it.\n")
    out.flush()
    stop = {"signal": None}

    def on_signal(number, _frame) -> None:
        stop["signal"] = number

    signal.signal(signal.SIGTERM, on_signal)
    try:
        while server.poll() is None and stop["signal"] is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        stop_prefect_server(server)
    out.write("Prefect server stopped.\n")
    return 0
