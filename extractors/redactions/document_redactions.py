"""A document's redactions, read in a worker: the vector boxes of the born-digital pages that draw any shapes
(pdfplumber is opened only for those), the boxes in scans' images, the codes in every page's words, and the
release stamp."""

from __future__ import annotations

from collections.abc import Sequence

import pypdfium2.raw as pdfium_c

from extractors.pages.pdf_text import open_pdf
from extractors.redactions.boxes import page_vector_shapes, vector_boxes
from extractors.redactions.image_boxes import image_boxes, page_grey
from extractors.redactions.page_redactions import document_release_status, page_redactions
from models.records import RedactionRecord, ReleaseStatusRecord, Word

SCANNED = 0.5  # share of a page under images from which it is a scan: its boxes are read from its image


def pages_with_shapes(document, page_numbers: Sequence[int]) -> list[int]:
    """The pages (numbered from 1) of an open PDF that draw any path: a scan or a page of plain text draws none,
    and skips the slower pdfplumber reading."""
    return [number for number in page_numbers
            if next(iter(document[number - 1].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3)),
                    None) is not None]


def read_document_redactions(path: str, pages: Sequence[tuple[int, Sequence[Word], bool, bool]],
                             keep_uncovered: bool = False
                             ) -> tuple[list[RedactionRecord], ReleaseStatusRecord | None]:
    """pages: (page number, the page's words, whether its words are the PDF's own text layer, whether the page is
    a scan). Boxes are read from the vector content of text-layer pages and from the image of scans; a box's
    uncovered text is only looked for in a born-digital page's own layer (on a scan, OCR, the agency's or ours,
    reads what is printed, so it cannot hold text under a box)."""
    text_pages = [number for number, _, own_layer, scanned in pages if own_layer and not scanned]
    redactions: list[RedactionRecord] = []
    with open_pdf(path) as document:  # once for the document: the shape check and every scan's image
        shapes = page_vector_shapes(path, pages_with_shapes(document, text_pages)) if text_pages else {}
        for number, words, _, scanned in pages:
            if scanned:
                boxes = image_boxes(page_grey(document, number))
                redactions += page_redactions(number, boxes, words, False, look_under=False)
                continue
            boxes = vector_boxes(*shapes[number]) if number in shapes else []
            redactions += page_redactions(number, boxes, words, keep_uncovered)
    return redactions, document_release_status([(number, words) for number, words, _, _ in pages])
