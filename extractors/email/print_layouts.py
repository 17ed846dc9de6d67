"""Header layouts of mail clients other than Outlook: Gmail's conversation print and the Lotus Notes memo.

Each reader takes the document's printed lines and the index of a line that may open a header, and returns the
header's fields (the same names as a header block's: from, sent, to, cc, bcc, subject), the index after it and
the lines it used, or None. Decided from the layout, not from the words alone:

- Gmail: a sender line with the send time printed at the right margin, far from the sender ("Name <addr>" ...
  "Mon, Nov 13, 2017 at 5:00 PM"), followed by To:/Cc: lines. The conversation's subject is printed once, above
  a "N messages" line, and belongs to every message of the conversation.
- Lotus Notes: two columns side by side. On the left the sender, an optional "Sent by:" line and the date line
  ("07/14/2016 02:15 PM"); on the right the labels To, cc, bcc and Subject (right-aligned, often without a
  colon) with their values in a column of their own, long values wrapping in that column.
"""

from __future__ import annotations

import re

from extractors.email.headers import match_label, unfinished_list
from extractors.email.sent_dates import parse_sent_date
from extractors.pages.layout import continued_value, in_line_pitch, runs_on
from extractors.pages.visual_lines import Line
from models.records import Word

GMAIL_DATE = re.compile(
    r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"\s+\d{1,2}[,.:;]{0,2}\s*\d{4},?\s+(?:at\s+)?\d{1,2}[:.]\d{2}\s*[AaPp]\.?\s?[Mm]\.?$")
GMAIL_COUNT = re.compile(r"^\W{0,3}\d{1,3}\s+messages?$", re.IGNORECASE)
GMAIL_BANNER = re.compile(r"^(?:M\s+)?Gmail\b", re.IGNORECASE)
LOTUS_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?:\s*[AP]M)?\b", re.IGNORECASE)
LOTUS_LABELS = {"to": "to", "cc": "cc", "bcc": "bcc", "bce": "bcc", "subject": "subject", "subiect": "subject"}
# A value far from its sender at the right of a Gmail sender line; a right column of a Lotus memo.
COLUMN_GAP = 24.0
RIGHT_FLUSH = 18.0  # points: a Gmail date line's end stands this close to the page's right text edge
LOTUS_RIGHT_COLUMN = 0.3  # the right column's labels start right of this share of the text width
LOTUS_MOST_LINES = 16


def _close_below(previous: Line, line: Line, factor: float = 1.8) -> bool:
    return line.page_number == previous.page_number and line.y0 - previous.y1 < max(previous.height, 8) * factor


# ------------------------------------------------------------------------------------------------------ Gmail

def gmail_sender_line(line: Line) -> tuple[str, str] | None:
    """(sender, date) of a Gmail sender line: the date is the line's last segment, standing apart at the right."""
    parts = line.segment_positions(COLUMN_GAP)
    if len(parts) < 2:
        return None
    date = " ".join(line.words[p].text for p in parts[-1])
    if not GMAIL_DATE.match(date):
        return None
    sender = " ".join(line.words[p].text for part in parts[:-1] for p in part)
    if not re.search(r"[@<]|[A-Za-z]{2,}", sender):
        return None
    return sender, date


def read_gmail_header(lines: list[Line], index: int, edges: dict[int, float]) \
        -> tuple[dict[str, str], int, list[Line]] | None:
    """A Gmail message header at lines[index]: the sender line, then To: (and Cc:) within the next lines, which
    may stand on the next page. A list goes on at the margin where the line before is full (`edges`: each
    page's right text edge) or ends with a comma."""
    line = lines[index]
    last = line.words[-1].text
    if last[-1:] not in ("M", "m") and last[-2:-1] not in ("M", "m"):  # the line ends with "PM" (or "PM."):
        return None  # most lines do not, and this runs on every line
    found = gmail_sender_line(line)
    # the date is printed flush with the right margin, and the sender is no header label ("Sent:   date")
    if found is None or line.words[-1].x1 < edges[line.page_number] - RIGHT_FLUSH or match_label(line.text):
        return None
    sender, date = found
    fields = {"from": sender, "sent": date}
    used = [lines[index]]
    position = index + 1
    last = None
    while position < len(lines) and position <= index + 12:
        line = lines[position]
        label = match_label(line.text)
        if label and label.label in ("to", "cc", "bcc") and label.label not in fields:
            fields[label.label], last = label.value, label.label
        elif last and label is None and _close_below(used[-1], line) and in_line_pitch(used, line) and (
                unfinished_list(last, fields[last], line.text)
                or runs_on(used[-1], line, edges[line.page_number], None)):
            fields[last] = continued_value(fields[last], used[-1], line.text, edges[line.page_number])
        else:
            break
        used.append(line)
        position += 1
    if "to" not in fields and "cc" not in fields:
        return None
    return fields, position, used


def gmail_thread_subject(lines: list[Line], index: int) -> tuple[str, list[Line]] | None:
    """The conversation's subject above a "N messages" line at lines[index], and the lines it is printed on
    (a long subject wraps onto up to three lines, each at the count line's margin; the "Gmail" banner and
    the account line above it are not part of it)."""
    last_word = lines[index].words[-1].text
    if last_word[:7].lower() not in ("message", "messages") or not GMAIL_COUNT.match(lines[index].text.strip()):
        return None
    taken: list[Line] = []
    position = index - 1
    below = lines[index]
    while position >= 0 and len(taken) < 3:
        line = lines[position]
        if not _close_below(line, below, 2.2) or GMAIL_BANNER.match(line.text) or match_label(line.text) \
                or abs(line.x0 - below.x0) > 2 * max(below.height, 1.0):
            break  # the subject's lines stand at the margin, the account line above it at the right
        taken.insert(0, line)
        below = line
        position -= 1
    if not taken:
        return None
    return " ".join(line.text for line in taken), taken


# ------------------------------------------------------------------------------------------------ Lotus Notes

_LABEL_INITIALS = set("TtCcBbSs.:;,'\"|")


def _lotus_label(text: str) -> str | None:
    return LOTUS_LABELS.get(text.strip(".:;,'\"|").lower())


def _lotus_label_position(line: Line, min_x: float) -> int | None:
    """Position of a right-column label word (To, cc, bcc, Subject) standing apart from what precedes it."""
    words = line.words
    for position, word in enumerate(words):
        text = word.text
        # a label is a short word starting t, c, b or s: test that before reading it (this runs on every line)
        if len(text) > 9 or text[:1] not in _LABEL_INITIALS or word.x0 < min_x:
            continue
        label = _lotus_label(text)
        if label is not None and (position == 0 or word.x0 - words[position - 1].x1 > 8) \
                and (position + 1 < len(words) or label in ("bcc", "cc")):
            return position
    return None


def read_lotus_header(lines: list[Line], index: int, left_x: float, right_x: float,
                      seen: dict[int, int | None] | None = None) -> tuple[dict[str, str], int, list[Line]] | None:
    """A Lotus Notes memo header whose first line is lines[index]: sender at the left, "To" label at the right.
    `left_x`, `right_x`: the page's text margins."""
    first = lines[index]
    min_x = left_x + LOTUS_RIGHT_COLUMN * (right_x - left_x)
    seen = {} if seen is None else seen
    at = _label_position_of(lines, index, min_x, seen)
    if at is None or at == 0 or _lotus_label(first.words[at].text) != "to":
        return _lotus_without_to_label(lines, index, min_x, right_x, seen)
    if not any(LOTUS_DATE.search(line.text) for line in lines[index:index + 4]):
        return None
    value_x = first.words[at + 1].x0
    left: list[str] = [" ".join(w.text for w in first.words[:at])]
    fields = {"to": " ".join(w.text for w in first.words[at + 1:])}
    return _read_lotus_rest(lines, index, fields, left, value_x, first.words[at], min_x, right_x)


def _label_position_of(lines: list[Line], index: int, min_x: float, seen: dict[int, int | None]) -> int | None:
    """_lotus_label_position of lines[index], found once: every line is asked as a first line and as the next."""
    if index not in seen:
        seen[index] = _lotus_label_position(lines[index], min_x)
    return seen[index]


def _lotus_without_to_label(lines: list[Line], index: int, min_x: float, right_x: float,
                            seen: dict[int, int | None]):
    """The first line of a Lotus header whose "To" label OCR lost: the next line, close below, holds the date at
    the left and a "cc" label at the right, and this line has words in the value column."""
    if index + 1 >= len(lines):
        return None
    following = lines[index + 1]
    at = _label_position_of(lines, index + 1, min_x, seen)
    if at is None or not _close_below(lines[index], following):
        return None
    if at is None or at == 0 or _lotus_label(following.words[at].text) != "cc" or at + 1 >= len(following.words) \
            or not LOTUS_DATE.search(following.text):
        return None
    first = lines[index]
    value_x = following.words[at + 1].x0
    values = [w for w in first.words if w.x0 >= value_x - 10]
    left_words = [w for w in first.words if w.x1 < following.words[at].x0 - 5]
    if not values or not left_words:
        return None
    left = [" ".join(w.text for w in left_words)]
    fields = {"to": " ".join(w.text for w in values)}
    return _read_lotus_rest(lines, index, fields, left, value_x, following.words[at], min_x, right_x)


def _read_lotus_rest(lines: list[Line], index: int, fields: dict[str, str], left: list[str], value_x: float,
                     first_label: Word, min_x: float, right_x: float):
    """The lines after a Lotus header's first one, to the end of its Subject. `first_label`: the first label
    read (the labels are right-aligned: its right edge is theirs)."""
    first = lines[index]
    last = "to"
    used = [first]
    position = index + 1
    label_left, label_right = first_label.x0, first_label.x1
    while position < len(lines) and position < index + LOTUS_MOST_LINES:
        line = lines[position]
        if not _close_below(used[-1], line):
            break
        at = _lotus_label_position(line, min(min_x, label_left - 60))
        if at is not None:
            label = _lotus_label(line.words[at].text)
            if label in fields:
                break
            left_words, value_words = line.words[:at], line.words[at + 1:]
            fields[label], last = " ".join(w.text for w in value_words), label
            label_left = min(label_left, line.words[at].x0)
        else:
            value_words = [w for w in line.words if w.x0 >= value_x - 10]
            left_words = [w for w in line.words if w.x1 < label_left - 5]
            unread = _unread_lotus_label(line, value_words, left_words, label_right, fields)
            if unread is not None:
                fields[unread], last = " ".join(w.text for w in value_words), unread
            elif left_words and (last == "subject" or value_words and value_words[0].x0 - left_words[-1].x1 < 20):
                break  # the Subject row is the last beside the left column; a line across the gutter is the body
            elif len(value_words) + len(left_words) + _marks(line) < len(line.words) - 1:
                break  # words across the gutter: the body
            elif value_words:
                fields[last] = continued_value(fields[last], used[-1], " ".join(w.text for w in value_words),
                                               right_x)
        if left_words:
            left.append(" ".join(w.text for w in left_words))
        used.append(line)
        position += 1
    if "subject" not in fields:
        return None
    sender, sent_by, date = _lotus_left_column(left)
    if date is None:
        return None
    fields.update({"from": sender, "sent": date})
    if sent_by:
        fields["sent by"] = sent_by
    return fields, position, used


def _marks(line: Line) -> int:
    """How many of a line's words are specks OCR read as punctuation."""
    return sum(not re.search(r"[^\W_]", w.text) for w in line.words)


def _unread_lotus_label(line: Line, value_words: list, left_words: list, label_right: float,
                        fields: dict[str, str]) -> str | None:
    """The label of a row whose label OCR misread past knowing ('rere:' for 'cc'): the one word in the label
    column, flush with the labels' right edge, is the next label of the memo's fixed order."""
    between = [w for w in line.words if w not in value_words and w not in left_words]
    if len(between) != 1 or abs(between[0].x1 - label_right) > 4:
        return None
    following = next((label for label in ("cc", "bcc", "subject") if label not in fields), None)
    return following if following != "subject" or value_words else None


def _lotus_left_column(texts: list[str]) -> tuple[str, str | None, str | None]:
    """Sender, "Sent by:" value and date line of a Lotus memo's left column. A date line OCR damaged past
    reading still marks the memo (its sent time is then unread, as the message's sent_flag says)."""
    sender, sent_by, date, misread = "", None, None, None
    for text in texts:
        match = LOTUS_DATE.search(text)
        if match and parse_sent_date(match.group(), None).value is not None:
            date = date or match.group()
        elif match and sender:
            misread = misread or match.group()  # date-shaped but no date ('42/29/2017': OCR's 4 for a 1)
        elif re.match(r"^\W*sent\s*by\b", text, re.IGNORECASE):
            sent_by = re.sub(r"^\W*sent\s*by\W*", "", text, flags=re.IGNORECASE)
        elif not sender:
            sender = text
    sender = re.sub(r"(\s+[^\w\s(),.@]+)+$", "", sender).strip(" -~_|")  # the tab leader OCR read as marks
    return sender, sent_by, date or misread
