"""Sent dates as printed -> timestamps, never guessed.

dateparser, English only, explicit settings. OCR damage is mended only where a rule is safe (letters read
for digits inside numbers; a year after the release date whose 7 was a 1). Anything else stays NULL with a
flag, and the printed string is always kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import dateparser

_SETTINGS = {
    "DATE_ORDER": "MDY",  # US agency releases print month first
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,  # day, month and year must all be printed
    "PARSERS": ["absolute-time"],
}
_DIGIT_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "i": "1", "!": "1", "|": "1", "O": "0", "o": "0", "S": "5",
                                   "B": "8"})
_TIME_NO_COLON = re.compile(r"(?<![\d:])(\d{1,2})(\d{2})\s*([AP]\.?M\b\.?)", re.IGNORECASE)
_TIME_GLUE = re.compile(r"(\d{1,2})[.,](\d{2})\s*([AP]\.?M\.?)", re.IGNORECASE)
_TZ_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})\b")
EARLIEST_PLAUSIBLE = datetime(1985, 1, 1)


@dataclass(frozen=True)
class SentDate:
    value: datetime | None  # local time as printed
    tz_offset_minutes: int | None
    flag: str  # ok | missing | unparsed | implausible | ocr_corrected


def _mend_token(token: str) -> str:
    """'20l2' -> '2012', '2:4l' -> '2:41': only inside tokens that are mostly digits already."""
    core = token.strip(",.")
    digits = sum(ch.isdigit() for ch in core)
    if digits and digits >= len(core) / 2 and not core.isalpha():
        return token.translate(_DIGIT_LOOKALIKES)
    return token


def _clean(raw: str) -> str:
    text = re.sub(r"\s+", " ", raw).strip(" .;:")
    text = " ".join(_mend_token(token) for token in text.split())
    text = _TIME_GLUE.sub(r"\1:\2 \3", text)
    text = _TIME_NO_COLON.sub(r"\1:\2 \3", text)  # OCR dropped the colon: "700 PM"
    text = re.sub(r"(\b[A-Za-z]{3,9}\.? \d{1,2})\s+(\d{4})", r"\1, \2", text)  # "September 12 2012"
    text = re.sub(r"\b(at|@)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _offset_minutes(text: str) -> int | None:
    match = _TZ_OFFSET.search(text)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return sign * (int(match.group(2)) * 60 + int(match.group(3)))


def parse_sent_date(raw: str | None, latest: datetime | None = None) -> SentDate:
    """Parse a printed date. `latest` (for example the release date) bounds what is plausible."""
    if raw is None or not raw.strip():
        return SentDate(None, None, "missing")
    latest = latest or datetime.now() + timedelta(days=1)
    text = _clean(raw)
    offset = _offset_minutes(text)
    parsed = dateparser.parse(text, languages=["en"], settings=_SETTINGS)
    if parsed is None:
        # A weekday misread by OCR blocks the parse: try without it.
        without_weekday = re.sub(r"^[A-Za-z]{2,10},?\s+(?=[A-Za-z]{3,9}\.?\s+\d|\d)", "", text)
        if without_weekday != text:
            parsed = dateparser.parse(without_weekday, languages=["en"], settings=_SETTINGS)
    if parsed is None:
        return SentDate(None, offset, "unparsed")
    if parsed.tzinfo is not None:
        offset = int(parsed.utcoffset().total_seconds() // 60)
        parsed = parsed.replace(tzinfo=None)
    if EARLIEST_PLAUSIBLE <= parsed <= latest:
        return SentDate(parsed, offset, "ok")
    # Tesseract reads 1 as 7 in years (2072 for 2012): mend only when that lands in the plausible range.
    year = str(parsed.year)
    if "7" in year[2:]:
        for position in (2, 3):
            if year[position] == "7":
                candidate = year[:position] + "1" + year[position + 1:]
                try:
                    mended = parsed.replace(year=int(candidate))
                except ValueError:
                    continue
                if EARLIEST_PLAUSIBLE <= mended <= latest:
                    return SentDate(mended, offset, "ocr_corrected")
    return SentDate(None, offset, "implausible")
