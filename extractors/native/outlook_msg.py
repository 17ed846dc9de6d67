"""Outlook .msg files ([MS-OXMSG]), read with extract-msg and handed to the .eml reader as the Internet message
they stand for, so that one reader decodes headers, dates, bodies and attachments for both.

A received message keeps the headers it came with (its transport headers): Message-ID, the Date with the
sender's zone, References and Thread-Index are taken from there as sent. A message that never crossed SMTP (a
draft, a sent item, many exports) has none; its headers are then written from its MAPI properties: sender,
recipients by type, submit time (UTC), Message-ID, In-Reply-To, References, and the conversation index as the
Thread-Index that Outlook would send. Attached files keep their bytes and names; an attached message becomes a
message/rfc822 part, read again the same way.

extract-msg is GPL-3.0 and an optional extra (`pip install 'foia-evidence[msg]'`; `make deps` installs it).
"""

from __future__ import annotations

import base64
import mimetypes
import re
from datetime import timezone
from email import policy
from email.message import EmailMessage
from email.parser import HeaderParser
from email.utils import format_datetime, formataddr

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAPI_STREAM = "__substg1.0_".encode("utf-16-le")  # every .msg names its property streams so
_SENT_HEADERS = ("From", "Sender", "To", "Cc", "Bcc", "Date", "Subject", "Message-ID", "In-Reply-To", "References",
                 "Thread-Index", "Thread-Topic")
_RECIPIENT_HEADERS = {1: "To", 2: "Cc", 3: "Bcc"}


class MsgReadError(ValueError):
    """A .msg file that cannot be read, with a reason fit for `ingest_errors`."""


def is_outlook_message(data: bytes) -> bool:
    """Whether the bytes are an Outlook message rather than a Word, Excel or PowerPoint file: all are compound
    files; only a message names MAPI property streams in its directory."""
    return data.startswith(OLE_MAGIC) and _MAPI_STREAM in data


def _open(data: bytes):
    try:
        import extract_msg  # noqa: PLC0415 - optional: GPL-3.0, installed by `make deps`
    except ImportError:
        raise MsgReadError("reading Outlook .msg files needs the extract-msg package: "
                           "pip install 'foia-evidence[msg]'") from None
    try:
        return extract_msg.openMsg(data, delayAttachments=False)
    except Exception as error:  # noqa: BLE001 - extract-msg raises many kinds for a broken file
        raise MsgReadError(f"not a readable Outlook message: {type(error).__name__}: {error}") from None


def _sent_headers(msg) -> dict[str, str]:
    text = msg.headerText
    if not text:
        return {}
    if text.startswith("Microsoft Mail Internet Headers Version 2.0"):
        text = text[43:].lstrip()
    parsed = HeaderParser(policy=policy.compat32).parsestr(text)
    return {name: re.sub(r"\r?\n(?=[ \t])", "", str(parsed[name])) for name in _SENT_HEADERS if parsed[name]}


def _property_headers(msg) -> dict[str, str]:
    """The headers a message that never crossed SMTP would have been sent with, from its properties."""
    headers: dict[str, str] = {}
    name = msg.getStringStream("__substg1.0_0C1A")
    email = msg.getStringStream("__substg1.0_5D01") or msg.getStringStream("__substg1.0_0C1F")
    if name or email:
        headers["From"] = formataddr((name or "", email or ""))
    for kind, header in _RECIPIENT_HEADERS.items():
        people = [formataddr((person.name or "", person.email or "")) for person in msg.recipients
                  if int(person.type) == kind]
        if people:
            headers[header] = ", ".join(people)
    if msg.date:  # the submit time, in UTC: the sender's zone is not kept, which "-0000" says (RFC 5322)
        headers["Date"] = format_datetime(msg.date.astimezone(timezone.utc).replace(tzinfo=None))
    for header, value in (("Subject", msg.subject), ("Message-ID", msg.messageId),
                          ("In-Reply-To", msg.getStringStream("__substg1.0_1042")),
                          ("References", msg.getStringStream("__substg1.0_1039"))):
        if value:
            headers[header] = value
    index = msg.getStream("__substg1.0_00710102")
    if index:
        headers["Thread-Index"] = base64.b64encode(index).decode("ascii")
    return headers


def _as_email(msg, defects: list[str]) -> EmailMessage:
    message = EmailMessage(policy=policy.default)
    headers = _sent_headers(msg) or _property_headers(msg)
    for header, value in headers.items():
        try:
            message[header] = value
        except (ValueError, TypeError) as error:
            defects.append(f"{header}: {error}")
    body, html = msg.body, msg.htmlBody
    if body:
        message.set_content(body)
    if html:
        html_text = html.decode("utf-8", "replace") if isinstance(html, bytes) else str(html)
        if body:
            message.add_alternative(html_text, subtype="html")
        else:
            message.set_content(html_text, subtype="html")
    for number, attachment in enumerate(msg.attachments, 1):
        name = attachment.longFilename or attachment.shortFilename or f"attachment {number}"
        data = attachment.data
        if isinstance(data, bytes):
            mime = attachment.mimetype or mimetypes.guess_type(name)[0] or "application/octet-stream"
            maintype, _, subtype = mime.partition("/")
            message.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream", filename=name)
        elif hasattr(data, "attachments"):  # an attached message
            message.add_attachment(_as_email(data, defects), filename=attachment.longFilename or None)
        else:
            defects.append(f"attachment {number} ({name}): of a kind extract-msg does not read "
                           f"({type(attachment).__name__})")
    return message


def msg_to_email_bytes(data: bytes) -> tuple[bytes, list[str]]:
    """(the message as RFC 5322 bytes, what could not be carried over) for a .msg file's bytes. Raises
    MsgReadError."""
    msg = _open(data)
    defects: list[str] = []
    try:
        message = _as_email(msg, defects)
    finally:
        msg.close()
    return message.as_bytes(policy=policy.SMTP), defects
