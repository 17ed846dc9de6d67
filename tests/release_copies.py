"""Copies of a release's documents as an agency re-sends them in a later production: a document with one more
redaction box drawn on a page (a filled black rectangle, as redaction tools draw them)."""

from __future__ import annotations

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


def with_extra_box(source: str, target: str, page_index: int, box: tuple[float, float, float, float]) -> None:
    """Write source to target with a black box at (x0, y0, x1, y1) in PDF points from the page's bottom left."""
    document = pdfium.PdfDocument(source)
    try:
        page = document[page_index]
        x0, y0, x1, y1 = box
        rect = pdfium_c.FPDFPageObj_CreateNewRect(x0, y0, x1 - x0, y1 - y0)
        pdfium_c.FPDFPageObj_SetFillColor(rect, 0, 0, 0, 255)
        pdfium_c.FPDFPath_SetDrawMode(rect, pdfium_c.FPDF_FILLMODE_ALTERNATE, False)
        pdfium_c.FPDFPage_InsertObject(page.raw, rect)
        if not pdfium_c.FPDFPage_GenerateContent(page.raw):
            raise RuntimeError(f"PDFium could not write page {page_index + 1} of {source}")
        document.save(target)
    finally:
        document.close()
