"""The ingest flow end to end, in-process against one Prefect test server: real PDFs, real Tesseract."""

import os
import shutil
import zipfile


from extractors.pages.sources import sha256_file
from models import store
from tests.conftest import DC_PDFS, SAMPLE_PDFS, SCANNED_SAMPLE, needs_corpus, query

TABLES = ("releases", "documents", "pages", "page_words", "ingest_runs", "ingest_errors")


def row_counts(db):
    return {table: query(db, f"SELECT count(*) FROM {table}")[0][0] for table in TABLES}


def test_sample_release_loads_every_page_with_text_and_words(sample_db):
    documents = query(sample_db, "SELECT file_name, page_count, pages_ocr FROM documents ORDER BY file_name")
    assert [name for name, _, _ in documents] == [os.path.basename(p) for p in SAMPLE_PDFS]
    assert sum(pages for _, pages, _ in documents) == 12
    pages = query(sample_db, """SELECT d.file_name, p.page_number, p.method, p.char_count, p.word_count,
                                       p.ocr_confidence, length(p.text)
                                FROM pages p JOIN documents d USING (document_id)""")
    assert len(pages) == 12
    for file_name, page_number, method, chars, words, confidence, length in pages:
        assert chars > 100 and words > 20 and chars == length, (file_name, page_number)
        if file_name == os.path.basename(SCANNED_SAMPLE):
            assert method == "ocr" and confidence > 75
        else:
            assert method == "text_layer" and confidence is None
    # page_words holds exactly the words each page reports, in order, with boxes on the page
    mismatched = query(sample_db, """SELECT p.document_id, p.page_number FROM pages p
        LEFT JOIN (SELECT document_id, page_number, count(*) n, max(word_index) top FROM page_words GROUP BY ALL) w
        USING (document_id, page_number) WHERE w.n IS DISTINCT FROM p.word_count OR w.top <> p.word_count - 1""")
    assert mismatched == []
    outside = query(sample_db, """SELECT count(*) FROM page_words w JOIN pages p USING (document_id, page_number)
                                  WHERE x0 < 0 OR y0 < 0 OR x1 > p.width_pt + 1 OR y1 > p.height_pt + 1""")
    assert outside[0][0] == 0
    run = query(sample_db, "SELECT status, documents_loaded, pages_loaded, pages_ocr, errors FROM ingest_runs")
    assert run == [("ok", 8, 12, 1, 0)]


def test_words_can_be_found_by_text_with_their_page_and_box(sample_db):
    rows = query(sample_db, """SELECT d.file_name, w.page_number, w.x0, w.y0 FROM page_words w
                               JOIN documents d USING (document_id) WHERE w.text = 'PHPD-000105'""")
    assert len(rows) == 1
    file_name, page_number, x0, y0 = rows[0]
    assert file_name.startswith("PHPD-000105") and page_number == 1 and x0 > 400 and y0 > 720


def test_rerun_adds_nothing_and_starts_no_flow(sample_db, ingest):
    before = row_counts(sample_db)
    result = ingest(SAMPLE_PDFS, sample_db, release="sample")
    assert result.code == 0
    assert "Nothing new" in result.out and "8 already loaded" in result.err
    assert row_counts(sample_db) == before


def test_new_files_are_the_only_work_on_a_rerun(ingest, sample_copy, tmp_path):
    db = tmp_path / "grow.duckdb"
    assert ingest([sample_copy], db).code == 0
    shutil.copy(SAMPLE_PDFS[-1], sample_copy)  # the agency adds one more file
    result = ingest([sample_copy], db)
    assert result.code == 0
    assert "2 already loaded" in result.err and "1 to ingest" in result.err
    assert query(str(db), "SELECT count(*), count(DISTINCT document_id) FROM documents") == [(3, 3)]
    assert query(str(db), "SELECT run_id, documents_loaded FROM ingest_runs ORDER BY run_id") == [(1, 2), (2, 1)]


def test_crash_inside_a_document_load_leaves_no_partial_rows(ingest, sample_copy, tmp_path, monkeypatch):
    db = str(tmp_path / "crash.duckdb")
    victim = "PHPD-000101_FaceQuill_demo_invitation.pdf"
    victim_id = sha256_file(str(sample_copy / victim))
    real_insert = store._insert_tables

    def crash_for_victim(con, tables):
        real_insert(con, tables)
        if "messages" in tables and victim_id in tables["messages"].column("document_id").to_pylist():
            raise RuntimeError("injected failure after the pages were written")

    monkeypatch.setattr(store, "_insert_tables", crash_for_victim)
    result = ingest([sample_copy], db)
    assert result.code == 1
    assert query(db, "SELECT file_name FROM documents") == [("PHPD-000107_thank_you_webmail.pdf",)]
    assert query(db, "SELECT document_id FROM ingest_errors WHERE file_name = ?", [victim]) == [(victim_id,)]
    for table in ("documents", "pages", "page_words", "messages"):
        assert query(db, f"SELECT count(*) FROM {table} WHERE document_id = ?", [victim_id]) == [(0,)], table
    assert query(db, "SELECT count(*) FROM message_lines") == query(
        db, "SELECT count(*) FROM message_lines JOIN messages USING (message_id)")
    errors = query(db, "SELECT page_number, stage, reason FROM ingest_errors")
    assert errors == [(None, "load", "the document was not loaded: RuntimeError: injected failure after the "
                                     "pages were written")]
    assert "injected failure" in result.out

    # The failure is remembered: a plain re-run skips it and says so; --retry-failed loads it once.
    monkeypatch.setattr(store, "_insert_tables", real_insert)
    again = ingest([sample_copy], db)
    assert again.code == 1 and "failed before" in again.err
    retried = ingest([sample_copy], db, retry_failed=True)
    assert retried.code == 0
    assert query(db, "SELECT count(*), count(DISTINCT document_id) FROM documents") == [(2, 2)]
    assert query(db, "SELECT count(*) FROM pages") == [(3,)]


def test_a_crashing_ocr_engine_costs_one_page_not_the_batch(ingest, sample_copy, tmp_path):
    shutil.copy(SCANNED_SAMPLE, sample_copy)
    db = str(tmp_path / "ocrcrash.duckdb")
    result = ingest([sample_copy], db, ocr_engine="tests.fault_engines:aborting_engine")
    assert result.code == 1
    assert query(db, "SELECT count(*) FROM documents") == [(3,)]
    scanned = query(db, """SELECT p.method, p.char_count, p.decision_reason FROM pages p
                           JOIN documents d USING (document_id) WHERE d.file_name = ?""",
                    [os.path.basename(SCANNED_SAMPLE)])
    assert scanned[0][0] == "none" and scanned[0][1] == 0 and "OCR failed" in scanned[0][2]
    errors = query(db, "SELECT file_name, page_number, stage, reason FROM ingest_errors")
    assert len(errors) == 1
    file_name, page_number, stage, reason = errors[0]
    assert (file_name, page_number, stage) == (os.path.basename(SCANNED_SAMPLE), 1, "ocr")
    assert "worker process died" in reason
    assert query(db, "SELECT count(*) FROM pages WHERE method = 'text_layer'") == [(3,)]


def _write_zip(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_zip_archives_are_extracted_safely(ingest, tmp_path):
    with open(SAMPLE_PDFS[0], "rb") as handle:
        pdf_bytes = handle.read()
    inner = tmp_path / "inner.zip"
    _write_zip(inner, {"nested/deep.pdf": open(SAMPLE_PDFS[1], "rb").read()})
    archive = tmp_path / "release.zip"
    _write_zip(archive, {"emails/first.pdf": pdf_bytes, "../escape.pdf": pdf_bytes,
                         "/abs/escape2.pdf": pdf_bytes, "inner.zip": inner.read_bytes()})
    db = str(tmp_path / "zip.duckdb")
    result = ingest([archive], db)
    assert result.code == 1
    loaded = sorted(row[0] for row in query(db, "SELECT source_path FROM documents"))
    assert loaded == [f"{archive}!emails/first.pdf", f"{archive}!inner.zip!nested/deep.pdf"]
    errors = query(db, "SELECT source_path, reason FROM ingest_errors ORDER BY source_path")
    assert [(path.rsplit("!", 1)[1], reason) for path, reason in errors] == [
        ("../escape.pdf", "zip member skipped: a path that leaves the archive's folder"),
        ("/abs/escape2.pdf", "zip member skipped: a path that leaves the archive's folder"),
    ]
    assert not (tmp_path / "escape.pdf").exists()
    assert query(db, "SELECT name FROM releases") == [("release",)]


def test_zip_bomb_member_is_refused(ingest, tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("big.pdf", b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024))
    db = str(tmp_path / "bomb.duckdb")
    result = ingest([archive], db, max_zip_member_mb=1)
    assert result.code == 1
    reasons = query(db, "SELECT reason FROM ingest_errors")
    assert len(reasons) == 1 and "larger than the limit" in reasons[0][0]


@needs_corpus(DC_PDFS)
def test_real_dc_release_every_page_has_text(ingest, tmp_path):
    db = str(tmp_path / "dc.duckdb")
    result = ingest([DC_PDFS], db)
    assert result.code == 0, result.out
    # the 11 PDFs, and the printout embedded in the Re__Check_in portfolio (1 page) as a document of its own
    assert query(db, "SELECT count(*), count(parent_document_id) FROM documents") == [(12, 1)]
    assert query(db, "SELECT count(*) FROM pages WHERE char_count > 0") == [(17,)]
    assert query(db, "SELECT count(*) FROM pages WHERE char_count = 0 OR method = 'none'") == [(0,)]
    method, confidence, text = query(db, """SELECT p.method, p.ocr_confidence, p.text FROM pages p
        JOIN documents d USING (document_id) WHERE d.file_name = 'Mayor_Referral_to_BEGA_2.16.2018..pdf'""")[0]
    assert method == "ocr" and confidence > 80
    assert "Board of Ethics and Government Accountability" in text
    assert "EXECUTIVE OFFICE OF THE MAYOR" in text
    # born-digital Outlook prints keep their own text: exact header words, no OCR
    outlook = query(db, """SELECT p.text FROM pages p JOIN documents d USING (document_id)
                           WHERE d.file_name = 'Re__possible_to_delay_mtg_a_day_or_so___Redacted.pdf'
                           AND p.page_number = 1 AND p.method = 'text_layer'""")
    assert "Subject:" in outlook[0][0] and "From:" in outlook[0][0]
