"""Calendar printouts (Outlook's "Subject / Location / Start / End / Organizer / Required Attendees" page): the
fields of the meeting they describe. A document with no message whose lines print them is one calendar passage
(extractors/email/messages.py)."""

from __future__ import annotations

from extractors.email.headers import match_label
from models.records import MessageLine

CALENDAR_LABELS = ("subject", "when", "where", "location", "start", "end", "organizer", "required attendees",
                   "optional attendees", "meeting status", "recurrence", "show time as")


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
