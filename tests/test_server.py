"""`foia server` (issue 17): a Prefect server kept running, which `foia ingest` finds and uses instead of starting
a temporary one; its runs are in the server's API, and the server leaves nothing behind when stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from flows.reaper import TOKEN_VARIABLE
from tests.conftest import SAMPLE_DIR, query

FOIA = os.path.join(os.path.dirname(sys.executable), "foia")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc (Linux)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flow_runs(api_url: str) -> list[dict]:
    request = urllib.request.Request(f"{api_url}/flow_runs/filter", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_an_ingest_uses_a_running_foia_server_and_the_server_stops_cleanly(tmp_path):
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    for name in ("PREFECT_API_URL", TOKEN_VARIABLE):
        env.pop(name, None)
    port = _free_port()
    server = subprocess.Popen([FOIA, "server", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        ready = server.stdout.readline()
        assert ready.startswith("Prefect server ready"), ready + server.stderr.read()
        api_url = f"http://127.0.0.1:{port}/api"
        state = json.load(open(tmp_path / "prefect" / "foia-server.json"))
        assert state == {"api_url": api_url, "pid": server.pid}

        db = str(tmp_path / "served.duckdb")
        pdf = os.path.join(SAMPLE_DIR, "PHPD-000101_FaceQuill_demo_invitation.pdf")
        run = subprocess.run([FOIA, "ingest", pdf, "--db", db], env=env, capture_output=True, text=True,
                             timeout=300)
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"Prefect API: {api_url}" in open(db + ".log", encoding="utf-8").read()
        assert query(db, "SELECT count(*) FROM documents") == [(1,)]
        runs = _flow_runs(api_url)
        assert [(r["name"], r["state_type"]) for r in runs] == [("ingest run 1", "COMPLETED")]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert not os.path.exists(tmp_path / "prefect" / "foia-server.json")
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)


def test_without_a_server_an_ingest_starts_its_own(tmp_path, monkeypatch):
    """A state file left by a server that is gone is not trusted."""
    from flows.server import state_path, use_warm_server

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with open(state_path(), "w") as file:
        json.dump({"api_url": f"http://127.0.0.1:{_free_port()}/api", "pid": os.getpid()}, file)
    assert use_warm_server() is None and "PREFECT_API_URL" not in os.environ
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with open(state_path(), "w") as file:
        json.dump({"api_url": "http://127.0.0.1:1/api", "pid": dead.pid}, file)
    started = time.monotonic()
    assert use_warm_server() is None
    assert time.monotonic() - started < 2
