"""Exemption codes that OCR read in doubt, read once more on their own.

Laying out a whole page, Tesseract misreads the short, bold or boxed print of redaction marks more than prose:
State's stamp "RELEASE IN PART B5, B6" came out as "B85, B6", a margin's "B7(D)" as "B7/(D)". A word that looks
like the start of a code ("B", a digit; "1.4") and either is no code as read or was read with low confidence is
cropped from the same page image and read again as a block of its own, with a little and with more margin
around it, as printed and enlarged twice. The surest of those readings that is a code and nothing else
replaces the word's text when the word as read is no code or the new reading is surer. Nothing is invented:
every reading is Tesseract's reading of what is printed there, and a word no crop reads as a code stands.
"""

from __future__ import annotations

import re
from dataclasses import replace

from PIL import Image

from extractors.pages.ocr import OcrEngine, read_region
from extractors.redactions.codes import is_codes_only
from models.records import Word
from models.settings import IngestSettings

# "B6", "b7(C)", "BS", "(b)(6)", "1.4(D)", as the start of a word: what may be a code however it was read.
CODE_LIKE = re.compile(r"^\W{0,2}(?:[Bb]\W{0,2}[\dS]|1\.4)\S{0,10}$")
DOUBTFUL_BELOW = 80.0  # Tesseract's word confidence: under it a code is read again even when it parses
PADS_PT = (3.0, 6.0)  # margin around the word's box: a box read too tight cuts a parenthesis off
UPSCALES = (1, 2)


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
