"""Our OCR of a scanned page that carries an agency's hidden OCR layer: the page's second reading.

Only the email headers need it (the agency layer drops one-letter names and whole fields; its bodies are as good
as ours), so by default (`--reocr-hidden-layer headers`) only the page's header blocks are read: each run of lines
the agency layer shows beginning with a header label, with a margin for a field it dropped at an edge, cropped
from the page image and read as one block of text. The second reading is then the agency layer with those blocks
replaced by our reading of them, so the two readings, split into messages each and combined field by field
(extractors/email/layer_merge.py), differ only where the headers are. `pages` and `all` read the whole page, as any
OCR page is read. Then (in every mode) each header line that the agency layer shows as a label
with no value (agency OCR drops a lone "H" on `To:` lines, and Tesseract, laying out a whole page, often
reads a short value as "#" or "bal" or not at all) is read twice more on its own: the line cropped from the
same page image and read as one block of text, where a short value has the image to itself, and the value's
column alone, despeckled, where the label, a stippled background and a redaction code further along cannot
drown it. Each reading is taken after the agency layer's label (what that layer did read there: a reading's
own "Te:" in its place is dropped), and the surest one replaces our page reading's words on that line when
Tesseract is surer of it (its least confident value word, specks of punctuation aside, beats the page
reading's). Nothing is invented: every word is the agency layer's or Tesseract's reading of what is printed
there.
"""

from __future__ import annotations

from dataclasses import replace

from PIL import Image

from extractors.email.headers import match_label
from extractors.email.split import PageInput, content_lines
from extractors.pages.decision import HEADER_LABELS
from extractors.pages.ocr import (OcrEngine, load_engine, ocr_pdf_page, page_image_for_ocr, read_page_image,
                                  read_region, text_from_words, with_lines_inserted)
from extractors.pages.pdf_text import open_pdf, read_text_layer
from extractors.pages.visual_lines import Line, build_lines
from models.records import OcrPage, TextLayerPage, Word
from models.settings import IngestSettings

REREAD_LABELS = ("from", "to", "cc", "bcc", "sent", "date", "subject")
# A header block: lines beginning with a header label, joined across a gap of up to this many line heights (a
# recipient list wrapped over several lines, a field the agency layer dropped), read with this margin above and
# below (a From: or Subject: line it dropped at the block's edge, a subject wrapped onto the next line).
BLOCK_GAP_LINES = 5.0
BLOCK_MARGIN_LINES = 2.0
# Read as one block of text at the page's 300 dpi: on the State set, reading the blocks laid out as pages are
# (recipients 0.948) or enlarged twice (0.897) did worse than this (0.960).
BAND_PAD_PT = 4.0  # around the agency line's box, for letters its box clipped
RIGHT_MARGIN_PT = 36.0
# A value the agency layer dropped whole is short (a one-letter name, an initial; a longer one it reads at least
# in part), so it is also read from its own column: from just after the label to this far into the column where
# the nearest header line with a label at the same indent prints its value, the line's height with a small pad,
# despeckled. There it is not drowned by the label, a stippled background, or a redaction code further along.
VALUE_COLUMN_PT = 48.0
VALUE_COLUMN_LEAD_PT = 2.0  # after the label's end
VALUE_COLUMN_PAD_PT = 3.0
LABEL_INDENT_PT = 15.0  # labels of one header block start within this of each other


def bare_header_lines(lines: list[Line]) -> list[tuple[float, float, float]]:
    """(x0, y0, y1) in points of the header lines, among the agency layer's lines, that hold a label and nothing
    else."""
    bands = []
    for line in lines:
        match = match_label(line.text)
        if match and match.label in REREAD_LABELS and not match.value.strip(" :;.,'\"|"):
            bands.append((line.x0, line.y0, line.y1))
    return bands


def _crop_words(image: Image.Image, band: tuple[float, float, float], width_pt: float, settings: IngestSettings,
                engine: OcrEngine) -> list[Word]:
    x0, y0, y1 = band
    words = read_region(image, (x0 - BAND_PAD_PT, y0 - BAND_PAD_PT, width_pt - RIGHT_MARGIN_PT, y1 + BAND_PAD_PT),
                        settings, engine)
    # The crop may catch the edge of a neighbouring line: keep the line read nearest the band's middle.
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    middle = (y0 + y1) / 2
    return min(lines.values(), key=lambda found: abs(sum((w.y0 + w.y1) / 2 for w in found) / len(found) - middle),
               default=[])


def value_column(lines: list[Line], band: tuple[float, float, float]) -> float | None:
    """Where, in points, the values of the header line nearest the band begin, among the agency layer's lines whose
    label has the band's indent (None when no such line shows a value): header values are printed in one column."""
    x0, y0, _ = band
    starts = []
    for line in lines:
        match = match_label(line.text)
        if match and match.value.strip() and len(line.words) > 1 and abs(line.words[0].x0 - x0) <= LABEL_INDENT_PT:
            starts.append((abs(line.y0 - y0), line.words[1].x0))
    return min(starts)[1] if starts else None


def _column_words(image: Image.Image, words: list[Word], band: tuple[float, float, float], label: Word,
                  column: float | None, settings: IngestSettings, engine: OcrEngine) -> list[Word]:
    """Our reading of the band's value column (from the label's end to a short way into the column), and the
    page reading's words beyond it (a redaction code printed further along); empty when there is no column to
    read or nothing is read there."""
    if column is None or column <= label.x1:
        return []
    _, y0, y1 = band
    right = column + VALUE_COLUMN_PT
    value = read_region(image, (label.x1 + VALUE_COLUMN_LEAD_PT, y0 - VALUE_COLUMN_PAD_PT, right,
                                y1 + VALUE_COLUMN_PAD_PT), settings, engine, despeckle=True)
    beyond = [word for word in words if _on_band(word, band) and word.x0 >= right]
    return value + beyond if value else []


def with_agency_label(label: Word, line_words: list[Word]) -> list[Word]:
    """A reading of a bare header line given the agency layer's label (the label is what it did read there; a
    reading's own "Te:" or "Fe:" in its place is dropped) followed by the reading's words after it; empty when the
    reading has none."""
    value = [word for word in line_words if word.x0 >= label.x1 - 1.0]
    return [label, *value] if value else []


def reread_bare_line(image: Image.Image, layer: TextLayerPage, words: list[Word], band: tuple[float, float, float],
                     column: float | None, settings: IngestSettings, engine: OcrEngine) -> list[Word]:
    """The page's words with a bare header line's words replaced by the surer of its two readings on its own (the
    line, the value's column, where `column` says it begins) where that is surer than the page reading's."""
    label = min((word for word in layer.words if _on_band(word, band)), key=lambda word: word.x0, default=None)
    if label is None:
        return words
    readings = (with_agency_label(label, _crop_words(image, band, layer.width_pt, settings, engine)),
                with_agency_label(label, _column_words(image, words, band, label, column, settings, engine)))
    surest = max(readings, key=_value_certainty)
    page_line = with_agency_label(label, [word for word in words if _on_band(word, band)])
    return replace_band_words(words, band, surest) if better_reading(page_line, band, surest) else words


def _on_band(word: Word, band: tuple[float, float, float]) -> bool:
    x0, y0, y1 = band
    middle = (word.y0 + word.y1) / 2
    return y0 - 2 <= middle <= y1 + 2 and word.x1 >= x0 - BAND_PAD_PT


def _value_certainty(line_words: list[Word]) -> float:
    """The least confidence among a header line's value words (after its label) that hold a letter or digit (a
    stray comma read at 5% is a speck, not a doubt about the name); 0 when it has none or the line does not
    begin with a label."""
    if len(line_words) < 2 or not match_label(line_words[0].text + " x"):
        return 0.0
    return min(((word.confidence or 0.0) for word in line_words[1:] if any(c.isalnum() for c in word.text)),
               default=0.0)


def better_reading(words: list[Word], band: tuple[float, float, float], crop: list[Word]) -> bool:
    """Is the crop's reading of the line surer than the page reading's?"""
    return _value_certainty(crop) > _value_certainty([word for word in words if _on_band(word, band)])


def replace_band_words(words: list[Word], band: tuple[float, float, float], new: list[Word]) -> list[Word]:
    """The page's words with those on the band's line (from its x0 on) swapped for `new`, as a line of its own in
    reading order."""
    if not new:
        return words
    return with_lines_inserted([word for word in words if not _on_band(word, band)],
                               [replace(word, line=-1) for word in new])


def header_blocks(layer: TextLayerPage) -> list[tuple[float, float]]:
    """(y0, y1) in points of the page's email header blocks as the agency layer shows them, margins included (page
    furniture left out: a release stamp's "Date:" is not a header)."""
    lines = [line for line in content_lines([PageInput(layer.page_number, layer.height_pt, layer.words)])
             if line.words]
    if not lines:
        return []
    heights = sorted(line.y1 - line.y0 for line in lines)
    height = max(heights[len(heights) // 2], 6.0)
    blocks: list[list[float]] = []
    for line in lines:
        match = match_label(line.text)
        if not match or match.label not in HEADER_LABELS:
            continue
        if blocks and line.y0 - blocks[-1][1] <= BLOCK_GAP_LINES * height:
            blocks[-1][1] = max(blocks[-1][1], line.y1)
        else:
            blocks.append([line.y0, line.y1])
    margin = BLOCK_MARGIN_LINES * height
    return [(max(0.0, y0 - margin), min(layer.height_pt, y1 + margin)) for y0, y1 in blocks]


def _in_blocks(word: Word, blocks: list[tuple[float, float]]) -> bool:
    middle = (word.y0 + word.y1) / 2
    return any(y0 <= middle <= y1 for y0, y1 in blocks)


def read_header_blocks(image: Image.Image, layer: TextLayerPage, settings: IngestSettings,
                       engine: OcrEngine) -> tuple[list[Word], float | None]:
    """The agency layer's words with its header blocks replaced by our OCR of them, and that OCR's mean
    confidence (None when the page shows no block)."""
    blocks = header_blocks(layer)
    read: list[Word] = []
    for number, (y0, y1) in enumerate(blocks):
        # Lines renumbered apart per block, so that one block's lines never join another's.
        read += [replace(word, line=(number + 1) * 10_000 + word.line)
                 for word in read_region(image, (0.0, y0, layer.width_pt, y1), settings, engine)]
    kept = [word for word in layer.words if not _in_blocks(word, blocks)]
    confidences = [word.confidence for word in read if word.confidence is not None]
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return with_lines_inserted(kept, read), mean


def read_page_twice(path: str, page_number: int, settings: IngestSettings, scan_boxes: bool = False) -> OcrPage:
    """The second reading of one page: our OCR of its header blocks (or of the whole page, `pages` and `all`),
    with bare header lines read again on their own (and with scan_boxes its redaction boxes, from the same
    render)."""
    engine = load_engine(settings.ocr_engine)
    with open_pdf(path) as document:
        layer = read_text_layer(document, page_number)
        image, cleaning, boxes = page_image_for_ocr(document, page_number, settings, scan_boxes)
    try:
        if settings.reocr_hidden_layer == "headers":
            words, mean_confidence = read_header_blocks(image, layer, settings, engine)
        else:
            words, mean_confidence = read_page_image(engine, image, settings)
        lines = build_lines(layer.words, layer.page_number)
        for band in bare_header_lines(lines):
            words = reread_bare_line(image, layer, words, band, value_column(lines, band), settings, engine)
    finally:
        image.close()
    return OcrPage(page_number, text_from_words(words), words, mean_confidence, settings.ocr_dpi, cleaning, boxes)


def read_page_by_ocr(path: str, page_number: int, settings: IngestSettings, second_reading: bool,
                     scan_boxes: bool = False) -> OcrPage:
    """A worker's call: a page OCR'd in place of its text layer, or read a second time beside it; a scan's
    redaction boxes are found in the same render."""
    return (read_page_twice if second_reading else ocr_pdf_page)(path, page_number, settings, scan_boxes)
