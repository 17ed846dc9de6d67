"""A document's pages -> message records and passages (its other text), each line pointing at the page words it
was read from.

A page can have two readings: its chosen text (the PDF's layer or our OCR, see pages.method) and, for a
scanned page whose agency OCR layer was kept, our own OCR of it as well. Each reading is split on its own
and the two are combined message by message (extractors/email/layer_merge.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from extractors.email.calendar_print import read_calendar_fields
from extractors.email.headers import Person
from extractors.email.layer_merge import merge_readings
from extractors.email.split import PageInput, ParsedMessage, split_document
from extractors.pages.layout import line_ends, page_right_edges
from extractors.pages.passages import list_entries, split_passages
from extractors.pages.visual_lines import Line
from models.records import MessageLine, MessagePerson, MessageRecord, PassageRecord, Word


@dataclass(frozen=True)
class PageReadings:
    page_number: int
    height_pt: float
    words: list[Word]  # the page's chosen text
    layer: str  # text_layer | ocr: where `words` come from
    second_words: list[Word] | None = None  # our OCR of a page whose agency layer was kept


def message_person(person: Person | None) -> MessagePerson | None:
    if person is None:
        return None
    return MessagePerson(person.name, person.email, person.email_clean, person.redacted, person.raw)


def _record(message: ParsedMessage, layers: dict[tuple[str, int], str],
            right_edges: dict[int, float]) -> MessageRecord:
    reading = getattr(message, "reading", "primary")
    body_ends = line_ends(message.body_lines, right_edges)
    lines = [MessageLine("header", line.page_number, layers[(reading, line.page_number)], tuple(line.word_indices),
                         line.text) for line in message.header_lines]
    lines += [MessageLine("body", line.page_number, layers[(reading, line.page_number)], tuple(line.word_indices),
                          line.text, ends.unit_end)
              for line, ends in zip(message.body_lines, body_ends)]
    recipients = [(kind, message_person(person)) for kind in ("to", "cc", "bcc")
                  for person in message.recipients.get(kind, [])]
    return MessageRecord(
        ordinal=message.ordinal, parent_ordinal=message.parent_ordinal, depth=message.depth, layout=message.layout,
        reading=reading, sender=message_person(message.sender), sent_at=message.sent.value,
        sent_tz_offset_minutes=message.sent.tz_offset_minutes, sent_raw=message.sent_raw, sent_flag=message.sent.flag,
        subject=message.subject, subject_normalized=message.subject_normalized, body=message.body,
        recipients=recipients, attachments=list(message.attachments), lines=lines)


@dataclass
class DocumentText:
    """A document's email messages and the passages of its other text, in reading order."""
    messages: list[MessageRecord]
    passages: list[PassageRecord]


def read_messages(pages: list[PageReadings], latest: datetime | None = None) -> list[MessageRecord]:
    """Every message the pages print, in reading order. `latest` bounds plausible sent dates."""
    return read_document(pages, latest).messages


def read_document(pages: list[PageReadings], latest: datetime | None = None) -> DocumentText:
    """Every message the pages print, and the passages of the text outside them, in reading order. `latest`
    bounds plausible sent dates."""
    layers: dict[tuple[str, int], str] = {}
    for page in pages:
        layers[("primary", page.page_number)] = page.layer
        layers[("second", page.page_number)] = "ocr" if page.second_words is not None else page.layer
    primary = split_document([PageInput(p.page_number, p.height_pt, p.words) for p in pages], latest)
    messages, edges = primary.messages, {"primary": page_right_edges(primary.lines)}
    outside = primary.outside
    if any(page.second_words is not None for page in pages):
        second = split_document([PageInput(p.page_number, p.height_pt,
                                           p.second_words if p.second_words is not None else p.words)
                                 for p in pages], latest)
        edges["second"] = page_right_edges(second.lines)
        messages = merge_readings(messages, second.messages, latest)
        # a message only our OCR found covers pages whose agency layer read as other text
        taken = {line.page_number for m in messages if m.reading == "second" for line in m.lines}
        outside = [(line, follows) for line, follows in outside if line.page_number not in taken]
    records = [_record(message, layers, edges[getattr(message, "reading", "primary")])
               for message in messages if message.lines]
    return DocumentText(records, _passages(outside, edges["primary"], layers, bool(records)))


def _passages(outside: list[tuple[Line, int | None]], edges: dict[int, float], layers: dict[tuple[str, int], str],
              has_messages: bool) -> list[PassageRecord]:
    def line(part: str, printed: Line, unit_end: bool = False) -> MessageLine:
        return MessageLine(part, printed.page_number, layers[("primary", printed.page_number)],
                           tuple(printed.word_indices), printed.text, unit_end)

    if not has_messages and outside:
        calendar = [line("calendar", printed) for printed, _ in outside]
        if read_calendar_fields(calendar) is not None:
            return [PassageRecord(0, "calendar", None, calendar)]
    records = []
    for passage in split_passages(outside, edges):
        if passage.kind == "list":
            entries = list_entries(passage, edges)
            lines = [line("passage", entry.line, True) for entry in entries]
            cells = [(entry.row, entry.column) for entry in entries]
        else:
            lines = [line("passage", printed, ends.unit_end) for printed, ends in zip(passage.lines, passage.ends)]
            cells = None
        records.append(PassageRecord(len(records), passage.kind, passage.follows, lines, cells))
    return records
