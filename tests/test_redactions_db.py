"""Redactions through the real ingest: boxes, failed redactions (kept or not), codes and release stamps in the
database (flows/document_ingest.py, models/store.py, schema 6)."""

from __future__ import annotations

import os

from sample_docs.redaction_pages import failed_redaction_letter, redacted_header_printout, scan_with_drawn_box
from tests.conftest import DC_PDFS, needs_corpus, query


def _release(make, tmp_path) -> str:
    """A release folder holding the one page `make` writes (sample_docs/redaction_pages.py)."""
    return os.path.dirname(make(str(tmp_path / "release")))


def test_a_failed_redaction_is_counted_and_its_text_is_not_stored(ingest, tmp_path):
    db = tmp_path / "r.duckdb"
    assert ingest([_release(failed_redaction_letter, tmp_path)], db).code == 0
    rows = query(str(db), """SELECT page_number, kind, codes, uncovered_chars, uncovered_text FROM redactions
                             ORDER BY page_number, redaction_index""")
    assert rows == [(1, "box", ["b6"], 8, None), (1, "box", [], 0, None),
                    (1, "code_only", ["b5"], 0, None), (1, "code_only", ["b7(c)"], 0, None),
                    (2, "withheld_page", ["b5"], 0, None)]
    assert "Jane" in query(str(db), "SELECT text FROM pages WHERE page_number = 1")[0][0]  # the page keeps its text
    assert query(str(db), "SELECT decision, codes FROM document_release_status") == [("release_in_part", ["b6"])]
    assert query(str(db), "SELECT code, boxes, failed_boxes FROM redactions_by_exemption WHERE code = 'b6'") == [
        ("b6", 1, 1)]
    assert query(str(db), "SELECT page_number, notice FROM withheld_pages") == [(2, "withheld_page")]


def test_keep_uncovered_stores_the_text_under_the_box(ingest, tmp_path):
    db = tmp_path / "r.duckdb"
    assert ingest([_release(failed_redaction_letter, tmp_path)], db, keep_uncovered=True).code == 0
    assert query(str(db), "SELECT uncovered_text FROM redactions WHERE uncovered_chars > 0") == [("Jane Roe",)]


@needs_corpus(DC_PDFS)
def test_the_dc_release_boxes_land_in_the_database_with_what_they_blank(ingest, tmp_path):
    db = tmp_path / "dc.duckdb"
    assert ingest([DC_PDFS], db).code == 0
    # 15 on the PDFs' own pages, 3 on the printout embedded in the Re__Check_in portfolio (a document of its own)
    assert query(str(db), "SELECT kind, source, count(*), sum(uncovered_chars) FROM redactions GROUP BY ALL") == [
        ("box", "vector", 18, 0)]
    assert query(str(db), "SELECT count(*) FROM redactions WHERE message_id IS NULL AND passage_id IS NULL") == [
        (0,)]
    # "Re: Constituent Issue": Mr. [box] in the quoted body, the quoted Chair's phone number after "202"
    rows = query(str(db), """SELECT r.field, m.depth FROM redactions r JOIN messages m USING (message_id)
                             JOIN documents d ON d.document_id = r.document_id
                             WHERE d.file_name = 'Re__Constituent_Issue_Redacted.pdf' ORDER BY r.redaction_index""")
    assert len(rows) == 6 and all(field is None for field, _ in rows) and {depth for _, depth in rows} == {1, 2}
    # the resignation letter's recipient blacked out on its To: line
    assert query(str(db), """SELECT r.field FROM redactions r JOIN documents d USING (document_id)
                             WHERE d.file_name LIKE 'My_Resignation%'""") == [("to",)]


def test_header_redactions_mark_the_sender_and_the_one_recipient_each_hides(ingest, tmp_path):
    db = tmp_path / "r.duckdb"
    assert ingest([_release(redacted_header_printout, tmp_path)], db, agency="Somewhere Else").code == 0
    assert query(str(db), "SELECT sender_redacted, sender_redaction_codes FROM messages") == [(True, ["b6"])]
    assert query(str(db), """SELECT kind, position, name, redacted, redaction_codes FROM recipients
                             ORDER BY kind DESC, position""") == [
        ("to", 0, "Roe, Jane", False, []), ("to", 1, None, True, []), ("to", 2, "Lee, Bob", False, []),
        ("to", 3, "Park, Ann", True, []), ("cc", 0, None, True, ["b6"])]
    assert query(str(db), """SELECT field, recipient_position, kind, uncovered_chars > 0 FROM redactions
                             ORDER BY y0, x0""") == [
        ("sender", None, "box", False), ("to", 1, "box", False), ("to", 3, "box", True),
        ("cc", 0, "code_only", False)]
    # the document prints its agency; the one given for the release stands for documents that print none
    assert query(str(db), "SELECT agency FROM documents") == [("U.S. Department of State",)]
    assert query(str(db), "SELECT DISTINCT release, agency FROM redactions_by_exemption") == [
        ("release", "U.S. Department of State")]


def test_a_box_drawn_over_a_scans_ocr_layer_is_checked_for_text_under_it(ingest, tmp_path):
    db = tmp_path / "r.duckdb"
    assert ingest([_release(scan_with_drawn_box, tmp_path)], db, reocr_hidden_layer="never").code == 0
    assert query(str(db), "SELECT method, image_coverage > 0.5 FROM pages") == [("text_layer", True)]
    assert query(str(db), "SELECT kind, source, uncovered_chars FROM redactions") == [("box", "vector", 8)]
