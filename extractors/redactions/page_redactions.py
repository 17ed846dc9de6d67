"""A page's redactions: its boxes with the codes that label them, the codes printed with no box found, a page
that stands for withheld pages, and a document's release stamp.

A code labels the box it is printed in or beside: at the same height (the line the box blanks, or the margin
beside it). The short form "B6" is taken for a code only where the layout says so (a line of nothing but codes,
a header field's value, or beside a box); "(b)(6)" and the other long forms always are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from extractors.redactions.boxes import Box, covered_words
from extractors.redactions.codes import (RELEASE_STAMP, ExemptionMark, find_codes, is_codes_only, release_stamp,
                                         withheld_notice)
from models.records import RedactionRecord, ReleaseStatusRecord, Word

_HEADER_LABEL = re.compile(r"^\W*[A-Za-z]+\s*:\W*$")  # "From:", "Sent:", "To:" before a redacted value
WITHHELD_PAGE_MAX_WORDS = 60  # a notice page ("Page withheld pursuant to exemption (b)(5)") holds a few words


MARGIN_GAP = 36.0  # points (half an inch): a code this far from the line's other words stands in a margin
# A short code at a line's end, this far from the line's last word (three word spaces and more) and left-aligned
# with a code standing in a margin on another line, stands in that margin's column: a long line ran close to it.
COLUMN_GAP = 9.0
COLUMN_ALIGN = 3.0  # points: left edges of one column of codes
# The classification authority block of Executive Order 13526 ("Classified by ... Reason: 1.4(D) ... Declassify
# on: ..."): its 1.4 reason classifies the document, it labels no redaction.
_CLASSIFICATION_BLOCK = re.compile(r"\b(?:Reason|Declassify\s+on|Classified\s+by|Derived\s+from)\s*:", re.IGNORECASE)


def _lines(words: Sequence[Word]) -> list[tuple[str, list[Word], list[tuple[int, int]]]]:
    """The page's lines in order: text, words left to right, each word's span in the text."""
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    out = []
    for _, line_words in sorted(lines.items()):
        line_words = sorted(line_words, key=lambda w: w.x0)
        text, spans = "", []
        for word in line_words:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(word.text)))
            text += word.text
        out.append((text, line_words, spans))
    return out


def _stamp_area(lines) -> tuple[float, float, float, float] | None:
    """Where the release stamp is printed, with the line of codes under it ("RELEASE IN PART" / "B5,B6")."""
    for text, line_words, spans in lines:
        match = RELEASE_STAMP.search(text)
        if match:
            inside = [w for w, (a, b) in zip(line_words, spans) if a < match.end() and b > match.start()]
            x0, y0 = min(w.x0 for w in inside), min(w.y0 for w in inside)
            x1, y1 = max(w.x1 for w in inside), max(w.y1 for w in inside)
            return x0 - MARGIN_GAP, y0, x1 + MARGIN_GAP, y1 + 2.5 * (y1 - y0)
    return None


def code_marks(words: Sequence[Word]) -> list[tuple[ExemptionMark, tuple[float, float, float, float], bool]]:
    """The exemption-code marks of a page's words, line by line, the release stamp's left out: (mark, its box,
    whether the layout alone makes it a code: a long form, a line of nothing but codes, a header field's value,
    or a short form standing apart in a margin)."""
    lines = _lines(words)
    stamp = _stamp_area(lines)
    out, at_line_end = [], []
    for text, line_words, spans in lines:
        if _CLASSIFICATION_BLOCK.search(text):
            continue
        for mark in find_codes(text):
            inside = [i for i, (start, end) in enumerate(spans) if start < mark.end and end > mark.start]
            if not inside:
                continue
            first, last = line_words[inside[0]], line_words[inside[-1]]
            box = (min(line_words[i].x0 for i in inside), min(line_words[i].y0 for i in inside),
                   max(line_words[i].x1 for i in inside), max(line_words[i].y1 for i in inside))
            middle_x, middle_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
            if stamp is not None and stamp[0] <= middle_x <= stamp[2] and stamp[1] <= middle_y <= stamp[3]:
                continue  # "RELEASE IN PART B5,B6": the document's stamp (document_release_status), no redaction
            rest = (text[:mark.start] + text[mark.end:]).strip()
            # a speck OCR reads as a quote or a bar is no neighbour
            before = next((w for w in reversed(line_words[:inside[0]]) if _printed(w)), None)
            after = next((w for w in line_words[inside[-1] + 1:] if _printed(w)), None)
            apart = (before is None or first.x0 - before.x1 >= MARGIN_GAP) and (
                after is None or after.x0 - last.x1 >= MARGIN_GAP)
            alone = not mark.bare or not re.search(r"[^\W_]", rest) or bool(_HEADER_LABEL.match(rest)) or \
                is_codes_only(rest) or apart
            if not alone and after is None and before is not None and first.x0 - before.x1 >= COLUMN_GAP:
                at_line_end.append(len(out))
            out.append((mark, box, alone))
    margin_edges = [box[0] for _, box, alone in out if alone]
    text_edge = _text_right_edge(lines)
    for index in at_line_end:
        mark, box, _ = out[index]
        if box[0] > text_edge or any(abs(box[0] - edge) <= COLUMN_ALIGN for edge in margin_edges):
            out[index] = (mark, box, True)
    return out


def _text_right_edge(lines) -> float:
    """Where the page's lines of prose end: the right edge of the ninth in ten longest lines of three words or
    more with no code on them (a page's margin lies beyond it)."""
    ends = sorted(line_words[-1].x1 for text, line_words, _ in lines
                  if sum(map(_printed, line_words)) >= 3 and not find_codes(text))
    return ends[int(0.9 * (len(ends) - 1))] if ends else float("inf")


def _printed(word: Word) -> bool:
    return bool(re.search(r"[^\W_]", word.text))


def same_height(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Two vertical spans overlap by half the shorter one: a code or a box on a line."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def page_redactions(page_number: int, boxes: Iterable[Box], words: Sequence[Word],
                    keep_uncovered: bool = False, look_under: bool = True) -> list[RedactionRecord]:
    """The page's redactions: each box with the codes beside it and the words it fails to hide (their count
    always, their text only with keep_uncovered; looked for under vector boxes, as a box found in a scan's image
    hides what the page's words were read from), then the codes no box claims, then a withheld-page notice."""
    boxes = list(boxes)
    marks = code_marks(words)
    claimed: dict[int, list[int]] = {}
    for index, (mark, (x0, y0, x1, y1), _) in enumerate(marks):
        beside = [b for b, box in enumerate(boxes) if same_height((box.top, box.bottom), (y0, y1))]
        if beside:
            nearest = min(beside, key=lambda b: min(abs(boxes[b].x0 - x1), abs(x0 - boxes[b].x1)))
            claimed.setdefault(nearest, []).append(index)
    records = []
    for b, box in enumerate(boxes):
        under = [w for w in covered_words(box, words) if look_under and box.source == "vector"
                 and not any(i in claimed.get(b, []) and _word_in(w, marks[i][1]) for i in range(len(marks)))]
        hidden = " ".join(w.text for w in under)
        codes = [code for i in claimed.get(b, []) for code in marks[i][0].codes]
        records.append(RedactionRecord(
            page_number, "box", box.source, list(dict.fromkeys(codes)), box.x0, box.top, box.x1, box.bottom,
            " ".join(marks[i][0].text for i in claimed.get(b, [])) or None, len(hidden),
            hidden if keep_uncovered and hidden else None))
    notice = withheld_notice(" ".join(w.text for w in words)) if len(words) <= WITHHELD_PAGE_MAX_WORDS else None
    if notice:  # the page's codes are the notice's
        codes = [code for mark, _, _ in marks for code in mark.codes]
        return records + [RedactionRecord(page_number, "withheld_page", "text", list(dict.fromkeys(codes)),
                                          None, None, None, None, notice)]
    taken = {i for indices in claimed.values() for i in indices}
    for index, (mark, (x0, y0, x1, y1), alone) in enumerate(marks):
        if index not in taken and alone:
            records.append(RedactionRecord(page_number, "code_only", "text", list(mark.codes), round(x0, 2),
                                           round(y0, 2), round(x1, 2), round(y1, 2), mark.text))
    return records


def _word_in(word: Word, area: tuple[float, float, float, float]) -> bool:
    return area[0] <= word.x0 and word.x1 <= area[2] and area[1] <= word.y0 and word.y1 <= area[3]


def document_release_status(pages: Sequence[tuple[int, Sequence[Word]]]) -> ReleaseStatusRecord | None:
    """The release stamp of the first page that prints one ("RELEASE IN PART B5,B6")."""
    for page_number, words in pages:
        stamp = release_stamp("\n".join(text for text, _, _ in _lines(words))) or _stamp_in_its_column(words)
        if stamp is not None:
            return ReleaseStatusRecord(page_number, stamp.decision, list(stamp.codes))
    return None


def _stamp_in_its_column(words: Sequence[Word]):
    """A stamp read apart from the lines it shares with the page's other columns: OCR puts "RELEASE IN" and, a
    line below, "PART B6" on the same lines as the left margin's "Doc No." and "Date:"."""
    for start in words:
        if not re.fullmatch(r"RELEASED?|DECLINED?|DENIED", start.text, re.IGNORECASE):
            continue
        height = start.y1 - start.y0
        column = [w for w in words if w.x0 >= start.x0 - height and start.y0 - height / 2 <= w.y0 <= start.y0
                  + 4 * height]
        stamp = release_stamp("\n".join(text for text, _, _ in _lines(column)))
        if stamp is not None:
            return stamp
    return None
