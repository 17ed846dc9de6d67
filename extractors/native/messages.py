"""Native emails -> message records, the history quoted inside a body split into its own linked messages.

A reply's body carries the messages it answers ("From: ... Sent: ... To: ... Subject:" blocks, "On ... wrote:"
lines), as a printout does. The body is laid out as a page of fixed-width print (each character 5 points wide,
each line of the file 12 points down, blank lines left as gaps) and read by the same splitter as printouts
(extractors/email/split.py), so a quoted message is found by the same rules in a native file and on paper. The
message's own text is what precedes the first quoted one. Each line points at its characters in the body as the
file gives it (MessageLine.char_start/char_end), not at a page.
"""

from __future__ import annotations

import hashlib

from extractors.email.headers import clean_email, normalize_subject
from extractors.email.messages import message_person
from extractors.email.split import PageInput, ParsedMessage, split_document
from extractors.native.email_file import NativeAddress, NativeEmail
from extractors.pages.layout import line_ends, page_right_edges
from extractors.pages.visual_lines import Line
from models.records import MessageLine, MessagePerson, MessageRecord, Word

CHAR_PT = 5.0
LINE_PT = 12.0
MARGIN_PT = 72.0
NATIVE = "native"  # MessageLine.layer and MessageRecord.layout / reading of a message read from its file


def body_as_page(body: str) -> tuple[PageInput, list[tuple[int, int]]]:
    """The body as one page of fixed-width words, and each of its lines' character span in the body."""
    words: list[Word] = []
    spans: list[tuple[int, int]] = []
    offset = 0
    for number, raw in enumerate(body.split("\n")):
        spans.append((offset, offset + len(raw)))
        line = raw.expandtabs(4).rstrip("\r")
        y0 = MARGIN_PT + number * LINE_PT
        position = 0
        for token in line.split():
            position = line.index(token, position)
            x0 = MARGIN_PT + position * CHAR_PT
            words.append(Word(token, x0, y0, x0 + len(token) * CHAR_PT, y0 + 9.0, number))
            position += len(token)
        offset += len(raw) + 1
    height = MARGIN_PT * 2 + len(spans) * LINE_PT
    return PageInput(1, height, words), spans


def _address(address: NativeAddress | None) -> MessagePerson | None:
    if address is None:
        return None
    return MessagePerson(address.name, address.email, clean_email(address.email) if address.email else None,
                         False, address.raw)


def _lines(part: str, printed: list[Line], words: list[Word], spans: list[tuple[int, int]], body: str,
           ends: list[bool] | None = None) -> list[MessageLine]:
    out = []
    for number, line in enumerate(printed):
        source = words[line.word_indices[0]].line
        start, end = spans[source]
        text = body[start:end].rstrip("\r").strip()
        lead = len(body[start:end]) - len(body[start:end].lstrip())
        out.append(MessageLine(part, None, NATIVE, (), text, bool(ends and ends[number]), start + lead,
                               start + lead + len(text)))
    return out


def _body_lines(printed: list[Line], words, spans, body, edges) -> list[MessageLine]:
    if not printed:
        return []
    return _lines("body", printed, words, spans, body, [e.unit_end for e in line_ends(printed, edges)])


def _quoted_record(message: ParsedMessage, ordinal: int, parent: int, depth: int, words, spans, body, edges
                   ) -> MessageRecord:
    lines = _lines("header", message.header_lines, words, spans, body) + \
        _body_lines(message.body_lines, words, spans, body, edges)
    return MessageRecord(
        ordinal=ordinal, parent_ordinal=parent, depth=depth, layout=message.layout, reading=NATIVE,
        sender=message_person(message.sender), sent_at=message.sent.value,
        sent_tz_offset_minutes=message.sent.tz_offset_minutes, sent_raw=message.sent_raw, sent_flag=message.sent.flag,
        subject=message.subject, subject_normalized=message.subject_normalized,
        body="\n".join(line.text for line in lines if line.part == "body"),
        recipients=[(kind, message_person(person)) for kind in ("to", "cc", "bcc")
                    for person in message.recipients.get(kind, [])],
        attachments=list(message.attachments), lines=lines or [MessageLine("body", None, NATIVE, (), "")])


def native_records(email: NativeEmail, ordinal: int = 0) -> list[MessageRecord]:
    """The email and the messages quoted in its body, in reading order, ordinals from `ordinal` on."""
    page, spans = body_as_page(email.body)
    split = split_document([page], email.sent_local)
    edges = page_right_edges(split.lines)
    first_quoted = split.messages[0].lines[0].word_indices[0] if split.messages else None
    own = [line for line, _ in split.outside if first_quoted is None or line.word_indices[0] < first_quoted]
    own_lines = _body_lines(own, page.words, spans, email.body, edges)
    top = MessageRecord(
        ordinal=ordinal, parent_ordinal=None, depth=0, layout=NATIVE, reading=NATIVE, sender=_address(email.sender),
        sent_at=email.sent_local, sent_tz_offset_minutes=email.tz_offset_minutes, sent_raw=email.date_raw,
        sent_flag="ok" if email.sent_local else ("unparsed" if email.date_raw else "missing"),
        subject=email.subject, subject_normalized=normalize_subject(email.subject),
        body="\n".join(line.text for line in own_lines),
        recipients=[(kind, _address(address)) for kind, address in email.recipients],
        attachments=[attachment.name for attachment in email.attachments],
        attachment_types=tuple((attachment.content_type, len(attachment.data),
                                hashlib.sha256(attachment.data).hexdigest() if attachment.data else None)
                               for attachment in email.attachments),
        lines=own_lines or [MessageLine("body", None, NATIVE, (), "", False, 0, 0)],
        header_message_id=email.header_message_id, in_reply_to=email.in_reply_to,
        references=tuple(email.references), sent_at_utc=email.sent_utc, conversation_id=email.conversation_id)
    records = [top]
    for parsed in split.messages:
        parent = ordinal if parsed.parent_ordinal is None else ordinal + 1 + parsed.parent_ordinal
        records.append(_quoted_record(parsed, ordinal + 1 + parsed.ordinal, parent, parsed.depth + 1, page.words,
                                      spans, email.body, edges))
    return records


def native_document(emails: list[NativeEmail]) -> list[MessageRecord]:
    """Every message of a native file (one .eml, or each of an .mbox) with what each quotes."""
    records: list[MessageRecord] = []
    for email in emails:
        records += native_records(email, len(records))
    return records
