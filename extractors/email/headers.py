"""Header labels (tolerant of OCR misreads) and header values: people, addresses, subjects, attachments."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from extractors.pages.furniture import EXEMPTION

# Canonical label -> spellings seen in printed mail and in OCR of it. Matching is on the first token(s) of a
# printed line, case-insensitively, with any trailing colon or punctuation removed.
LABELS: dict[str, tuple[str, ...]] = {
    "from": ("from", "frorn", "fron", "frem", "fram", "ffom"),
    "sent": ("sent", "sont", "sert", "scnt", "sen t", "sant"),
    "date": ("date",),
    "to": ("to", "ta", "te", "t0", "io", "tc"),
    "cc": ("cc", "ce", "co", "cc.", "c c"),
    "bcc": ("bcc", "bce"),
    "subject": ("subject", "subiect", "subjcct", "sub ject", "subjeot", "suhject", "subj"),
    "attachments": ("attachments", "attachment", "attachrnents", "attach"),
    "importance": ("importance",),
    "sensitivity": ("sensitivity",),
    "when": ("when",),
    "where": ("where",),
    "location": ("location",),
    "start": ("start",),
    "end": ("end",),
    "organizer": ("organizer",),
    "required attendees": ("required attendees",),
    "optional attendees": ("optional attendees",),
    "show time as": ("show time as",),
    "recurrence": ("recurrence",),
    "meeting status": ("meeting status",),
}
_SPELLINGS = sorted(((spelling, label) for label, spellings in LABELS.items() for spelling in spellings),
                    key=lambda item: -len(item[0]))
_FUZZY_LABELS = ("from", "sent", "subject", "attachments", "importance")
# Labels short enough to be ordinary words ("To", "Date", "Start"): they count only with a colon.
NEEDS_COLON = {"to", "cc", "bcc", "date", "when", "where", "start", "end", "location", "recurrence"}

# "=" stands in Exchange's X.500 addresses as mail clients print them ("IMCEAEX-_o=ExchangeLabs_ou=...@x.com")
EMAIL = re.compile(r"[A-Za-z0-9._%+='-]+\s?@\s?[A-Za-z0-9-]+(?:\s?\.\s?[A-Za-z0-9-]+)+")
# Reply and forward prefixes, with OCR's readings of them ("FVV:" for "FW:").
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|fvv|fvd|aw|tr|wg)\s*(\[\d+\])?\s*[:;]\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class LabelMatch:
    label: str
    value: str  # the rest of the line after the label
    had_colon: bool


def match_label(text: str, in_block: bool = False) -> LabelMatch | None:
    """The header label a printed line starts with, if any, and the value that follows it.

    Inside a header block (in_block) short labels count without their colon, which OCR often loses.
    """
    stripped = text.lstrip(" \t•*>|=-_'\"`~.,‘’“”")  # and OCR's reading of a speck before the label
    lowered = stripped.lower()
    for spelling, label in _SPELLINGS:
        if not lowered.startswith(spelling):
            continue
        rest = stripped[len(spelling):]
        if rest and rest[0].isalnum():
            continue  # "Fromage", "Today", "Sentence"
        colon = bool(re.match(r"\s*[:;.]", rest))
        if label in NEEDS_COLON and not colon and not in_block:
            continue
        value = re.sub(r"^\s*[:;.]?\s*", "", rest, count=1)
        return LabelMatch(label, value.strip(), colon)
    # A long label OCR misread by a letter ("Fromm:", "Subjcet:"), recognised only with its colon.
    fuzzy = re.match(r"([A-Za-z]{4,12})\s?[:;]\s*", stripped)
    if fuzzy:
        word = fuzzy.group(1).lower()
        for label in _FUZZY_LABELS:
            if difflib.SequenceMatcher(None, word, label).ratio() >= 0.8:
                return LabelMatch(label, stripped[fuzzy.end():].strip(), True)
    return None


@dataclass(frozen=True)
class Person:
    name: str | None
    email: str | None
    redacted: bool
    raw: str

    @property
    def email_clean(self) -> str | None:
        return clean_email(self.email) if self.email else None


def clean_email(email: str) -> str:
    """Lower-case, with spaces and stray quotes that OCR put inside the address removed, © and ® read as @."""
    return re.sub(r"[\s'\"°`]", "", email.replace("©", "@").replace("®", "@")).strip(".,;:<>[]()").lower()


# "(b) (6)": an exemption code printed with a space inside it, read as one token
_SPACED_CODE = re.compile(r"(\(\s*b\s*\))\s+(?=\(\s*\d\s*\))", re.IGNORECASE)


def _code_tokens(text: str) -> list[str]:
    return _SPACED_CODE.sub(r"\1", text).split()


def has_exemption(text: str) -> bool:
    return any(EXEMPTION.match(token.strip(",;<>")) for token in _code_tokens(text))


def _strip_exemptions(text: str) -> str:
    return " ".join(token for token in _code_tokens(text) if not EXEMPTION.match(token.strip(",;<>")))


_BRACKETS = "<>[](){}‹›«»"
# An address in brackets whose letters OCR damaged ("<Sullivan))@state.gov>"): the whole bracket content.
_BRACKETED_AT = re.compile(r"(?<=[<‹«\[])[^\s<>\[\]‹›«»]*[@©][^\s<>\[\]‹›«»]*(?=[>›»\]])")
_AT_TOKEN = re.compile(r"[^\s<>\[\](){}‹›«»'\"°`]*[@©][^\s<>\[\](){}‹›«»'\"°`]*")


def parse_person(raw: str) -> Person | None:
    """'"Mills, Cheryl D" <MillsCD@state.gov>', 'H <hrod17@...>', 'Russorv@state.gov', 'B6' (redacted).

    The address is the token holding '@' as printed (OCR may have dropped its dots: 'stategov'); the name
    is what stands before it, or the whole value when there is no address.
    """
    text = raw.strip().strip(";,").strip()
    if not text:
        return None
    redacted = has_exemption(text)
    text = _strip_exemptions(text)
    text = re.sub(r"mailto:\s*", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*@\s*", "@", text)
    text = re.sub(r"(?<=\w)\s*[©®]\s*(?=[\w-]+\.\w)", "@", text)  # OCR reads a scanned '@' as '©' or '®'
    # an address printed in brackets is the whole bracket, whatever spaces OCR read into it
    text = re.sub(r"([<\[])([^<>\[\]]*@[^<>\[\]]*)([>\]])", lambda m: m.group(1) + re.sub(r"\s+", "", m.group(2))
                  + m.group(3), text)
    match = _BRACKETED_AT.search(text) or EMAIL.search(text) or _AT_TOKEN.search(text)
    email = match.group().strip(".,;:") if match and len(match.group()) > 3 else None
    if email and "@" in email:
        local, _, domain = email.partition("@")
        email = local + "@" + domain.replace(",", ".")  # OCR reads the dots of a domain as commas
    bracket = re.search(r"[<\[‹«(]\s*([^<>\[\]‹›«»()\s]{4,})\s*[>\]›»)jJ]?\s*$", text)
    if match is None and bracket and "." in bracket.group(1):
        # An address whose '@' OCR misread ("SullivanJJOstate.gov"): trust the brackets it is printed in.
        match, email = bracket, bracket.group(1)
    name = text[: match.start()] if match else text
    if match and not name.strip(" " + _BRACKETS + "'\"°`,;:"):
        name = text[match.end():]  # "addr@x.gov (Name)"
    name = re.sub(r"\[([A-Z]{1,3})\]", "\x00\\1\x01", name)  # a tag in brackets belongs to a name: "[E]", "[C]"
    name = name.translate({ord(ch): " " for ch in "<>[]{}‹›«»"})  # so do parentheses: "(BEGA)"
    name = name.replace("\x00", "[").replace("\x01", "]")
    name = re.sub(r"\(\s*\)", " ", name)
    name = re.sub(r"\s+", " ", name).strip(" '\"°`‘’“”,;:").lstrip("-~_|")  # no name starts with a mark
    if name.count("(") != name.count(")"):
        name = name.strip("()").strip()
    if email and name.lower() == email.lower():
        name = ""
    if not name and not email and not redacted:
        return None
    return Person(name or None, email, redacted, raw.strip())


def split_people(value: str) -> list[Person]:
    """Recipients on a To/Cc line, split on the separators the client printed. Outlook separates them with ';'
    and keeps the comma of 'Last, First'. Gmail, Apple Mail and Lotus Notes separate them with ',' and quote a
    name holding a comma ('"Last, First" <addr>'): a comma separates there when it stands outside quotes and
    brackets and each part is a person of its own (quoted, with an address, or a redaction code)."""
    value = value.strip()
    if not value:
        return []
    parts = [part for part in re.split(r";", value) if part.strip()]
    if len(parts) > 1:
        # in a list the client separates with ';', OCR reads one of them as ':' ("Wade, Shomari: Barton, Johnnie")
        parts = [piece for part in parts for piece in re.split(r"(?<=[\w)]):\s+(?=[A-Z])", part)]
    if len(parts) == 1 and "," in value:
        parts = _comma_separated(value) or parts
    people = [parse_person(part) for part in parts]
    return [person for person in people if person]


def unfinished_list(label: str, value: str, next_text: str) -> bool:
    """Does a To/Cc/Bcc list go on at the next line, even at the label column? Where it was cut after a
    comma, or after a semicolon when the next line holds an address (plain-text quoted headers wrap there:
    "Cc: A <a@x>; Cavendish," / "Betsy (EOM) <b@x>"), and where the next line starts with the last name's
    bracketed address. OWA ends its lists with ';' before "2 attachments"."""
    if label not in ("to", "cc", "bcc"):
        return False
    if re.match(r"[<‹«][^\s<>]+\s?@", next_text):
        return True  # the address of the list's last name, wrapped: no line of a body starts with '<addr@'
    value = value.rstrip()
    return value.endswith(",") or value.endswith(";") and EMAIL.search(next_text) is not None


_QUOTES = {'"': '"', "“": "”", "”": "”"}


def _comma_separated(value: str) -> list[str] | None:
    """The parts of a comma-separated list, or None when its commas belong to names ('Last, First')."""
    parts, depth, quote, start = [], 0, None, 0
    for position, char in enumerate(value):
        if quote:
            quote = None if char in ('"', "”", "“") else quote
        elif char in _QUOTES:
            quote = char
        elif char in "<[(":
            depth += 1
        elif char in ">])":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append(value[start:position])
            start = position + 1
    parts.append(value[start:])
    parts = [part.strip() for part in parts if part.strip()]
    if len(parts) < 2:
        return None
    if all(EMAIL.search(part) or re.search(r'^["“”]|<[^<>]*>', part) or has_exemption(part) for part in parts):
        return parts
    return None


def normalize_subject(subject: str | None) -> str | None:
    if subject is None:
        return None
    return _REPLY_PREFIX.sub("", subject).strip() or None


def split_attachments(value: str) -> list[str]:
    return [name.strip() for name in re.split(r";|,\s+(?=\S+\.\w{2,4}\b)", value) if name.strip()]
