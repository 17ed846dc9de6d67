"""Native email (issue 14): the DC release's 195 .eml files ingested by `foia ingest`, each file's top message
set against the standard library's own reading of the file (email.parser, modern policy: the headers as
written, decoded), field by field; then what the messages quoted inside the bodies add.

Fields: sender and To/Cc addresses in order (an entry with no "@" is a name, compared as one; the converter left
some with names alone), the subject (whitespace folded), the sent time in UTC from the Date header's zone,
Message-ID, In-Reply-To and References as given, and the attachments' names. A duplicate file (the same bytes
under two names) is one document, and is scored under each name.
Run: make eval
"""

from __future__ import annotations

import glob
import hashlib
import os
import sys
from collections import Counter
from email import policy
from email.parser import BytesParser

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from eval.email_eval import CORPUS, ingest  # noqa: E402

EML = os.path.join(CORPUS, "dc-bega-2018-03-13", "eml")
FIELDS = ("sender", "to", "cc", "subject", "sent_at_utc", "message_id", "in_reply_to", "references", "attachments")


def _people(header) -> list[str]:
    if header is None:
        return []
    written = " ".join(str(header).split()).replace("\x00", "")
    if "@" not in written:
        return [part.strip() for part in written.split(";") if part.strip()]
    return [a.addr_spec.lower() for a in header.addresses if "@" in a.addr_spec]


def theirs(path: str) -> dict:
    """The standard library's reading of the file."""
    with open(path, "rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    date = message["Date"].datetime if message["Date"] else None
    if date is not None and date.tzinfo is not None:
        date = (date - date.utcoffset()).replace(tzinfo=None)

    def plain(name):
        return " ".join(str(message[name]).split()) if message[name] else None

    return {"sender": _people(message["From"])[:1], "to": _people(message["To"]), "cc": _people(message["Cc"]),
            "subject": plain("Subject"), "sent_at_utc": date, "message_id": plain("Message-ID"),
            "in_reply_to": plain("In-Reply-To"), "references": (plain("References") or "").split(),
            "attachments": sorted(part.get_filename() for part in message.iter_attachments() if part.get_filename()),
            "broken": any(type(d).__name__ == "MissingHeaderBodySeparatorDefect" for d in message.defects)}


def ours(con: duckdb.DuckDBPyConnection, document_id: str) -> dict | None:
    row = con.execute("""SELECT message_id, sender_email, sender_name, subject, sent_at_utc, header_message_id,
                                in_reply_to, header_references FROM messages
                         WHERE document_id = ? AND layout = 'native' ORDER BY ordinal LIMIT 1""",
                      [document_id]).fetchone()
    if row is None:
        return None
    message_id, email, name, subject, utc, header_id, reply_to, references = row
    people = con.execute("SELECT kind, email, name FROM recipients WHERE message_id = ? ORDER BY kind, position",
                         [message_id]).fetchall()
    names = sorted(name for (name,) in con.execute(
        "SELECT name FROM attachments WHERE message_id = ? AND name NOT LIKE 'attachment %'", [message_id]).fetchall())

    def person(address, display):
        return address.lower() if address else display

    return {"sender": [person(email, name)] if (email or name) else [],
            "to": [person(e, n) for k, e, n in people if k == "to"], "cc": [person(e, n) for k, e, n in people
                                                                           if k == "cc"],
            "subject": subject, "sent_at_utc": utc, "message_id": header_id, "in_reply_to": reply_to,
            "references": list(references or []), "attachments": names}


def main() -> None:
    if not os.path.isdir(EML):
        print(f"\n## Native email: skipped, the corpus is not at {EML}")
        return
    paths = sorted(glob.glob(os.path.join(EML, "*.eml")))
    cost = ingest("dc-eml", [EML], [])
    con = duckdb.connect(cost["db"], read_only=True)
    agree, missing, problems = Counter(), [], []
    try:
        for path in paths:
            with open(path, "rb") as handle:
                document_id = hashlib.sha256(handle.read()).hexdigest()
            got, want = ours(con, document_id), theirs(path)
            if got is None:
                missing.append(os.path.basename(path))
                continue
            for field in FIELDS:
                if got[field] == want[field]:
                    agree[field] += 1
                elif len(problems) < 12:
                    why = " (the parser stops reading its headers at an unfolded line and sees no MIME parts; " \
                        "we fold it first)" if want["broken"] else ""
                    problems.append(f"{os.path.basename(path)} {field}: ours {got[field]!r}, the parser's "
                                    f"{want[field]!r}{why}")
        documents, messages, quoted, attachments, errors = con.execute(
            """SELECT (SELECT count(*) FROM documents WHERE kind = 'eml'), (SELECT count(*) FROM messages),
                      (SELECT count(*) FROM messages WHERE layout <> 'native'), (SELECT count(*) FROM attachments),
                      (SELECT count(*) FROM ingest_errors)""").fetchone()
    finally:
        con.close()
    loaded = len(paths) - len(missing)
    print(f"\n## Native email: the {len(paths)} .eml files of the DC release (ingest {cost['ingest_seconds']:.0f} s, "
          f"{cost['errors']} ingest errors)")
    print(f"     loaded: {loaded} of {len(paths)} files ({documents} distinct documents: the rest are the same bytes "
          f"under another name); {errors} ingest errors")
    print(f"     messages: {messages} ({messages - quoted} the files' own, {quoted} split out of the history "
          f"quoted in their bodies); {attachments} attachments listed")
    print("     each file's message against the standard library's reading of it (files agreeing, of "
          f"{loaded}):")
    for field in FIELDS:
        print(f"       {field:<14} {agree[field]:>4} ({agree[field] / loaded:.3f})" if loaded else f"       {field}")
    for problem in problems:
        print(f"       differs: {problem}")
    for name in missing[:5]:
        print(f"       not loaded: {name}")
    print("     not built yet (issue 14): attachments and PDF portfolios as child documents, printed-to-native "
          "links, one row per email across its copies, threads")


if __name__ == "__main__":
    main()
