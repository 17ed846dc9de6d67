"""Combine two readings of the same pages into one list of messages.

A scanned release often carries the agency's own OCR layer; we may also read the same pages with Tesseract.
Each reading is split into messages on its own (extractors/email/split.py). Here the two lists are matched
message by message (page, position on the page, header similarity, order), and each matched pair keeps the
lines of the primary reading while its header values are combined token by token:

- the two values are aligned word by word; where they disagree, the reading whose words have the better
  shape for the field wins (a well-formed e-mail address over a damaged one, a name word over one holding
  digits or symbols, ';' between recipients over ':'), then the one whose words recur elsewhere in the
  document (a thread repeats its participants, addresses and subject), then our OCR where Tesseract was
  confident, else the primary reading;
- a sent date is rebuilt from the two readings' date words and must parse: a date that parses, and whose
  printed weekday agrees with it, beats one that does not;
- a value only one reading shows is taken from it, minus words that are only noise (a lone '|' or '#').
  A low-confidence OCR word whose box is one character wide is one character (Tesseract reads a lone 'H' as
  'Hi' or 'Hq'): it is kept as its first letter when that is a capital, and dropped otherwise.

Nothing is invented: every word of a combined value was printed in one of the readings. A message only one
reading found is kept as it is, marked with the reading its lines come from.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import re
from collections import Counter
from datetime import datetime

from extractors.email.headers import EMAIL, clean_email, has_exemption
from extractors.email.split import RECIPIENT_LABELS, ParsedMessage, fill_fields, link_chains
from extractors.email.sent_dates import clean_sent_text, parse_sent_date, printed_weekday
from extractors.pages.visual_lines import Line

_EDGE = " \t'\"`‘’“”°<>[](){}‹›«»,;:.*~|-"
_TLD = re.compile(r"\.(com|gov|org|net|edu|mil|int|us|uk|ca|info|biz|io|co|[a-z]{2}\.[a-z]{2})$")
_WELL_FORMED = re.compile(r"^[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,6}$")
_NAME_WORD = re.compile(r"^(?:[A-Z]|[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]{2,})$")
_PLAIN_WORD = re.compile(r"^[\w'’&/.,:;!?$%()\"-]+$")
_ODD = re.compile(r"[|{}\[\]~_#*<>\\^=@©®]")
CONFIDENT = 90.0  # Tesseract word confidence at which our OCR wins an otherwise even choice
UNSURE = 60.0  # below this a Tesseract word is a guess


def _key(token: str) -> str:
    return token.strip(_EDGE).casefold()


# -- message matching ---------------------------------------------------------------------------------

def _anchor(message: ParsedMessage) -> tuple[int, float]:
    lines = message.header_lines or message.body_lines
    if not lines:
        return (0, 0.0)
    return lines[0].page_number, lines[0].y0


def _header_text(message: ParsedMessage) -> str:
    return " ".join(line.text for line in message.header_lines).casefold()


def _similarity(a: ParsedMessage, b: ParsedMessage) -> float:
    """How likely two messages of the two readings are the same printed message (0 = not at all)."""
    (page_a, y_a), (page_b, y_b) = _anchor(a), _anchor(b)
    text = difflib.SequenceMatcher(None, _header_text(a), _header_text(b), autojunk=False).ratio()
    if page_a == page_b and abs(y_a - y_b) < 40:
        return 1.0 + text
    if page_a == page_b and text > 0.6:
        return text
    return 0.0


def _align(primary: list[ParsedMessage], second: list[ParsedMessage]) -> list[tuple]:
    """Order-preserving pairs (primary or None, second or None), the matching of highest total similarity."""
    n, m = len(primary), len(second)
    sim = [[_similarity(a, b) for b in second] for a in primary]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if sim[i][j] > 0:
                options.append(sim[i][j] + best[i + 1][j + 1])
            best[i][j] = max(options)
    pairs: list[tuple] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and sim[i][j] > 0 and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            pairs.append((primary[i], second[j]))
            i, j = i + 1, j + 1
        elif j < m and (i == n or best[i][j] == best[i][j + 1]) and not (i < n and best[i][j] == best[i + 1][j]
                                                                         and _anchor(primary[i]) <= _anchor(second[j])):
            pairs.append((None, second[j]))
            j += 1
        else:
            pairs.append((primary[i], None))
            i += 1
    return pairs


# -- document vocabulary and OCR evidence ---------------------------------------------------------------

def _tokens_of(text: str) -> list[str]:
    keys = []
    for token in text.split():
        key = _key(token)
        if not key:
            continue
        keys.append(key)
        if "@" in key:
            local, _, domain = clean_email(key).partition("@")
            keys += [local, domain]
    return keys


def _vocabulary(primary: list[ParsedMessage], second: list[ParsedMessage]) -> Counter:
    """Word counts over both readings; a page the two readings print identically counts once."""
    pages: dict[tuple[str, int], list[str]] = {}
    for reading, messages in (("primary", primary), ("second", second)):
        for message in messages:
            for line in message.lines:
                pages.setdefault((reading, line.page_number), []).append(line.text)
    counts = _Vocabulary()
    for (reading, page), texts in pages.items():
        if reading == "second" and pages.get(("primary", page)) == texts:
            continue
        for text in texts:
            counts.update(_tokens_of(text))
    # Name words: printed on their own, not the mailbox of an address.
    counts.names = {_key(token) for (reading, page), texts in pages.items() for text in texts
                    for token in text.split() if "@" not in token and len(_key(token)) >= 4 and _key(token).isalpha()}
    return counts


class _Vocabulary(Counter):
    names: set[str] = set()  # the alphabetic words of at least 4 letters


class _Evidence:
    """Tesseract's confidence and box for the words of one message's header lines."""

    def __init__(self, lines: list[Line]):
        self.words: dict[str, object] = {}
        widths = []
        for line in lines:
            for word in line.words:
                self.words.setdefault(word.text, word)
                if word.confidence is not None and word.confidence >= CONFIDENT and len(word.text) >= 3:
                    widths.append((word.x1 - word.x0) / len(word.text))
        widths.sort()
        self.char_width = widths[len(widths) // 2] if widths else None

    def confidence(self, token: str) -> float | None:
        word = self.words.get(token)
        return getattr(word, "confidence", None) if word is not None else None

    def narrow_guess(self, token: str) -> str | None:
        """A low-confidence word whose box holds one character: its first letter if a capital, '' to drop
        it, None when the word is not such a case."""
        word = self.words.get(token)
        if word is None or word.confidence is None or self.char_width is None or len(token) < 2:
            return None
        if word.confidence >= UNSURE or (word.x1 - word.x0) > 1.5 * self.char_width:
            return None
        core = token.strip(_EDGE + "#+")
        return core[0] if core and core[0].isupper() and core[0].isalpha() else ""


# -- per-word judgement ---------------------------------------------------------------------------------

def _shape(token: str, kind: str) -> float:
    """How well a printed word fits the field: 3 a well-formed address, 2 a sound word, 1 doubtful, 0 damaged,
    -1 noise."""
    core = token.strip(_EDGE)
    if not core:
        return -1.0
    if has_exemption(core):
        return 2.0
    if "@" in core or "©" in core:
        email = clean_email(core)
        if _WELL_FORMED.match(email) and _TLD.search(email):
            return 3.0
        return 1.5 if EMAIL.search(email) else 1.0
    penalty = 0.25 if kind == "people" and token.endswith(":") else 0.0
    if kind in ("people", "name"):
        if _NAME_WORD.match(core):
            return 2.0 - penalty
        if core.isalpha():
            return 1.0 - penalty
        return 0.0
    if _ODD.search(core) or not _PLAIN_WORD.match(core):
        return 0.5
    letters = re.sub(r"[^A-Za-z]", "", core)
    if letters and any(ch.isdigit() for ch in core) and not re.fullmatch(r"\d+[\w.,:/-]*|[\w-]*\d+", core):
        return 1.0
    # A capital inside a lower-case word ("AgremeHt", "FWh") is an OCR slip more often than a spelling.
    if re.search(r"[a-z][A-Z]", letters) or re.fullmatch(r"[A-Z]{2,}[a-z]+", letters):
        return 1.5
    return 2.0


class _Judge:
    def __init__(self, vocabulary: Counter, evidence: _Evidence, kind: str):
        self.vocabulary, self.evidence, self.kind = vocabulary, evidence, kind

    def score(self, tokens: list[str], second: bool) -> tuple[float, float, float]:
        if not tokens:
            return (-1.0, 0.0, 0.0)
        shape = min(_shape(t, self.kind) for t in tokens)
        support = sum(self._support(t) for t in tokens) / len(tokens)
        trust = 0.0
        if second:
            confidences = [self.evidence.confidence(t) for t in tokens]
            known = [c for c in confidences if c is not None]
            if known:
                trust = 1.0 if min(known) >= CONFIDENT else (-1.0 if min(known) < UNSURE else 0.0)
        return (shape, support, trust)

    def _support(self, token: str) -> float:
        """How often the word recurs in the document (capped); an address by its mailbox and domain."""
        key = _key(token)
        if "@" in key or "©" in key:
            local, _, domain = clean_email(key).partition("@")
            counted = (min(self.vocabulary.get(local, 0), 3) + min(self.vocabulary.get(domain, 0), 3)) / 2
            return counted + self._explained(local)
        return min(self.vocabulary.get(key, 0), 3)

    def _explained(self, mailbox: str) -> float:
        """The share of a mailbox spelled by a name word printed in the document ('millscd' holds 'mills';
        'rnillscd' holds none): mailboxes are commonly built from their owner's name."""
        words = self.vocabulary.names
        best = max((len(word) for word in words if word in mailbox), default=0)
        return best / len(mailbox) if mailbox else 0.0

    def prefer_second(self, a: list[str], b: list[str]) -> bool:
        score_a, score_b = self.score(a, False), self.score(b, True)
        if score_a[0] != score_b[0]:
            return score_b[0] > score_a[0]
        if score_a[1] != score_b[1]:
            return score_b[1] > score_a[1]
        return score_b[2] > 0

    def pick(self, a: str, b: str) -> str:
        """One word from two readings of it. Between recipients ';' (Outlook's separator) beats ':' and ','
        whichever reading the letters come from."""
        if a == b:
            return a
        word = b if self.prefer_second([a], [b]) else a
        if self.kind == "people":
            trail_a, trail_b = a[len(a.rstrip(";:,")):], b[len(b.rstrip(";:,")):]
            if ";" in (trail_a, trail_b) and trail_a != trail_b:
                word = word.rstrip(";:,") + ";"
        return word

    def second_only(self, tokens: list[str]) -> list[str]:
        """Words only our OCR read: kept unless they are noise; one-character boxes cut to that character."""
        kept = []
        for token in tokens:
            guess = self.evidence.narrow_guess(token)
            if guess is not None:
                if guess:
                    kept.append(guess)
                continue
            if _shape(token, self.kind) >= 1.0 and (self.evidence.confidence(token) or 100.0) >= UNSURE / 2:
                kept.append(token)
        return kept


def merge_value(a: str | None, b: str | None, judge: _Judge) -> str | None:
    """One header value from the primary reading's (a) and the second reading's (b), word by word."""
    if not b or not b.strip():
        return a
    if judge.kind in ("name", "people"):
        a, b = (re.sub(r"\s*[@©]\s*", "@", value) if value else value for value in (a, b))
    if not a or not a.strip():
        kept = judge.second_only(b.split())
        return " ".join(kept) if kept else a
    ta, tb = a.split(), b.split()
    if ta == tb:
        return a
    matcher = difflib.SequenceMatcher(None, [_key(t) or t for t in ta], [_key(t) or t for t in tb], autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        block_a, block_b = ta[i1:i2], tb[j1:j2]
        if op == "equal":
            # Same word, perhaps different punctuation beside it ("D;" / "D:"): judge each pair.
            out += [judge.pick(x, y) for x, y in zip(block_a, block_b)]
        elif op == "delete":
            out += [t for t in block_a if _shape(t, judge.kind) >= 0]
        elif op == "insert":
            # Words only our OCR read inside a value the primary reading has: only an address it dropped.
            out += [t for t in judge.second_only(block_b) if _shape(t, judge.kind) >= 3
                    and (judge.evidence.confidence(t) or 0) >= CONFIDENT]
        elif len(block_a) == len(block_b):
            out += [judge.pick(x, y) for x, y in zip(block_a, block_b)]
        else:
            out += block_b if judge.prefer_second(block_a, block_b) else block_a
    return " ".join(out)


# -- dates --------------------------------------------------------------------------------------------

def _date_rank(raw: str, latest: datetime | None) -> tuple[int, int]:
    parsed = parse_sent_date(raw, latest)
    rank = {"ok": 3, "ocr_corrected": 2}.get(parsed.flag, 0)
    weekday = printed_weekday(raw)
    agrees = 0
    if parsed.value is not None and weekday is not None:
        agrees = 1 if weekday == parsed.value.weekday() else -1
    return rank, agrees


def merge_sent(a: str | None, b: str | None, latest: datetime | None) -> str | None:
    """The printed date built from both readings' words that parses best (a valid date, weekday agreeing);
    ties go to the primary reading."""
    if not b or not b.strip():
        return a
    if not a or not a.strip():
        return b
    if a == b:
        return a
    ta, tb = clean_sent_text(a).split(), clean_sent_text(b).split()
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    pieces: list[list[list[str]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append([ta[i1:i2]])
        else:
            pieces.append([ta[i1:i2], tb[j1:j2]])
    choices = [p for p in pieces if len(p) > 1]
    if len(choices) > 8:
        candidates = [a, b]
    else:
        candidates = []
        for picks in itertools.product(*[range(len(p)) for p in pieces]):
            candidates.append(" ".join(t for piece, pick in zip(pieces, picks) for t in piece[pick]))
    # The first candidate is all-primary: ties keep it. Weekday agreement is worth more than a plain parse.
    best, best_rank = a, _date_rank(a, latest)
    for candidate in candidates:
        rank = _date_rank(candidate, latest)
        if (rank[0] > 0 and rank[1], rank[0]) > (best_rank[0] > 0 and best_rank[1], best_rank[0]):
            best, best_rank = candidate, rank
    if best_rank[0] == 0 and _date_rank(b, latest)[0] > 0:
        return b
    return best


# -- messages -----------------------------------------------------------------------------------------

def _fields(message: ParsedMessage) -> dict[str, str]:
    fields = dict(message.headers)
    if "from" not in fields and message.sender is not None:
        fields["from"] = message.sender.raw
    if message.sent_raw and "sent" not in fields and "date" not in fields:
        fields["sent"] = message.sent_raw
    return fields


def _combine(a: ParsedMessage, b: ParsedMessage, vocabulary: Counter, latest: datetime | None) -> ParsedMessage:
    merged = copy.copy(a)
    merged.recipients = dict(a.recipients)
    merged.reading = a.reading
    evidence = _Evidence(b.header_lines)
    fa, fb = _fields(a), _fields(b)
    fields = dict(fa)
    for label in set(fa) | set(fb):
        if label in ("sent", "date"):
            continue
        kind = "name" if label == "from" else "people" if label in RECIPIENT_LABELS else "text"
        value = merge_value(fa.get(label), fb.get(label), _Judge(vocabulary, evidence, kind))
        if value is not None:
            fields[label] = value
    sent_label = next((label for label in ("sent", "date") if label in fa), None) or \
        next((label for label in ("sent", "date") if label in fb), "sent")
    sent = merge_sent(fa.get("sent") or fa.get("date"), fb.get("sent") or fb.get("date"), latest)
    if sent is not None:
        fields.pop("sent", None), fields.pop("date", None)
        fields[sent_label] = sent
    merged.sender, merged.sent_raw = a.sender, None
    fill_fields(merged, fields, latest)
    # A date as one reading printed it keeps that reading's parse (made with the caller's release bound).
    for reading in (a, b):
        if sent is not None and sent == reading.sent_raw and (latest is None or reading.sent.value is not None):
            merged.sent = reading.sent
            break
    if merged.sender is None and b.sender is not None:
        merged.sender = b.sender
    if a.layout == "on_wrote" and "from" not in a.headers:
        merged.headers = dict(a.headers)
    return merged


def merge_readings(primary: list[ParsedMessage], second: list[ParsedMessage],
                   latest: datetime | None = None) -> list[ParsedMessage]:
    """Messages of two readings of the same pages, combined.

    `primary` is split from the chosen text (for example the agency's OCR layer); `second` from the same
    pages with some pages' words replaced by our OCR. Matched messages keep the primary reading's lines and
    combine header values; a message only one reading found is kept with that reading's lines (`reading`
    says which). Ordinals, depth and parent_ordinal are renumbered in reading order. `latest` bounds
    plausible sent dates, as in split_messages.
    """
    if not second:
        return primary
    if not primary:
        out = [copy.copy(m) for m in second]
        for m in out:
            m.reading = "second"
        return link_chains(out)
    vocabulary = _vocabulary(primary, second)
    out = []
    for a, b in _align(primary, second):
        if a is not None and b is not None:
            out.append(_combine(a, b, vocabulary, latest))
        elif a is not None:
            out.append(copy.copy(a))
        else:
            only = copy.copy(b)
            only.reading = "second"
            out.append(only)
    return link_chains(out)

