"""The real DC `.eml` messages of the corpus as plain mail records, grouped into threads, for laying out as printouts.

Each record keeps what an email client prints in a header: the sender, To and Cc people (display name and
address as written in the .eml), the local send time (US Eastern, the release's own wall clock), the subject, and
the body before its quoted part, cut into paragraphs. Threads are the messages of one normalised subject, oldest
first; copies of one message (the release holds many) are kept once.
"""

from __future__ import annotations

import email
import glob
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.utils import getaddresses
from zoneinfo import ZoneInfo

from eval.email_eval import eml_text

LOCAL = ZoneInfo("America/New_York")
QUOTE_START = re.compile(r"^\s*(-{3,}\s*Original Message|From:\s|On .{6,120} wrote:|_{10,}|Begin forwarded)", re.M)
_PREFIX = re.compile(r"^\s*((re|fw|fwd)\s*:\s*)+", re.IGNORECASE)


@dataclass
class Mail:
    sender: tuple[str, str]  # (display name, address); either may be ""
    to: list[tuple[str, str]]
    cc: list[tuple[str, str]]
    sent: datetime  # local wall-clock time, no zone
    subject: str
    paragraphs: list[str]
    source: str  # the .eml file name
    attachments: list[str] = field(default_factory=list)


def people(header) -> list[tuple[str, str]]:
    """(name, address) pairs. Converted .msg files sometimes carry display names only, "Last, First (ORG)",
    separated by semicolons."""
    raw = re.sub(r"\s+", " ", str(header or "").replace("\x00", "")).strip()
    if not raw:
        return []
    if "@" not in raw:
        return [(part.strip().strip('"'), "") for part in raw.split(";") if part.strip()]
    pairs = getaddresses([raw])
    return [(name.strip().strip('"'), address.strip()) for name, address in pairs if name or address]


def paragraphs_of(text: str, most: int = 6) -> list[str]:
    """The body before its quoted part, as paragraphs of one line each (links and image runs left out)."""
    quote = QUOTE_START.search(text)
    text = text[:quote.start()] if quote else text
    out = []
    for block in re.split(r"\n\s*\n", text):
        line = re.sub(r"<(?:https?|mailto):[^>]*>", "", block)
        line = " ".join(line.split())
        if line and not line.startswith("[cid:") and not _encoded(line):
            out.append(line[:700])
    return out[:most]


def _encoded(text: str) -> bool:
    """A block no client prints: MIME headers or encoded data that a malformed .eml leaves in its body (some
    converted messages end their header section early, inside a folded header)."""
    tokens = text.split()
    if re.match(r"^(Content-|--_?\w{6,}|MIME-Version:|X-[\w-]+:)", text) \
            or re.search(r"=[0-9A-F]{2}=[0-9A-F]{2}", text):
        return True
    return sum(len(t) >= 16 and re.fullmatch(r"[A-Za-z0-9+/=;:]+", t) is not None for t in tokens) > len(tokens) / 3


def read_mail(path: str) -> Mail | None:
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    raw = {}
    for name, value in message.raw_items():
        raw.setdefault(name.lower(), value)
    sent = message["Date"].datetime if message["Date"] else None
    senders = people(raw.get("from"))
    if sent is None or sent.tzinfo is None or not senders:
        return None  # no trustworthy local time, or no sender: nothing exact to label
    paragraphs = paragraphs_of(eml_text(message))
    if not paragraphs:
        return None
    attachments = [part.get_filename() for part in message.iter_attachments() if part.get_filename()]
    return Mail(senders[0], people(raw.get("to")), people(raw.get("cc")),
                sent.astimezone(LOCAL).replace(tzinfo=None, second=0, microsecond=0),
                " ".join(str(message["Subject"] or "").split()), paragraphs, os.path.basename(path),
                [" ".join(name.split()) for name in attachments][:3])


def thread_key(subject: str) -> str:
    return " ".join(_PREFIX.sub("", subject).lower().split())


def read_threads(eml_folder: str) -> list[list[Mail]]:
    """Threads (oldest message first), in the order of their first file name; each message once."""
    seen, threads = set(), {}
    for path in sorted(glob.glob(os.path.join(eml_folder, "*.eml"))):
        mail = read_mail(path)
        if mail is None:
            continue
        identity = (mail.sender[1].lower() or mail.sender[0], mail.sent, thread_key(mail.subject))
        if identity in seen:
            continue
        seen.add(identity)
        threads.setdefault(thread_key(mail.subject), []).append(mail)
    return [sorted(thread, key=lambda mail: mail.sent) for thread in threads.values()]
