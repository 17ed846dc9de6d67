"""Page furniture: what a release stamps on its pages that is not part of any message.

Agency stamps (classification banners, case and document numbers, release decisions, production legends),
Bates numbers, page numbers and confidentiality footers. Two kinds of evidence, both general rather than
tuned to one release: the shape of the line (patterns below) and repetition (the same line, digits aside,
in the top or bottom band of most pages of a document).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from extractors.pages.visual_lines import Line
from models.records import Word

MARGIN_BAND = 0.13  # top and bottom share of the page where stamps and footers live

# A Bates number: a short alphanumeric prefix and a long run of digits (STATE-5CB0045248, PHPD-000101,
# DOJ_000123, ABC 0001234). The prefix must start with a letter; the number has at least 5 digits overall.
BATES = re.compile(r"^(?=.*\d{4})[A-Z][A-Z0-9]{1,14}(?:[-_ ][A-Z0-9]{0,6})?[-_ ]?\d{3,}[A-Z]?$")
EXEMPTION = re.compile(r"^(?:\(?b\)?\s*\(\s*\d\s*\)(?:\s*\(\s*[a-f]\s*\))?|B\s?[1-9](?:\s?\(?[A-F]\)?)?)[.,;]?$",
                       re.IGNORECASE)

_LINE_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    r"^(UN)?CLASSIFIED(\s*(//|/)\s*\w+)*$",
    r"^(TOP\s+)?SECRET(\s*//.*)?$|^CONFIDENTIAL(\s*//.*)?$|^SENSITIVE BUT UNCLASSIFIED$|^FOR OFFICIAL USE ONLY$",
    r"^U\.?\s?S\.? Department of State$",
    r"^Case No\.?\s*[\w-]+$",
    r"^Doc No\.?\s*[\w-]+$",
    r"^RELEASE IN( (FULL|PART))?([\s,]*B\s?\d\w*)*$|^(PART|FULL)( B\s?\d\w*)*$",
    r"^STATE DEPT\.?\s*-?\s*PRODUCED TO\b.*",
    r"^SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION.*",
    r"^Page\s+\d+(\s+of\s*[\dlI]\d*)?$",  # OCR reads "of 17" as "ofl7"
    r"^-?\s*\d{1,4}\s*-?$",
    r"^\d+\s+of\s+\d+$",
    r"^SYNTHETIC SAMPLE\b.*|^SYNTHETIC$|^SAMPLE$",
    r"^(CONFIDENTIAL|PRIVILEGED)[^a-z]*(INFORMATION|COMMUNICATION)?[^a-z]*$",
)]
# Only in the margin bands: a release stamp's own date (a message's Date: header carries a time).
_MARGIN_ONLY = [re.compile(r"^Date:\s*\d{1,2}/\d{1,2}/\d{4}$", re.IGNORECASE)]


@dataclass(frozen=True)
class FurnitureVerdict:
    furniture: bool
    kind: str = ""  # stamp | bates | repeated


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def is_exemption_only(text: str) -> bool:
    """A line holding nothing but exemption codes: a redaction mark, kept where it stands."""
    tokens = text.split()
    return bool(tokens) and all(EXEMPTION.match(token) for token in tokens)


def _is_furniture_text(text: str, in_margin: bool) -> str:
    stripped = text.strip()
    if not stripped:
        return ""
    tokens = stripped.split()
    if all(BATES.match(token) or EXEMPTION.match(token) for token in tokens) and any(BATES.match(t) for t in tokens):
        return "bates"
    if any(pattern.match(stripped) for pattern in _LINE_PATTERNS):
        return "stamp"
    if in_margin and any(pattern.match(stripped) for pattern in _MARGIN_ONLY):
        return "stamp"
    return ""


def repeated_shapes(pages_lines: list[tuple[float, list[Line]]]) -> set[str]:
    """Line shapes found in the margin bands of at least half the pages (documents of 3+ pages)."""
    if len(pages_lines) < 3:
        return set()
    counts: Counter[str] = Counter()
    for height, lines in pages_lines:
        shapes = {_shape(line.text) for line in lines
                  if line.y1 < height * MARGIN_BAND or line.y0 > height * (1 - MARGIN_BAND)}
        counts.update(shapes)
    return {shape for shape, count in counts.items() if count >= max(3, len(pages_lines) / 2) and len(shape) > 3}


def strip_furniture_words(line: Line, page_height: float) -> tuple[str, ...]:
    """Bates numbers glued onto the end of a stamp or footer line: the words to keep."""
    keep = list(line.words)
    in_margin = line.y1 < page_height * MARGIN_BAND or line.y0 > page_height * (1 - MARGIN_BAND)
    while keep and in_margin and BATES.match(keep[-1].text.strip(".,;:")):
        keep.pop()
    return tuple(word.text for word in keep)


def without_stamp_segments(line: Line, page_height: float) -> Line | None:
    """A content line with stamps printed beside it in the margin band removed ("RELEASE IN PART B6" to the
    right of a Sent: line); None when nothing else is left."""
    in_margin = line.y1 < page_height * MARGIN_BAND or line.y0 > page_height * (1 - MARGIN_BAND)
    if not in_margin:
        return line
    parts = line.segment_positions()
    if len(parts) < 2:
        return line
    kept = [p for part in parts if not _is_furniture_text(" ".join(line.words[i].text for i in part), True)
            for p in part]
    if not kept:
        return None
    return line if len(kept) == len(line.words) else line.keep(kept)


def _footer_remnant(text: str) -> bool:
    """What OCR leaves of a page footer beside its Bates number ("Paget a oe oe" for "Page 1"): a few short
    tokens, none an address, a time or a label."""
    tokens = text.split()
    return 0 < len(tokens) <= 6 and all(len(token) <= 5 and not re.search(r"[@:]", token) for token in tokens)


def classify_line(line: Line, page_height: float, repeated: set[str]) -> FurnitureVerdict:
    in_margin = line.y1 < page_height * MARGIN_BAND or line.y0 > page_height * (1 - MARGIN_BAND)
    kind = _is_furniture_text(line.text, in_margin)
    if kind:
        return FurnitureVerdict(True, kind)
    if in_margin:
        rest = " ".join(strip_furniture_words(line, page_height))
        if rest != line.text and (not rest or _is_furniture_text(rest, in_margin) or _footer_remnant(rest)):
            return FurnitureVerdict(True, "bates")
        if _shape(line.text) in repeated:
            return FurnitureVerdict(True, "repeated")
        # Two stamps side by side on one printed line (a legend beside a classification banner).
        parts = line.segments()
        if len(parts) > 1 and all(_is_furniture_text(part, in_margin) or BATES.match(part.split()[-1]) and
                                  _is_furniture_text(" ".join(part.split()[:-1]), in_margin) for part in parts):
            return FurnitureVerdict(True, "stamp")
    return FurnitureVerdict(False)


def find_bates(words: list[Word], page_height: float) -> str | None:
    """The page's Bates number: a Bates-shaped word in the top or bottom band, the lowest one if several
    ("STATE-5CB0045248", "PHPD-000105"); None when the page carries none."""
    candidates = [word for word in words if BATES.match(word.text.strip(".,;:"))
                  and (word.y1 < page_height * MARGIN_BAND or word.y0 > page_height * (1 - MARGIN_BAND))
                  and not word.text.strip(".,;:").isdigit()]
    if not candidates:
        return None
    return max(candidates, key=lambda word: word.y1).text.strip(".,;:")
