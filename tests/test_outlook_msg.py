"""Outlook .msg files (extractors/native/outlook_msg.py): read through the .eml reader, ingested, attached.

The corpus has no .msg file and no tool here saves one, so the files are written by sample_docs/outlook_msg.py
(MS-OXMSG property streams in a compound file written by extract-msg's own OleWriter). The .msg and .eml
copies of one message must read the same.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

import pytest

from extractors.native.email_file import read_email_bytes, read_native_file
from extractors.native.outlook_msg import MsgReadError, is_outlook_message, msg_to_email_bytes
from tests.conftest import SAMPLE_GAZETTEER, query
from tests.test_native_email import CONVERSATION, REPLY
from tests.test_native_email import THREAD_INDEX as THREAD_INDEX_HEX

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "sample_docs"))
from outlook_msg import MsgAttachment, MsgMessage, write_msg  # noqa: E402

THREAD_INDEX = bytes.fromhex(THREAD_INDEX_HEX)
HEADERS, _, BODY = REPLY.decode("utf-8").partition("\r\n\r\n")
SENT = datetime(2022, 11, 8, 16, 5, tzinfo=timezone(timedelta(hours=-5)))
PEOPLE = [("to", "Reed, Dana (OCTO)", "dana.reed@portdalen.gov"), ("to", "Sam Ito", "sito@quillmark.com"),
          ("cc", "Ren\u00e9e Blanc", "rblanc@portdalen.gov")]
# The reply of test_native_email as a received .msg keeps it: its headers as they came over SMTP
RECEIVED_HEADERS = ("Received: from mail.portdalen.gov by mx.quillmark.com; Tue, 8 Nov 2022 16:05:03 -0500\r\n"
                    + HEADERS + "\r\n\r\n")


def _message(**changes) -> MsgMessage:
    fields = dict(subject="RE: Demo of FaceQuill \u2013 Nov 14", sender_name="Jos\u00e9 Alvarez",
                  sender_email="jose.alvarez@portdalen.gov", body=BODY, sent=SENT, recipients=PEOPLE,
                  message_id="<reply-2@portdalen.gov>", in_reply_to="<invite-1@quillmark.com>",
                  references="<invite-0@quillmark.com> <invite-1@quillmark.com>", conversation_index=THREAD_INDEX)
    return MsgMessage(**{**fields, **changes})


def test_a_received_msg_reads_as_its_eml_copy(tmp_path):
    path = tmp_path / "reply.msg"
    write_msg(str(path), _message(transport_headers=RECEIVED_HEADERS))
    (from_msg,), from_eml = read_native_file(str(path)), read_email_bytes(REPLY)
    for field in ("header_message_id", "in_reply_to", "references", "subject", "sender", "recipients", "date_raw",
                  "sent_local", "tz_offset_minutes", "sent_utc", "conversation_id", "body_source", "defects"):
        assert getattr(from_msg, field) == getattr(from_eml, field), field
    assert from_msg.body.replace("\r\n", "\n") == from_eml.body.replace("\r\n", "\n")
    assert (from_msg.tz_offset_minutes, from_msg.conversation_id) == (-300, CONVERSATION)


def test_a_sent_item_without_transport_headers_is_read_from_its_properties(tmp_path):
    """Drafts, sent items and most exports never crossed SMTP: the headers come from MAPI properties, the time
    is the submit time in UTC with the sender's zone unknown, the HTML body is turned into text."""
    path = tmp_path / "sent.msg"
    write_msg(str(path), _message(body=None, html_body="<p>We will <b>attend</b> the demo.</p><ul><li>3 staff</li>"
                                  "</ul>"))
    (email,) = read_native_file(str(path))
    assert (email.sender.name, email.sender.email) == ("Jos\u00e9 Alvarez", "jose.alvarez@portdalen.gov")
    assert [(kind, a.name, a.email) for kind, a in email.recipients] == PEOPLE
    assert (email.sent_local, email.tz_offset_minutes, email.sent_utc) == (
        datetime(2022, 11, 8, 21, 5), None, datetime(2022, 11, 8, 21, 5))
    assert (email.header_message_id, email.in_reply_to, email.references) == (
        "<reply-2@portdalen.gov>", "<invite-1@quillmark.com>", ["<invite-0@quillmark.com>", "<invite-1@quillmark.com>"])
    assert email.conversation_id == CONVERSATION and email.subject == "RE: Demo of FaceQuill \u2013 Nov 14"
    assert email.body_source == "html" and "We will attend the demo." in email.body and "3 staff" in email.body


def test_an_outlook_message_is_told_from_a_word_file_by_its_bytes(tmp_path):
    path = tmp_path / "m.msg"
    write_msg(str(path), _message())
    assert is_outlook_message(path.read_bytes())
    assert not is_outlook_message(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # a compound file, no MAPI
    with pytest.raises(MsgReadError, match="not a readable Outlook message"):
        msg_to_email_bytes(path.read_bytes()[:1024])


def test_without_extract_msg_the_error_says_what_to_install(tmp_path, monkeypatch):
    path = tmp_path / "m.msg"
    write_msg(str(path), _message())
    monkeypatch.setitem(sys.modules, "extract_msg", None)  # as if the optional package were not installed
    with pytest.raises(MsgReadError, match=r"foia-evidence\[msg\]"):
        read_native_file(str(path))


def test_msg_files_and_their_attachments_are_ingested(ingest, tmp_path):
    """A .msg with a PDF, an attached Outlook message and a file of no kind read; an .eml carrying a .msg as
    "attachment 1"; a broken .msg. Each attached item is a child document; what is not opened, and the broken
    file, are errors that name them; the rest is loaded."""
    from tests.conftest import DEMO_SAMPLE

    with open(DEMO_SAMPLE, "rb") as handle:
        pdf = handle.read()
    folder = tmp_path / "release"
    folder.mkdir()
    inner = MsgMessage("Quote", "Sam Ito", "sito@quillmark.com", "Our quote for the FaceQuill pilot.",
                       datetime(2022, 11, 14, 15, 0, tzinfo=timezone.utc), [("to", "Ops", "ops@portdalen.gov")])
    write_msg(str(folder / "reply.msg"), _message(transport_headers=RECEIVED_HEADERS, attachments=[
        MsgAttachment("invitation.pdf", pdf, "application/pdf"), MsgAttachment("Quote", message=inner),
        MsgAttachment("notes.bin", b"\x00\x01\x02 not a document")]))
    write_msg(str(tmp_path / "forwarded.msg"), _message(subject="Forwarded item", message_id="<fwd@portdalen.gov>",
                                                       body="The item you asked for."))
    carrier = EmailMessage()
    carrier["From"], carrier["To"], carrier["Subject"] = "ops@portdalen.gov", "chief@portdalen.gov", "FW: item"
    carrier["Date"] = "Tue, 15 Nov 2022 08:00:00 -0500"
    carrier.set_content("Attached.")
    carrier.add_attachment((tmp_path / "forwarded.msg").read_bytes(), maintype="application",
                           subtype="octet-stream", filename="attachment 1")
    (folder / "carrier.eml").write_bytes(carrier.as_bytes())
    (folder / "broken.msg").write_bytes((tmp_path / "forwarded.msg").read_bytes()[:2048])
    db = str(tmp_path / "msg.duckdb")
    result = ingest([folder], db, gazetteer_files=[SAMPLE_GAZETTEER])
    assert result.code == 1, result.err
    errors = query(db, "SELECT file_name, stage, reason FROM ingest_errors ORDER BY file_name")
    assert [(name, stage) for name, stage, _ in errors] == [("broken.msg", "load"), ("notes.bin", "attachments")]
    assert "not a readable Outlook message" in errors[0][2] and "not opened" in errors[1][2]
    documents = query(db, """SELECT d.kind, d.file_name, p.file_name FROM documents d
                             LEFT JOIN documents p ON p.document_id = d.parent_document_id ORDER BY 2""")
    assert documents == [("eml", "Quote.eml", "reply.msg"), ("msg", "attachment 1", "carrier.eml"),
                         ("eml", "carrier.eml", None), ("pdf", "invitation.pdf", "reply.msg"),
                         ("msg", "reply.msg", None)]
    top = query(db, """SELECT m.sender_email, m.sent_at, m.sent_at_utc, m.header_message_id, m.header_conversation_id,
                              m.subject FROM messages m JOIN documents d USING (document_id)
                       WHERE d.file_name = 'reply.msg' AND m.depth = 0""")
    assert top == [("jose.alvarez@portdalen.gov", datetime(2022, 11, 8, 16, 5), datetime(2022, 11, 8, 21, 5),
                    "<reply-2@portdalen.gov>", CONVERSATION, "RE: Demo of FaceQuill \u2013 Nov 14")]
    assert query(db, """SELECT count(*) FROM messages m JOIN documents d USING (document_id)
                        WHERE d.file_name = 'reply.msg'""") == [(2,)]  # the quoted message is split out
    assert query(db, "SELECT subject FROM messages WHERE header_message_id = '<fwd@portdalen.gov>'") == [
        ("Forwarded item",)]
    assert query(db, """SELECT count(*) FROM mentions mm JOIN messages m ON m.message_id = mm.message_id
                        JOIN documents d ON d.document_id = m.document_id WHERE d.kind = 'msg'""")[0][0] > 0
