"""Exemption codes and release stamps that OCR read in doubt, read once more on their own.

Laying out a whole page, Tesseract misreads the short, bold or boxed print of redaction marks more than prose:
State's stamp "RELEASE IN PART B5, B6" came out as "B85, B6", a margin's "B7(D)" as "B7/(D)". A word that looks
like the start of a code ("B", a digit; "1.4") and either is no code as read or was read with low confidence is
cropped from the same page image and read again as a block of its own, with a little and with more margin
around it, as printed and enlarged twice. The surest of those readings that is a code and nothing else
replaces the word's text when the word as read is no code or the new reading is surer. Nothing is invented:
every reading is Tesseract's reading of what is printed there, and a word no crop reads as a code stands.

A release stamp is framed, and the frame breaks Tesseract's page layout: its lines come out split among the
page's other lines, or with the frame's edges read between its words, or with a word lost ("IN PART" with no
"RELEASE"). Where a page's words hold a stamp's word ("RELEASE", "DECLINED", or "PART"/"FULL" after "IN") and
no stamp can be read from them, the region around that word is read on its own (as printed, then enlarged
twice); a stamp read there replaces the page reading's words where the stamp is printed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from PIL import Image

from extractors.pages.ocr import OcrEngine, read_region, text_from_words, with_lines_inserted
from extractors.redactions.codes import is_codes_only, release_stamp
from models.records import Word
from models.settings import IngestSettings

# "B6", "b7(C)", "BS", "(b)(6)", "1.4(D)", as the start of a word: what may be a code however it was read.
CODE_LIKE = re.compile(r"^\W{0,2}(?:[Bb]\W{0,2}[\dS]|1\.4)\S{0,10}$")
DOUBTFUL_BELOW = 80.0  # Tesseract's word confidence: under it a code is read again even when it parses
PADS_PT = (3.0, 6.0)  # margin around the word's box: a box read too tight cuts a parenthesis off
UPSCALES = (1, 2)
# A stamp's word, printed in capitals: where a stamp was printed, if no stamp was read.
STAMP_WORD = re.compile(r"^\W{0,2}(?:RELEASED?|DECLINED?|DENIED)\W{0,2}$")
STAMP_END = re.compile(r"^\W{0,2}(?:PART|FULL)\b")
# Around a stamp's word, in points: room for the words before it on its line ("RELEASE IN" before "PART") and
# for a second line of codes under it; State's stamps are about 100 by 30 points.
STAMP_REGION = (90.0, 14.0, 230.0, 30.0)  # left of, above, right of the word's left edge, below its bottom


def doubtful_code(word: Word) -> bool:
    """A word that may be an exemption code and that OCR did not read as one with confidence."""
    if not CODE_LIKE.match(word.text):
        return False
    return not is_codes_only(word.text) or (word.confidence is not None and word.confidence < DOUBTFUL_BELOW)


def best_code_reading(image: Image.Image, word: Word, settings: IngestSettings,
                      engine: OcrEngine) -> Word | None:
    """The surest reading of the word's crop that is one code mark (or None)."""
    readings = []
    for pad in PADS_PT:
        for upscale in UPSCALES:
            found = read_region(image, (word.x0 - pad, word.y0 - pad, word.x1 + pad, word.y1 + pad), settings,
                                engine, upscale)
            printed = [w for w in found if re.search(r"[^\W_]", w.text)]  # a frame's edge read as "|" aside
            if len(printed) == 1 and is_codes_only(printed[0].text):
                readings.append(printed[0])
    return max(readings, key=lambda w: w.confidence or 0.0, default=None)


def reread_doubtful_codes(image: Image.Image, words: list[Word], settings: IngestSettings,
                          engine: OcrEngine) -> list[Word]:
    """The page's words with each doubtful code's text taken from its best reading on its own, where that
    reading is a code and the page reading was none or less sure; boxes and lines stay the page reading's."""
    out = list(words)
    for index, word in enumerate(words):
        if not doubtful_code(word):
            continue
        best = best_code_reading(image, word, settings, engine)
        if best is None:
            continue
        if not is_codes_only(word.text) or (best.confidence or 0.0) > (word.confidence or 0.0):
            out[index] = replace(word, text=best.text, confidence=best.confidence)
    return out


def _stamp_anchor(words: list[Word]) -> Word | None:
    """A stamp's word the page reading holds, when no stamp can be read from the page's words."""
    if release_stamp(text_from_words(words)) is not None:
        return None
    for index, word in enumerate(words):
        if STAMP_WORD.match(word.text):
            return word
        previous = words[index - 1] if index else None
        if STAMP_END.match(word.text) and previous is not None and previous.line == word.line \
                and previous.text.strip("|'\u2018\u2019") == "IN":
            return word
    return None


def _spans(words: list[Word]) -> list[tuple[int, int]]:
    """Each word's span in text_from_words(words)."""
    spans, at = [], 0
    for index, word in enumerate(words):
        if index:
            at += 1  # the space or the line break before it
        spans.append((at, at + len(word.text)))
        at += len(word.text)
    return spans


def reread_stamp(image: Image.Image, words: list[Word], settings: IngestSettings, engine: OcrEngine) -> list[Word]:
    """The page's words with a stamp the page reading broke read again from the region where it is printed;
    as they were when the page reading holds a stamp, holds none of a stamp's words, or no crop reads one."""
    anchor = _stamp_anchor(words)
    if anchor is None:
        return words
    left, above, right, below = STAMP_REGION
    region = (anchor.x0 - left, anchor.y0 - above, anchor.x0 + right, anchor.y1 + below)
    for upscale in UPSCALES:
        found = read_region(image, region, settings, engine, upscale)
        stamp = release_stamp(text_from_words(found))
        if stamp is not None:
            break
    else:
        return words
    printed = [w for w, (start, end) in zip(found, _spans(found)) if start < stamp.end and end > stamp.start]
    x0, y0 = min(w.x0 for w in printed), min(w.y0 for w in printed)
    x1, y1 = max(w.x1 for w in printed), max(w.y1 for w in printed)
    kept = [w for w in words if not (x0 <= (w.x0 + w.x1) / 2 <= x1 and y0 <= (w.y0 + w.y1) / 2 <= y1)]
    return with_lines_inserted(kept, [replace(w, line=w.line + 1_000_000) for w in printed])
