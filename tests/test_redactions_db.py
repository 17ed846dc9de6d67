"""Redactions through the real ingest: boxes, failed redactions (kept or not), codes and release stamps in the
database (flows/document_ingest.py, models/store.py, schema 6)."""

from __future__ import annotations

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from tests.conftest import DC_PDFS, needs_corpus, query


def _release(folder):
    folder.mkdir()
    pdf = canvas.Canvas(str(folder / "letter.pdf"), pagesize=letter)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 740, "RELEASE IN PART B6")
    pdf.drawString(72, 700, "The informant is Jane Roe of 12 Elm Street.")
    start = 72 + pdf.stringWidth("The informant is ", "Helvetica", 11)
    pdf.rect(start - 1, 696, pdf.stringWidth("Jane Roe", "Helvetica", 11) + 2, 14, stroke=0, fill=1)
    pdf.drawString(400, 700, "(b)(6)")
    pdf.drawString(72, 650, "Her phone number is")
    pdf.rect(180, 646, 90, 14, stroke=0, fill=1)  # over blank paper: a redaction that worked
    pdf.drawString(72, 600, "Other staff were told under Exemption 5 and (b)(7)(C).")
    pdf.showPage()
    pdf.setFont("Helvetica", 14)
    pdf.drawString(200, 400, "Page withheld pursuant to exemption (b)(5)")
    pdf.showPage()
    pdf.save()
    return folder


def test_a_failed_redaction_is_counted_and_its_text_is_not_stored(ingest, tmp_path):
    db = tmp_path / "r.duckdb"
    assert ingest([_release(tmp_path / "release")], db).code == 0
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
    assert ingest([_release(tmp_path / "release")], db, keep_uncovered=True).code == 0
    assert query(str(db), "SELECT uncovered_text FROM redactions WHERE uncovered_chars > 0") == [("Jane Roe",)]


@needs_corpus(DC_PDFS)
def test_the_dc_release_boxes_land_in_the_database_with_what_they_blank(ingest, tmp_path):
    db = tmp_path / "dc.duckdb"
    assert ingest([DC_PDFS], db).code == 0
    assert query(str(db), "SELECT kind, source, count(*), sum(uncovered_chars) FROM redactions GROUP BY ALL") == [
        ("box", "vector", 15, 0)]
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
