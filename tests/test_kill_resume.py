"""Crash safety (issue 16): an ingest killed in the middle of a release and run again ends as if it had not been
interrupted, and no process of the tool outlives it (workers, their fork server, Prefect's server), whether it
is killed (SIGKILL: the death of the tool's own process) or stopped with SIGTERM or SIGINT."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from flows.reaper import TOKEN_VARIABLE, processes_carrying
from tests.conftest import SAMPLE_DIR, SAMPLE_GAZETTEER, query, table_checksums

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
FOIA = os.path.join(os.path.dirname(sys.executable), "foia")

@pytest.fixture(scope="module")
def release(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kill") / "release"
    folder.mkdir()
    for name in sorted(os.listdir(SAMPLE_DIR)):
        if name.endswith(".pdf"):
            shutil.copy(os.path.join(SAMPLE_DIR, name), folder)
    return folder


def _environment(tmp_path) -> dict:
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    env.pop(TOKEN_VARIABLE, None)
    return env


def _command(folder, db) -> list[str]:
    return [FOIA, "ingest", str(folder), "--db", str(db), "--gazetteer", SAMPLE_GAZETTEER, "--workers", "2"]


def _wait_for_first_document(db, process, seconds: float = 120) -> None:
    """Until the run has loaded a document (its log says so), so the kill lands in the middle of the release."""
    log = f"{db}.log"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(log) and "loaded " in open(log, encoding="utf-8", errors="replace").read():
            return
        assert process.poll() is None, "the run ended before it loaded anything"
        time.sleep(0.1)
    raise AssertionError("no document was loaded in time")


def _token(pid: int) -> str:
    """The run's token, as the processes it started carry it (/proc shows a process's environment as it was
    started, so the run's own entry does not have it)."""
    for child in _children(pid):
        try:
            entries = open(f"/proc/{child}/environ", "rb").read().split(b"\0")
        except OSError:
            continue
        for entry in entries:
            if entry.startswith(f"{TOKEN_VARIABLE}=".encode()):
                return entry.split(b"=", 1)[1].decode()
    raise AssertionError("no process of the run carries a token")


def _none_left(token: str, seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := processes_carrying(token)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_a_killed_ingest_resumes_to_the_same_database_and_leaves_no_process(release, tmp_path):
    env = _environment(tmp_path)
    whole = tmp_path / "whole.duckdb"
    assert subprocess.run(_command(release, whole), env=env, capture_output=True, timeout=600).returncode == 0
    db = tmp_path / "killed.duckdb"
    process = subprocess.Popen(_command(release, db), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_first_document(db, process)
    token = _token(process.pid)
    assert len(processes_carrying(token)) >= 3  # its workers, their fork server, Prefect's server
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert _none_left(token) == []
    again = subprocess.run(_command(release, db), env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "An earlier run was interrupted" in again.stderr
    assert query(str(db), "SELECT run_id, status FROM ingest_runs ORDER BY run_id") == [(1, "interrupted"),
                                                                                         (2, "ok")]
    assert table_checksums(str(db)) == table_checksums(str(whole))
    assert subprocess.run([FOIA, "check", "--db", str(db)], capture_output=True).returncode == 0


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_no_process_outlives_a_stopped_run(release, tmp_path, how):
    env = _environment(tmp_path)
    db = tmp_path / "stopped.duckdb"
    process = subprocess.Popen(_command(release, db), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_first_document(db, process)
    token = _token(process.pid)
    process.send_signal(getattr(signal, how))
    assert process.wait(timeout=120) != 0
    assert _none_left(token, seconds=60) == []
    assert query(str(db), "SELECT status FROM ingest_runs") == [("crashed",)]


def _children(pid: int) -> list[int]:
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def test_readers_answer_while_an_ingest_writes_and_a_second_ingest_is_refused(release, tmp_path):
    """The run works on its own copy of the file and publishes it between documents: a reader's query answers
    from the last published state (the counts it sees only grow, and some come before the run ends), a second
    ingest is refused naming the writer, and neither harms the file."""
    env = _environment(tmp_path)
    db = tmp_path / "busy.duckdb"
    process = subprocess.Popen(_command(release, db) + ["--publish-every", "1"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_for_first_document(db, process)
    second = subprocess.run(_command(release, db), env=env, capture_output=True, text=True, timeout=120)
    counts, refusals = [], []
    while process.poll() is None:
        reader = subprocess.run([FOIA, "sql", "SELECT count(*) AS n FROM documents", "--db", str(db),
                                 "--format", "csv"], env=env, capture_output=True, text=True, timeout=60)
        if reader.returncode == 0:
            counts.append(int(reader.stdout.split()[-1]))
        else:
            refusals.append(reader.stderr)
    assert process.returncode == 0
    assert second.returncode == 2 and f"is in use by process {process.pid}" in second.stderr, second.stderr
    assert "Traceback" not in second.stderr
    assert all("no database at" in refusal for refusal in refusals), refusals  # only before the first publication
    assert counts == sorted(counts) and any(0 < count < 8 for count in counts), counts
    assert subprocess.run([FOIA, "check", "--db", str(db)], capture_output=True).returncode == 0
    assert query(str(db), "SELECT count(*) FROM documents") == [(8,)]
