"""Untrusted files mixed with good ones (issue 16): a batch goes on, good documents load, each bad file is one
clear error, and what a file calls itself never breaks what the tool stores or prints."""

from __future__ import annotations

import os
import shutil
import time
import zipfile

from extractors.pages.safe_text import safe_name, safe_text
from models.settings import IngestSettings
from tests.conftest import DEMO_SAMPLE, SAMPLE_DIR, query

GOOD = os.path.join(SAMPLE_DIR, "PHPD-000107_thank_you_webmail.pdf")
SCANNED = os.path.join(SAMPLE_DIR, "PHPD-000105_FaceQuill_pilot_scanned.pdf")


def test_undecodable_bytes_and_control_characters_are_shown_as_escapes():
    assert safe_name(os.fsdecode(b"bad\xff\xfename.pdf")) == "bad\\xff\\xfename.pdf"
    assert safe_name("memo\x1b[2Jnew\nline.pdf") == "memo\\x1b[2Jnew\\x0aline.pdf"
    assert safe_text("caf\u00e9 \u2013 Re: demo\n") == "caf\u00e9 \u2013 Re: demo\n"  # good text is untouched
    assert safe_text("a\x00b\x7f") == "a\\x00b\\x7f" and safe_text("\ud800") == "\\ud800"


def test_a_file_name_that_is_not_utf8_loads_beside_the_good_ones(ingest, tmp_path):
    """The case the issue reports: one such name stopped the whole run before anything loaded."""
    folder = tmp_path / "release"
    folder.mkdir()
    shutil.copy(GOOD, folder)
    bad = os.path.join(os.fsencode(str(folder)), b"scan \xff\xfe of\x07 memo.pdf")
    shutil.copy(DEMO_SAMPLE, bad)
    db = str(tmp_path / "names.duckdb")
    result = ingest([folder], db)
    assert result.code == 0, result.out + result.err
    names = sorted(row[0] for row in query(db, "SELECT file_name FROM documents"))
    assert names == ["PHPD-000107_thank_you_webmail.pdf", "scan \\xff\\xfe of\\x07 memo.pdf"]
    assert "\x07" not in result.out and "Traceback" not in result.out + result.err
    assert query(db, "SELECT count(*) FROM messages")[0][0] >= 3


def test_a_zip_member_whose_name_is_not_utf8_is_read_under_an_escaped_name(ingest, tmp_path):
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(GOOD, "good.pdf")
        info = zipfile.ZipInfo("caf\udce9.pdf".encode("utf-8", "surrogateescape").decode("cp437"))
        handle.writestr(info, open(DEMO_SAMPLE, "rb").read())
    db = str(tmp_path / "zipnames.duckdb")
    result = ingest([archive], db)
    assert result.code == 0, result.out + result.err
    assert query(db, "SELECT count(*) FROM documents") == [(2,)]


def test_control_characters_in_an_emails_headers_are_shown_not_obeyed(ingest, tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "ansi.eml").write_bytes(
        b"From: Sam Ito <sito@quillmark.com>\r\nTo: ops@portdalen.gov\r\n"
        b"Subject: \x1b[2J\x1b[31mdemo\x07 next week\r\nDate: Tue, 08 Nov 2022 16:05:00 -0500\r\n\r\nSee you.\r\n")
    shutil.copy(GOOD, folder)
    db = str(tmp_path / "ansi.duckdb")
    result = ingest([folder], db)
    assert result.code == 1  # the header's control characters are recorded, the message loaded
    assert query(db, "SELECT subject FROM messages WHERE subject LIKE '%demo%'") == [
        ("\\x1b[2J\\x1b[31mdemo\\x07 next week",)]
    assert query(db, "SELECT stage, reason FROM ingest_errors") == [
        ("native", "control characters in the header block, shown as \\xNN")]
    assert "\x1b" not in result.out + result.err


def test_a_hanging_page_costs_its_timeout_and_the_batch_goes_on(ingest, sample_copy, tmp_path):
    """A Tesseract that never returns: the page is stopped at its timeout (its worker ended), recorded, and the
    other documents load; nothing waits for the hang."""
    shutil.copy(SCANNED, sample_copy)
    db = str(tmp_path / "hang.duckdb")
    start = time.monotonic()
    result = ingest([sample_copy], db, ocr_engine="tests.fault_engines:hanging_engine", page_timeout_seconds=3)
    elapsed = time.monotonic() - start
    assert result.code == 1
    assert query(db, "SELECT count(*) FROM documents") == [(3,)]
    (file_name, page, stage, reason), = query(db, "SELECT file_name, page_number, stage, reason FROM ingest_errors")
    assert (file_name, page, stage) == (os.path.basename(SCANNED), 1, "ocr") and "timeout of 3 s" in reason
    assert elapsed < 120  # the hang itself would take an hour


def test_a_document_past_its_time_limit_is_one_error_and_the_batch_goes_on(ingest, sample_copy, tmp_path):
    """Pages that each stay within their own timeout but keep a document going past its limit: the document is
    stopped at its limit (its running pages' workers ended, the others never started), recorded once, and not
    loaded; the other documents load."""
    shutil.copy(SCANNED, sample_copy)
    db = str(tmp_path / "slow.duckdb")
    start = time.monotonic()
    result = ingest([sample_copy], db, ocr_engine="tests.fault_engines:hanging_engine", page_timeout_seconds=600,
                    document_timeout_seconds=4)
    elapsed = time.monotonic() - start
    assert result.code == 1
    assert query(db, "SELECT count(*) FROM documents") == [(2,)]
    (file_name, page, stage, reason), = query(db, "SELECT file_name, page_number, stage, reason FROM ingest_errors")
    assert (file_name, page, stage) == (os.path.basename(SCANNED), None, "limit")
    assert "document time limit of 4 s (--document-timeout)" in reason
    assert elapsed < 120  # the page's own timeout is ten minutes, the hang an hour


def test_a_page_that_needs_more_memory_than_a_worker_may_have_is_stopped(ingest, sample_copy, tmp_path):
    """An OCR engine asking for 8 GB under a 1,024 MB worker limit: the page is recorded with the limit it met,
    its document and the others load."""
    shutil.copy(SCANNED, sample_copy)
    db = str(tmp_path / "hungry.duckdb")
    result = ingest([sample_copy], db, ocr_engine="tests.fault_engines:hungry_engine", worker_memory_mb=1024)
    assert result.code == 1
    assert query(db, "SELECT count(*) FROM documents") == [(3,)]
    (page, stage, reason), = query(db, "SELECT page_number, stage, reason FROM ingest_errors")
    assert (page, stage) == (1, "ocr") and "worker memory limit of 1024 MB" in reason, reason


def test_a_decompression_bomb_past_the_memory_limit_names_the_limit(ingest, tmp_path):
    """A page whose drawing inflates to 300 MB, read under a 450 MB worker limit: PDFium aborts its worker when
    the allocation fails; the page is recorded with the limit, the good file loads."""
    from tests.hostile_files import write_hostile_release

    everything = tmp_path / "all"
    write_hostile_release(str(everything))
    folder = tmp_path / "release"
    folder.mkdir()
    for name in ("inflating.pdf", "good.pdf"):
        shutil.copy(everything / name, folder)
    db = str(tmp_path / "bomb.duckdb")
    result = ingest([str(folder)], db, worker_memory_mb=450)
    assert result.code == 1
    assert query(db, "SELECT file_name FROM documents ORDER BY 1") == [("good.pdf",), ("inflating.pdf",)]
    (page, stage, reason), = query(db, "SELECT page_number, stage, reason FROM ingest_errors")
    assert (page, stage) == (1, "text_layer") and "worker memory limit of 450 MB" in reason, reason


def test_every_hostile_input_mixed_with_good_files(tmp_path):
    """The issue's list in one folder, ingested as a user runs it: the batch finishes, every good document
    loads, each bad file is one error row, no traceback, nothing written outside the work folder."""
    import resource
    import subprocess
    import sys

    from tests.hostile_files import write_hostile_release

    folder = tmp_path / "release"
    expected = write_hostile_release(str(folder))
    db = str(tmp_path / "hostile.duckdb")
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "TMPDIR": str(tmp_path / "tmp")}
    os.makedirs(env["TMPDIR"])
    env.pop("PREFECT_API_URL", None)
    foia = os.path.join(os.path.dirname(sys.executable), "foia")
    result = subprocess.run([foia, "ingest", str(folder), "--db", db, "--workers", "2"], capture_output=True,
                            text=True, env=env, timeout=900, cwd=str(tmp_path))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    errors = query(db, "SELECT source_path, stage FROM ingest_errors")
    failed = {path.split(str(folder) + "/", 1)[1]: stage for path, stage in errors}
    assert len(failed) == len(errors), errors  # one error row each
    assert failed == {name: stage for name, (_, stage) in expected.items() if stage}
    loaded = {path.split(str(folder) + "/", 1)[1] for (path,) in query(db, "SELECT source_path FROM documents")}
    embedded = "script_and_attachment.pdf!../../escape.pdf"
    assert loaded == {name for name, (loads, _) in expected.items() if loads and name != "escape.pdf"} | {embedded}
    assert query(db, "SELECT page_count FROM documents WHERE file_name = 'ten_thousand_pages.pdf'") == [(10_000,)]
    outside = [os.path.join(root, name) for root, _, names in os.walk(tmp_path) for name in names
               if name == "escape.pdf"]
    assert subprocess.run([foia, "check", "--db", db], capture_output=True, text=True).returncode == 0
    assert outside == []  # the zip's ../ and / members and the embedded ../../ file stayed in the work folder
    assert os.listdir(env["TMPDIR"]) == []  # the work folder itself is gone
    print(f"peak memory of one process: {peak_mb:.0f} MB")
    assert peak_mb < IngestSettings.worker_memory_mb
