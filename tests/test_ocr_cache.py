"""The OCR cache (extractors/pages/ocr_cache.py, issue 17): a document re-sent with one page changed is OCR'd on
that page only, and its other pages read exactly as before."""

from __future__ import annotations

import os

import pypdfium2 as pdfium

from tests.conftest import SAMPLE_DIR, query

PAGES = ["PHPD-000101_FaceQuill_demo_invitation.pdf", "PHPD-000103_FaceQuill_operator_training.pdf",
         "PHPD-000107_thank_you_webmail.pdf", "PHPD-000110_pilot_report_and_quote.pdf"]


def _scan(sources: list[str], path: str) -> None:
    """A scanned document (page images, no text layer) of each source's first page."""
    images = []
    for name in sources:
        document = pdfium.PdfDocument(os.path.join(SAMPLE_DIR, name))
        images.append(document[0].render(scale=150 / 72, grayscale=True).to_pil().convert("L"))
        document.close()
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150)


def _engine_calls(tmp_path) -> int:
    log = tmp_path / "engine-calls.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_resent_document_with_one_page_changed_is_ocrd_on_that_page_only(ingest, tmp_path):
    first, resent = tmp_path / "first", tmp_path / "resent"
    first.mkdir()
    resent.mkdir()
    _scan(PAGES[:3], str(first / "scan.pdf"))
    _scan([PAGES[0], PAGES[3], PAGES[2]], str(resent / "scan.pdf"))  # page 2 replaced
    db = str(tmp_path / "cached.duckdb")
    settings = {"ocr_engine": "tests.fault_engines:counting_engine", "ocr_cache_dir": str(tmp_path / "cache")}
    assert ingest([str(first)], db, release="first", **settings).code == 0
    assert _engine_calls(tmp_path) == 3
    assert ingest([str(resent)], db, release="resent", **settings).code == 0
    assert _engine_calls(tmp_path) == 4  # the changed page alone
    words = query(db, """SELECT p.page_number, d.release_name, string_agg(w.text, ' ' ORDER BY w.word_index)
                         FROM page_words w JOIN pages p USING (document_id, page_number)
                         JOIN (SELECT document_id, r.name AS release_name FROM documents JOIN releases r
                               USING (release_id)) d USING (document_id)
                         GROUP BY ALL ORDER BY 1, 2""")
    by_page = {(page, release): text for page, release, text in words}
    assert by_page[(1, "first")] == by_page[(1, "resent")] and by_page[(3, "first")] == by_page[(3, "resent")]
    assert by_page[(2, "first")] != by_page[(2, "resent")]
    assert "FaceQuill" in by_page[(1, "resent")]


def test_a_damaged_entry_is_read_again(tmp_path):
    from PIL import Image

    from extractors.pages.ocr_cache import cached_reading, image_key, keep_reading
    from models.records import Word
    from models.settings import IngestSettings

    settings = IngestSettings(ocr_cache_dir=str(tmp_path))
    image = Image.new("L", (40, 20), 255)
    key = image_key(image, settings)
    assert cached_reading(str(tmp_path), key) is None
    keep_reading(str(tmp_path), key, [Word("demo", 1.0, 2.0, 3.0, 4.0, 0, 91.5)], 91.5)
    assert cached_reading(str(tmp_path), key) == ([Word("demo", 1.0, 2.0, 3.0, 4.0, 0, 91.5)], 91.5)
    entry = next((tmp_path / key[:2]).iterdir())
    entry.write_bytes(entry.read_bytes()[:10])
    assert cached_reading(str(tmp_path), key) is None
    assert image_key(image, IngestSettings(ocr_cache_dir=str(tmp_path), ocr_language="deu")) != key
