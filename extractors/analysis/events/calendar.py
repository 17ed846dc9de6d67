"""A calendar-invite printout's fields -> the one event it describes."""

from __future__ import annotations

import re
from datetime import datetime

from extractors.analysis.events.lexicon import MULTIWORD, NOUNS, VERBS
from extractors.analysis.mention_dates import normalize_date
from models.records import EventRecord, Mention


_SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|canceled|cancelled|updated|accepted|tentative|declined)\s*:\s*)+",
                             re.IGNORECASE)


_TYPE_ORDER = ("demo", "training", "pilot", "conference", "purchase", "meeting")


def _subject_type(subject: str) -> tuple[str, str]:
    words = re.findall(r"[a-z][a-z-]*", subject.lower())
    found: dict[str, str] = {}
    for i, w in enumerate(words):
        for multi, etype in MULTIWORD.items():
            if tuple(words[i:i + len(multi)]) == multi:
                found.setdefault(etype, " ".join(multi))
        base = w[:-1] if w.endswith("s") and w[:-1] in NOUNS else w
        etype = NOUNS.get(base) or VERBS.get(base) or {"demonstrations": "demo", "trainings": "training"}.get(w)
        if etype:
            found.setdefault(etype, w)
    for etype in _TYPE_ORDER:
        if etype in found:
            return etype, found[etype]
    return "meeting", ""


def _names(value: str) -> list[str]:
    out = []
    for part in re.split(r";", value or ""):
        part = re.sub(r"<[^>]*>", "", part).strip().strip('"').strip()
        if part and not re.fullmatch(r"\(?b\)?\s*\(.*", part):
            out.append(part)
    return out


def detect_calendar_event(fields: dict[str, str], sent_at: datetime | None) -> EventRecord | None:
    """A calendar-invite printout's fields (lower-case keys: subject, when / start / end, where / location,
    organizer, required attendees, optional attendees, meeting status) -> one event, or None without a
    subject or a date."""
    f = {k.lower().strip(): (v or "").strip() for k, v in fields.items()}
    subject = f.get("subject", "")
    when = f.get("when") or f.get("start") or ""
    if not subject and not when:
        return None
    etype, trigger = _subject_type(subject)
    date_start = date_end = None
    date_text = None
    if f.get("start"):
        date_text = f["start"] + (" - " + f["end"] if f.get("end") else "")
        date_start, _ = normalize_date(f["start"], sent_at)
        date_end = normalize_date(f["end"], sent_at)[1] if f.get("end") else None
        date_end = date_end or date_start
    elif when:
        date_text = when
        date_start, date_end = normalize_date(re.sub(r"\(.*?\)", "", when), sent_at)
    text = " ".join(f.values()).lower()
    status = "scheduled"
    if re.search(r"\bcancel+ed\b|\bcancellation\b", subject.lower() + " " + f.get("meeting status", "").lower()):
        status = "cancelled"
    elif re.search(r"\bdeclined\b", f.get("meeting status", "").lower()):
        status = "declined"
    location = f.get("where") or f.get("location") or None
    participants = []
    for key, label in (("organizer", "PERSON"), ("required attendees", "PERSON"), ("optional attendees", "PERSON")):
        for name in _names(f.get(key, "")):
            participants.append(("person", Mention(-1, -1, name, label, "header")))
    del text
    return EventRecord(
        event_type=etype, trigger=trigger or subject, sentence=subject, sentence_start=-1, sentence_end=-1,
        status=status, date_text=date_text, date_start=date_start, date_end=date_end, location=location,
        participants=participants, confidence=0.9 if trigger else 0.7)
