"""Issue 17, item 4: no page is rendered twice, and no page's text layer is read twice, in computing a document.

The real pipeline runs (compute_document with the page work in this process, so that PDFium's calls can be
counted here); PDFium's own render and page access are wrapped to count, and still do their work.
"""

from __future__ import annotations

import collections
import glob
import os

import pypdfium2 as pdfium
import pytest

from extractors.pages import pdf_text
from tests.conftest import SAMPLE_PDFS, STATE_PDFS, compute_here


def _counted_work(monkeypatch, paths: list[str]) -> tuple[collections.Counter, collections.Counter, int]:
    """(renders, text-layer readings) by (file, page), and the pages computed."""
    renders: collections.Counter = collections.Counter()
    readings: collections.Counter = collections.Counter()
    get_page, render, read_layer = pdfium.PdfDocument.__getitem__, pdfium.PdfPage.render, pdf_text.read_text_layer

    def counted_page(document, index):
        page = get_page(document, index)
        page.counted_as = (str(document._input), index + 1)
        return page

    def counted_render(page, *args, **kwargs):
        renders[page.counted_as] += 1
        return render(page, *args, **kwargs)

    def counted_layer(document, page_number):
        readings[(str(document._input), page_number)] += 1
        return read_layer(document, page_number)

    monkeypatch.setattr(pdfium.PdfDocument, "__getitem__", counted_page)
    monkeypatch.setattr(pdfium.PdfPage, "render", counted_render)
    monkeypatch.setattr(pdf_text, "read_text_layer", counted_layer)
    pages = 0
    for path in paths:
        computed = compute_here(path)
        assert computed.failure is None, computed.failure
        pages += len(computed.rows.pages)
    return renders, readings, pages


def test_no_page_of_the_sample_release_is_rendered_or_read_twice(monkeypatch):
    renders, readings, pages = _counted_work(monkeypatch, SAMPLE_PDFS)
    assert max(renders.values()) == 1 and renders  # the scanned sample's pages are rendered, once
    assert set(readings.values()) == {1} and sum(readings.values()) == pages


@pytest.mark.skipif(not os.path.isdir(STATE_PDFS), reason="the corpus (../shared/corpus) is not present")
def test_a_state_page_read_again_for_its_headers_is_rendered_once(monkeypatch):
    # the default second reading OCRs header lines of the agency's layer: from the one render OCR needs, the
    # redaction boxes of the scan are found too
    paths = sorted(glob.glob(os.path.join(STATE_PDFS, "*.pdf")))[:4]
    renders, readings, pages = _counted_work(monkeypatch, paths)
    assert renders and max(renders.values()) == 1
    assert set(readings.values()) == {1} and sum(readings.values()) == pages
