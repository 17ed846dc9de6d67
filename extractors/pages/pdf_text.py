"""Open a PDF with pypdfium2 and read its own text layer: characters, word boxes, and page facts.

PDFium is not thread-safe (not even across documents), so the pipeline calls these functions in
worker processes, never from several threads of one process.
"""

from __future__ import annotations

import ctypes
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.pages.safe_text import safe_text
from models.records import DocumentRecord, SourceFile, TextLayerPage, Word

PDF_MAGIC = b"%PDF-"
_SNIFF_BYTES = 1024  # the spec tolerates junk before the header; readers look this far

_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_PASSWORD: "the PDF is encrypted and needs a password; decrypt it (for example "
    "`qpdf --decrypt --password=... in.pdf out.pdf`) and ingest the copy",
    pdfium_c.FPDF_ERR_SECURITY: "the PDF uses an unsupported security handler (encryption) and cannot be read",
    pdfium_c.FPDF_ERR_FORMAT: "the file is damaged or truncated: PDFium could not parse its structure",
    pdfium_c.FPDF_ERR_FILE: "the file could not be opened or read",
}

_METADATA_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate")


class PdfReadError(Exception):
    """A readable reason a PDF (or one of its pages) could not be read."""

    def __init__(self, reason: str, page_number: int | None = None):
        super().__init__(reason, page_number)  # both in args, so the error survives pickling across processes
        self.reason = reason
        self.page_number = page_number

    def __str__(self) -> str:
        return self.reason


class UnloadablePage(PdfReadError):
    """PDFium could not load the page at all: rendering it (for OCR, for redaction boxes) fails the same way."""



def sniff_not_pdf_reason(path: str) -> str | None:
    """Why the file is not a PDF, or None when it starts like one."""
    size = os.path.getsize(path)
    if size == 0:
        return "empty file (0 bytes)"
    with open(path, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if PDF_MAGIC in head:
        return None
    return f"not a PDF: {describe_file_start(head)}"


def describe_file_start(head: bytes) -> str:
    known = {
        b"PK\x03\x04": "a zip-format file (Word, Excel or zip)",
        b"\xd0\xcf\x11\xe0": "an old Microsoft Office file",
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"II*\x00": "a TIFF image",
        b"MM\x00*": "a TIFF image",
        b"GIF8": "a GIF image",
        b"{\\rtf": "an RTF document",
    }
    for magic, kind in known.items():
        if head.startswith(magic):
            return f"it is {kind}"
    try:
        head.decode("utf-8")
        return "it is a text file"
    except UnicodeDecodeError:
        return f"it starts with bytes {head[:8].hex(' ')} and has no %PDF- header"


def looks_truncated(path: str) -> bool:
    """A complete PDF ends with %%EOF (readers allow trailing junk; 1 KB is the customary window)."""
    with open(path, "rb") as handle:
        handle.seek(max(0, os.path.getsize(path) - _SNIFF_BYTES))
        return b"%%EOF" not in handle.read()


@contextmanager
def open_pdf(path: str) -> Iterator[pdfium.PdfDocument]:
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if error.err_code == pdfium_c.FPDF_ERR_FORMAT and looks_truncated(path):
            raise PdfReadError("the file is truncated: it stops before the PDF's end marker (%%EOF) and "
                               "PDFium could not recover its structure") from None
        raise PdfReadError(_LOAD_ERRORS.get(error.err_code, f"PDFium could not open it ({error})")) from None
    try:
        yield document
    finally:
        document.close()


def read_document_record(document: pdfium.PdfDocument, source: SourceFile) -> DocumentRecord:
    try:
        raw_metadata = document.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        raw_metadata = {}
    metadata = {key: safe_text(value) for key, value in raw_metadata.items() if key in _METADATA_KEYS and value}
    return DocumentRecord(
        document_id=source.sha256,
        file_name=source.file_name,
        source_path=source.display_path,
        size_bytes=source.size_bytes,
        page_count=len(document),
        file_modified_at=source.modified_at,
        pdf_version=document.get_version(),
        metadata=metadata,
    )


def display_transform(page: pdfium.PdfPage) -> tuple[float, float, float, float, float, float, float, float]:
    """Affine map from PDF user space to displayed top-left points, and the displayed size.

    Asks PDFium itself (FPDF_PageToDevice) so /Rotate and box offsets are handled as its renderer does.
    """
    width, height = page.get_size()  # already the displayed size: PDFium applies /Rotate
    precision = 100  # device units per point: PageToDevice returns integers
    size_x, size_y = round(width * precision), round(height * precision)

    def to_device(x: float, y: float) -> tuple[float, float]:
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(page, 0, 0, size_x, size_y, 0, x, y, dx, dy)
        return dx.value / precision, dy.value / precision

    ox, oy = to_device(0.0, 0.0)
    ax, ay = to_device(1000.0, 0.0)
    bx, by = to_device(0.0, 1000.0)
    return (ax - ox) / 1000, (bx - ox) / 1000, ox, (ay - oy) / 1000, (by - oy) / 1000, oy, width, height


def _image_coverage(page: pdfium.PdfPage, width: float, height: float) -> float:
    area = 0.0
    page_area = max(width * height, 1.0)
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            left, bottom, right, top = obj.get_bounds()
        except pdfium.PdfiumError:
            continue
        area += max(0.0, right - left) * max(0.0, top - bottom)
    return min(1.0, area / page_area)


def read_text_layer(document: pdfium.PdfDocument, page_number: int) -> TextLayerPage:
    """The page's own text, with one box per whitespace-separated word (text.split() == words)."""
    try:
        page = document[page_number - 1]
    except pdfium.PdfiumError as error:
        raise UnloadablePage(f"the page could not be loaded ({error})", page_number) from None
    try:
        rotation = page.get_rotation()
        a, b, c, d, e, f, width, height = display_transform(page)
        textpage = page.get_textpage()
        try:
            text, words, invisible_ratio = _read_chars(textpage, (a, b, c, d, e, f))
        finally:
            textpage.close()
        coverage = _image_coverage(page, width, height)
    finally:
        page.close()
    return TextLayerPage(
        page_number=page_number,
        width_pt=round(width, 2),
        height_pt=round(height, 2),
        rotation=rotation,
        text=text,
        words=words,
        image_coverage=round(coverage, 4),
        invisible_text_ratio=invisible_ratio,
    )


_WORD = re.compile(r"\S+")
_LINE_BREAKS = str.maketrans({"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"})


def _page_chars(raw_textpage, count: int) -> str:
    """All of the page's characters, one per PDFium char index (one call, not one per character)."""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw_textpage, 0, count, buffer)
    text = bytes(buffer)[: max(0, written - 1) * 2].decode("utf-16-le", errors="replace")
    if len(text) == count:
        return text
    # Characters outside the BMP take two UTF-16 units: fall back to one code point per index.
    codes = (pdfium_c.FPDFText_GetUnicode(raw_textpage, i) for i in range(count))
    return "".join(chr(c) if 0 < c < 0x110000 and not 0xD800 <= c <= 0xDFFF else "\ufffd" for c in codes)


def _read_chars(textpage, transform) -> tuple[str, list[Word], float]:
    """Page text, its words with boxes, and the share of text drawn invisibly (a hidden OCR layer).

    A word's box is the union of its first and last characters' boxes: the characters of a word run along
    one line, so that equals the union of all of them at a fraction of the calls into PDFium.
    """
    a, b, c, d, e, f = transform
    raw_textpage = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw_textpage)
    chars = _page_chars(raw_textpage, count) if count > 0 else ""
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    get_box = pdfium_c.FPDFText_GetLooseCharBox

    def corners(index: int) -> tuple[float, float, float, float]:
        get_box(raw_textpage, index, rect_ref)
        xa, ya = a * rect.left + b * rect.bottom + c, d * rect.left + e * rect.bottom + f
        xb, yb = a * rect.right + b * rect.top + c, d * rect.right + e * rect.top + f
        return min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb)

    words: list[Word] = []
    line = 0
    previous_end = 0
    sampled = invisible = 0
    for number, match in enumerate(_WORD.finditer(chars)):
        start, end = match.span()
        line += chars.count("\n", previous_end, start)
        previous_end = end
        first = corners(start)
        last = corners(end - 1) if end - start > 1 else first
        words.append(Word(match.group(), round(min(first[0], last[0]), 2), round(min(first[1], last[1]), 2),
                          round(max(first[2], last[2]), 2), round(max(first[3], last[3]), 2), line))
        if number % 8 == 0:
            obj = pdfium_c.FPDFText_GetTextObject(raw_textpage, start)
            if obj:
                sampled += 1
                invisible += pdfium_c.FPDFTextObj_GetTextRenderMode(obj) == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    ratio = round(invisible / sampled, 3) if sampled else 0.0
    return chars.replace("\r\n", "\n").translate(_LINE_BREAKS), words, ratio  # PDFium ends lines with \r\n


def file_modified_at(path: str) -> datetime:
    return datetime.fromtimestamp(os.path.getmtime(path), tz=timezone.utc).replace(tzinfo=None)


def inspect_pdf(source: SourceFile) -> DocumentRecord:
    """Check the file is a readable PDF and describe it. Raises PdfReadError with a readable reason."""
    not_pdf = sniff_not_pdf_reason(source.path)
    if not_pdf:
        raise PdfReadError(not_pdf)
    with open_pdf(source.path) as document:
        record = read_document_record(document, source)
    if record.page_count == 0:
        raise PdfReadError("the PDF has no pages")
    return record


def read_text_layers(path: str, page_numbers: list[int]) -> list[TextLayerPage | PdfReadError]:
    """Text layers of several pages in one call; a page that fails yields its error, not an exception."""
    results: list[TextLayerPage | PdfReadError] = []
    with open_pdf(path) as document:
        for page_number in page_numbers:
            try:
                results.append(read_text_layer(document, page_number))
            except PdfReadError as error:
                results.append(error)
            except pdfium.PdfiumError as error:
                results.append(PdfReadError(f"the page's text could not be read ({error})", page_number))
    return results


def embedded_files(path: str) -> list[tuple[str, bytes]]:
    """The files embedded in a PDF (a portfolio's documents, file attachments), as (name, bytes), in order. A file
    PDFium cannot extract is left out."""
    found = []
    with open_pdf(path) as document:
        for index in range(document.count_attachments()):
            try:
                attachment = document.get_attachment(index)
                found.append((attachment.get_name() or f"embedded file {index + 1}", bytes(attachment.get_data())))
            except (pdfium.PdfiumError, ValueError):
                continue
    return found
