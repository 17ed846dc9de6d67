"""Rolling releases (issue 18): releases dropped into a watched inbox one after another, each ingested once as a
release named after its folder; what each brought (release_novelty), foia diff, the run summaries; an unchanged
re-drop adds nothing; a server killed in the middle of a release finishes it once when restarted."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile

import duckdb
import pytest

from models.integrity import check_database
from tests.conftest import DC_PDFS, SAMPLE_DIR, SAMPLE_GAZETTEER, needs_corpus, query, table_checksums
from tests.release_copies import with_extra_box

FOIA = os.path.join(os.path.dirname(sys.executable), "foia")
SAMPLE_SPLIT = {"r1": ["PHPD-000101", "PHPD-000103", "PHPD-000105"],
                "r2": ["PHPD-000103", "PHPD-000107", "PHPD-000108"],  # 103 sent again, identical
                "r3": ["PHPD-000110", "PHPD-000112", "PHPD-000114"]}


@pytest.fixture(scope="module")
def served_env(tmp_path_factory):
    """The environment of every command here: one `foia server` that they all find (PREFECT_HOME), so that no
    ingest starts Prefect's temporary server (5.5 s each) and the served deployment schedules on it."""
    home = tmp_path_factory.mktemp("prefect-home")
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    env.pop("FOIA_RUN_TOKEN", None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([FOIA, "server", "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=env)
    assert "Prefect server ready" in server.stdout.readline(), "foia server did not start"
    yield env
    server.send_signal(signal.SIGINT)
    server.wait(timeout=60)


def _drop(inbox, name: str, files: list[str], age_seconds: float) -> None:
    """Copy a release into the inbox the way a finished transfer leaves it: its files `age_seconds` old."""
    staging = inbox.parent / f"staging-{name}"
    staging.mkdir()
    for path in files:
        shutil.copy(path, staging)
    stamp = time.time() - age_seconds
    for entry in [*staging.iterdir(), staging]:
        os.utime(entry, (stamp, stamp))
    os.rename(staging, inbox / name)


def _serve_once(inbox, db, env, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([FOIA, "serve", "--inbox", str(inbox), "--db", str(db), "--once", "--settle", "0",
                           "--interval", "0.5", "--gazetteer", SAMPLE_GAZETTEER, *extra],
                          capture_output=True, text=True, env=env, timeout=600, check=False)


def _changes(db, release: str) -> dict[tuple[str, str], int]:
    return {(kind, change): count for kind, change, count in query(
        db, "SELECT kind, change, count(*) FROM release_novelty WHERE release = ? GROUP BY ALL", [release])}


def _sample_files(prefixes: list[str]) -> list[str]:
    return [os.path.join(SAMPLE_DIR, name) for name in sorted(os.listdir(SAMPLE_DIR))
            if name.endswith(".pdf") and name[:11] in prefixes]


@pytest.fixture(scope="module")
def sample_in_three(tmp_path_factory, served_env):
    """The sample release split in three, dropped into the inbox in order (r1 oldest) and served once."""
    base = tmp_path_factory.mktemp("rolling")
    inbox = base / "inbox"
    inbox.mkdir()
    for age, (name, prefixes) in zip((300, 200, 100), SAMPLE_SPLIT.items()):
        _drop(inbox, name, _sample_files(prefixes), age)
    db = base / "rolling.duckdb"
    done = _serve_once(inbox, db, served_env)
    assert done.returncode == 0, done.stdout + done.stderr
    return inbox, str(db), served_env, done.stdout


def test_three_releases_are_taken_in_the_order_dropped_and_moved_to_processed(sample_in_three):
    inbox, db, _, out = sample_in_three
    assert [line.split("'")[1] for line in out.splitlines() if line.startswith("ingesting")] == ["r1", "r2", "r3"]
    assert sorted(os.listdir(inbox / "processed")) == ["r1", "r2", "r3"]
    assert not [name for name in os.listdir(inbox) if not name.startswith(".") and name != "processed"]
    assert query(db, """SELECT r.name, count(*) FROM release_documents JOIN releases r USING (release_id)
                        GROUP BY r.name ORDER BY r.name""") == [("r1", 3), ("r2", 3), ("r3", 3)]
    con = duckdb.connect(db, read_only=True)
    try:
        assert check_database(con) == []
    finally:
        con.close()


def test_novelty_counts_of_the_sample_in_three(sample_in_three):
    _, db, _, _ = sample_in_three
    assert _changes(db, "r1")[("document", "new")] == 3
    r2 = _changes(db, "r2")
    assert (r2[("document", "new")], r2[("document", "resent")]) == (2, 1)
    assert not [key for key in r2 if key[1] in ("changed", "added", "removed", "lifted")]
    assert _changes(db, "r3")[("document", "new")] == 3
    # Each email, entity and event is new in exactly one release: the first whose documents hold it.
    for kind, distinct in (("email", "SELECT count(DISTINCT email_id) FROM messages WHERE email_id IS NOT NULL"),
                           ("entity", "SELECT count(DISTINCT entity_id) FROM mentions WHERE entity_id IS NOT NULL")):
        new = query(db, "SELECT count(*), count(DISTINCT item_key) FROM release_novelty WHERE kind = ? "
                        "AND change = 'new'", [kind])[0]
        assert new == (query(db, distinct)[0][0],) * 2, kind
    # Nothing of the document sent again is new in r2: its emails were in r1.
    assert query(db, """SELECT count(*) FROM release_novelty n JOIN messages m ON m.email_id = n.item_key
                        JOIN release_documents rd ON rd.document_id = m.document_id
                        JOIN releases r1 ON r1.release_id = rd.release_id AND r1.name = 'r1'
                        WHERE n.release = 'r2' AND n.kind = 'email'""") == [(0,)]
    assert query(db, """SELECT count(*) FROM release_novelty WHERE release = 'r2' AND kind = 'event'
                        AND file_name LIKE 'PHPD-000103%'""") == [(0,)]
    # r2's new events are the events of its two new documents, each once.
    assert query(db, """SELECT count(*) FROM release_novelty WHERE release = 'r2' AND kind = 'event'""")[0][0] == \
        query(db, """SELECT count(DISTINCT item_key) FROM release_items i JOIN documents d USING (document_id)
                     WHERE i.kind = 'event' AND i.release_id = 2 AND d.file_name NOT LIKE 'PHPD-000103%'""")[0][0]


def test_each_run_leaves_a_summary_and_diff_compares_two_releases(sample_in_three, tmp_path):
    _, db, _, _ = sample_in_three
    folder = db + ".summaries"
    runs = query(db, "SELECT r.name, u.run_id FROM ingest_runs u JOIN releases r USING (release_id) ORDER BY 2")
    for name, run_id in runs:
        for suffix in (".md", ".html"):
            assert os.path.exists(os.path.join(folder, f"{name}-run-{run_id}{suffix}"))
    r2 = open(os.path.join(folder, f"r2-run-{runs[1][1]}.md"), encoding="utf-8").read()
    assert "documents: 2 new, 1 sent again unchanged" in r2
    assert "## New events" in r2 and "PHPD-000107_thank_you_webmail.pdf p.1 (PHPD-000107)" in r2
    assert open(os.path.join(folder, "latest.md"), encoding="utf-8").read().startswith("# Release 'r3'")
    diff = subprocess.run([FOIA, "diff", "--db", db, "r1", "r2"], capture_output=True, text=True, check=False)
    assert diff.returncode == 0, diff.stderr
    assert diff.stdout.splitlines()[1].split() == ["documents", "3", "3", "2", "2"]
    assert "PHPD-000107_thank_you_webmail.pdf" in diff.stdout.split("Only in r1")[0]
    assert "Sent by both with different content (0)" in diff.stdout
    unknown = subprocess.run([FOIA, "diff", "--db", db, "r1", "r9"], capture_output=True, text=True, check=False)
    assert unknown.returncode == 2 and "no release named 'r9' (releases: r1, r2, r3)" in unknown.stderr
    report = subprocess.run([FOIA, "report", "--db", db, str(tmp_path / "report")], capture_output=True, text=True,
                            check=False)
    assert report.returncode == 0, report.stderr
    index = open(tmp_path / "report" / "index.html", encoding="utf-8").read()
    assert f'href="releases/r2-run-{runs[1][1]}.html"' in index
    assert "sent again unchanged" in open(tmp_path / "report" / "releases" / f"r2-run-{runs[1][1]}.html",
                                          encoding="utf-8").read()


def test_a_release_dropped_again_unchanged_adds_nothing(sample_in_three):
    inbox, db, env, _ = sample_in_three
    before = table_checksums(db), query(db, "SELECT count(*) FROM ingest_runs")
    shutil.copytree(inbox / "processed" / "r1", inbox / "r1")
    done = _serve_once(inbox, db, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (table_checksums(db), query(db, "SELECT count(*) FROM ingest_runs")) == before
    assert sorted(os.listdir(inbox / "processed")) == ["r1", "r1-2", "r2", "r3"]


def test_a_zip_archive_is_a_release_named_after_it(sample_in_three, tmp_path):
    """An archive re-sending r3's documents: a release of its own whose documents all came before, noted as sent
    again without being read again."""
    inbox, db, env, _ = sample_in_three
    archive = tmp_path / "r3-again.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in _sample_files(SAMPLE_SPLIT["r3"]):
            zipped.write(path, f"production/{os.path.basename(path)}")
    stamp = time.time() - 100
    os.utime(archive, (stamp, stamp))
    shutil.move(str(archive), inbox / "r3-again.zip")
    done = _serve_once(inbox, db, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "r3-again.zip" in os.listdir(inbox / "processed")
    assert _changes(db, "r3-again") == {("document", "resent"): 3}
    assert query(db, """SELECT count(*) FROM release_documents JOIN releases USING (release_id)
                        WHERE name = 'r3-again' AND source_path LIKE '%r3-again.zip!production/%'""") == [(3,)]


def test_a_release_that_cannot_be_ingested_stays_with_an_error_report(tmp_path, served_env):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _drop(inbox, "bad", _sample_files(["PHPD-000107"]), 100)
    db = tmp_path / "not-a-database.duckdb"
    db.write_text("this is not a DuckDB file")
    done = _serve_once(inbox, db, served_env)
    assert done.returncode == 1, done.stdout + done.stderr
    report = open(inbox / "bad.error.txt", encoding="utf-8").read()
    assert report.startswith("signature: ") and "foia ingest exited with status 2" in report
    assert os.path.isdir(inbox / "bad") and not os.path.exists(inbox / "processed" / "bad")
    again = _serve_once(inbox, db, served_env)  # not tried again while it is unchanged
    assert again.returncode == 0 and "ingesting" not in again.stdout


@needs_corpus(DC_PDFS)
def test_the_dc_release_in_two_with_a_document_sent_again_with_one_more_redaction(tmp_path, served_env):
    names = sorted(os.listdir(DC_PDFS))
    first = [os.path.join(DC_PDFS, name) for name in names[:7]]  # ... Re__BEGA_Redacted.pdf
    changed = tmp_path / "Re__BEGA_Redacted.pdf"
    with_extra_box(os.path.join(DC_PDFS, "Re__BEGA_Redacted.pdf"), str(changed), 0, (300, 60, 430, 74))
    second = [os.path.join(DC_PDFS, name) for name in names[7:]] + [str(changed),
                                                                     os.path.join(DC_PDFS, names[1])]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _drop(inbox, "dc-1", first, 200)
    _drop(inbox, "dc-2", second, 100)
    db = tmp_path / "dc.duckdb"
    done = _serve_once(inbox, db, served_env)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert sorted(os.listdir(inbox / "processed")) == ["dc-1", "dc-2"]
    b = _changes(str(db), "dc-2")
    # Four documents new, and the PDF attachment inside one of them: a document too, under its parent's lineage.
    assert (b[("document", "new")], b[("document", "changed")], b[("document", "resent")]) == (5, 1, 1)
    assert query(str(db), """SELECT item_key FROM release_novelty WHERE release = 'dc-2' AND kind = 'document'
                             AND item_key LIKE '%/%'""") == [("re__check_in_redacted.pdf/re_ check in.pdf",)]
    assert query(str(db), """SELECT kind, change, file_name, page_number, previous_release FROM release_novelty
                             WHERE release = 'dc-2' AND change IN ('added', 'removed', 'lifted')""") == [
        ("redaction", "added", "Re__BEGA_Redacted.pdf", 1, "dc-1")]
    # Re-released emails are the same emails: none of the changed document's is new.
    assert query(str(db), """SELECT count(*) FROM release_novelty WHERE release = 'dc-2' AND kind = 'email'
                             AND file_name = 'Re__BEGA_Redacted.pdf'""") == [(0,)]
    assert query(str(db), """SELECT count(*) FROM release_novelty WHERE release = 'dc-1' AND kind = 'email'
                             AND file_name = 'Re__BEGA_Redacted.pdf'""")[0][0] >= 1
    summary = open(f"{db}.summaries/latest.md", encoding="utf-8").read()
    assert "## Changed documents" in summary and "| Re__BEGA_Redacted.pdf | dc-1 | 0 | 0 | 1 | 0 |" in summary
    diff = subprocess.run([FOIA, "diff", "--db", str(db), "dc-1", "dc-2"], capture_output=True, text=True,
                          check=False)
    assert "re__bega_redacted.pdf: Re__BEGA_Redacted.pdf in dc-1, Re__BEGA_Redacted.pdf in dc-2" in diff.stdout


def _wait_until_loading(db, process) -> None:
    """Until the ingest has loaded a document (its log says so), so that the stop lands mid-release."""
    deadline, log = time.monotonic() + 300, f"{db}.log"
    while not (os.path.exists(log) and "loaded " in open(log, encoding="utf-8", errors="replace").read()):
        assert process.poll() is None, "the server ended before it loaded anything"
        assert time.monotonic() < deadline, "nothing was loaded in time"
        time.sleep(0.1)


def _whole_sample(inbox) -> int:
    pdfs = [os.path.join(SAMPLE_DIR, name) for name in sorted(os.listdir(SAMPLE_DIR)) if name.endswith(".pdf")]
    _drop(inbox, "whole", pdfs, 100)
    return len(pdfs)


def _ingest_started_by(pid: int) -> int:
    """The `foia ingest` process that the serve process `pid` runs."""
    for entry in os.listdir("/proc"):
        try:
            stat = open(f"/proc/{entry}/stat", encoding="utf-8").read()
            command = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
        except (OSError, ValueError):
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"ingest" in command:
            return int(entry)
    raise AssertionError("no foia ingest under the serve process")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
def test_an_ingest_stopped_mid_release_leaves_the_release_to_be_taken_again(tmp_path, served_env):
    """SIGTERM to the ingest alone (a shutdown, or someone stopping it): no error report, so the release is not
    set aside as failed; the next scan ingests it again and finishes it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    pdfs = _whole_sample(inbox)
    db = tmp_path / "stopped.duckdb"
    server = subprocess.Popen([FOIA, "serve", "--inbox", str(inbox), "--db", str(db), "--once", "--settle", "0",
                               "--interval", "0.5", "--gazetteer", SAMPLE_GAZETTEER], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=served_env, start_new_session=True)
    try:
        _wait_until_loading(db, server)
        os.kill(_ingest_started_by(server.pid), signal.SIGTERM)
        output = server.communicate(timeout=300)[0]
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    assert server.returncode == 0, output
    assert "interrupted: " in output and output.count("ingesting ") == 2
    assert not os.path.exists(inbox / "whole.error.txt") and os.listdir(inbox / "processed") == ["whole"]
    # The stop may land after the last document was written: then the second pass has nothing left to load.
    assert query(str(db), "SELECT count(*), count(DISTINCT document_id) FROM documents") == [(pdfs, pdfs)]
    assert query(str(db), "SELECT count(*) FROM release_documents") == [(pdfs,)]


def test_a_server_killed_mid_release_finishes_it_once_when_restarted(tmp_path, served_env):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    pdfs = _whole_sample(inbox)
    db = tmp_path / "served.duckdb"
    server = subprocess.Popen([FOIA, "serve", "--inbox", str(inbox), "--db", str(db), "--interval", "1",
                               "--settle", "0", "--gazetteer", SAMPLE_GAZETTEER, "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=served_env,
                              start_new_session=True)
    try:
        _wait_until_loading(db, server)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    assert os.path.isdir(inbox / "whole"), "a release cut off mid-way must stay in the inbox"
    done = _serve_once(inbox, db, served_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert os.listdir(inbox / "processed") == ["whole"]
    assert query(str(db), "SELECT count(*), count(DISTINCT document_id) FROM documents") == [(pdfs, pdfs)]
    assert query(str(db), "SELECT count(*) FROM release_documents") == [(pdfs,)]
    assert query(str(db), "SELECT status FROM ingest_runs ORDER BY run_id") == [("interrupted",), ("ok",)]
    assert query(str(db), "SELECT count(*) FROM releases") == [(1,)]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert check_database(con) == []
    finally:
        con.close()
