"""`foia ingest` as a user runs it, on a folder mixing good PDFs with every kind of bad input."""

import os
import shutil
import subprocess
import sys

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from tests.conftest import DEMO_SAMPLE, SCANNED_SAMPLE, query

FOIA = os.path.join(os.path.dirname(sys.executable), "foia")


def _encrypted_pdf(path):
    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("user-secret"))
    pdf.drawString(72, 720, "An encrypted page")
    pdf.save()


def _huge_page_pdf(path):
    pdf = canvas.Canvas(str(path), pagesize=(14400, 14400))  # 200 x 200 inches, the PDF maximum
    pdf.rect(100, 100, 1000, 1000, fill=1)  # no text at all: only OCR could read it
    pdf.showPage()
    pdf.save()


@pytest.fixture(scope="module")
def bad_release(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad") / "release"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(DEMO_SAMPLE, folder / "good.pdf")
    shutil.copy(SCANNED_SAMPLE, folder / "sub" / "good_scan.pdf")
    (folder / "empty.pdf").write_bytes(b"")
    data = open(DEMO_SAMPLE, "rb").read()
    (folder / "truncated.pdf").write_bytes(data[: len(data) * 6 // 10])
    _encrypted_pdf(folder / "encrypted.pdf")
    (folder / "notes.txt").write_text("Call log, not a PDF\n")
    (folder / "sub" / "photo.pdf").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    _huge_page_pdf(folder / "huge_page.pdf")
    return folder


@pytest.fixture(scope="module")
def cli_run(bad_release, tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    db = str(bad_release.parent / "bad.duckdb")
    env = {**os.environ, "PREFECT_HOME": str(home)}
    env.pop("PREFECT_API_URL", None)
    result = subprocess.run([FOIA, "ingest", str(bad_release), "--db", db, "--workers", "2"],
                            capture_output=True, text=True, env=env, timeout=600)
    return result, db


def test_exit_status_says_some_files_failed(cli_run):
    result, _ = cli_run
    assert result.returncode == 1, result.stdout + result.stderr


def test_terminal_shows_no_traceback_and_no_prefect_noise(cli_run):
    result, db = cli_run
    terminal = result.stdout + result.stderr
    assert "Traceback" not in terminal
    assert "prefect" not in terminal.lower()
    assert os.path.exists(db + ".log")


def test_every_good_page_loads(cli_run):
    _, db = cli_run
    rows = query(db, """SELECT d.file_name, p.method, p.char_count FROM documents d JOIN pages p USING (document_id)
                        WHERE d.file_name LIKE 'good%' ORDER BY d.file_name, p.page_number""")
    assert [(name, method) for name, method, _ in rows] == [
        ("good.pdf", "text_layer"), ("good.pdf", "text_layer"), ("good_scan.pdf", "ocr")]
    assert all(chars > 100 for _, _, chars in rows)


def test_one_clear_error_per_bad_file(cli_run, bad_release):
    result, db = cli_run
    errors = query(db, "SELECT file_name, page_number, stage, reason FROM ingest_errors ORDER BY file_name")
    by_file = {name: (page, stage, reason) for name, page, stage, reason in errors}
    assert len(errors) == len(by_file) == 6, errors
    assert by_file["empty.pdf"] == (None, "open", "empty file (0 bytes)")
    assert by_file["truncated.pdf"][2].startswith("the file is truncated")
    assert "encrypted" in by_file["encrypted.pdf"][2] and "password" in by_file["encrypted.pdf"][2]
    assert by_file["notes.txt"] == (None, "open", "not a PDF: it is a text file")
    # a PNG's first bytes under a PDF's name: read as the image it says it is, and broken
    assert by_file["photo.pdf"][:2] == (None, "open")
    assert by_file["photo.pdf"][2].startswith("the image could not be turned into pages: the image could not be read")
    page, stage, reason = by_file["huge_page.pdf"]
    assert (page, stage) == (1, "render") and "200 x 200 inches" in reason
    for name, (page, _, reason) in by_file.items():  # the terminal names file, page and reason
        where = f"{os.path.join(str(bad_release), name)}, page {page}" if page else name
        assert where in result.stdout and reason in result.stdout


def test_the_huge_page_document_is_loaded_with_its_page_marked(cli_run):
    _, db = cli_run
    assert query(db, """SELECT p.method, p.char_count FROM pages p JOIN documents d USING (document_id)
                        WHERE d.file_name = 'huge_page.pdf'""") == [("none", 0)]
