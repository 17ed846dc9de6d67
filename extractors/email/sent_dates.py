"""Sent dates as printed -> timestamps, never guessed.

dateparser, English only, explicit settings. OCR damage is mended only where a rule is safe (letters read
for digits inside numbers; a year after the release date whose 7 was a 1). Anything else stays NULL with a
flag, and the printed string is always kept.
"""

from __future__ import annotations

import difflib
import itertools
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
_YEAR_GLUED_TO_TIME = re.compile(r"\b((?:19|20)\d{2})(\d{1,2}:\d{2})")  # "201111:08 AM": year and hour ran together
EARLIEST_PLAUSIBLE = datetime(1985, 1, 1)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH_ABBREVIATIONS = {name[:3] for name in MONTHS} | {"sept"}


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


def _closest(word: str, names: tuple[str, ...], cutoff: float) -> str | None:
    """The one name an OCR'd word is a near miss of ('Marcb' -> 'march', 'Septernber' -> 'september')."""
    lowered = word.lower()
    scored = [(difflib.SequenceMatcher(None, lowered, name).ratio(), name) for name in names]
    good = sorted((score, name) for score, name in scored if score >= cutoff)
    if not good or (len(good) > 1 and good[-1][0] - good[-2][0] < 0.1):
        return None
    return good[-1][1]


def _mend_names(tokens: list[str]) -> list[str]:
    """Month and weekday names misread by OCR, mended only when the string names no month already and the
    damaged word is close to exactly one name. The weekday is the first word, if any."""
    words = [re.sub(r"[^A-Za-z]", "", token).lower() for token in tokens]
    if not any(word in MONTHS or word in _MONTH_ABBREVIATIONS for word in words):
        for position, word in enumerate(words):
            if len(word) >= 4 and word not in WEEKDAYS and any(ch.isdigit() for ch in "".join(tokens[position + 1:])):
                month = _closest(word, MONTHS, 0.75)
                if month:
                    tokens[position] = month.capitalize() + tokens[position][len(tokens[position].rstrip(",.")):]
                    break
    if tokens and len(words[0]) >= 5 and words[0] not in WEEKDAYS:
        weekday = _closest(words[0], WEEKDAYS, 0.8)
        if weekday:
            tokens[0] = weekday.capitalize() + ("," if tokens[0].endswith(",") else "")
    return tokens


def printed_weekday(raw: str | None) -> int | None:
    """The weekday a printed date names in its first word (0 = Monday), if it names one."""
    match = re.match(r"\s*([A-Za-z]{3,9})\b", raw or "")
    if not match:
        return None
    word = match.group(1).lower()
    for index, name in enumerate(WEEKDAYS):
        if word == name or word == name[:3] or (len(word) >= 4 and name.startswith(word)):
            return index
    return None


def clean_sent_text(raw: str) -> str:
    """A printed date with OCR's safe-to-mend damage mended, ready for dateparser."""
    text = re.sub(r"\s+", " ", raw).strip(" .;:'\"`‘’°")
    text = _YEAR_GLUED_TO_TIME.sub(r"\1 \2", text)
    text = re.sub(r"(\d)\s?[,.]?[:;](\s?\d{4})\b", r"\1,\2", text)  # a speck read beside the comma: "5,:2017"
    text = re.sub(r"(\d),(\d{4})\b", r"\1, \2", text)  # "12,2012"
    text = " ".join(_mend_names([_mend_token(token) for token in text.split()]))
    text = _TIME_GLUE.sub(r"\1:\2 \3", text)
    text = _TIME_NO_COLON.sub(r"\1:\2 \3", text)  # OCR dropped the colon: "700 PM"
    text = re.sub(r"(\b[A-Za-z]{3,9}\.? \d{1,2})\s+(\d{4})", r"\1, \2", text)  # "September 12 2012"
    text = re.sub(r"\b(at|@)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


_clean = clean_sent_text


def _offset_minutes(text: str) -> int | None:
    match = _TZ_OFFSET.search(text)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return sign * (int(match.group(2)) * 60 + int(match.group(3)))


# The layouts mail clients print, tried before dateparser (which costs about 5 ms a call): same results, since
# these leave nothing to guess (month by name or month first, as DATE_ORDER says).
_COMMON_FORMATS = tuple(f"{day} {time}" for day in (
    "%A, %B %d, %Y", "%B %d, %Y", "%b %d, %Y", "%a, %b %d, %Y", "%a %m/%d/%Y", "%A, %m/%d/%Y", "%m/%d/%Y")
    for time in ("%I:%M %p", "%I:%M:%S %p", "%H:%M", "%H:%M:%S"))


def _parse_common(text: str) -> datetime | None:
    if _TZ_OFFSET.search(text):
        return None
    for layout in _COMMON_FORMATS:
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    return None


_DATE_START = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                         r"[a-z]*\.?,?\s+(?=[A-Za-z]{3,9}\.?\s+\d|\d)", re.IGNORECASE)


def parse_sent_date(raw: str | None, latest: datetime | None = None) -> SentDate:
    """Parse a printed date. `latest` (for example the release date) bounds what is plausible."""
    if raw is None or not raw.strip():
        return SentDate(None, None, "missing")
    latest = latest or datetime.now() + timedelta(days=1)
    text = _clean(raw)
    offset = _offset_minutes(text)
    parsed = _parse_common(text) or dateparser.parse(text, languages=["en"], settings=_SETTINGS)
    if parsed is None:
        # A weekday misread by OCR blocks the parse: try without it.
        without_weekday = re.sub(r"^[A-Za-z]{2,10},?\s+(?=[A-Za-z]{3,9}\.?\s+\d|\d)", "", text)
        if without_weekday != text:
            parsed = dateparser.parse(without_weekday, languages=["en"], settings=_SETTINGS)
    if parsed is None:
        # OCR's reading of a speck before the date ("eae Friday, November 17, 2017"): from the weekday or month.
        start = _DATE_START.search(text)
        if start and start.start() > 0 and not re.search(r"\d", text[:start.start()]):
            text = text[start.start():]
            parsed = _parse_common(text) or dateparser.parse(text, languages=["en"], settings=_SETTINGS)
    if parsed is None:
        # Text beside the date on the same printed line (a release stamp): read up to the time.
        time_end = re.search(r"\d{1,2}:\d{2}(:\d{2})?(\s*[AP]\.?M\b\.?)?", text)
        if time_end and text[time_end.end():].strip():
            parsed = dateparser.parse(text[:time_end.end()], languages=["en"], settings=_SETTINGS)
    if parsed is None:
        return SentDate(None, offset, "unparsed")
    if parsed.tzinfo is not None:
        offset = int(parsed.utcoffset().total_seconds() // 60)
        parsed = parsed.replace(tzinfo=None)
    weekday = printed_weekday(text)
    if EARLIEST_PLAUSIBLE <= parsed <= latest:
        if weekday is not None and parsed.weekday() != weekday:
            # The printed weekday disagrees: a day whose 1 OCR read as 7 ("27" for "21") is mended only when
            # that makes the weekday agree.
            for day in _sevens_as_ones(parsed.day):
                try:
                    mended = parsed.replace(day=day)
                except ValueError:
                    continue
                if mended.weekday() == weekday and mended <= latest:
                    return SentDate(mended, offset, "ocr_corrected")
        return SentDate(parsed, offset, "ok")
    # Tesseract reads 1 as 7 in years (2072 for 2012): mend only when that lands in the plausible range, and
    # where the weekday is printed, on a date that falls on it.
    candidates = []
    for year in _sevens_as_ones(parsed.year % 100):
        try:
            mended = parsed.replace(year=parsed.year - parsed.year % 100 + year)
        except ValueError:
            continue
        if EARLIEST_PLAUSIBLE <= mended <= latest:
            candidates.append(mended)
    agreeing = [c for c in candidates if weekday is None or c.weekday() == weekday]
    if agreeing or (candidates and weekday is None):
        return SentDate((agreeing or candidates)[0], offset, "ocr_corrected")
    if len(candidates) == 1:
        return SentDate(candidates[0], offset, "ocr_corrected")
    return SentDate(None, offset, "implausible")


def _sevens_as_ones(number: int) -> list[int]:
    """The numbers made by reading some of the 7s in `number` (two digits) as 1s, `number` itself excluded."""
    digits = f"{number:02d}"
    sevens = [i for i, ch in enumerate(digits) if ch == "7"]
    out = []
    for count in range(1, len(sevens) + 1):
        for chosen in itertools.combinations(sevens, count):
            out.append(int("".join("1" if i in chosen else ch for i, ch in enumerate(digits))))
    return out
