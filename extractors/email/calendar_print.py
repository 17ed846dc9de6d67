"""Calendar printouts (Outlook's "Subject / Location / Start / End / Organizer / Required Attendees" page):
the fields of the meeting they describe, and the printed lines they were read from."""

from __future__ import annotations

from extractors.email.headers import match_label
from extractors.email.split import PageInput, content_lines
from models.records import MessageLine

CALENDAR_LABELS = ("subject", "when", "where", "location", "start", "end", "organizer", "required attendees",
                   "optional attendees", "meeting status", "recurrence", "show time as")


def calendar_lines(pages: list[tuple[int, float, list, str]]) -> list[MessageLine] | None:
    """The document's printed lines, when they print a calendar item: a subject, a time (When:, or Start:)
    and who or where (Organizer:, Attendees:, Location: or Where:). `pages`: (page, height, words, layer)."""
    lines = []
    for number, height, words, layer in pages:
        for line in content_lines([PageInput(number, height, words)]):
            lines.append(MessageLine("calendar", number, layer, tuple(line.word_indices), line.text))
    fields = read_calendar_fields(lines)
    return lines if fields is not None else None


def read_calendar_fields(lines: list[MessageLine]) -> dict[str, str] | None:
    fields: dict[str, str] = {}
    for line in lines:
        match = match_label(line.text, in_block=bool(fields))
        if match and match.label in CALENDAR_LABELS and match.label not in fields:
            fields[match.label] = match.value
    timed = {"when", "start"} & fields.keys()
    placed = {"organizer", "required attendees", "optional attendees", "location", "where"} & fields.keys()
    if "subject" in fields and timed and placed:
        return fields
    return None
