"""A release's address book: every spelling of an address, a person's name and a code read in its headers, and
the corrections the release's own evidence supports.

OCR damages an address or a name that the same release prints correctly many times elsewhere
(`millscd@state.qov`, `hanleyrnr@`, `Sfaughter|`, `O0G-0003` for `OOG-0003`). A rare spelling is corrected to a
frequent one only when the evidence is clear:

- the frequent spelling was read at least MIN_FREQUENT times and RATIO times as often as the rare one;
- the two differ only by the confusions OCR makes (`rn`/`m`, `l`/`i`/`1`/`|`, `0`/`O`, `vv`/`w`, `.qov`/`.gov`,
  `.corn`/`.com`), or, where the rare spelling was read by OCR with low confidence, by one edit (two in a long
  name of the same length, or in a local part of LONG_LOCAL characters or more); an address keeps its domain
  (after those confusions) and differs in its local part only;
- exactly one frequent spelling is that close.

A born-digital text layer's spelling differing by more than OCR's confusions is never corrected: it is what the
agency printed. A scanner's hidden OCR layer carries no confidence: its readings count as low-confidence OCR. Pure functions: readings in, spellings and corrections out (flows/release_step.py applies them).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

MIN_FREQUENT = 3
RATIO = 3.0
LOW_CONFIDENCE = 85.0  # mean Tesseract word confidence (0-100) below which one edit may be OCR's
LONG_NAME = 12  # characters; a name this long may differ by two edits
LONG_LOCAL = 7  # characters; an address's local part this long may differ by two edits
KINDS = ("address", "name", "code")

# A code that recurs in subjects: letters and digits around a hyphen ("OOG-0003", "B22-0038").
CODE = re.compile(r"\b[A-Z0-9]{2,6}-[A-Z0-9]{2,8}\b")
_CODE_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1", "|": "1", "S": "5", "B": "8", "Z": "2"})


@dataclass(frozen=True)
class Reading:
    kind: str  # address | name | code
    text: str  # the spelling as read
    confidence: float | None  # mean Tesseract word confidence of the header it was read in, where known
    ocr: bool = True  # read by OCR (Tesseract's, or a scanner's hidden layer, whose confidence is not known)


@dataclass(frozen=True)
class Spelling:
    kind: str
    text: str
    count: int
    mean_confidence: float | None  # over its readings with a known OCR confidence
    corrected_to: str | None  # the frequent spelling it is read as, when the evidence is clear


def confusion_key(kind: str, text: str) -> str:
    """The spelling with every difference OCR's confusions can make taken out."""
    if kind == "code":
        return text.upper().translate(_CODE_CONFUSIONS)
    key = re.sub(r"\s+", "", text.lower()) if kind == "address" else " ".join(text.lower().split())
    key = key.strip(" |!'\"`.,;:")
    if kind == "address":
        key = re.sub(r"\.qov\b", ".gov", key)
        key = re.sub(r"\.c[o0]rn\b", ".com", key)
    key = key.replace("rn", "m").replace("vv", "w")
    return re.sub(r"[1il|!]", "l", key).replace("0", "o")


def _edits(a: str, b: str, most: int) -> int:
    """Levenshtein distance, or most + 1 once it exceeds `most`."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > most:
            return most + 1
        previous = current
    return previous[-1]


def _plain(kind: str, text: str) -> str:
    if kind == "name":
        text = text.replace("|", " ")  # a rule or a speck beside a word; no name holds one
    return re.sub(r"\s+", "" if kind == "address" else " ", text.lower()).strip(" |!'\"`.,;:").replace(" ,", ",")


def _close_enough(kind: str, rare: str, frequent: str, low_confidence: bool) -> int | None:
    """0 when the spellings differ only by OCR's confusions; the edits when a low-confidence reading is that
    close; None otherwise."""
    if confusion_key(kind, rare) == confusion_key(kind, frequent):
        return 0
    if not low_confidence or kind == "code":
        return None
    a, b = _plain(kind, rare), _plain(kind, frequent)
    if kind == "address":
        local_a, _, domain_a = a.partition("@")
        local_b, _, domain_b = b.partition("@")
        if confusion_key(kind, domain_a) != confusion_key(kind, domain_b) or len(local_b) < 4:
            return None
        a, b = local_a, local_b
        most = 2 if len(local_b) >= LONG_LOCAL else 1
    else:
        if len(b) < 6 or a[:1] != b[:1] and a[-1:] != b[-1:] or _shorter_form(a, b):
            return None
        most = 2 if len(b) >= LONG_NAME and len(a) == len(b) else 1
    edits = _edits(a, b, most)
    return edits if edits <= most else None


def _shorter_form(a: str, b: str) -> bool:
    """One name is the other with words left out ("Dibble, Elizabeth" and "Dibble, Elizabeth L"): both are
    spellings people print, not OCR's damage."""
    tokens_a, tokens_b = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    return tokens_a != tokens_b and (tokens_a <= tokens_b or tokens_b <= tokens_a)


def build_address_book(readings: list[Reading]) -> list[Spelling]:
    """Every spelling with how often and how confidently it was read, and the correction the evidence supports."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    confidences: dict[tuple[str, str], list[float]] = defaultdict(list)
    by_ocr: set[tuple[str, str]] = set()
    for reading in readings:
        text = reading.text.strip()
        if not text:
            continue
        counts[(reading.kind, text)] += 1
        if reading.confidence is not None:
            confidences[(reading.kind, text)].append(reading.confidence)
        if reading.ocr:
            by_ocr.add((reading.kind, text))
    book = []
    for kind in KINDS:
        spellings = {text: count for (k, text), count in counts.items() if k == kind}
        frequent = [text for text, count in spellings.items() if count >= MIN_FREQUENT]
        for text, count in sorted(spellings.items()):
            found = confidences.get((kind, text))
            mean = round(sum(found) / len(found), 1) if found else None
            # OCR's reading, with a low confidence or none known (a scanner's hidden layer)
            low = (kind, text) in by_ocr and (mean is None or mean < LOW_CONFIDENCE)
            candidates = []
            for other in frequent:
                if other == text or spellings[other] < RATIO * count:
                    continue
                distance = _close_enough(kind, text, other, low)
                if distance is not None:
                    candidates.append((distance, other))
            best = None
            if candidates:
                closest = min(distance for distance, _ in candidates)
                at_closest = [other for distance, other in candidates if distance == closest]
                best = at_closest[0] if len(at_closest) == 1 else None
            book.append(Spelling(kind, text, count, mean, best))
    return _followed(book)


def _followed(book: list[Spelling]) -> list[Spelling]:
    """A correction to a spelling that is itself corrected goes on to where that one leads."""
    targets = {(s.kind, s.text): s.corrected_to for s in book if s.corrected_to}
    out = []
    for spelling in book:
        target, seen = spelling.corrected_to, {spelling.text}
        while target and (spelling.kind, target) in targets and target not in seen:
            seen.add(target)
            target = targets[(spelling.kind, target)]
        out.append(Spelling(spelling.kind, spelling.text, spelling.count, spelling.mean_confidence, target)
                   if target != spelling.corrected_to else spelling)
    return out


def corrections(book: list[Spelling]) -> dict[tuple[str, str], str]:
    """(kind, spelling) -> the spelling it is corrected to."""
    return {(s.kind, s.text): s.corrected_to for s in book if s.corrected_to}


def codes_in(subject: str | None) -> list[str]:
    return CODE.findall(subject or "")


def repair_subject(subject: str | None, fixes: dict[tuple[str, str], str]) -> str | None:
    """The subject with each code the book corrects replaced."""
    if not subject:
        return subject
    return CODE.sub(lambda match: fixes.get(("code", match.group()), match.group()), subject)
