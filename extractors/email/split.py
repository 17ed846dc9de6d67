"""Split a document's pages into email messages with parsed headers, in reading order, across page breaks.

Works on printed lines rebuilt from word boxes (extractors/pages/visual_lines.py), so it reads a text layer and
OCR alike. A message starts at a header block (From/Sent/To/Cc/Subject labels in a column, values beside
them), an Outlook Web App header (subject, sender, a date line, To:), or an "On DATE, NAME wrote:" line.
Separators ("-----Original Message-----", forwarded-message lines) and page furniture are not body text.
Each message after the first in a printout is the one quoted by the message before it. Several printouts
can be concatenated in one PDF: a header block at the top of a page numbered 1 again, or a message sent
more than a day after the one before it (a quoted message is always older), starts a new chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from extractors.email.headers import (Person, match_label, normalize_subject, parse_person,
                                      split_attachments, split_people, unfinished_list)
from extractors.pages.furniture import (BATES, classify_line, is_exemption_only, repeated_shapes,
                                        without_stamp_segments)
from extractors.email.print_layouts import (gmail_thread_subject, read_gmail_header, read_lotus_header)
from extractors.email.sent_dates import SentDate, parse_sent_date
from extractors.pages.layout import (changes_layout, continued_value, in_line_pitch, opens_with_title, page_left_edges,
                                     page_right_edges, runs_on)
from extractors.pages.visual_lines import Line, build_lines
from models.records import PrintedLines, Word

SEPARATOR = re.compile(
    r"^[-_=\s]*(original message|forwarded message|forwarded by .*|begin forwarded message:?|"
    r"reply message|message d'origine)[-_=\s]*$", re.IGNORECASE)
RULE = re.compile(r"^[-_=•.^~\s]{6,}$")
ON_WROTE = re.compile(r"^On (?P<date>.+?\d{1,2}:\d{2}\s*(?:[AP]\.?M\.?)?),?\s+(?P<who>.+?)\s+wrote:?[\s:;.,]*$",
                      re.IGNORECASE)
OWA_ATTACHMENTS = re.compile(r"^\d+\s+attachments?\s*\(.*\)\s*$", re.IGNORECASE)
OWA_DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}"
                      r"(\s*[AP]M)?(\s+[^\s\d]{1,3}){0,2}\s*$", re.IGNORECASE)  # and OCR's reading of a speck or two
# Cheap tests of a line's text before the Lotus Notes reader looks at its words: a "To" label inside the line, or
# (on the line after a first line whose "To" OCR lost) a date and a "cc" label.
LOTUS_TO = re.compile(r"\S\s+T[Oo][.:;]?\s+\S")
LOTUS_CC = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}.*\s[Cc][Cc][.:;]?\s")
PAGE_ONE = re.compile(r"^(page\s+1(\s+of\s+\d+)?|1\s+of\s+\d+|-\s*1\s*-)$", re.IGNORECASE)
# Printed times of a chain may be in different time zones (a quoted "On ... wrote:" line is often in the
# sender's): only a message newer than this than the one before it cannot be quoted by it.
NEWER_THAN_QUOTED = timedelta(hours=26)
EMAIL_LABELS = {"from", "sent", "date", "to", "cc", "bcc", "subject"}
RECIPIENT_LABELS = ("to", "cc", "bcc")


@dataclass(frozen=True)
class PageInput:
    page_number: int
    height_pt: float
    words: list[Word]


@dataclass
class ParsedMessage(PrintedLines):
    ordinal: int
    layout: str  # header_block | outlook_web | on_wrote | gmail | lotus_notes
    depth: int = 0
    parent_ordinal: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    sender: Person | None = None
    sent_raw: str | None = None
    sent: SentDate = field(default_factory=lambda: SentDate(None, None, "missing"))
    recipients: dict[str, list[Person]] = field(default_factory=dict)
    subject: str | None = None
    attachments: list[str] = field(default_factory=list)
    body_lines: list[Line] = field(default_factory=list)
    header_lines: list[Line] = field(default_factory=list)
    starts_printout: bool = False  # the top of a printout concatenated after another one in the same PDF
    # Which reading of the pages the lines (and their word indices) come from: "primary" (the chosen text) or
    # "second" (the pages re-read by our OCR); see extractors/email/layer_merge.py.
    reading: str = "primary"

    @property
    def subject_normalized(self) -> str | None:
        return normalize_subject(self.subject)

    @property
    def body(self) -> str:
        return "\n".join(line.text for line in self.body_lines).strip()

    @property
    def lines(self) -> list[Line]:
        return self.header_lines + self.body_lines

    def word_span(self) -> tuple[int, int, int, int]:
        """(first page, first word index, last page, last word index) in page_words."""
        first, last = self.lines[0], self.lines[-1]
        return first.page_number, min(first.word_indices), last.page_number, max(last.word_indices)


def printout_first_pages(per_page: list[tuple[float, list[Line]]]) -> set[int]:
    """Pages after the first whose printed page number is 1 again ("Page 1", "Page 1 of 3", "1 of 2")."""
    found = set()
    for _, page_lines in per_page[1:]:
        for line in page_lines:
            text = " ".join(token for token in line.text.split() if not BATES.match(token))
            if PAGE_ONE.match(text.strip()):
                found.add(line.page_number)
                break
    return found


def link_chains(messages: list[ParsedMessage]) -> list[ParsedMessage]:
    """Depth and parent in reading order: each message is quoted by the one before it, unless it starts a
    printout or was sent well after it."""
    for ordinal, message in enumerate(messages):
        message.ordinal = ordinal
        previous = messages[ordinal - 1] if ordinal else None
        if previous is None or message.starts_printout or _sent_well_after(message, previous) \
                or message.layout == "gmail":  # a conversation prints its messages one after another
            message.depth, message.parent_ordinal = 0, None
        else:
            message.depth, message.parent_ordinal = previous.depth + 1, previous.ordinal
    return messages


def _sent_well_after(message: ParsedMessage, previous: ParsedMessage) -> bool:
    trusted = ("ok", "ocr_corrected")
    if message.sent.value is None or previous.sent.value is None:
        return False
    if message.sent.flag not in trusted or previous.sent.flag not in trusted:
        return False
    return message.sent.value - previous.sent.value > NEWER_THAN_QUOTED


def printed_lines(pages: list[PageInput]) -> list[tuple[float, list[Line]]]:
    """Each page's height and its printed lines, furniture included."""
    return [(page.height_pt, build_lines(page.words, page.page_number)) for page in pages]


def content_lines(pages: list[PageInput], per_page: list[tuple[float, list[Line]]] | None = None) -> list[Line]:
    """Every printed line of the document in reading order, page furniture removed."""
    per_page = per_page if per_page is not None else printed_lines(pages)
    repeated = repeated_shapes(per_page)
    lines: list[Line] = []
    for height, page_lines in per_page:
        for line in page_lines:
            if classify_line(line, height, repeated).furniture:
                continue
            kept = without_stamp_segments(line, height)
            if kept is not None:
                lines.append(kept)
    return lines


def _is_label_line(line: Line, in_block: bool = False) -> tuple[str, str] | None:
    match = match_label(line.text, in_block)
    if not match:
        return None
    if match.label in ("sent", "date") and not re.search(r"\d", match.value):
        return None  # "Sent from my iPhone", "Date of the meeting"
    return match.label, match.value


def _read_header_block(lines: list[Line], start: int, edges: dict[int, float] | None = None) \
        -> tuple[dict[str, str], int, list[Line]]:
    """Fields of the header block starting at lines[start]; returns (fields, index after it, its lines).

    A value goes on at the next lines while they are indented to the value column, or, at the margin, while the
    line before is full (the next line's first word had no room on it: `edges`, each page's right text edge)
    and no label, rule or gap comes between."""
    fields: dict[str, str] = {}
    label_x = lines[start].x0
    last_label: str | None = None
    value_x: float | None = None  # where the last label's value starts: a wrap indented to it goes on
    index = start
    used: list[Line] = []
    while index < len(lines):
        line = lines[index]
        if index > start and not re.search(r"[^\W_]", line.text):
            index += 1  # OCR's reading of a speck, a line of marks alone
            continue
        labelled = _is_label_line(line, in_block=index > start)
        if labelled is None and index > start and last_label in ("sent", "date") and "to" not in fields:
            labelled = _unread_to_label(lines, index, label_x)
        if labelled and used and line.page_number == used[-1].page_number and \
                line.y0 - used[-1].y1 > 2.5 * max(used[-1].height, 8):
            break  # a label well below the block: the next message's header
        if labelled and abs(line.x0 - label_x) < 40:
            label, value = labelled
            if label in fields and label in EMAIL_LABELS:
                break  # the next message's block begins
            fields[label] = value
            last_label = label
            value_x = _value_column(line, value)
        elif last_label and index > start and _continues(lines[index - 1], line) and in_line_pitch(used, line) and (
                line.x0 > label_x + 30 or value_x is not None and abs(line.x0 - value_x) < 3 and not labelled
                or not labelled and (
                    unfinished_list(last_label, fields[last_label], line.text)
                    or edges is not None and runs_on(lines[index - 1], line, edges[line.page_number], None))):
            # a wrapped value goes on after a space: a list is split on the separators printed, never at a wrap
            fields[last_label] = continued_value(fields[last_label], lines[index - 1], line.text,
                                                 edges[line.page_number] if edges else lines[index - 1].words[-1].x1)
        else:
            break
        used.append(line)
        index += 1
    return fields, index, used


def _value_column(line: Line, value: str) -> float | None:
    """Where a label line's value starts (its first word after the label), if beyond the label's own width."""
    count = len(value.split())
    if not count or count >= len(line.words):
        return None
    start = line.words[len(line.words) - count]
    return start.x0 if start.x0 - line.x0 > 8 else None


def _unread_to_label(lines: list[Line], index: int, label_x: float) -> tuple[str, str] | None:
    """A line standing where a header block prints To:, between Sent: and Subject: (or Cc:), whose label OCR
    misread beyond recognition ("Fa: H", "Tea: H", "Tex H"): a short word (with a colon, unless of 2-3
    letters) at the label column, then a value."""
    line = lines[index]
    words = [w for w in line.words if w.text.strip("|!'\"`~.,")]
    if len(words) < 2 or abs(words[0].x0 - label_x) > 8 or index + 1 >= len(lines):
        return None
    label = words[0].text
    if not (2 <= len(label) <= 5 and label[-1] in ":;" and label[:-1].isalpha() or label.isalpha() and len(label) <= 3):
        return None
    following = _is_label_line(lines[index + 1], in_block=True)
    if following is None or following[0] not in ("subject", "cc") or abs(lines[index + 1].x0 - label_x) > 8:
        return None
    return "to", " ".join(w.text for w in words[1:])


def _continues(previous: Line, line: Line) -> bool:
    """A wrapped header value: the next printed line, close below, indented to the value column."""
    gap = line.y0 - previous.y1
    same_page = line.page_number == previous.page_number
    return same_page and gap < max(previous.height, 8) * 1.6


def _is_message_block(fields: dict[str, str]) -> bool:
    present = EMAIL_LABELS & fields.keys()
    return "from" in present and len(present) >= 2 or {"sent", "to"} <= present or {"date", "to"} <= present \
        or {"sent", "subject"} <= present


def _on_wrote(lines: list[Line], index: int) -> tuple[re.Match, int] | None:
    """An 'On DATE, NAME wrote:' line, possibly wrapped onto the next line."""
    text = lines[index].text
    if not text.lower().startswith("on "):
        return None
    match = ON_WROTE.match(text)
    if match:
        return match, 1
    if index + 1 < len(lines) and "wrote" not in text.lower():
        match = ON_WROTE.match(text + " " + lines[index + 1].text)
        if match:
            return match, 2
    return None


def _without_trailing_exemptions(subject: str) -> str:
    """A subject whose redacted end is printed as exemption codes ("FW: B7(A) B7(C)"): the codes are not text.
    Nor are marks standing alone at its end."""
    tokens = subject.split()
    while len(tokens) > 1 and (is_exemption_only(tokens[-1].strip(",;")) or not re.search(r"[^\W_]", tokens[-1])):
        tokens.pop()  # and marks alone at the end: OCR's reading of specks ("RE: Proposed Legislation ;")
    return " ".join(tokens)


def _fill(message: ParsedMessage, fields: dict[str, str], latest: datetime | None) -> None:
    message.headers = fields
    if "from" in fields:
        message.sender = parse_person(fields["from"])
    message.sent_raw = fields.get("sent") or fields.get("date") or message.sent_raw
    message.sent = parse_sent_date(message.sent_raw, latest)
    for label in RECIPIENT_LABELS:
        if label in fields:
            message.recipients[label] = split_people(fields[label])
    if "subject" in fields:
        message.subject = _without_trailing_exemptions(fields["subject"]) or None
    if "attachments" in fields:
        message.attachments = split_attachments(fields["attachments"])


fill_fields = _fill  # for extractors/email/layer_merge.py: header values -> parsed fields


@dataclass
class SplitDocument:
    """A document's messages, and its printed lines that belong to none of them (`outside`, in reading order, each
    with the ordinal of the message printed before it, or None): a letter, a list, a report, an attachment
    printed after its email. `lines` are all its content lines (page furniture removed)."""
    messages: list[ParsedMessage]
    outside: list[tuple[Line, int | None]]
    lines: list[Line]


def split_messages(pages: list[PageInput], latest: datetime | None = None) -> list[ParsedMessage]:
    """Messages in reading order. `latest` bounds plausible sent dates (the release date, if known)."""
    return split_document(pages, latest).messages


def _leaves_the_message(message: ParsedMessage, lines: list[Line], index: int) -> bool:
    """Is lines[index], the first line of a new page under a message's body, no longer that message? Where the
    page is printed in another layout than the message (another type size or margin), or opens with a title or a
    letterhead (a letter, a report or a list printed after the email that carried it), the message ended on the
    page before."""
    line = lines[index]
    if not message.body_lines or line.page_number == message.body_lines[-1].page_number:
        return False
    page = [other for other in lines[index:index + PAGE_SAMPLE_LINES] if other.page_number == line.page_number]
    recent = message.lines[-LAYOUT_SAMPLE_LINES:]
    return changes_layout(recent, page) or opens_with_title(recent, page)


PAGE_SAMPLE_LINES, LAYOUT_SAMPLE_LINES = 6, 40


def split_document(pages: list[PageInput], latest: datetime | None = None) -> SplitDocument:
    """Messages in reading order, and the lines outside them. `latest` bounds plausible sent dates."""
    per_page = printed_lines(pages)
    lines = content_lines(pages, per_page)
    restarts = printout_first_pages(per_page)
    edges = page_right_edges(lines)
    lefts: dict[int, float] | None = None  # each page's left text edge, measured where a Lotus header may be
    messages: list[ParsedMessage] = []
    outside: list[tuple[Line, int | None]] = []
    current: ParsedMessage | None = None
    thread_subject: str | None = None  # a Gmail conversation's subject, printed once above its messages
    lotus_labels: dict[int, int | None] = {}  # where each line holds a Lotus Notes label, once looked for
    texts = [line.text for line in lines]  # each line's text, joined once
    index = 0
    while index < len(lines):
        line, text = lines[index], texts[index]
        if SEPARATOR.match(text) or RULE.match(text):
            index += 1
            continue
        thread = gmail_thread_subject(lines, index)
        if thread:
            thread_subject, subject_lines = thread
            if current is not None:
                current.body_lines = [kept for kept in current.body_lines if kept not in subject_lines]
            outside = [(kept, follows) for kept, follows in outside if kept not in subject_lines]
            index += 1
            continue
        other = read_gmail_header(lines, index, edges)
        if other is None and _may_open_lotus(texts, index):
            lefts = lefts if lefts is not None else page_left_edges(lines)
            other = read_lotus_header(lines, index, lefts[line.page_number], edges[line.page_number], lotus_labels)
        if other:
            fields, after, used = other
            layout = "lotus_notes" if "subject" in fields else "gmail"
            if layout == "gmail" and thread_subject:
                fields["subject"] = thread_subject
            current = ParsedMessage(len(messages), layout, header_lines=used)
            _fill(current, fields, latest)
            messages.append(current)
            index = after
            continue
        labelled = _is_label_line(line)
        if labelled:
            fields, after, used = _read_header_block(lines, index, edges)
            if _is_message_block(fields):
                starts, banner = _printout_restart(lines, index, restarts)
                if banner is not None and current is not None and current.body_lines \
                        and current.body_lines[-1] is banner:
                    current.body_lines.pop()  # the mailbox owner's name printed above a new printout
                current = ParsedMessage(len(messages), "header_block",
                                        header_lines=([banner] if banner is not None else []) + used)
                current.starts_printout = starts
                _fill(current, fields, latest)
                messages.append(current)
                index = after
                continue
        wrote = _on_wrote(lines, index)
        if wrote:
            match, count = wrote
            current = ParsedMessage(len(messages), "on_wrote", header_lines=lines[index:index + count])
            current.sender = parse_person(match.group("who"))
            current.sent_raw = match.group("date")
            current.sent = parse_sent_date(current.sent_raw, latest)
            messages.append(current)
            index += count
            continue
        if OWA_DATE.match(text) and index >= 1 and any(
                (_is_label_line(nxt) or ("", ""))[0] == "to" for nxt in lines[index + 1:index + 3]):
            sender_line = lines[index - 1]
            subject_line = lines[index - 2] if index >= 2 else None
            fields, after, used = _read_header_block(lines, index + 1, edges)
            header_lines = [sender_line, line] + used
            if current and current.body_lines[-2:] and current.body_lines[-1] is sender_line:
                current.body_lines.pop()
                if subject_line is not None and current.body_lines and current.body_lines[-1] is subject_line:
                    current.body_lines.pop()
                    header_lines.insert(0, subject_line)
            elif subject_line is not None and not current:
                header_lines.insert(0, subject_line)
            if after < len(lines) and OWA_ATTACHMENTS.match(lines[after].text):
                # "2 attachments (1 MB)", then the file names on the next line
                header_lines.append(lines[after])
                after += 1
                if after < len(lines) and re.search(r"\.\w{2,4}\b", lines[after].text):
                    fields["attachments"] = lines[after].text
                    header_lines.append(lines[after])
                    after += 1
            current = ParsedMessage(len(messages), "outlook_web", header_lines=header_lines)
            fields = {**fields, "from": sender_line.text, "sent": line.text}
            if subject_line is not None and subject_line in header_lines:
                fields["subject"] = subject_line.text
            _fill(current, fields, latest)
            messages.append(current)
            index = after
            continue
        if current is not None and _leaves_the_message(current, lines, index):
            current = None
        if current is not None:
            current.body_lines.append(line)
        else:
            outside.append((line, messages[-1].ordinal if messages else None))
        index += 1
    return SplitDocument(link_chains(messages), outside, lines)


def _may_open_lotus(texts: list[str], index: int) -> bool:
    """The cheap test before the Lotus Notes reader looks at a line's words (substring tests first: this runs on
    every line)."""
    text = texts[index]
    if ("To" in text or "TO" in text) and LOTUS_TO.search(text):
        return True
    following = texts[index + 1] if index + 1 < len(texts) else ""
    return ("cc" in following or "Cc" in following) and "/" in following and LOTUS_CC.search(following) is not None


def _printout_restart(lines: list[Line], index: int, restarts: set[int]) -> tuple[bool, Line | None]:
    """Does the header block at lines[index] open a new printout (the first thing on a page numbered 1
    again, below at most one banner line)? And its banner line, if any."""
    page = lines[index].page_number
    if page not in restarts:
        return False, None
    before = [line for line in lines[max(0, index - 2):index] if line.page_number == page]
    if not before:
        return True, None
    if len(before) == 1 and not _is_label_line(before[0]):
        return True, before[0]
    return False, None
