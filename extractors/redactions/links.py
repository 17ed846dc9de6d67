"""What each redaction blanks: the message or passage printed where it lies, and the header field when it lies on
a header line (a `From:` value blacked out marks the sender redacted, a `To:` one a recipient)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from extractors.email.messages import PageReadings
from models.records import MessageLine, MessageRecord, PassageRecord, RedactionRecord, Word

# The printed header labels and the field each names.
FIELDS = {"from": "sender", "sent": "sent", "date": "sent", "to": "to", "cc": "cc", "bcc": "bcc",
          "subject": "subject", "attachments": "attachments"}


def words_by_layer(readings: Sequence[PageReadings]) -> dict[tuple[int, str], Sequence[Word]]:
    """Every page's words under the page_words layer a message or passage line points into."""
    words: dict[tuple[int, str], Sequence[Word]] = {(page.page_number, page.layer): page.words for page in readings}
    words.update({(page.page_number, "ocr"): page.second_words for page in readings if page.second_words is not None})
    return words


def _line_span(line: MessageLine, words: Sequence[Word]) -> tuple[float, float] | None:
    found = [words[i] for i in line.word_indices if 0 <= i < len(words)]
    if not found:
        return None
    return min(w.y0 for w in found), max(w.y1 for w in found)


def link_redactions(redactions: Sequence[RedactionRecord], page_words: Mapping[tuple[int, str], Sequence[Word]],
                    messages: Sequence[MessageRecord], passages: Sequence[PassageRecord]) -> None:
    """Set each placed redaction's message_ordinal or passage_ordinal, and its field on a header line: the printed
    line at its height, else the nearest above it (a block box over a body lies under the body's first lines)."""
    lines_by_page: dict[int, list[tuple[tuple[float, float], MessageLine, str, int]]] = {}
    for owner, items in (("message", messages), ("passage", passages)):
        for item in items:
            for line in item.lines:
                span = _line_span(line, page_words.get((line.page_number, line.layer), []))
                if span is not None:
                    lines_by_page.setdefault(line.page_number, []).append((span, line, owner, item.ordinal))
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
        _, line, owner, ordinal = chosen
        if owner == "message":
            redaction.message_ordinal = ordinal
        else:
            redaction.passage_ordinal = ordinal
        if level and line.part == "header":
            label = line.text.split(":", 1)[0].strip().lower() if ":" in line.text else ""
            redaction.field = FIELDS.get(label)
