"""What each redaction blanks: the message or passage printed where it lies, and the header field when it lies on
a header line. A box or code on a `From:` line marks the sender redacted with its codes; on a `To:`, `Cc:` or
`Bcc:` line it marks the one recipient it hides (the printed name it covers, else the redacted name beside it,
else a recipient of its own: a name blanked out entirely leaves nothing to read but the box)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from extractors.email.messages import PageReadings
from extractors.redactions.boxes import Box, covered_words
from extractors.redactions.page_redactions import same_height
from models.records import MessageLine, MessagePerson, MessageRecord, PassageRecord, RedactionRecord, Word

# The printed header labels and the field each names.
FIELDS = {"from": "sender", "sent": "sent", "date": "sent", "to": "to", "cc": "cc", "bcc": "bcc",
          "subject": "subject", "attachments": "attachments"}
RECIPIENT_FIELDS = ("to", "cc", "bcc")

PageWords = Mapping[tuple[int, str], Sequence[Word]]


def words_by_layer(readings: Sequence[PageReadings]) -> dict[tuple[int, str], Sequence[Word]]:
    """Every page's words under the page_words layer a message or passage line points into."""
    words: dict[tuple[int, str], Sequence[Word]] = {(page.page_number, page.layer): page.words for page in readings}
    words.update({(page.page_number, "ocr"): page.second_words for page in readings if page.second_words is not None})
    return words


def _line_words(line: MessageLine, page_words: PageWords) -> list[Word]:
    words = page_words.get((line.page_number, line.layer), [])
    return [words[i] for i in line.word_indices if 0 <= i < len(words)]


def header_fields(message: MessageRecord) -> list[str | None]:
    """The field each of the message's lines prints (None off the header): its label's, and for a line with no
    label inside a recipient list, the list's (a To: list wraps over several lines)."""
    fields: list[str | None] = []
    current = None
    for line in message.lines:
        if line.part != "header":
            current = None
            fields.append(None)
            continue
        label = line.text.split(":", 1)[0].strip().lower() if ":" in line.text else ""
        if label in FIELDS:
            current = FIELDS[label]
        elif current not in RECIPIENT_FIELDS:
            current = None
        fields.append(current)
    return fields


def link_redactions(redactions: Sequence[RedactionRecord], page_words: PageWords,
                    messages: Sequence[MessageRecord], passages: Sequence[PassageRecord]) -> None:
    """Set each placed redaction's message_ordinal or passage_ordinal, and its field on a header line: the printed
    line at its height, else the nearest above it (a block box over a body lies under the body's first lines).
    Then mark the senders and recipients the header redactions hide (mark_redacted_people)."""
    lines_by_page: dict[int, list[tuple[tuple[float, float], str | None, str, int]]] = {}
    for owner, items in (("message", messages), ("passage", passages)):
        for item in items:
            fields = header_fields(item) if owner == "message" else [None] * len(item.lines)
            for line, field in zip(item.lines, fields):
                found = _line_words(line, page_words)
                if found:
                    span = min(w.y0 for w in found), max(w.y1 for w in found)
                    lines_by_page.setdefault(line.page_number, []).append((span, field, owner, item.ordinal))
    for redaction in redactions:
        if redaction.y0 is None or redaction.y1 is None:
            continue
        lines = lines_by_page.get(redaction.page_number, [])
        level = [entry for entry in lines if min(entry[0][1], redaction.y1) - max(entry[0][0], redaction.y0) > 0]
        above = [entry for entry in lines if entry[0][1] <= redaction.y0]
        chosen = max(level, key=lambda e: min(e[0][1], redaction.y1) - max(e[0][0], redaction.y0)) if level else (
            max(above, key=lambda e: e[0][1]) if above else None)
        if chosen is None:
            continue
        _, field, owner, ordinal = chosen
        if owner == "message":
            redaction.message_ordinal = ordinal
        else:
            redaction.passage_ordinal = ordinal
        if level:
            redaction.field = field
    mark_redacted_people(redactions, page_words, messages)


class _Slot:
    """A recipient while redactions are placed on its list: the words it is printed in, the codes that hide it."""

    __slots__ = ("kind", "person", "words", "codes", "hidden")

    def __init__(self, kind: str, person: MessagePerson | None, words: list[Word]):
        self.kind, self.person, self.words, self.codes, self.hidden = kind, person, words, [], False


def _level(redaction: RedactionRecord, word: Word) -> bool:
    return same_height((redaction.y0, redaction.y1), (word.y0, word.y1))


def _gap(redaction: RedactionRecord, words: Sequence[Word]) -> float:
    return min(max(w.x0 - redaction.x1, redaction.x0 - w.x1, 0.0) for w in words)


def _printed_words(words: list[Word], slots: list[_Slot]) -> None:
    """Find each recipient's words: its raw text, in printed order, in the field's words joined by spaces."""
    text, starts = "", []
    for word in words:
        text += " " if text else ""
        starts.append(len(text))
        text += word.text
    cursor = 0
    for slot in slots:
        raw = " ".join(slot.person.raw.split()) if slot.person else ""
        at = text.find(raw, cursor) if raw else -1
        end = at + len(raw)
        if at < 0 and raw:  # re-joined differently from the words (a wrapped line): its first token will do
            at = text.find(raw.split()[0], cursor)
            end = at + len(raw.split()[0])
        if at >= 0:
            slot.words = [w for w, start in zip(words, starts) if start < end and start + len(w.text) > at]
            cursor = end


def _separated(redaction: RedactionRecord, slot: _Slot, field_words: Sequence[Word]) -> bool:
    """A list separator (';') is printed between the redaction and the name on its line: another addressee
    ("Cc: [box]; [box]"), where "To: [box] <[box]>" is a name and its address, both blanked."""
    level = [w for w in slot.words if _level(redaction, w)]
    left, right = (max(w.x1 for w in level), redaction.x0) if level[0].x1 <= redaction.x0 else (
        redaction.x1, min(w.x0 for w in level))
    return any(";" in w.text and _level(redaction, w) and left - 1 <= (w.x0 + w.x1) / 2 <= right + 1
               for w in field_words)


def _slot_for(redaction: RedactionRecord, kind: str, slots: list[_Slot], field_words: Sequence[Word]) -> _Slot:
    """The recipient a redaction on a kind's list hides, a new one where it hides none of those printed."""
    same_kind = [slot for slot in slots if slot.kind == kind]
    area = Box(redaction.x0, redaction.y0, redaction.x1, redaction.y1, "stored")
    covered = [slot for slot in same_kind if covered_words(area, slot.words)]
    if covered:
        return covered[0]
    beside = [slot for slot in same_kind if (slot.hidden or slot.person is not None and slot.person.redacted)
              and any(_level(redaction, w) for w in slot.words) and not _separated(redaction, slot, field_words)]
    if beside:
        return min(beside, key=lambda slot: _gap(redaction, [w for w in slot.words if _level(redaction, w)]))
    # a name blanked out entirely: a recipient of its own, after the last one printed before the box
    before = [i for i, slot in enumerate(slots) if slot.kind == kind and slot.words and all(
        w.y1 <= redaction.y0 or _level(redaction, w) and w.x1 <= redaction.x0 for w in slot.words)]
    at = before[-1] + 1 if before else next((i for i, slot in enumerate(slots) if slot.kind == kind), len(slots))
    slot = _Slot(kind, None, [Word("", redaction.x0, redaction.y0, redaction.x1, redaction.y1, -1)])
    slot.hidden = True  # the box stands for the words it hides, so a second box over them finds this recipient
    slots.insert(at, slot)
    return slot


def _with_codes(person: MessagePerson | None, codes: Sequence[str]) -> MessagePerson:
    if person is None:
        return MessagePerson(None, None, None, True, "", tuple(dict.fromkeys(codes)))
    return replace(person, redacted=True, redaction_codes=tuple(dict.fromkeys((*person.redaction_codes, *codes))))


def mark_redacted_people(redactions: Sequence[RedactionRecord], page_words: PageWords,
                         messages: Sequence[MessageRecord]) -> None:
    """Mark redacted, with the codes of the redactions over them, the senders and recipients that linked header
    redactions hide, and set each recipient redaction's recipient_position (its place in recipients)."""
    by_ordinal = {message.ordinal: message for message in messages}
    on_people: dict[int, list[RedactionRecord]] = {}
    for redaction in redactions:
        if redaction.message_ordinal in by_ordinal and redaction.field in ("sender", *RECIPIENT_FIELDS) \
                and redaction.x0 is not None:
            on_people.setdefault(redaction.message_ordinal, []).append(redaction)
    for ordinal, placed in on_people.items():
        message = by_ordinal[ordinal]
        fields = header_fields(message)
        slots = [_Slot(kind, person, []) for kind, person in message.recipients]
        words_by_kind = {kind: [w for line, field in zip(message.lines, fields) if field == kind
                                for w in _line_words(line, page_words)] for kind in RECIPIENT_FIELDS}
        for kind, words in words_by_kind.items():
            _printed_words(words, [slot for slot in slots if slot.kind == kind])
        chosen: list[tuple[RedactionRecord, _Slot]] = []
        for redaction in sorted(placed, key=lambda r: (r.kind != "box", r.y0, r.x0)):  # boxes first: codes beside
            if redaction.field == "sender":
                message.sender = _with_codes(message.sender, redaction.codes)
            else:
                slot = _slot_for(redaction, redaction.field, slots, words_by_kind[redaction.field])
                slot.codes += redaction.codes
                chosen.append((redaction, slot))
        marked = {id(slot) for _, slot in chosen}
        message.recipients = [(slot.kind, _with_codes(slot.person, slot.codes) if id(slot) in marked else slot.person)
                              for slot in slots]
        for redaction, slot in chosen:
            redaction.recipient_position = [s for s in slots if s.kind == slot.kind].index(slot)
