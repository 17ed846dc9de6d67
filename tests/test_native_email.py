"""Native email files, .eml and .mbox (extractors/native/), read and ingested."""

from __future__ import annotations

import base64
import glob
import os
from datetime import datetime
from email import policy
from email.parser import BytesParser

import duckdb

from extractors.native.email_file import conversation_id, read_email_bytes, read_native_file
from extractors.native.messages import native_records
from tests.conftest import CORPUS, SAMPLE_GAZETTEER, needs_corpus, query

DC_EML = os.path.join(CORPUS, "dc-bega-2018-03-13", "eml")
CONVERSATION = "b4c23cabd5b74eea8ae6b5b89affdf58"
# Outlook's Thread-Index of a first reply: a reserved byte, five of time, the conversation's GUID, one 5-byte child
THREAD_INDEX = "01d32b03994d" + CONVERSATION + "00fdad0680"

REPLY = (
    "From: =?utf-8?q?Jos=C3=A9_Alvarez?= <jose.alvarez@portdalen.gov>\r\n"
    "To: \"Reed, Dana (OCTO)\" <dana.reed@portdalen.gov>, Sam Ito <sito@quillmark.com>\r\n"
    "Cc: =?iso-8859-1?q?Ren=E9e_Blanc?= <rblanc@portdalen.gov>\r\n"
    "Subject: =?utf-8?b?UkU6IERlbW8gb2YgRmFjZVF1aWxsIOKAkyBOb3YgMTQ=?=\r\n"
    "Date: Tue, 08 Nov 2022 16:05:00 -0500\r\n"
    "Message-ID: <reply-2@portdalen.gov>\r\n"
    "In-Reply-To: <invite-1@quillmark.com>\r\n"
    "References: <invite-0@quillmark.com>\r\n <invite-1@quillmark.com>\r\n"
    f"Thread-Index: {base64.b64encode(bytes.fromhex(THREAD_INDEX)).decode()}\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Sam,\r\n\r\nWe will attend the demo on November 14 with three detectives.\r\n\r\nJos\u00e9\r\n\r\n"
    "From: Sam Ito <sito@quillmark.com>\r\n"
    "Sent: Monday, November 7, 2022 9:12 AM\r\n"
    "To: Alvarez, Jose <jose.alvarez@portdalen.gov>\r\n"
    "Subject: Demo of FaceQuill\r\n"
    "\r\n"
    "Quillmark would like to host your staff for a demo of FaceQuill at our office.\r\n"
).encode("utf-8")


def test_headers_are_decoded_and_the_date_kept_with_its_zone():
    email = read_email_bytes(REPLY)
    assert (email.sender.name, email.sender.email) == ("Jos\u00e9 Alvarez", "jose.alvarez@portdalen.gov")
    assert [(kind, a.name, a.email) for kind, a in email.recipients] == [
        ("to", "Reed, Dana (OCTO)", "dana.reed@portdalen.gov"), ("to", "Sam Ito", "sito@quillmark.com"),
        ("cc", "Ren\u00e9e Blanc", "rblanc@portdalen.gov")]
    assert email.subject == "RE: Demo of FaceQuill \u2013 Nov 14"
    assert (email.sent_local, email.tz_offset_minutes, email.sent_utc) == (
        datetime(2022, 11, 8, 16, 5), -300, datetime(2022, 11, 8, 21, 5))
    assert (email.header_message_id, email.in_reply_to, email.references) == (
        "<reply-2@portdalen.gov>", "<invite-1@quillmark.com>", ["<invite-0@quillmark.com>", "<invite-1@quillmark.com>"])
    assert email.body_source == "plain" and email.defects == []


def test_the_quoted_message_is_split_out_and_every_line_points_at_the_body():
    email = read_email_bytes(REPLY)
    top, quoted = native_records(email)
    assert (top.layout, top.reading, top.parent_ordinal, top.depth) == ("native", "native", None, 0)
    assert top.body == "Sam,\nWe will attend the demo on November 14 with three detectives.\nJos\u00e9"
    assert (quoted.layout, quoted.parent_ordinal, quoted.depth) == ("header_block", 0, 1)
    assert (quoted.sender.email, quoted.subject, quoted.sent_at) == (
        "sito@quillmark.com", "Demo of FaceQuill", datetime(2022, 11, 7, 9, 12))
    assert quoted.body.startswith("Quillmark would like to host your staff")
    for line in top.lines + quoted.lines:
        assert line.page_number is None and line.word_indices == ()
        assert email.body[line.char_start:line.char_end] == line.text


def test_the_conversation_is_the_thread_indexs_guid_and_a_broken_index_names_none():
    assert read_email_bytes(REPLY).conversation_id == CONVERSATION
    first = base64.b64encode(bytes.fromhex(THREAD_INDEX[:44])).decode()  # the conversation's first message
    assert conversation_id(first[:20] + "\r\n " + first[20:]) == CONVERSATION  # folded
    assert conversation_id(base64.b64encode(bytes.fromhex(THREAD_INDEX[:50])).decode()) is None  # no whole block
    assert conversation_id("not base64!") is None and conversation_id(None) is None


def test_references_are_read_whatever_separates_them():
    email = read_email_bytes(b"From: a@x.gov\r\nSubject: s\r\nReferences: <1@x.gov>,<2@x.gov>\r\n <3@x.gov>\r\n"
                             b"\r\nbody\r\n")
    assert email.references == ["<1@x.gov>", "<2@x.gov>", "<3@x.gov>"]


def test_a_minus_zero_zone_is_utc_and_an_html_only_body_is_read_as_text():
    email = read_email_bytes(
        b"From: a@example.gov\r\nDate: Fri, 27 Oct 2017 19:14:43 -0000\r\nSubject: x\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><body><p>Training on <b>ALPR</b> at the</p><table><tr><td>County</td><td>Sheriff</td></tr>"
        b"</table></body></html>")
    assert (email.sent_local, email.tz_offset_minutes, email.sent_utc) == (
        datetime(2017, 10, 27, 19, 14, 43), None, datetime(2017, 10, 27, 19, 14, 43))
    assert email.body_source == "html" and "Training on ALPR at the" in email.body and "County" in email.body
    assert "<" not in email.body


def test_files_a_converter_bent_are_mended():
    """DC's .eml files (converted from Outlook .msg): a long header line left unfolded, so Python stops reading
    headers there and takes the body's own Content-Type for body text; base64 padded line by line."""
    unfolded = (b"From: a@example.gov\r\nSubject: bent\r\nX-Long: first part\r\nsecond part not folded\r\n"
                b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                b"We=E2=80=99ll meet at 3.=20\r\n")
    email = read_email_bytes(unfolded)
    assert email.body.strip() == "We\u2019ll meet at 3." and email.defects == []
    padded = (b"From: a@example.gov\r\nSubject: att\r\nMIME-Version: 1.0\r\n"
              b"Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\nsee file\r\n"
              b"--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
              b"Content-Disposition: attachment; filename=\"notes.txt\"\r\n\r\naGVsbG8=\r\nd29ybGQ=\r\n--XX--\r\n")
    (attachment,) = read_email_bytes(padded).attachments
    assert (attachment.name, attachment.data) == ("notes.txt", b"helloworld")
    wrapped = padded.replace(b'Content-Disposition: attachment; filename="notes.txt"',
                             b'Content-Disposition: attachment;fil\r\nename="notes.txt"\r\nMIME-Version: 1.0')
    (attachment,) = read_email_bytes(wrapped).attachments  # a part's header wrapped mid-word, as DC's are
    assert (attachment.name, attachment.data) == ("notes.txt", b"helloworld")


def test_an_mbox_gives_each_of_its_messages(tmp_path):
    path = tmp_path / "box.mbox"
    path.write_bytes(b"From MAILER-DAEMON Tue Nov  8 16:05:00 2022\n" + REPLY.replace(b"\r\n", b"\n") +
                     b"\nFrom MAILER-DAEMON Wed Nov  9 10:00:00 2022\nFrom: b@example.gov\nSubject: second\n"
                     b"Date: Wed, 09 Nov 2022 10:00:00 +0000\n\nA second message.\n")
    emails = read_native_file(str(path))
    assert [e.subject for e in emails] == ["RE: Demo of FaceQuill \u2013 Nov 14", "second"]


def test_native_files_are_ingested_with_their_messages_analysed_and_reparse_reads_them_again(ingest, tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "reply.eml").write_bytes(REPLY)
    (folder / "box.mbox").write_bytes(b"From MAILER-DAEMON Wed Nov  9 10:00:00 2022\nFrom: b@example.gov\n"
                                      b"Subject: second\nDate: Wed, 09 Nov 2022 10:00:00 +0000\n\nA second one.\n")
    db = tmp_path / "native.duckdb"
    result = ingest([folder], db, gazetteer_files=[SAMPLE_GAZETTEER])
    assert result.code == 0, result.stderr
    assert query(str(db), "SELECT kind, page_count FROM documents ORDER BY kind") == [("eml", 0), ("mbox", 0)]
    assert query(str(db), "SELECT count(*) FROM ingest_errors") == [(0,)]
    rows = query(str(db), """SELECT layout, sender_email, sent_at, sent_at_utc, header_message_id, page_start,
                                    parent_message_id IS NULL, header_conversation_id FROM messages ORDER BY sent_at""")
    assert rows == [
        ("header_block", "sito@quillmark.com", datetime(2022, 11, 7, 9, 12), None, None, None, False, None),
        ("native", "jose.alvarez@portdalen.gov", datetime(2022, 11, 8, 16, 5), datetime(2022, 11, 8, 21, 5),
         "<reply-2@portdalen.gov>", None, True, CONVERSATION),
        ("native", "b@example.gov", datetime(2022, 11, 9, 10, 0), datetime(2022, 11, 9, 10, 0), None, None, True,
         None)]
    demo = query(str(db), """SELECT e.event_type, e.page_number, e.layer FROM events e JOIN messages m
                             USING (message_id) WHERE m.layout = 'header_block'""")
    assert ("demo", None, "native") in demo
    spans = query(str(db), """SELECT substr(m.body, n.start_char + 1, n.end_char - n.start_char), n.text
                              FROM mentions n JOIN messages m USING (message_id) WHERE n.part = 'body'""")
    assert spans and all(printed == text for printed, text in spans)

    from flows.cli import main

    before = query(str(db), "SELECT message_id, body FROM messages ORDER BY 1")
    assert main(["reparse", "--db", str(db), "--gazetteer", SAMPLE_GAZETTEER]) == 0
    assert query(str(db), "SELECT message_id, body FROM messages ORDER BY 1") == before
    with duckdb.connect(str(db)) as con:  # a database made before schema 12 has no conversations: reparse reads them
        con.execute("UPDATE messages SET header_conversation_id = NULL")
    assert main(["reparse", "--db", str(db), "--gazetteer", SAMPLE_GAZETTEER]) == 0
    assert query(str(db), "SELECT count(*) FROM messages WHERE header_conversation_id = ?", [CONVERSATION]) == [(1,)]
    os.remove(folder / "reply.eml")  # gone: reparse keeps what the database holds
    assert main(["reparse", "--db", str(db), "--gazetteer", SAMPLE_GAZETTEER]) == 0
    assert query(str(db), "SELECT message_id, body FROM messages ORDER BY 1") == before


@needs_corpus(DC_EML)
def test_every_dc_eml_file_is_read_with_the_headers_pythons_parser_gives():
    paths = sorted(glob.glob(os.path.join(DC_EML, "*.eml")))
    assert len(paths) == 195
    for path in paths:
        with open(path, "rb") as handle:
            reference = BytesParser(policy=policy.default).parse(handle)
        (email,) = read_native_file(path)
        assert email.defects == [], path
        assert email.subject == (" ".join(str(reference["Subject"]).split()) if reference["Subject"] else None)
        for kind, name in (("from", "From"), ("to", "To"), ("cc", "Cc")):
            # an address is what holds "@": "Name <>" (the parser's addr_spec "<>") and an unquoted "Collier,
            # Tameka (BEGA)" (its addr_specs "Collier" and "Tameka") are names with no address, as we read them
            theirs = [a.addr_spec for a in (reference[name].addresses if reference[name] else ()) if "@" in a.addr_spec]
            ours = [a.email for a in ([email.sender] if kind == "from" and email.sender else [])
                    + [a for k, a in email.recipients if k == kind] if a.email]
            assert ours == theirs, (path, name)


def forward_with_attachments(pdf: bytes) -> bytes:
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = "Sam Ito <sito@quillmark.com>", "ops@portdalen.gov", "Quote"
    inner["Date"] = "Mon, 14 Nov 2022 10:00:00 -0500"
    inner.set_content("Our quote for the FaceQuill pilot is attached to the original message.")
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "ops@portdalen.gov", "chief@portdalen.gov", "FW: Quote"
    outer["Date"] = "Tue, 15 Nov 2022 08:00:00 -0500"
    outer.set_content("See the quote and the invitation attached.")
    outer.add_attachment(pdf, maintype="application", subtype="pdf", filename="invitation.pdf")
    outer.add_attachment(inner)
    outer.add_attachment(b"\x89PNG\r\n\x1a\n....", maintype="image", subtype="png", filename="logo.png")
    return outer.as_bytes()


def test_an_emails_pdf_and_email_attachments_are_documents_of_their_own(ingest, tmp_path):
    from tests.conftest import DEMO_SAMPLE

    with open(DEMO_SAMPLE, "rb") as handle:
        pdf = handle.read()
    folder = tmp_path / "attached"
    folder.mkdir()
    (folder / "forward.eml").write_bytes(forward_with_attachments(pdf))
    db = str(tmp_path / "attached.duckdb")
    result = ingest([folder], db, gazetteer_files=[SAMPLE_GAZETTEER])
    assert result.code == 1, result.err  # the logo is a PNG cut short: an error naming it, the rest loaded
    (name, reason), = query(db, "SELECT file_name, reason FROM ingest_errors")
    assert name == "logo.png" and reason.startswith("the image could not be turned into pages")
    documents = query(db, """SELECT d.kind, d.file_name, p.file_name, d.parent_message_id IS NOT NULL, d.page_count
                             FROM documents d LEFT JOIN documents p ON p.document_id = d.parent_document_id
                             ORDER BY d.kind, d.file_name""")
    assert documents == [("eml", "attached message 2.eml", "forward.eml", True, 0),
                         ("eml", "forward.eml", None, False, 0),
                         ("pdf", "invitation.pdf", "forward.eml", True, 2)]
    attachments = query(db, """SELECT a.name, a.content_type, d.kind FROM attachments a
                               LEFT JOIN documents d ON d.document_id = a.attached_document_id ORDER BY a.position""")
    assert attachments == [("invitation.pdf", "application/pdf", "pdf"),
                           ("attached message 2.eml", "message/rfc822", "eml"), ("logo.png", "image/png", None)]
    by_kind = query(db, """SELECT d.kind, list(m.subject ORDER BY m.subject) FROM messages m
                           JOIN documents d USING (document_id) GROUP BY ALL ORDER BY 1""")
    assert by_kind[0] == ("eml", ["FW: Quote", "Quote"]) and by_kind[1][0] == "pdf" and by_kind[1][1]
    assert query(db, "SELECT count(*) FROM pages") == [(2,)]
    assert query(db, "SELECT count(*) FROM ingest_errors") == [(1,)]


@needs_corpus(os.path.join(CORPUS, "dc-bega-2018-03-13", "pdfs"))
def test_the_dc_portfolios_embedded_printout_is_split_into_messages(ingest, tmp_path):
    """Re__Check_in_Redacted.pdf: one page, Adobe's portfolio cover sheet; the printout is the PDF inside it."""
    db = str(tmp_path / "portfolio.duckdb")
    result = ingest([os.path.join(CORPUS, "dc-bega-2018-03-13", "pdfs", "Re__Check_in_Redacted.pdf")], db)
    assert result.code == 0, result.stderr
    rows = query(db, """SELECT d.file_name, count(m.message_id) FROM documents d LEFT JOIN messages m
                        USING (document_id) WHERE d.parent_document_id IS NOT NULL GROUP BY ALL""")
    assert rows == [("Re_ Check in.pdf", 2)]
