"""One email across its copies, and threads (extractors/email/identity.py, models/email_links.py)."""

from __future__ import annotations

from datetime import datetime

from extractors.email.identity import MessageCopy, group_copies, thread_emails
from tests.conftest import SAMPLE_GAZETTEER, query

BODY = ("Jack, the Board would like to move the quorum provision into the technical amendments bill before the "
        "hearing on the 27th. Can you send the draft language by Friday so Sonia can review it?")


def test_a_native_copy_and_a_printed_one_in_another_zone_and_with_ocr_noise_are_one_email():
    native = MessageCopy("a.eml:0", "kmitchell@dccouncil.us", datetime(2017, 9, 25, 13, 24, 31), "BEGA Legislation",
                         BODY, rank=0)
    printed = MessageCopy("b.pdf:1", None, datetime(2017, 9, 25, 9, 24), "BEGA Legislation",  # sender redacted, EDT
                          BODY.replace("quorum", "quorurn").replace("Board", "B0ard"), rank=1)
    other = MessageCopy("c.pdf:0", None, datetime(2017, 9, 25, 9, 24), "BEGA Legislation",
                        "Thanks, I will call you this afternoon about the budget.", rank=1)
    later = MessageCopy("d.pdf:0", None, datetime(2017, 9, 25, 9, 25), "BEGA Legislation", BODY, rank=1)
    email_of = group_copies([native, printed, other, later])
    assert email_of["a.eml:0"] == email_of["b.pdf:1"] == "a.eml:0"  # the native copy stands for the email
    assert email_of["c.pdf:0"] == "c.pdf:0" and email_of["d.pdf:0"] == "d.pdf:0"


def test_threads_follow_quoting_headers_and_conversations_and_a_forward_stays_in_its_thread():
    first = MessageCopy("m1", "a@x.gov", datetime(2017, 9, 1, 9, 0), "Plan", "first words of the plan",
                        rank=0, header_id="<1@x>")
    reply = MessageCopy("m2", "b@x.gov", datetime(2017, 9, 2, 9, 0), "Plan", "a reply to the plan",
                        rank=0, header_id="<2@x>", replies_to=("<0@x>",))
    sibling = MessageCopy("m3", "c@x.gov", datetime(2017, 9, 3, 9, 0), "Plan", "another reply to the plan",
                          rank=0, header_id="<3@x>", replies_to=("<0@x>",))  # both answer an unreleased <0@x>
    forward = MessageCopy("m4", "d@x.gov", datetime(2017, 9, 4, 9, 0), "FW: Plan", "FYI see below", rank=0)
    quoted = MessageCopy("m4:1", "a@x.gov", datetime(2017, 9, 1, 9, 0), "Plan", "first words of the plan",
                         quoted_by="m4")
    # another client's reply: no In-Reply-To, but the Thread-Index of m3's conversation
    outlook = MessageCopy("m5", "e@y.gov", datetime(2017, 9, 5, 9, 0), "RE: Plan", "agreed", rank=0,
                          header_id="<5@y>", conversation="b4c2")
    tagged = MessageCopy("m3", "c@x.gov", datetime(2017, 9, 3, 9, 0), "Plan", "another reply to the plan",
                         rank=0, header_id="<3@x>", replies_to=("<0@x>",), conversation="b4c2")
    other = MessageCopy("m6", "e@y.gov", datetime(2017, 9, 6, 9, 0), "Budget", "the budget", rank=0,
                        conversation="ffff")
    copies = [first, reply, sibling, forward, quoted]
    email_of = group_copies(copies)
    assert email_of["m4:1"] == "m1"
    threads = thread_emails(copies, email_of)
    assert threads["m2"] == threads["m3"] == "m2" and threads["m1"] == threads["m4"] == "m1"
    assert thread_emails(copies, email_of, use_headers=False)["m3"] == "m3"
    copies = [first, reply, tagged, forward, quoted, outlook, other]
    threads = thread_emails(copies, group_copies(copies))
    assert threads["m5"] == threads["m3"] == threads["m2"] == "m2" and threads["m6"] == "m6"


def _reply(number: int) -> bytes:
    quoted = ("From: Sam Ito <sito@quillmark.com>\r\nSent: Monday, November 7, 2022 9:12 AM\r\n"
              "To: Alvarez, Jose <jose.alvarez@portdalen.gov>\r\nSubject: Demo of FaceQuill\r\n\r\n"
              "Quillmark would like to host your staff for a demo of FaceQuill at our office on November 14.\r\n")
    return (f"From: Person {number} <p{number}@portdalen.gov>\r\nTo: sito@quillmark.com\r\n"
            f"Subject: RE: Demo of FaceQuill\r\nDate: {7 + number:02d} Nov 2022 1{number}:05:00 -0500\r\n"
            f"Message-ID: <reply-{number}@portdalen.gov>\r\nIn-Reply-To: <invite@quillmark.com>\r\n\r\n"
            f"Reply number {number}: count me in for the demo.\r\n\r\n" + quoted).encode()


def test_a_message_quoted_in_five_replies_is_one_email_with_six_occurrences(ingest, tmp_path):
    folder = tmp_path / "thread"
    folder.mkdir()
    (folder / "invite.eml").write_bytes(
        b"From: Sam Ito <sito@quillmark.com>\r\nTo: Alvarez, Jose <jose.alvarez@portdalen.gov>\r\n"
        b"Subject: Demo of FaceQuill\r\nDate: Mon, 07 Nov 2022 14:12:00 +0000\r\nMessage-ID: <invite@quillmark.com>\r\n"
        b"\r\nQuillmark would like to host your staff for a demo of FaceQuill at our office on November 14.\r\n")
    for number in range(1, 6):
        (folder / f"reply{number}.eml").write_bytes(_reply(number))
    db = str(tmp_path / "thread.duckdb")
    result = ingest([folder], db, gazetteer_files=[SAMPLE_GAZETTEER])
    assert result.code == 0, result.stderr
    invite = query(db, """SELECT occurrences, documents, quoted_copies, native_copies FROM emails
                          WHERE subject = 'Demo of FaceQuill'""")
    assert invite == [(6, 6, 5, 6)]
    assert query(db, "SELECT count(*), sum(occurrences) FROM emails") == [(6, 11)]
    assert query(db, "SELECT emails, subject FROM threads") == [(6, "Demo of FaceQuill")]
    demo = query(db, """SELECT copies, len(citations) FROM email_events e JOIN emails USING (email_id)
                        WHERE emails.subject = 'Demo of FaceQuill' AND e.event_type = 'demo'""")
    assert demo and all(copies == cited == 6 for copies, cited in demo)
