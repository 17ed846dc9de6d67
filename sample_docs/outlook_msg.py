"""Writes Outlook .msg files ([MS-OXMSG]) for tests: no tool here saves one, and the corpus has none.

A .msg is a compound file ([MS-CFB], written with extract-msg's OleWriter) whose streams are MAPI properties: a
`__properties_version1.0` stream of fixed-size entries (tag, flags, 8 bytes of value or of size) and one
`__substg1.0_<id><type>` stream for each string or binary value; each recipient and attachment is a storage of
its own with the same layout, and an attached message is a storage of a whole message. What Outlook writes
beside (named properties, RTF bodies) is left out or empty; readers of the format do not need it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import datetime, timezone

STRING, BINARY, INT32, TIME = 0x001F, 0x0102, 0x0003, 0x0040
PROPERTY_FLAGS = 0x6  # readable and writable
RECIPIENT_TYPES = {"to": 1, "cc": 2, "bcc": 3}
ATTACH_BY_VALUE, ATTACH_EMBEDDED_MESSAGE = 1, 5


@dataclass
class MsgAttachment:
    name: str
    data: bytes | None = None  # the file's bytes; None for an attached message
    mime_type: str | None = None
    message: "MsgMessage | None" = None


@dataclass
class MsgMessage:
    subject: str
    sender_name: str
    sender_email: str
    body: str | None
    sent: datetime  # aware
    recipients: list[tuple[str, str, str]] = field(default_factory=list)  # (to | cc | bcc, name, email)
    html_body: str | None = None
    message_id: str | None = None
    in_reply_to: str | None = None
    references: str | None = None
    conversation_index: bytes | None = None  # PidTagConversationIndex: what Thread-Index carries
    transport_headers: str | None = None  # the headers a received message keeps as they came over SMTP
    attachments: list[MsgAttachment] = field(default_factory=list)


def _filetime(when: datetime) -> int:
    return int((when.astimezone(timezone.utc) - datetime(1601, 1, 1, tzinfo=timezone.utc)).total_seconds() * 10**7)


def _properties(values: list[tuple[int, int, object]]) -> tuple[bytes, dict[str, bytes]]:
    """(the property entries, {stream name: bytes}) of (property id, type, value) triples."""
    entries, streams = b"", {}
    for prop_id, kind, value in values:
        tag = (prop_id << 16) | kind
        if kind == STRING:
            data = str(value).encode("utf-16-le")
            streams[f"__substg1.0_{tag:08X}"] = data
            entries += struct.pack("<IIII", tag, PROPERTY_FLAGS, len(data) + 2, 0)
        elif kind == BINARY:
            streams[f"__substg1.0_{tag:08X}"] = bytes(value)
            entries += struct.pack("<IIII", tag, PROPERTY_FLAGS, len(value), 0)
        elif kind == INT32:
            entries += struct.pack("<IIiI", tag, PROPERTY_FLAGS, int(value), 0)
        elif kind == TIME:
            entries += struct.pack("<IIQ", tag, PROPERTY_FLAGS, _filetime(value))
    return entries, streams


def _message_values(message: MsgMessage) -> list[tuple[int, int, object]]:
    values = [(0x001A, STRING, "IPM.Note"), (0x0037, STRING, message.subject), (0x0070, STRING, message.subject),
              (0x0C1A, STRING, message.sender_name), (0x0C1F, STRING, message.sender_email),
              (0x0C1E, STRING, "SMTP"), (0x0042, STRING, message.sender_name),
              (0x0065, STRING, message.sender_email), (0x0039, TIME, message.sent), (0x0E06, TIME, message.sent),
              (0x0E04, STRING, "; ".join(name for kind, name, _ in message.recipients if kind == "to")),
              (0x0E03, STRING, "; ".join(name for kind, name, _ in message.recipients if kind == "cc"))]
    optional = [(0x1000, STRING, message.body), (0x1013, BINARY, message.html_body and message.html_body.encode()),
                (0x1035, STRING, message.message_id), (0x1042, STRING, message.in_reply_to),
                (0x1039, STRING, message.references), (0x0071, BINARY, message.conversation_index),
                (0x007D, STRING, message.transport_headers)]
    return values + [value for value in optional if value[2]]


def _add_message(writer, prefix: list[str], message: MsgMessage, embedded: bool) -> None:
    entries, streams = _properties(_message_values(message))
    counts = struct.pack("<IIII", len(message.recipients), len(message.attachments), len(message.recipients),
                         len(message.attachments))
    header = b"\0" * 8 + counts + (b"" if embedded else b"\0" * 8)
    writer.addEntry(prefix + ["__properties_version1.0"], header + entries)
    for name, data in streams.items():
        writer.addEntry(prefix + [name], data)
    if not embedded:
        writer.addEntry(prefix + ["__nameid_version1.0"], storage=True)
        for stream in ("__substg1.0_00020102", "__substg1.0_00030102", "__substg1.0_00040102"):
            writer.addEntry(prefix + ["__nameid_version1.0", stream], b"")
    for number, (kind, name, email) in enumerate(message.recipients):
        storage = prefix + [f"__recip_version1.0_#{number:08X}"]
        writer.addEntry(storage, storage=True)
        entries, streams = _properties([(0x0C15, INT32, RECIPIENT_TYPES[kind]), (0x3001, STRING, name),
                                        (0x3003, STRING, email), (0x39FE, STRING, email), (0x3002, STRING, "SMTP"),
                                        (0x3000, INT32, number)])
        writer.addEntry(storage + ["__properties_version1.0"], b"\0" * 8 + entries)
        for stream, data in streams.items():
            writer.addEntry(storage + [stream], data)
    for number, attachment in enumerate(message.attachments):
        storage = prefix + [f"__attach_version1.0_#{number:08X}"]
        writer.addEntry(storage, storage=True)
        values = [(0x3707, STRING, attachment.name), (0x3704, STRING, attachment.name[:12]),
                  (0x3001, STRING, attachment.name), (0x0E21, INT32, number)]
        if attachment.message is None:
            values += [(0x3705, INT32, ATTACH_BY_VALUE), (0x3701, BINARY, attachment.data or b"")]
            if attachment.mime_type:
                values.append((0x370E, STRING, attachment.mime_type))
        else:
            values.append((0x3705, INT32, ATTACH_EMBEDDED_MESSAGE))
        entries, streams = _properties(values)
        writer.addEntry(storage + ["__properties_version1.0"], b"\0" * 8 + entries)
        for stream, data in streams.items():
            writer.addEntry(storage + [stream], data)
        if attachment.message is not None:
            inner = storage + ["__substg1.0_3701000D"]
            writer.addEntry(inner, storage=True)
            _add_message(writer, inner, attachment.message, embedded=True)


def write_msg(path: str, message: MsgMessage) -> None:
    from extract_msg import OleWriter  # noqa: PLC0415 - a test-only writer; extract-msg is the optional reader

    writer = OleWriter()
    _add_message(writer, [], message, embedded=False)
    writer.write(path)
