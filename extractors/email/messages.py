"""A document's pages -> message records, each line pointing at the page words it was read from.

A page can have two readings: its chosen text (the PDF's layer or our OCR, see pages.method) and, for a
scanned page whose agency OCR layer was kept, our own OCR of it as well. Each reading is split on its own
and the two are combined message by message (extractors/email/layer_merge.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from extractors.email.headers import Person
from extractors.email.split import PageInput, ParsedMessage, split_messages
from extractors.email.layer_merge import merge_readings
from models.records import MessageLine, MessagePerson, MessageRecord, Word


@dataclass(frozen=True)
class PageReadings:
    page_number: int
    height_pt: float
    words: list[Word]  # the page's chosen text
    layer: str  # text_layer | ocr: where `words` come from
    second_words: list[Word] | None = None  # our OCR of a page whose agency layer was kept


def _person(person: Person | None) -> MessagePerson | None:
    if person is None:
        return None
    return MessagePerson(person.name, person.email, person.email_clean, person.redacted, person.raw)


def _record(message: ParsedMessage, layers: dict[tuple[str, int], str]) -> MessageRecord:
    reading = getattr(message, "reading", "primary")
    lines = [MessageLine(part, line.page_number, layers[(reading, line.page_number)], tuple(line.word_indices),
                         line.text)
             for part, part_lines in (("header", message.header_lines), ("body", message.body_lines))
             for line in part_lines]
    recipients = [(kind, _person(person)) for kind in ("to", "cc", "bcc")
                  for person in message.recipients.get(kind, [])]
    return MessageRecord(
        ordinal=message.ordinal, parent_ordinal=message.parent_ordinal, depth=message.depth, layout=message.layout,
        reading=reading, sender=_person(message.sender), sent_at=message.sent.value,
        sent_tz_offset_minutes=message.sent.tz_offset_minutes, sent_raw=message.sent_raw, sent_flag=message.sent.flag,
        subject=message.subject, subject_normalized=message.subject_normalized, body=message.body,
        recipients=recipients, attachments=list(message.attachments), lines=lines)


def read_messages(pages: list[PageReadings], latest: datetime | None = None) -> list[MessageRecord]:
    """Every message the pages print, in reading order. `latest` bounds plausible sent dates."""
    layers: dict[tuple[str, int], str] = {}
    for page in pages:
        layers[("primary", page.page_number)] = page.layer
        layers[("second", page.page_number)] = "ocr" if page.second_words is not None else page.layer
    messages = split_messages([PageInput(p.page_number, p.height_pt, p.words) for p in pages], latest)
    if any(page.second_words is not None for page in pages):
        second = split_messages([PageInput(p.page_number, p.height_pt,
                                           p.second_words if p.second_words is not None else p.words)
                                 for p in pages], latest)
        messages = merge_readings(messages, second, latest)
    return [_record(message, layers) for message in messages if message.lines]
