"""Which messages are one email and which emails one thread, across the whole database (extractors/email/
identity.py decides; this reads the copies and stores `messages.email_id` and `messages.thread_id`)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from extractors.email.identity import MessageCopy, group_copies, thread_emails


@dataclass(frozen=True)
class LinkCounts:
    messages: int
    emails: int
    threads: int


def read_copies(con: duckdb.DuckDBPyConnection) -> list[MessageCopy]:
    people: dict[str, set[str]] = {}
    for message_id, value in con.execute(
            """SELECT message_id, lower(coalesce(email_clean, name)) FROM recipients
               WHERE coalesce(email_clean, name) IS NOT NULL""").fetchall():
        people.setdefault(message_id, set()).add(value)
    rows = con.execute(
        """SELECT message_id, sender_email_clean, lower(sender_name), sent_at, subject_normalized, body, layout, depth,
                  header_message_id, in_reply_to, header_references, parent_message_id, header_conversation_id
           FROM messages ORDER BY message_id""").fetchall()
    copies = []
    for (message_id, address, name, sent, subject, body, layout, depth, header_id, reply_to, references,
         parent, conversation) in rows:
        participants = set(people.get(message_id, ()))
        participants.update(value for value in (address, name) if value)
        copies.append(MessageCopy(
            message_id, address or None, sent, subject, body or "",
            0 if layout == "native" and depth == 0 else (1 if depth == 0 else 2), frozenset(participants),
            header_id, tuple(v for v in [reply_to, *(references or [])] if v), parent, conversation))
    return copies


def link_emails(con: duckdb.DuckDBPyConnection) -> LinkCounts:
    """Store every message's email and thread. One transaction: a failure leaves the links as they were."""
    copies = read_copies(con)
    email_of = group_copies(copies)
    thread_of = thread_emails(copies, email_of)
    rows = pa.Table.from_pylist(
        [{"message_id": key, "email_id": email, "thread_id": thread_of[email]} for key, email in email_of.items()],
        schema=pa.schema([("message_id", pa.string()), ("email_id", pa.string()), ("thread_id", pa.string())]))
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("incoming_links", rows)
        con.execute("""UPDATE messages SET email_id = l.email_id, thread_id = l.thread_id FROM incoming_links l
                       WHERE messages.message_id = l.message_id""")
        con.unregister("incoming_links")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return LinkCounts(len(copies), len(set(email_of.values())), len(set(thread_of.values())))
