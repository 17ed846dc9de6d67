"""One native email (a .eml file, one message of an .mbox, or an Outlook .msg turned into the Internet message it
stands for by outlook_msg.py) read with the standard library's parser under its
modern policy: headers decoded (RFC 2047, any charset), addresses parsed, the date with its time zone, the body
as text (a text/plain part where the message has one, else its HTML turned into text), its attachments,
Message-ID, In-Reply-To and References as given, and the conversation an Outlook or Exchange client filed it
under (its Thread-Index).

A header the parser cannot read is kept as its raw text and the failure listed in `defects`, never raised: a
release's files are often converted by tools that bend the standard.
"""

from __future__ import annotations

import base64
import binascii
import mailbox
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import errors, policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from extractors.native.outlook_msg import msg_to_email_bytes

NATIVE_EXTENSIONS = {".eml": "eml", ".mbox": "mbox", ".msg": "msg"}
RECIPIENT_HEADERS = (("to", "To"), ("cc", "Cc"), ("bcc", "Bcc"))


@dataclass(frozen=True)
class NativeAddress:
    name: str | None
    email: str | None
    raw: str


@dataclass(frozen=True)
class NativeAttachment:
    name: str
    content_type: str
    data: bytes

    @property
    def file_name(self) -> str:
        """The name it is ingested under: an attached message is read as an .eml, whatever it is called."""
        if self.content_type == "message/rfc822" and not native_kind(self.name):
            return f"{self.name}.eml"
        return self.name


@dataclass
class NativeEmail:
    """A message as its file gives it."""

    header_message_id: str | None
    in_reply_to: str | None
    references: list[str]
    subject: str | None
    sender: NativeAddress | None
    recipients: list[tuple[str, NativeAddress]]  # (to | cc | bcc, address) in header order
    date_raw: str | None
    sent_local: datetime | None  # as the sender's clock showed it, naive; UTC where the date's zone is "-0000"
    tz_offset_minutes: int | None  # None where the date's zone is "-0000": UTC, the sender's zone unknown
    sent_utc: datetime | None  # naive, UTC
    body: str
    body_source: str  # plain | html | none
    attachments: list[NativeAttachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)  # what was lost or read loosely: a header, the date, a charset
    conversation_id: str | None = None  # conversation_id(Thread-Index)


def native_kind(path: str) -> str | None:
    """eml | mbox | msg for a native email file's name, else None."""
    lowered = path.lower()
    return next((kind for ext, kind in NATIVE_EXTENSIONS.items() if lowered.endswith(ext)), None)


def _header(message: EmailMessage, name: str, defects: list[str]) -> str | None:
    try:
        value = message.get(name)
    except Exception as error:  # noqa: BLE001 - a header the modern policy cannot fold: keep its raw text
        defects.append(f"{name}: {error}")
        raw = message.get_all(name, failobj=[None])
        value = raw[0] if raw else None
    if value is None:
        return None
    return re.sub(r"\s+", " ", str(value)).strip() or None


def _addresses(message: EmailMessage, name: str, defects: list[str]) -> list[NativeAddress]:
    header = None
    written = " ".join(str(value) for value in message.get_all(name, failobj=[]))
    if written.strip() and "@" not in written:
        # Names with no address at all ("Collier, Tameka (BEGA); Flowers, Brian (BEGA)", a converted .msg): the
        # address parser would take each comma for a break between two addresses
        return [NativeAddress(_printable(part), None, _printable(part) or "") for part in written.split(";")
                if _printable(part)]
    try:
        header = message.get(name)
        parsed = [(a.display_name or None, a.addr_spec or None) for a in header.addresses] if header else []
    except Exception as error:  # noqa: BLE001 - fall back to the looser parser of the compat API
        defects.append(f"{name}: {error}")
        parsed = [(n or None, a or None) for n, a in getaddresses([str(header or "")])]
    raws = [raw.strip() for raw in _split_address_list(str(header))] if header else []
    out = []
    for index, (display, address) in enumerate(parsed):
        raw = raws[index] if len(raws) == len(parsed) else ", ".join(part for part in (display, address) if part)
        if address == "<>":  # "Name <>": a converter dropped the address
            address = None
        elif address and "@" not in address and not display:  # a bare name given where an address goes
            display, address = address, None
        out.append(NativeAddress(_printable(display), address, _printable(raw) or ""))
    return out


def _printable(text: str | None) -> str | None:
    """Text without the control characters converters leave in headers (a NUL after a name)."""
    if text is None:
        return None
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text).strip() or None


def _split_address_list(value: str) -> list[str]:
    """A header's addresses as written, split at the commas outside quotes and angle brackets."""
    parts, current, quoted, depth = [], "", False, 0
    for char in value:
        if char == '"':
            quoted = not quoted
        elif char == "<" and not quoted:
            depth += 1
        elif char == ">" and not quoted:
            depth = max(0, depth - 1)
        if char in ",;" and not quoted and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [part for part in parts if part.strip()]


def _date(raw: str | None, defects: list[str]) -> tuple[datetime | None, int | None, datetime | None]:
    if not raw:
        return None, None, None
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError) as error:
        defects.append(f"Date: {raw!r} could not be read ({error})")
        return None, None, None
    if when.tzinfo is None:  # "-0000" (RFC 5322): the time is UTC, the sender's zone unknown
        return when, None, when
    offset = when.utcoffset() or timedelta(0)
    local = when.replace(tzinfo=None)
    return local, int(offset.total_seconds() // 60), local - offset


def _part_text(part: EmailMessage, defects: list[str]) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError) as error:  # an unknown or lying charset
        defects.append(f"body: {error}; decoded as Latin-1")
        payload = part.get_payload(decode=True) or b""
        return payload.decode("latin-1")


def html_to_text(html: str) -> str:
    """An HTML body as the text a reader sees (inscriptis keeps the layout of tables and lists)."""
    from inscriptis import get_text  # noqa: PLC0415 - only for the rare message with no text part

    return get_text(html)


def _body(message: EmailMessage, defects: list[str]) -> tuple[str, str]:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception as error:  # noqa: BLE001 - a broken MIME structure
        defects.append(f"body: {error}")
        part = None
    if part is None:
        return "", "none"
    text = _part_text(part, defects)
    if part.get_content_subtype() == "html":
        return html_to_text(text), "html"
    return text, "plain"


def _payload(part: EmailMessage) -> bytes:
    """A part's bytes. Base64 whose every line carries its own padding (a converter encoded the file line by line)
    is decoded line by line: decoded whole, it stops at the first line's padding."""
    if part.get("Content-Transfer-Encoding", "").strip().lower() == "base64":
        lines = [line.strip() for line in str(part.get_payload(decode=False)).splitlines() if line.strip()]
        if any(line.endswith("=") for line in lines[:-1]):
            try:
                return b"".join(base64.b64decode(line) for line in lines)
            except (binascii.Error, ValueError):
                pass
    return part.get_payload(decode=True) or b""


def _mended_part(part: EmailMessage) -> EmailMessage:
    """A part whose header a converter wrapped without folding it (`attachment;fil` then `ename="x.pdf"` on
    the next line), read again with the wrapped line joined back to the header it continues. The parser ends
    such a part's headers at the wrapped line and takes the rest, file name and all, as the payload, which
    then decodes to a few bytes of noise."""
    if not any(isinstance(defect, errors.MissingHeaderBodySeparatorDefect) for defect in part.defects):
        return part
    head, _, rest = part.as_bytes(policy=policy.default).partition(b"\n\n")
    spilled, _, payload = rest.partition(b"\n\n")
    lines = head.split(b"\n")
    for line in spilled.split(b"\n"):
        if _HEADER_LINE.match(line) or line[:1] in (b" ", b"\t"):
            lines.append(line)
        else:  # wrapped mid-word, as the converter does: no space to restore
            lines[-1] = lines[-1].rstrip(b"\r") + line
    return BytesParser(policy=policy.default).parsebytes(b"\n".join(lines) + b"\n\n" + payload)


def _attachments(message: EmailMessage, defects: list[str]) -> list[NativeAttachment]:
    found = []
    try:
        parts = list(message.iter_attachments())
    except Exception as error:  # noqa: BLE001
        defects.append(f"attachments: {error}")
        return []
    for number, part in enumerate(parts, 1):
        part = _mended_part(part)
        try:
            name = part.get_filename()
        except Exception:  # noqa: BLE001 - an undecodable file name
            name = None
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            inner = part.get_payload(0) if part.is_multipart() else None
            data = inner.as_bytes(policy=policy.SMTP) if inner is not None else b""
            name = name or f"attached message {number}.eml"
        else:
            data = _payload(part)
        found.append(NativeAttachment(name or f"attachment {number}", content_type, data))
    return found


_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")


def _mended_header_block(data: bytes) -> bytes | None:
    """The bytes with each line of the header block that is neither a header nor indented as a continuation
    indented (converters that wrap a long header without folding it), or None when there is none."""
    match = re.search(rb"\r?\n\r?\n", data)
    head, rest = (data[:match.start()], data[match.start():]) if match else (data, b"")
    lines = head.split(b"\n")
    mended = [line if index == 0 or line[:1] in (b" ", b"\t") or _HEADER_LINE.match(line) else b" " + line
              for index, line in enumerate(lines)]
    return b"\n".join(mended) + rest if mended != lines else None


def message_ids(value: str | None) -> list[str]:
    """The message ids a References header names, in order: each in angle brackets, whatever separates them (a
    space, a fold, or a comma as some converters write); bare words where no id has brackets."""
    if not value:
        return []
    bracketed = re.findall(r"<[^<>\s]+>", value)
    return bracketed or value.replace(",", " ").split()


def conversation_id(thread_index: str | None) -> str | None:
    """The conversation a Thread-Index header names, as 32 hex digits; None where there is none or it is no
    index. Outlook and Exchange write the header as base64 of a 22-byte block (a reserved byte, five bytes of
    time, then the conversation's GUID) and five bytes more for each reply or forward, keeping the block: so
    every message of one conversation carries the same GUID, whoever's client wrote it ([MS-OXOMSG]
    PidTagConversationIndex)."""
    if not thread_index:
        return None
    try:
        raw = base64.b64decode("".join(thread_index.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) < 22 or (len(raw) - 22) % 5:
        return None
    return raw[6:22].hex()


# NUL is left alone: converters end header lines with it (DC's do), and the parser reads past it as Python's own
# reading does; the others can move a terminal's cursor or colour it.
_HEADER_CONTROL = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _shown_header_controls(data: bytes, defects: list[str]) -> bytes:
    match = re.search(rb"\r?\n\r?\n", data)
    head = data[:match.start()] if match else data
    if not _HEADER_CONTROL.search(head):
        return data
    defects.append("control characters in the header block, shown as \\xNN")
    return _HEADER_CONTROL.sub(lambda m: b"\\x%02x" % m.group()[0], head) + data[len(head):]


def read_email_bytes(data: bytes) -> NativeEmail:
    """One message's bytes -> NativeEmail. A header block the parser stops reading early (a line that is no
    header, not folded: its defect MissingHeaderBodySeparatorDefect) is read again with that line folded, so the
    body's own Content-Type and encoding are not taken for body text. Control characters in the header block
    (an escape sequence that would rewrite the terminal) are written out as \\xNN first."""
    defects: list[str] = []  # what could not be read as the file gives it (a parser's mended defect is none)
    data = _shown_header_controls(data, defects)
    message = BytesParser(policy=policy.default).parsebytes(data)
    if any(type(d).__name__ == "MissingHeaderBodySeparatorDefect" for d in message.defects):
        mended = _mended_header_block(data)
        if mended is None:
            defects.append("the header block ends at a line that is no header; the rest was read as the body")
        else:
            message = BytesParser(policy=policy.default).parsebytes(mended)
    senders = _addresses(message, "From", defects)
    date_raw = _header(message, "Date", defects)
    local, offset, utc = _date(date_raw, defects)
    body, source = _body(message, defects)
    references = message_ids(_header(message, "References", defects))
    return NativeEmail(
        header_message_id=_header(message, "Message-ID", defects), in_reply_to=_header(message, "In-Reply-To", defects),
        references=references, subject=_header(message, "Subject", defects), sender=senders[0] if senders else None,
        recipients=[(kind, address) for kind, name in RECIPIENT_HEADERS
                    for address in _addresses(message, name, defects)],
        date_raw=date_raw, sent_local=local, tz_offset_minutes=offset, sent_utc=utc, body=body, body_source=source,
        attachments=_attachments(message, defects), defects=defects,
        conversation_id=conversation_id(_header(message, "Thread-Index", defects)))


def read_native_file(path: str) -> list[NativeEmail]:
    """Every message of a native email file, in file order: one for .eml and .msg, each of an .mbox. Raises
    MsgReadError for a .msg that cannot be read."""
    kind = native_kind(path)
    if kind in ("eml", "msg"):
        with open(path, "rb") as handle:
            data = handle.read()
        if kind == "eml":
            return [read_email_bytes(data)]
        rfc822, lost = msg_to_email_bytes(data)
        email = read_email_bytes(rfc822)
        email.defects[:0] = lost
        return [email]
    if kind == "mbox":
        box = mailbox.mbox(path, create=False)
        try:
            return [read_email_bytes(box.get_bytes(key)) for key in box.iterkeys()]
        finally:
            box.close()
    raise ValueError(f"not a native email file: {path}")
