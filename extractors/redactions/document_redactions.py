"""A document's redactions, read in a worker: the vector boxes of the born-digital pages, the boxes in scans'
images, the codes in every page's words, and the release stamp."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from extractors.pages.pdf_text import open_pdf
from extractors.redactions.boxes import Box, drawn_again, page_vector_shapes, vector_boxes
from extractors.redactions.image_boxes import drawn_on_paper, image_boxes, page_grey
from extractors.redactions.page_redactions import document_release_status, page_redactions
from models.records import RedactionRecord, ReleaseStatusRecord, Word

SCANNED = 0.5  # share of a page under images from which it is a scan: its boxes are read from its image


def read_document_redactions(path: str, pages: Sequence[tuple[int, Sequence[Word], bool, bool]],
                             keep_uncovered: bool = False, scan_boxes: Mapping[int, list[Box]] | None = None
                             ) -> tuple[list[RedactionRecord], ReleaseStatusRecord | None]:
    """pages: (page number, the page's words, whether its words are the PDF's own text layer, whether the page is
    a scan). Boxes are read from the vector content of text-layer pages and from the image of scans. A box's
    uncovered text is looked for in the PDF's own layer under the boxes its vector content draws: on a scan these
    are boxes drawn over the agency's OCR layer on paper (a box baked into the image hides what OCR reads, so
    nothing can lie under it). scan_boxes: the boxes already found in the images of scans OCR rendered (by page),
    which are not rendered again unless their vector content draws shapes."""
    scan_boxes = scan_boxes or {}
    drawn = [number for number, _, own_layer, scanned in pages if own_layer or not scanned]
    redactions: list[RedactionRecord] = []
    with open_pdf(path) as document:  # once for the document: its drawing and every scan's image
        shapes = page_vector_shapes(document, drawn)
        for number, words, own_layer, scanned in pages:
            boxes = vector_boxes(*shapes[number]) if number in shapes else []
            if scanned:
                grey = page_grey(document, number) if boxes or number not in scan_boxes else None
                boxes = [box for box in boxes if drawn_on_paper(grey, box)]
                found = scan_boxes[number] if number in scan_boxes else image_boxes(grey)
                boxes += [box for box in found if not drawn_again(box, boxes)]
            redactions += page_redactions(number, boxes, words, keep_uncovered, look_under=own_layer)
    return redactions, document_release_status([(number, words) for number, words, _, _ in pages])
