"""`foia export messages`: one record per message, for analysts' own tools (jsonl, csv, parquet)."""

from __future__ import annotations

import os

import duckdb

FORMATS = {"jsonl": "(FORMAT json)", "csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet)"}


def _people(kind: str, as_json: bool) -> str:
    people = (f"(SELECT coalesce(list({{'name': r.name, 'email': r.email, 'redacted': r.redacted}} "
              f"ORDER BY r.position), []) FROM recipients r WHERE r.message_id = m.message_id AND r.kind = '{kind}')")
    return f"to_json({people})::VARCHAR AS {kind}" if as_json else f"{people} AS {kind}"


def messages_query(flat: bool, release: str | None) -> tuple[str, list]:
    """The export's SELECT. `flat` (csv) writes the recipient and attachment lists as JSON text."""
    attachments = "(SELECT coalesce(list(a.name ORDER BY a.position), []) FROM attachments a " \
                  "WHERE a.message_id = m.message_id)"
    where, params = ("WHERE rel.name = ?", [release]) if release else ("", [])
    return f"""
        SELECT d.file_name, rel.name AS release, m.message_id, m.document_id, m.ordinal, m.parent_message_id,
               m.depth, m.layout, m.page_start, m.page_end, m.sender_name, m.sender_email, m.sender_redacted,
               m.sent_at, m.sent_tz_offset_minutes, m.sent_raw, m.sent_flag, m.subject, m.subject_normalized,
               {_people('to', flat)}, {_people('cc', flat)}, {_people('bcc', flat)},
               {f"to_json({attachments})::VARCHAR" if flat else attachments} AS attachments, m.body
        FROM messages m JOIN documents d USING (document_id) JOIN releases rel USING (release_id)
        {where}
        ORDER BY d.file_name, m.ordinal""", params


def format_for(path: str, requested: str | None) -> str:
    if requested:
        return requested
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    guessed = {"json": "jsonl", "ndjson": "jsonl"}.get(extension, extension)
    if guessed not in FORMATS:
        raise ValueError(f"cannot tell the format of {path}: give --format jsonl, csv or parquet")
    return guessed


def export_messages(con: duckdb.DuckDBPyConnection, out_path: str, fmt: str, release: str | None = None) -> int:
    """Write the messages to out_path; returns how many were written."""
    if release and not con.execute("SELECT count(*) FROM releases WHERE name = ?", [release]).fetchone()[0]:
        known = ", ".join(row[0] for row in con.execute("SELECT name FROM releases ORDER BY name").fetchall())
        raise ValueError(f"no release named {release!r} in the database (releases: {known or 'none'})")
    query, params = messages_query(flat=fmt == "csv", release=release)
    count = con.execute(f"SELECT count(*) FROM ({query})", params).fetchone()[0]
    quoted = out_path.replace("'", "''")
    con.execute(f"COPY ({query}) TO '{quoted}' {FORMATS[fmt]}", params)
    return count
