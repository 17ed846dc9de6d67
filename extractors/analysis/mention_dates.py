"""A DATE mention's words -> a date or a date range, never guessed.

`normalize_date("Wednesday, April 17, 2019", None)` -> (2019-04-17, 2019-04-17); "May 6-8" and "from
September 6 to September 30" give ranges; "next Tuesday", "tomorrow", "last week" are resolved against the
message's sent_at; vague words ("soon", "recently", "in the coming weeks") and clock times alone give
(None, None). Without sent_at, a date whose year is not printed, and every relative date, give (None, None).

The common shapes are read by the small parser here (fast: no dateparser call); anything else goes to
dateparser (English, explicit settings, RELATIVE_BASE=sent_at). A single day is returned as (day, day); a
printed clock time is kept on the start (and on the end of a time range). Ranges are inclusive day spans:
"last week" -> (its Monday, its Sunday), "May 2019" -> (May 1, May 31).
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta
from functools import lru_cache

import dateparser

Range = tuple[datetime | None, datetime | None]
NONE: Range = (None, None)

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*(?P<year>(?:19|20)\d{2}))?"
_TIME = (r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
         r"|(?P<noon>noon|midnight)")
RE_MONTH_DAY = re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r"(?![\d:])" + _YEAR)
RE_DAY_MONTH = re.compile(_WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + _YEAR)
RE_MONTH_DAY_RANGE = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|—|to|through|until)\s*"
                                r"(?P<day2>\d{1,2})(?:st|nd|rd|th)?(?![\d:])" + _YEAR)
RE_NUMERIC = re.compile(r"(?<![\d/])(?P<month>\d{1,2})[/-](?P<day>\d{1,2})(?:[/-](?P<year>\d{4}|\d{2}))?(?![\d/])")
RE_MONTH_YEAR = re.compile(_MONTH + r"\s*,?\s*(?P<year>(?:19|20)\d{2})\b")
RE_MONTH_ALONE = re.compile(r"\b(?P<part>early|mid|late|end of|beginning of)?[\s-]*" + _MONTH + r"\b")
RE_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d{2})\b")
RE_SEASON = re.compile(r"\b(?P<season>spring|summer|fall|autumn|winter)\b")
RE_CLOCK = re.compile(r"(?<![\d/.-])(?:" + _TIME + r")(?![\d/])", re.IGNORECASE)
RE_RELATIVE_DAY = re.compile(r"\b(today|tonight|tomorrow|yesterday|this (?:morning|afternoon|evening)|now)\b")
RE_REL_WEEKDAY = re.compile(r"\b(?P<which>next|last|this|past|coming)\s+(?P<weekday>"
                            + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b")
RE_BARE_WEEKDAY = re.compile(r"\b(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b")
RE_REL_PERIOD = re.compile(r"\b(?P<part>early|late|end of|beginning of|the end of)?\s*(?P<which>next|last|this|past|"
                           r"coming|previous)\s+(?P<unit>week|month|year)\b")
RE_ALTERNATIVES = re.compile(r"\s*(?:;|\bor\b|\band\b|&)\s*")
RE_RANGE_SPLIT = re.compile(r"\s+(?:to|through|thru|until|till)\s+|\s*[–—]\s*|\s+-\s+")
VAGUE = re.compile(r"\b(soon|recently|lately|shortly|eventually|later|earlier|someday|sometime|coming (?:days|weeks|"
                   r"months)|near future|right now|as of|the past|in the future|asap|at your convenience)\b")
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}
_STRIP = re.compile(r"^(?:(?:on|by|before|after|from|at|in|around|about|approximately|starting|beginning|since|"
                    r"during|until|till|through|anytime|any time|the|of|for|as of)\s+)+")


def _day(d: datetime) -> datetime:
    return d.replace(hour=0, minute=0, second=0, microsecond=0)


def _clean(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\xa0", " ").strip().lower()
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"(\d)ish\b", r"\1", text)
    text = re.sub(r"[()\[\]]", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,.;:")
    return _STRIP.sub("", text)


def _clock(text: str) -> tuple[int, int] | None:
    """The first clock time in text ("10:00 AM", "3 p.m.", "noon"), as (hour, minute)."""
    for m in RE_CLOCK.finditer(text):
        if m.group("noon"):
            return (12, 0) if m.group("noon").lower() == "noon" else (0, 0)
        hour, minute, ampm = int(m.group("hour")), int(m.group("minute") or 0), m.group("ampm")
        if not ampm and not m.group("minute"):
            continue  # a bare number is not a time unless written 10:00 or 10 am
        if hour > 23 or minute > 59:
            continue
        if ampm and ampm[0] in "pP" and hour < 12:
            hour += 12
        elif ampm and ampm[0] in "aA" and hour == 12:
            hour = 0
        return hour, minute
    return None


def _with_time(day: datetime, rest: str) -> datetime:
    hm = _clock(rest)
    return day.replace(hour=hm[0], minute=hm[1]) if hm else day


def _month_end(year: int, month: int) -> datetime:
    return datetime(year, month, calendar.monthrange(year, month)[1])


def _infer_year(month: int, day: int, sent_at: datetime | None, prefer: str | None) -> int | None:
    if sent_at is None:
        return None
    year = sent_at.year
    try:
        candidate = datetime(year, month, day)
    except ValueError:
        return year
    # A month more than about half a year away on the preferred side belongs to the next/previous year.
    if prefer == "future" and candidate < _day(sent_at) - timedelta(days=60):
        return year + 1
    if prefer == "past" and candidate > _day(sent_at) + timedelta(days=60):
        return year - 1
    if prefer is None and (candidate - sent_at).days < -240:
        return year + 1
    if prefer is None and (candidate - sent_at).days > 240:
        return year - 1
    return year


def _weekday_near(sent_at: datetime, weekday: int, prefer: str | None) -> datetime:
    base = _day(sent_at)
    delta = weekday - base.weekday()
    if prefer == "past":
        return base + timedelta(days=delta if delta <= 0 else delta - 7)
    return base + timedelta(days=delta if delta >= 0 else delta + 7)


def _single(text: str, sent_at: datetime | None, prefer: str | None) -> Range:
    """One date expression (no alternatives, no ' to ' range)."""
    m = RE_MONTH_DAY_RANGE.search(text)
    if m:
        month, d1, d2 = MONTHS[m.group("month")], int(m.group("day")), int(m.group("day2"))
        year = int(m.group("year")) if m.group("year") else _infer_year(month, d1, sent_at, prefer)
        if year and 1 <= d1 <= d2 <= calendar.monthrange(year, month)[1]:
            return datetime(year, month, d1), datetime(year, month, d2)
        return NONE
    for rx in (RE_MONTH_DAY, RE_DAY_MONTH):
        m = rx.search(text)
        if m:
            month, day = MONTHS[m.group("month")], int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else None
            if year is None and m.group("weekday") and sent_at is None:
                year = _year_from_weekday(month, day, WEEKDAYS[m.group("weekday")])
            if year is None:
                year = _infer_year(month, day, sent_at, prefer)
            return _day_span(year, month, day, text[:m.start()] + " " + text[m.end():])
    m = RE_NUMERIC.search(text)
    if m and 1 <= int(m.group("month")) <= 12 and 1 <= int(m.group("day")) <= 31:
        month, day = int(m.group("month")), int(m.group("day"))
        year = m.group("year")
        if year:
            year = int(year) + (2000 if len(year) == 2 and int(year) < 70 else 1900 if len(year) == 2 else 0)
        else:
            year = _infer_year(month, day, sent_at, prefer)
        return _day_span(year, month, day, text[:m.start()] + " " + text[m.end():])
    m = RE_MONTH_YEAR.search(text)
    if m:
        return _part_of_month(int(m.group("year")), MONTHS[m.group("month")], text)
    m = RE_SEASON.search(text)
    if m:
        y = RE_YEAR.search(text)
        year = int(y.group("year")) if y else (sent_at.year if sent_at else None)
        if year is None:
            return NONE
        first, last = SEASONS[m.group("season")]
        return datetime(year, first, 1), _month_end(year + (1 if last < first else 0), last)
    m = RE_REL_PERIOD.search(text)
    if m:
        return _relative_period(m, sent_at) if sent_at else NONE
    m = RE_REL_WEEKDAY.search(text)
    if m:
        if sent_at is None:
            return NONE
        weekday, which, base = WEEKDAYS[m.group("weekday")], m.group("which"), _day(sent_at)
        monday = base - timedelta(days=base.weekday())
        if which == "next":
            start = monday + timedelta(days=7 + weekday)
        elif which in ("last", "past"):
            start = _weekday_near(base - timedelta(days=1), weekday, "past")
        elif which == "coming":
            start = _weekday_near(base + timedelta(days=1), weekday, "future")
        else:
            start = monday + timedelta(days=weekday)
        return _time_span(start, text[:m.start()] + " " + text[m.end():])
    m = RE_RELATIVE_DAY.search(text)
    if m:
        if sent_at is None:
            return NONE
        word, base = m.group(1), _day(sent_at)
        start = base + timedelta(days={"tomorrow": 1, "yesterday": -1}.get(word, 0))
        return _time_span(start, text[:m.start()] + " " + text[m.end():])
    m = RE_BARE_WEEKDAY.search(text)
    if m:
        if sent_at is None:
            return NONE
        start = _weekday_near(sent_at, WEEKDAYS[m.group("weekday")], prefer)
        return _time_span(start, text[:m.start()] + " " + text[m.end():])
    m = RE_MONTH_ALONE.search(text)
    if m:
        month = MONTHS[m.group("month")]
        year = _infer_year(month, 15, sent_at, prefer)
        return _part_of_month(year, month, text) if year else NONE
    m = RE_YEAR.fullmatch(text) or re.fullmatch(r"(?:fy|fiscal year)\s*(?P<year>(?:19|20)\d{2})", text)
    if m:
        year = int(m.group("year"))
        return datetime(year, 1, 1), datetime(year, 12, 31)
    return _fallback(text, sent_at, prefer)


def _year_from_weekday(month: int, day: int, weekday: int) -> int | None:
    """No year printed and no sent_at: never guess (a weekday alone does not fix the year)."""
    return None


def _time_span(day: datetime, rest: str) -> Range:
    """A day plus any clock time(s) printed beside it: "from 2:35 - 3:20 pm" -> (14:35, 15:20)."""
    m = re.search(r"(\d{1,2}(?::\d{2})?)\s*(?:[ap]\.?\s?m\.?)?\s*(?:-|–|—|to|until)\s*(\d{1,2}(?::\d{2})?)\s*"
                  r"([ap]\.?\s?m\.?)?", rest, re.IGNORECASE)
    if m:
        ampm = m.group(3) or ""
        first = re.search(r"[ap]\.?\s?m", rest[m.start(): m.start(2)], re.IGNORECASE)
        h1 = _clock(m.group(1) + " " + (first.group(0) if first else ampm or ("pm" if _pm_guess(m.group(1)) else "am")))
        h2 = _clock(m.group(2) + " " + (ampm or ("pm" if _pm_guess(m.group(2)) else "am")))
        if h1 and h2:
            return day.replace(hour=h1[0], minute=h1[1]), day.replace(hour=h2[0], minute=h2[1])
    start = _with_time(day, rest)
    return start, start if start.hour or start.minute else day


def _pm_guess(clock: str) -> bool:
    """Office hours: a bare 1-6 o'clock in a time range is afternoon."""
    return 1 <= int(clock.split(":")[0]) <= 6


def _part_of_month(year: int, month: int, text: str) -> Range:
    last = calendar.monthrange(year, month)[1]
    if re.search(r"\bearly\b|\bbeginning of\b", text):
        return datetime(year, month, 1), datetime(year, month, 10)
    if re.search(r"\bmid\b|\bmiddle of\b", text):
        return datetime(year, month, 11), datetime(year, month, 20)
    if re.search(r"\blate\b|\bend of\b", text):
        return datetime(year, month, 21), datetime(year, month, last)
    return datetime(year, month, 1), datetime(year, month, last)


def _relative_period(m: re.Match, sent_at: datetime) -> Range:
    unit, which, part = m.group("unit"), m.group("which"), (m.group("part") or "").replace("the ", "")
    shift = {"next": 1, "coming": 1, "last": -1, "past": -1, "previous": -1}.get(which, 0)
    base = _day(sent_at)
    if unit == "week":
        start = base - timedelta(days=base.weekday()) + timedelta(weeks=shift)
        end = start + timedelta(days=6)
        if part == "early" or part == "beginning of":
            end = start + timedelta(days=2)
        elif part in ("late", "end of"):
            start = start + timedelta(days=3)
        return start, end
    if unit == "month":
        month0 = base.month - 1 + shift
        year, month = base.year + month0 // 12, month0 % 12 + 1
        return _part_of_month(year, month, part)
    year = base.year + shift
    return datetime(year, 1, 1), datetime(year, 12, 31)


_PARSER_SETTINGS = {"DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False}


def _fallback(text: str, sent_at: datetime | None, prefer: str | None) -> Range:
    """dateparser for what the small parser does not read ("three days ago", "in two weeks")."""
    if not re.search(r"\bago\b|\b(?:in|within) \w+ (?:days?|weeks?|months?)\b|(?:19|20)\d{2}", text):
        return NONE
    if sent_at is None and not RE_YEAR.search(text):
        return NONE  # relative, or no year printed: nothing to resolve it against
    settings = dict(_PARSER_SETTINGS, PREFER_DATES_FROM=prefer or "current_period")
    if sent_at is not None:
        settings["RELATIVE_BASE"] = sent_at
    else:
        settings["REQUIRE_PARTS"] = ["day", "month", "year"]
    try:
        value = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises on some odd inputs; an unreadable date is no date
        return NONE
    if value is None:
        return NONE
    return value, value


@lru_cache(maxsize=4096)
def _normalize(text: str, sent_at: datetime | None, prefer: str | None) -> Range:
    cleaned = _clean(text)
    if not cleaned or VAGUE.search(cleaned) and not re.search(r"\d", cleaned):
        return NONE
    # Alternatives ("Tuesday 2-5; or Wednesday 3:30-5", "today or tomorrow") -> from the first to the last.
    parts = [p for p in RE_ALTERNATIVES.split(cleaned) if p and re.search(r"\w", p)]
    if len(parts) > 1:
        spans = [_normalize(p, sent_at, prefer) for p in parts]
        spans = [s for s in spans if s[0] is not None]
        if not spans:
            return NONE
        return min(s[0] for s in spans), max(s[1] or s[0] for s in spans)
    # A range written with to/through/until or a dash between two dates (not "May 6-8", read as one).
    if not RE_MONTH_DAY_RANGE.search(cleaned):
        pieces = RE_RANGE_SPLIT.split(cleaned, maxsplit=1)
        if len(pieces) == 2 and _has_date(pieces[0]) and _has_date(pieces[1]):
            first = _single(_STRIP.sub("", pieces[0]), sent_at, prefer)
            second_text = _STRIP.sub("", pieces[1])
            second = _single(second_text, sent_at, prefer)
            if first[0] is not None and second[0] is not None:
                year_hint = RE_YEAR.search(pieces[1])
                if year_hint and not RE_YEAR.search(pieces[0]):  # "May 6 to May 8, 2019": the year covers both
                    first = _single(pieces[0] + " " + year_hint.group(0), sent_at, prefer)
                return first[0], second[1] or second[0]
    return _single(cleaned, sent_at, prefer)


_DATE_WORD = re.compile(r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + "|"
                        + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
                        + r"|today|tomorrow|yesterday)\b|\d{1,2}/\d{1,2}|(?:19|20)\d{2}")


def _has_date(text: str) -> bool:
    """A day is named (not a clock time alone: "3:20 pm" is no date)."""
    return bool(_DATE_WORD.search(text))


def _day_span(year: int | None, month: int, day: int, rest: str):
    """The day (with a time printed in `rest`, if any); nothing when the year is unknown or the day impossible."""
    if year is None:
        return NONE
    try:
        start = datetime(year, month, day)
    except ValueError:
        return NONE
    return _time_span(start, rest)


def normalize_date(text: str, sent_at: datetime | None, prefer: str | None = None) -> Range:
    """A DATE mention's words -> (start, end); (None, None) when they do not fix a date.

    prefer: "past" or "future" when the sentence's tense says which way an undated weekday or month lies
    ("met on Friday" -> the last Friday; "will call Thursday" -> the next one). Without it a bare weekday
    is the next one (or today) and a month without a year is the one nearest sent_at.
    """
    if not text or not text.strip():
        return NONE
    return _normalize(text, sent_at, prefer)
