"""The one place that decides how a page's text is obtained: keep its text layer, or OCR it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from extractors.email.headers import match_label
from extractors.email.split import PageInput, content_lines
from models.records import PageDecision, TextLayerPage

# A scanned page whose text layer is only this long is most likely carrying a stamp (a Bates number,
# "RELEASE IN PART") added after scanning, not the words printed on the page.
STAMP_ONLY_MAX_CHARS = 160
SCANNED_COVERAGE = 0.6  # images cover most of the page
MIN_TOKENS_FOR_JUDGEMENT = 12
MIN_WORDLIKE_SHARE = 0.45
MAX_INVALID_SHARE = 0.08

HIDDEN_LAYER_RATIO = 0.5  # most characters drawn invisibly over a scan: an OCR layer added by the agency
HEADER_LABELS = {"from", "sent", "date", "to", "cc", "subject"}

_TOKEN = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")
_VOWELS = set("aeiouyAEIOUY")


@dataclass(frozen=True)
class TextQuality:
    visible_chars: int  # non-whitespace characters
    tokens: int
    wordlike_share: float  # tokens that read like words, numbers or acronyms
    invalid_share: float  # replacement, private-use and control characters


def _is_wordlike(token: str) -> bool:
    core = token.strip(".,;:!?\"'()[]{}<>-–—*/\\|")
    if not core:
        return True  # punctuation on its own is normal in printed email
    if any(ch.isdigit() for ch in core):
        return sum(ch.isalnum() for ch in core) >= len(core) / 2  # dates, times, numbers, codes
    letters = _LETTERS.fullmatch(core.replace("'", "").replace("-", "").replace(".", "").replace("@", ""))
    if not letters:
        return False
    if len(core) <= 4 and core.isupper():
        return True  # acronyms: DEA, FBI, (b)(6) parts
    return any(ch in _VOWELS for ch in core) or len(core) <= 2


def _is_invalid(char: str) -> bool:
    if char == "\ufffd":
        return True
    category = unicodedata.category(char)
    return category in ("Co", "Cs", "Cn") or (category == "Cc" and char not in "\n\t")


def measure_text_quality(text: str) -> TextQuality:
    tokens = _TOKEN.findall(text)
    visible = sum(len(token) for token in tokens)
    invalid = sum(1 for token in tokens for ch in token if _is_invalid(ch))
    wordlike = sum(1 for token in tokens if _is_wordlike(token))
    return TextQuality(
        visible_chars=visible,
        tokens=len(tokens),
        wordlike_share=wordlike / len(tokens) if tokens else 0.0,
        invalid_share=invalid / visible if visible else 0.0,
    )


def decide_page_method(layer: TextLayerPage, force_ocr: bool = False) -> PageDecision:
    """Keep a usable text layer; OCR a page with no text, garbage text, or only a stamp on a scan."""
    if force_ocr:
        return PageDecision("ocr", "OCR forced for every page")
    quality = measure_text_quality(layer.text)
    if quality.visible_chars == 0:
        return PageDecision("ocr", "no text layer")
    if quality.invalid_share > MAX_INVALID_SHARE:
        return PageDecision("ocr", f"text layer unreadable: {quality.invalid_share:.0%} invalid characters")
    if quality.tokens >= MIN_TOKENS_FOR_JUDGEMENT and quality.wordlike_share < MIN_WORDLIKE_SHARE:
        return PageDecision("ocr", f"text layer looks like garbage: {quality.wordlike_share:.0%} word-like tokens")
    if layer.image_coverage >= SCANNED_COVERAGE and quality.visible_chars <= STAMP_ONLY_MAX_CHARS:
        return PageDecision(
            "ocr", f"scanned page whose text layer has only {quality.visible_chars} characters (a stamp)"
        )
    reason = "hidden OCR layer kept" if layer.invisible_text_ratio >= HIDDEN_LAYER_RATIO else "text layer kept"
    return PageDecision("text_layer", reason)


def shows_email_header(layer: TextLayerPage) -> bool:
    """Printed lines of the page, stamps and Bates numbers left out, begin with at least two different
    header labels, one of them From:, Sent: or To: (a release stamp's "Date:" and "SUBJECT TO ..." do not
    count)."""
    labels = set()
    for line in content_lines([PageInput(layer.page_number, layer.height_pt, layer.words)]):
        match = match_label(line.text)
        if match and match.label in HEADER_LABELS:
            labels.add(match.label)
            if len(labels) >= 2 and labels & {"from", "sent", "to"}:
                return True
    return False


def decide_second_reading(layer: TextLayerPage, decision: PageDecision, mode: str = "headers") -> str | None:
    """Why our OCR should read a page whose agency OCR layer was kept, or None.

    Agency OCR layers and Tesseract fail differently (the agency layer drops one-letter names and whole
    fields; Tesseract misreads others), so for the parts that matter most, the email headers, both are read
    and combined. "headers" (their header blocks) and "pages" (the whole page): pages whose layer shows a header
    block; "all": every such page, whole; "never".
    """
    if mode == "never" or decision.method != "text_layer":
        return None
    if layer.invisible_text_ratio < HIDDEN_LAYER_RATIO or layer.image_coverage < SCANNED_COVERAGE:
        return None
    if mode == "all":
        return "scanned page with a hidden OCR layer: read again by OCR"
    if shows_email_header(layer):
        what = "its header blocks" if mode == "headers" else "the page"
        return f"scanned page with a hidden OCR layer and an email header: {what} read again by OCR"
    return None
