"""One email, however many times it was released: copies of a message (printed, native, quoted in a reply)
found to be the same email, and the threads the emails make.

Two copies are the same email when their sent times agree to the minute (or differ by whole hours, up to 14: a
native file's Date header is often in UTC, a printout shows the sender's local time), their subjects agree once
reply prefixes, case and punctuation are set aside (where both have one), their senders agree where both name
an address (a redacted sender says nothing), and their bodies begin with the same words: the first words of
each, compared as sets, so that OCR's misreadings, re-wrapping and a quoting client's trimming leave them alike.
Threads follow quoting and the mail headers (thread_emails).
Nothing here reads a database or a page: copies in, groups out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

FINGERPRINT_WORDS = 40  # the body's first words that stand for it
SAME_BODY = 0.6  # share of the shorter fingerprint's words the other holds
MAX_ZONE_HOURS = 14


@dataclass(frozen=True)
class MessageCopy:
    """One place an email is printed or stored."""

    key: str  # messages.message_id
    sender: str | None  # a lower-cased address, else None
    sent_at: datetime | None
    subject: str | None  # subject_normalized
    body: str
    rank: int = 2  # which copy stands for the email: 0 a native file's own message, 1 a top printed one, 2 quoted
    participants: frozenset[str] = field(default_factory=frozenset)  # addresses and names of sender and recipients
    header_id: str | None = None  # Message-ID
    replies_to: tuple[str, ...] = ()  # In-Reply-To and References
    quoted_by: str | None = None  # the copy whose body quotes this one (messages.parent_message_id)
    conversation: str | None = None  # the Outlook conversation its Thread-Index names


def subject_key(subject: str | None) -> str | None:
    """A subject with case, punctuation and spacing set aside ("RE: Chair's Phone No." ~ "chair s phone no")."""
    if not subject:
        return None
    words = re.findall(r"[^\W_]+", subject.lower())
    return " ".join(words) or None


def fingerprint(body: str) -> frozenset[str]:
    """The body's first words, lower-cased, letters and digits only (a redaction code or a lone letter aside)."""
    words = [w for w in re.findall(r"[^\W_]+", body.lower()) if len(w) > 1 and not re.fullmatch(r"b\d", w)]
    return frozenset(words[:FINGERPRINT_WORDS])


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _zone_apart(a: datetime, b: datetime) -> bool:
    """Two times already cut to the minute: the same, or whole hours apart within MAX_ZONE_HOURS."""
    delta = abs(a - b)
    return delta <= timedelta(hours=MAX_ZONE_HOURS) and delta.total_seconds() % 3600 == 0


def same_body(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return not a and not b
    return len(a & b) >= SAME_BODY * min(len(a), len(b))


@dataclass(frozen=True, slots=True)
class _Compared:
    """What same_email compares of one copy, worked out once per copy: each copy is compared with every copy sent
    within hours of it."""

    minute: datetime | None  # sent_at cut to the minute
    subject: str | None  # subject_key, where the copy has a subject
    has_subject: bool
    sender: str | None
    body: frozenset[str]  # fingerprint


def _compared(copy: MessageCopy) -> _Compared:
    return _Compared(_to_minute(copy.sent_at) if copy.sent_at is not None else None, subject_key(copy.subject),
                     bool(copy.subject), copy.sender, fingerprint(copy.body))


def same_email(a: _Compared, b: _Compared) -> bool:
    if a.minute is None or b.minute is None or not _zone_apart(a.minute, b.minute):
        return False
    if a.has_subject and b.has_subject and a.subject != b.subject:
        return False
    if a.sender and b.sender and a.sender != b.sender:
        return False
    return same_body(a.body, b.body)


class _Groups:
    def __init__(self, keys):
        self.parent = {key: key for key in keys}

    def find(self, key):
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a, b):
        a, b = self.find(a), self.find(b)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key in self.parent:
            out.setdefault(self.find(key), []).append(key)
        return out


def group_copies(copies: list[MessageCopy]) -> dict[str, str]:
    """message key -> email id: the key of the copy that stands for its email (a native file's message first,
    then a top printed one, then a quoted one; the lowest key among equals)."""
    compared = {copy.key: _compared(copy) for copy in copies}
    groups = _Groups([copy.key for copy in copies])
    by_minute: dict[int, list[MessageCopy]] = {}
    for copy in copies:
        if copy.sent_at is not None:
            by_minute.setdefault(copy.sent_at.minute, []).append(copy)
    for bucket in by_minute.values():
        bucket.sort(key=lambda c: c.sent_at)
        for i, a in enumerate(bucket):
            for b in bucket[i + 1:]:
                if b.sent_at - a.sent_at > timedelta(hours=MAX_ZONE_HOURS, minutes=1):
                    break
                if same_email(compared[a.key], compared[b.key]):
                    groups.join(a.key, b.key)
    rank = {copy.key: (copy.rank, copy.key) for copy in copies}
    return {key: min(members, key=rank.__getitem__) for members in groups.members().values() for key in members}


def _header_nodes(copy: MessageCopy) -> list[str]:
    """The messages and the conversation a copy's headers name, as nodes of the thread graph: "id:<...>" for
    each message id (released or not), "conversation:..." for its Thread-Index."""
    nodes = ["id:" + named for named in [copy.header_id, *copy.replies_to] if named]
    return nodes + (["conversation:" + copy.conversation] if copy.conversation else [])


def thread_emails(copies: list[MessageCopy], email_of: dict[str, str], use_headers: bool = True) -> dict[str, str]:
    """email id -> thread id (the thread's earliest email id). Emails are one thread where one replies to or
    forwards the other quoting it (a chain printed or quoted in a body), and, with use_headers, where their
    Message-ID, In-Reply-To and References name a message in common, released or not, or their Thread-Index
    names one conversation. A forward stays in the thread it forwards, as Outlook's and Gmail's conversations
    keep it. Subjects alone join nothing: a reply's subject and participants are shared by many threads.
    Without use_headers (what a printout gives), on the DC .eml files against their headers' threads: pairwise
    precision 0.97, recall 0.96 (make eval)."""
    emails = sorted(set(email_of.values()))
    named = sorted({node for copy in copies for node in _header_nodes(copy)}) if use_headers else []
    groups = _Groups(emails + named)
    for copy in copies:
        if copy.quoted_by is not None and copy.quoted_by in email_of:
            groups.join(email_of[copy.key], email_of[copy.quoted_by])
        if use_headers:
            for node in _header_nodes(copy):
                groups.join(email_of[copy.key], node)
    first = {}
    when = {}
    for copy in copies:
        email = email_of[copy.key]
        if copy.sent_at is not None and (email not in when or copy.sent_at < when[email]):
            when[email] = copy.sent_at
    for members in groups.members().values():
        members = [m for m in members if not m.startswith(("id:", "conversation:"))]
        if not members:
            continue
        thread = min(members, key=lambda e: (when.get(e, datetime.max), e))
        for email in members:
            first[email] = thread
    return first
