"""Loading records into DuckDB: one transaction per document, so a crash leaves no partial rows."""

from __future__ import annotations

import json
from collections.abc import Iterable

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from models.records import (DocumentRecord, EntityRecord, IngestError, LocatedEvent, LocatedMention, Mention,
                            MessageLine, MessageRecord, PageRecord, PassageRecord, RedactionRecord,
                            ReleaseStatusRecord, SourceFile, StoredBody, StoredDocument, Word, file_name_of)

if TYPE_CHECKING:
    import pyarrow as pa

_PAGE_COLUMNS = ("document_id", "page_number", "width_pt", "height_pt", "rotation", "method", "decision_reason",
                 "ocr_confidence", "char_count", "word_count", "text", "text_layer_chars", "text_layer_text",
                 "image_coverage", "invisible_text_ratio", "second_reading", "second_reading_confidence", "bates")
ANALYSIS_TABLES = ("event_participants", "events", "mentions")


@dataclass
class AnalysisRows:
    """A document's entities, mentions and events, as loaded with it."""

    mentions: list[LocatedMention]
    events: list[LocatedEvent]
    entities: dict[str, EntityRecord]


# Tables keyed by message: cleared through the document's messages before the messages themselves.
MESSAGE_CHILD_TABLES = ("recipients", "attachments", "message_lines")


def message_id_for(document_id: str, ordinal: int) -> str:
    """Stable across re-parses of the same file: the document's SHA-256 and the message's reading order."""
    return f"{document_id}:{ordinal}"


def passage_id_for(document_id: str, ordinal: int) -> str:
    """Stable across re-parses of the same file: the document's SHA-256 and the passage's reading order."""
    return f"{document_id}:p{ordinal}"


def _optional_id(make, document_id: str, ordinal: int | None) -> str | None:
    return None if ordinal is None else make(document_id, ordinal)


def ensure_release(con: duckdb.DuckDBPyConnection, name: str, agency: str | None = None) -> int:
    """The release's id, made if new; an agency given is kept on it (a later run may name one)."""
    row = con.execute("SELECT release_id FROM releases WHERE name = ?", [name]).fetchone()
    if row:
        if agency:
            con.execute("UPDATE releases SET agency = ? WHERE release_id = ?", [agency, row[0]])
        return row[0]
    return con.execute("INSERT INTO releases (name, agency) VALUES (?, ?) RETURNING release_id",
                       [name, agency]).fetchone()[0]


def start_run(con: duckdb.DuckDBPyConnection, release_id: int, inputs: list[str], settings: dict,
              tool_version: str, files_found: int) -> int:
    return con.execute(
        """INSERT INTO ingest_runs (release_id, status, inputs, settings, tool_version, files_found)
           VALUES (?, 'running', ?, ?, ?, ?) RETURNING run_id""",
        [release_id, inputs, json.dumps(settings), tool_version, files_found],
    ).fetchone()[0]


def mark_interrupted_runs(con: duckdb.DuckDBPyConnection) -> int:
    """Runs still marked running were killed (only one process can write the file, and it is this one): say so.
    Their documents are whole, each loaded in one transaction; what they had not loaded the next run loads."""
    return len(con.execute("UPDATE ingest_runs SET status = 'interrupted' WHERE status = 'running' "
                           "RETURNING run_id").fetchall())


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, status: str) -> None:
    """Close a run, counting what it loaded from the tables themselves rather than from memory."""
    con.execute(
        """UPDATE ingest_runs SET finished_at = current_timestamp, status = ?,
               documents_loaded = (SELECT count(*) FROM documents WHERE run_id = ?),
               documents_skipped = files_found - (SELECT count(*) FROM documents WHERE run_id = ?)
                   - (SELECT count(DISTINCT source_path) FROM ingest_errors WHERE run_id = ? AND page_number IS NULL
                      AND source_path NOT IN (SELECT source_path FROM documents WHERE run_id = ?)),
               pages_loaded = (SELECT coalesce(sum(page_count), 0) FROM documents WHERE run_id = ?),
               pages_ocr = (SELECT coalesce(sum(pages_ocr), 0) FROM documents WHERE run_id = ?),
               errors = (SELECT count(*) FROM ingest_errors WHERE run_id = ?)
           WHERE run_id = ?""",
        [status, run_id, run_id, run_id, run_id, run_id, run_id, run_id, run_id],
    )


def record_release_documents(con: duckdb.DuckDBPyConnection, release_id: int, run_id: int | None,
                             sources: Iterable[SourceFile]) -> None:
    """Note that a release sent these files, those loaded before included (a re-sent document is part of the later
    release too, which is how release_novelty sees it again); a file noted already keeps its first note."""
    from models.arrow_schemas import pa  # noqa: PLC0415 - loaded only to write
    sources = list(sources)
    if not sources:
        return
    # One statement for the lot: a row at a time costs about 1 ms, a second on a release of a thousand files.
    rows = pa.table({"release_id": pa.array([release_id] * len(sources), pa.int32()),
                     "document_id": [source.sha256 for source in sources],
                     "run_id": pa.array([run_id] * len(sources), pa.int32()),
                     "source_path": [source.display_path for source in sources]})
    con.register("sent_now", rows)
    try:
        con.execute("INSERT INTO release_documents SELECT * FROM sent_now ON CONFLICT DO NOTHING")
    finally:
        con.unregister("sent_now")


# These lookups take every candidate file of a run (all of a release's files on a re-run) and read the column they
# test in full, matching in Python: binding the 625 ids of a 625-file release as one list parameter cost DuckDB
# 0.05 s a query here (about 75 us an id, growing with the list), reading the whole column of 625 ids 0.5 ms.

def release_lacks_documents(con: duckdb.DuckDBPyConnection, name: str, document_ids: Iterable[str]) -> bool:
    """Whether the release called `name` has not yet been noted as sending one of these documents."""
    ids = set(document_ids)
    if not ids:
        return False
    noted = con.execute("SELECT document_id FROM release_documents JOIN releases USING (release_id) WHERE name = ?",
                        [name]).fetchall()
    return not ids <= {row[0] for row in noted}


def loaded_document_ids(con: duckdb.DuckDBPyConnection, candidates: Iterable[str]) -> set[str]:
    ids = set(candidates)
    if not ids:
        return set()
    return ids & {row[0] for row in con.execute("SELECT document_id FROM documents").fetchall()}


def failed_document_ids(con: duckdb.DuckDBPyConnection, candidates: Iterable[str]) -> dict[str, str]:
    """Files that failed as a whole in an earlier run (and never loaded), with the last reason given."""
    ids = set(candidates)
    if not ids:
        return {}
    rows = con.execute(
        """SELECT document_id, arg_max(reason, error_id) FROM ingest_errors
           WHERE page_number IS NULL AND document_id IS NOT NULL
             AND document_id NOT IN (SELECT document_id FROM documents)
           GROUP BY document_id""").fetchall()
    return {document_id: reason for document_id, reason in rows if document_id in ids}


def documents_with_page_errors(con: duckdb.DuckDBPyConnection, candidates: Iterable[str]) -> set[str]:
    ids = set(candidates)
    if not ids:
        return set()
    rows = con.execute(
        """SELECT DISTINCT e.document_id FROM ingest_errors e JOIN documents d USING (document_id)
           WHERE e.page_number IS NOT NULL AND e.run_id = d.run_id""").fetchall()
    return ids & {row[0] for row in rows}


def record_errors(con: duckdb.DuckDBPyConnection, run_id: int, errors: Iterable[IngestError]) -> None:
    rows = [[run_id, e.display_path, file_name_of(e.display_path), e.document_id,
             e.page_number, e.stage, e.reason] for e in errors]
    if rows:
        con.executemany(
            """INSERT INTO ingest_errors (run_id, source_path, file_name, document_id, page_number, stage, reason)
               VALUES (?, ?, ?, ?, ?, ?, ?)""", rows)


def _words_table(document_id: str, pages: list[PageRecord]) -> pa.Table:
    from models.arrow_schemas import pa, WORD_SCHEMA  # noqa: PLC0415 - loaded only to write
    columns: dict[str, list] = {name: [] for name in WORD_SCHEMA.names}
    for page in pages:
        readings = [(page.layer, page.words)]
        if page.second_reading is not None:
            readings.append(("ocr", page.second_reading.words))
        for layer, words in readings:
            count = len(words)
            columns["document_id"] += [document_id] * count
            columns["page_number"] += [page.page_number] * count
            columns["word_index"] += range(count)
            columns["layer"] += [layer] * count
            for word in words:
                columns["line_number"].append(word.line)
                columns["text"].append(word.text)
                columns["x0"].append(word.x0)
                columns["y0"].append(word.y0)
                columns["x1"].append(word.x1)
                columns["y1"].append(word.y1)
                columns["confidence"].append(word.confidence)
    return pa.table(columns, schema=WORD_SCHEMA)


def _pages_table(document_id: str, pages: list[PageRecord]) -> pa.Table:
    from models.arrow_schemas import pa  # noqa: PLC0415 - loaded only to write
    rows = {name: [] for name in _PAGE_COLUMNS}
    for page in pages:
        values = (document_id, page.page_number, page.width_pt, page.height_pt, page.rotation, page.method,
                  page.decision_reason, page.ocr_confidence, page.char_count, len(page.words), page.text,
                  page.text_layer_chars, page.text_layer_text, page.image_coverage, page.invisible_text_ratio,
                  page.second_reading_reason,
                  page.second_reading.mean_confidence if page.second_reading is not None else None, page.bates)
        for name, value in zip(_PAGE_COLUMNS, values):
            rows[name].append(value)
    return pa.table(rows)


def _insert_table(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    view = f"incoming_{table}"
    con.register(view, rows)
    try:
        names = ", ".join(rows.schema.names)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
    finally:
        con.unregister(view)


def _message_tables(document_id: str, messages: list[MessageRecord]) -> dict[str, pa.Table]:
    from models.arrow_schemas import (ATTACHMENT_SCHEMA, LINE_SCHEMA, MESSAGE_SCHEMA,  # noqa: PLC0415
                                      RECIPIENT_SCHEMA, pa)
    tables = {"messages": [], "recipients": [], "attachments": [], "message_lines": []}
    for message in messages:
        message_id = message_id_for(document_id, message.ordinal)
        sender = message.sender
        first, last = message.lines[0], message.lines[-1]
        tables["messages"].append({
            "message_id": message_id, "document_id": document_id, "ordinal": message.ordinal,
            "parent_message_id": None if message.parent_ordinal is None
            else message_id_for(document_id, message.parent_ordinal),
            "depth": message.depth, "layout": message.layout, "reading": message.reading,
            "page_start": message.page_start, "page_end": message.page_end,
            "word_start": min(first.word_indices, default=None if first.page_number is None else 0),
            "word_end": max(last.word_indices, default=None if last.page_number is None else 0),
            "sender_name": sender.name if sender else None, "sender_email": sender.email if sender else None,
            "sender_email_clean": sender.email_clean if sender else None,
            "sender_raw": sender.raw if sender else None, "sender_redacted": sender.redacted if sender else None,
            "sent_at": message.sent_at, "sent_tz_offset_minutes": message.sent_tz_offset_minutes,
            "sent_raw": message.sent_raw, "sent_flag": message.sent_flag, "subject": message.subject,
            "subject_normalized": message.subject_normalized, "body": message.body,
            # the readings as printed; flows/release_step.py may correct the fields above from the release's
            # address book (models/header_repair.py)
            "sender_name_raw": sender.name if sender else None, "sender_email_raw": sender.email if sender else None,
            "subject_raw": message.subject, "repaired": False,
            "sender_redaction_codes": list(sender.redaction_codes) if sender else None,
            "header_message_id": message.header_message_id, "in_reply_to": message.in_reply_to,
            "header_references": list(message.references) if message.references else None,
            "sent_at_utc": message.sent_at_utc, "header_conversation_id": message.conversation_id})
        positions: dict[str, int] = {}
        for kind, person in message.recipients:
            positions[kind] = positions.get(kind, -1) + 1
            tables["recipients"].append({
                "message_id": message_id, "kind": kind, "position": positions[kind], "name": person.name,
                "email": person.email, "email_clean": person.email_clean, "raw": person.raw,
                "redacted": person.redacted, "name_raw": person.name, "email_raw": person.email, "repaired": False,
                "redaction_codes": list(person.redaction_codes)})
        types = message.attachment_types or ((None, None, None),) * len(message.attachments)
        tables["attachments"] += [{"message_id": message_id, "position": position, "name": name,
                                   "content_type": content_type, "size_bytes": size, "attached_document_id": digest}
                                  for position, (name, (content_type, size, digest))
                                  in enumerate(zip(message.attachments, types))]
        tables["message_lines"] += [{
            "message_id": message_id, "line_number": number, "part": line.part, "page_number": line.page_number,
            "layer": line.layer, "word_indices": list(line.word_indices), "text": line.text,
            "char_start": line.char_start, "char_end": line.char_end}
            for number, line in enumerate(message.lines)]
    schemas = {"messages": MESSAGE_SCHEMA, "recipients": RECIPIENT_SCHEMA, "attachments": ATTACHMENT_SCHEMA,
               "message_lines": LINE_SCHEMA}
    return {name: pa.Table.from_pylist(rows, schema=schemas[name]) for name, rows in tables.items()}


def _passage_tables(document_id: str, passages: list[PassageRecord]) -> dict[str, pa.Table]:
    from models.arrow_schemas import pa, PASSAGE_LINE_SCHEMA, PASSAGE_SCHEMA  # noqa: PLC0415 - loaded only to write
    passage_rows, line_rows = [], []
    for passage in passages:
        passage_id = passage_id_for(document_id, passage.ordinal)
        first, last = passage.lines[0], passage.lines[-1]
        passage_rows.append({
            "passage_id": passage_id, "document_id": document_id, "ordinal": passage.ordinal, "kind": passage.kind,
            "follows_message_id": _optional_id(message_id_for, document_id, passage.follows_ordinal),
            "page_start": passage.page_start, "page_end": passage.page_end,
            "word_start": min(first.word_indices, default=0), "word_end": max(last.word_indices, default=0),
            "text": passage.text})
        cells = passage.cells or [(None, None)] * len(passage.lines)
        line_rows += [{"passage_id": passage_id, "line_number": number, "page_number": line.page_number,
                       "layer": line.layer, "word_indices": list(line.word_indices), "text": line.text,
                       "entry_row": row, "entry_column": column}
                      for number, (line, (row, column)) in enumerate(zip(passage.lines, cells))]
    return {"passages": pa.Table.from_pylist(passage_rows, schema=PASSAGE_SCHEMA),
            "passage_lines": pa.Table.from_pylist(line_rows, schema=PASSAGE_LINE_SCHEMA)}


def _text_tables(document_id: str, messages: list[MessageRecord], passages: list[PassageRecord]
                 ) -> dict[str, pa.Table]:
    """A document's messages and passages, as rows of their tables."""
    return {**_message_tables(document_id, messages), **_passage_tables(document_id, passages)}


def _mention_row(document_id: str, item: LocatedMention) -> dict:
    mention = item.mention
    return {"document_id": document_id, "part": item.part, "entity_id": item.entity_id,
            "message_id": _optional_id(message_id_for, document_id, item.message_ordinal),
            "passage_id": _optional_id(passage_id_for, document_id, item.passage_ordinal),
            "label": mention.label, "text": mention.text, "source": mention.source,
            "start_char": mention.start, "end_char": mention.end, "page_number": item.page_number,
            "layer": item.layer, "word_indices": list(item.word_indices), "date_start": item.date_start,
            "date_end": item.date_end}


def _analysis_tables(document_id: str, analysis: AnalysisRows | None) -> dict[str, pa.Table]:
    from models.arrow_schemas import EVENT_SCHEMA, MENTION_SCHEMA, PARTICIPANT_SCHEMA, pa  # noqa: PLC0415
    mentions, events, participants = [], [], []
    if analysis is not None:
        mentions = [_mention_row(document_id, item) for item in analysis.mentions]
        for number, item in enumerate(analysis.events):
            event, event_id = item.event, f"{document_id}:e{number}"
            events.append({
                "event_id": event_id, "document_id": document_id,
                "message_id": _optional_id(message_id_for, document_id, item.message_ordinal),
                "passage_id": _optional_id(passage_id_for, document_id, item.passage_ordinal),
                "event_type": event.event_type, "trigger": event.trigger, "status": event.status,
                "date_text": event.date_text, "date_start": event.date_start, "date_end": event.date_end,
                "location": event.location, "confidence": event.confidence, "sentence": event.sentence,
                "page_number": item.page_number, "layer": item.layer, "word_indices": list(item.word_indices)})
            participants += [{"event_id": event_id, "role": role, "entity_id": entity_id, "name": name,
                              "found_via": via} for role, entity_id, name, via in item.participants]
    return {"mentions": pa.Table.from_pylist(mentions, schema=MENTION_SCHEMA),
            "events": pa.Table.from_pylist(events, schema=EVENT_SCHEMA),
            "event_participants": pa.Table.from_pylist(participants, schema=PARTICIPANT_SCHEMA)}


def _upsert_entities(con: duckdb.DuckDBPyConnection, entities: dict[str, EntityRecord]) -> None:
    """Entities are shared by documents: add new ones and new aliases, keep what is there."""
    from models.arrow_schemas import pa  # noqa: PLC0415 - loaded only to write
    if not entities:
        return
    rows = pa.Table.from_pylist([{"entity_id": e.entity_id, "entity_type": e.entity_type, "name": e.name,
                                  "source": e.source, "state": e.state} for e in entities.values()],
                                schema=pa.schema([("entity_id", pa.string()), ("entity_type", pa.string()),
                                                  ("name", pa.string()), ("source", pa.string()),
                                                  ("state", pa.string())]))
    aliases = pa.Table.from_pylist([{"entity_id": e.entity_id, "alias": alias} for e in entities.values()
                                    for alias in sorted(e.aliases)],
                                   schema=pa.schema([("entity_id", pa.string()), ("alias", pa.string())]))
    for table, incoming in (("entities", rows), ("entity_aliases", aliases)):
        view = f"incoming_{table}"
        con.register(view, incoming)
        try:
            names = ", ".join(incoming.schema.names)
            con.execute(f"INSERT OR IGNORE INTO {table} ({names}) SELECT DISTINCT {names} FROM {view}")
        finally:
            con.unregister(view)


def _delete_analysis(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> None:
    con.execute("DELETE FROM event_participants WHERE event_id IN "
                "(SELECT event_id FROM events WHERE document_id IN (SELECT unnest(?)))", [document_ids])
    for table in ("events", "mentions"):
        con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT unnest(?))", [document_ids])
    _delete_unnamed_entities(con)


def _delete_unnamed_entities(con: duckdb.DuckDBPyConnection) -> None:
    """An entity no mention or event names any more (its documents were re-read) goes: it comes back, named as the
    new reading names it, if the new reading still finds it. Run where mentions or events were deleted, only: a
    load that deleted nothing leaves no entity unnamed, and this reads every mention."""
    for table in ("entity_aliases", "entities"):
        con.execute(f"""DELETE FROM {table} WHERE entity_id NOT IN (
                            SELECT entity_id FROM mentions WHERE entity_id IS NOT NULL
                            UNION SELECT entity_id FROM event_participants WHERE entity_id IS NOT NULL)""")


def _delete_messages(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> None:
    """The documents' messages and passages, with the rows that hang from them."""
    for table in MESSAGE_CHILD_TABLES:
        con.execute(f"DELETE FROM {table} WHERE message_id IN "
                    "(SELECT message_id FROM messages WHERE document_id IN (SELECT unnest(?)))", [document_ids])
    con.execute("DELETE FROM passage_lines WHERE passage_id IN "
                "(SELECT passage_id FROM passages WHERE document_id IN (SELECT unnest(?)))", [document_ids])
    for table in ("messages", "passages"):
        con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT unnest(?))", [document_ids])


def _insert_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> None:
    """Each table's rows appended to the table of that name, one statement a table (none for no rows)."""
    for name, rows in tables.items():
        if rows.num_rows:
            _insert_table(con, name, rows)


def _concat(parts: list[dict[str, pa.Table]]) -> dict[str, pa.Table]:
    from models.arrow_schemas import pa  # noqa: PLC0415 - loaded only to write
    return {name: pa.concat_tables([part[name] for part in parts]) for name in parts[0]} if parts else {}


def replace_messages(con: duckdb.DuckDBPyConnection, messages: dict[str, list[MessageRecord]],
                     analyses: dict[str, AnalysisRows] | None = None, bates: dict[tuple[str, int], str] | None = None,
                     passages: dict[str, list[PassageRecord]] | None = None) -> None:
    """Re-parse: swap the given documents' messages and passages (and their analysis) for new ones, in one
    transaction."""
    passages = passages or {}
    tables = _concat([_text_tables(document_id, found, passages.get(document_id, []))
                      for document_id, found in messages.items()])
    analyses = analyses or {}
    analysis_tables = _concat([_analysis_tables(document_id, found) for document_id, found in analyses.items()])
    entities = _merged_entities(analyses.values())
    con.execute("BEGIN TRANSACTION")
    try:
        _delete_messages(con, list(messages))
        _delete_analysis(con, list(messages))
        _insert_tables(con, tables)
        _upsert_entities(con, entities)
        _insert_tables(con, analysis_tables)
        if bates:
            con.executemany("UPDATE pages SET bates = ? WHERE document_id = ? AND page_number = ?",
                            [[value, document_id, page] for (document_id, page), value in bates.items()])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _redaction_rows(document_id: str, redactions: list[RedactionRecord]) -> pa.Table:
    from models.arrow_schemas import pa, REDACTION_SCHEMA  # noqa: PLC0415 - loaded only to write
    rows: dict[str, list] = {name: [] for name in _REDACTION_COLUMNS}
    for index, r in enumerate(redactions):
        values = (document_id, r.page_number, index, r.kind, r.source, list(r.codes), r.code_text, r.x0, r.y0, r.x1,
                  r.y1, r.uncovered_chars, r.uncovered_text,
                  _optional_id(message_id_for, document_id, r.message_ordinal),
                  _optional_id(passage_id_for, document_id, r.passage_ordinal), r.field, r.recipient_position)
        for name, value in zip(_REDACTION_COLUMNS, values):
            rows[name].append(value)
    return pa.table(rows, schema=REDACTION_SCHEMA)


_REDACTION_COLUMNS = ("document_id", "page_number", "redaction_index", "kind", "source", "codes", "code_text", "x0",
                      "y0", "x1", "y1", "uncovered_chars", "uncovered_text", "message_id", "passage_id", "field",
                      "recipient_position")


def _insert_redactions(con: duckdb.DuckDBPyConnection, document_id: str, redactions: list[RedactionRecord],
                       release_status: ReleaseStatusRecord | None) -> None:
    for table in ("redactions", "document_release_status"):
        con.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
    if redactions:
        _insert_table(con, "redactions", _redaction_rows(document_id, redactions))
    if release_status is not None:
        con.execute("INSERT INTO document_release_status VALUES (?, ?, ?, ?)",
                    [document_id, release_status.page_number, release_status.decision, list(release_status.codes)])


def replace_redactions(con: duckdb.DuckDBPyConnection,
                       redactions: dict[str, tuple[list[RedactionRecord], ReleaseStatusRecord | None]],
                       agencies: dict[str, str | None] | None = None) -> None:
    """Replace the given documents' redactions, release stamps and releasing agencies, all in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for document_id, (records, status) in redactions.items():
            _insert_redactions(con, document_id, records, status)
        for document_id, agency in (agencies or {}).items():
            con.execute("UPDATE documents SET agency = ? WHERE document_id = ?", [agency, document_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@dataclass
class DocumentRows:
    """One document's rows, as load_documents takes them."""

    document: DocumentRecord
    pages: list[PageRecord]
    errors: list[IngestError]
    messages: list[MessageRecord] | None = None
    analysis: AnalysisRows | None = None
    passages: list[PassageRecord] | None = None
    redactions: list[RedactionRecord] | None = None
    release_status: ReleaseStatusRecord | None = None


_DOCUMENT_COLUMNS = ("document_id", "release_id", "run_id", "file_name", "source_path", "size_bytes",
                     "file_modified_at", "page_count", "pdf_version", "title", "author", "creator", "producer",
                     "pdf_created", "pdf_modified", "pages_ocr", "pages_without_text", "agency", "kind",
                     "parent_document_id", "parent_message_id")


def _document_row(release_id: int, run_id: int, rows: DocumentRows) -> list:
    document, pages, meta = rows.document, rows.pages, rows.document.metadata
    return [document.document_id, release_id, run_id, document.file_name, document.source_path, document.size_bytes,
            document.file_modified_at, document.page_count, document.pdf_version, meta.get("Title"),
            meta.get("Author"), meta.get("Creator"), meta.get("Producer"), meta.get("CreationDate"),
            meta.get("ModDate"), sum(p.method == "ocr" for p in pages), sum(p.method == "none" for p in pages),
            document.agency, document.kind, document.parent_document_id, document.parent_message_id]


def _merged_entities(analyses: Iterable[AnalysisRows | None]) -> dict[str, EntityRecord]:
    """The entities several documents name, each once, with the aliases all of them give it."""
    entities: dict[str, EntityRecord] = {}
    for found in analyses:
        for key, entity in (found.entities if found else {}).items():
            if key in entities:
                entities[key].aliases |= entity.aliases
            else:
                entities[key] = EntityRecord(entity.entity_id, entity.entity_type, entity.name, entity.source,
                                             set(entity.aliases), entity.state)
    return entities


def _delete_documents(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> None:
    _delete_messages(con, document_ids)
    _delete_analysis(con, document_ids)
    for table in ("page_words", "pages", "documents", "redactions", "document_release_status"):
        con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT unnest(?))", [document_ids])


def load_documents(con: duckdb.DuckDBPyConnection, release_id: int, run_id: int, batch: list[DocumentRows]) -> None:
    """Replace the documents' rows in one transaction: all of them land, or none does. One statement a table for
    the whole batch (a statement costs about 2 ms here, and a document touches some 30 tables and deletes); the
    deletes only where a document was loaded before."""
    from models.arrow_schemas import pa  # noqa: PLC0415 - loaded only to write
    if not batch:
        return
    ids = [rows.document.document_id for rows in batch]
    pages = pa.concat_tables([_pages_table(rows.document.document_id, rows.pages) for rows in batch])
    words = pa.concat_tables([_words_table(rows.document.document_id, rows.pages) for rows in batch])
    texts = _concat([_text_tables(rows.document.document_id, rows.messages or [], rows.passages or [])
                     for rows in batch])
    analyses = _concat([_analysis_tables(rows.document.document_id, rows.analysis) for rows in batch])
    redactions = pa.concat_tables([_redaction_rows(rows.document.document_id, rows.redactions or [])
                                   for rows in batch])
    con.execute("BEGIN TRANSACTION")
    try:
        replaced = con.execute("SELECT count(*) FROM documents WHERE document_id IN (SELECT unnest(?))",
                               [ids]).fetchone()[0]
        if replaced:
            _delete_documents(con, ids)
        documents = pa.Table.from_pylist([dict(zip(_DOCUMENT_COLUMNS, _document_row(release_id, run_id, rows)))
                                          for rows in batch])  # (executemany costs about 3 ms a row)
        _insert_tables(con, {"documents": documents, "pages": pages, "page_words": words, "redactions": redactions,
                             **texts})
        _upsert_entities(con, _merged_entities(rows.analysis for rows in batch))
        _insert_tables(con, analyses)
        statuses = [[rows.document.document_id, rows.release_status.page_number, rows.release_status.decision,
                     list(rows.release_status.codes)] for rows in batch if rows.release_status is not None]
        if statuses:
            con.executemany("INSERT INTO document_release_status VALUES (?, ?, ?, ?)", statuses)
        record_errors(con, run_id, [error for rows in batch for error in rows.errors])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def document_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute("SELECT document_id FROM documents ORDER BY file_name").fetchall()]


def page_words_by_layer(con: duckdb.DuckDBPyConnection, document_id: str
                        ) -> list[tuple[int, float, str, dict[str, list[Word]]]]:
    """Each page of a loaded document: (page_number, height_pt, method, {layer: words in index order})."""
    pages = con.execute("SELECT page_number, height_pt, method FROM pages WHERE document_id = ? ORDER BY page_number",
                        [document_id]).fetchall()
    rows = con.execute(
        """SELECT page_number, layer, text, x0, y0, x1, y1, line_number, confidence FROM page_words
           WHERE document_id = ? ORDER BY page_number, layer, word_index""", [document_id]).fetchall()
    words: dict[tuple[int, str], list[Word]] = {}
    for page_number, layer, text, x0, y0, x1, y1, line, confidence in rows:
        words.setdefault((page_number, layer), []).append(Word(text, x0, y0, x1, y1, line, confidence))
    return [(number, height, method, {layer: found for (page, layer), found in words.items() if page == number})
            for number, height, method in pages]


def release_documents(con: duckdb.DuckDBPyConnection, release_id: int) -> list[StoredDocument]:
    """Every loaded document of a release with its message bodies' and passages' lines and mentions (for
    release-wide passes)."""
    documents: dict[str, StoredDocument] = {}
    bodies: dict[str, StoredBody] = {}
    lines = con.execute(
        """SELECT m.document_id, l.message_id, m.ordinal, l.page_number, l.layer, l.word_indices, l.text, false,
                  l.line_number
           FROM message_lines l JOIN messages m USING (message_id) JOIN documents d USING (document_id)
           WHERE d.release_id = ? AND l.part = 'body'
           UNION ALL
           SELECT p.document_id, l.passage_id, p.ordinal, l.page_number, l.layer, l.word_indices, l.text, true,
                  l.line_number
           FROM passage_lines l JOIN passages p USING (passage_id) JOIN documents d USING (document_id)
           WHERE d.release_id = ? AND p.kind <> 'calendar'
           ORDER BY 1, 8, 3, 9""", [release_id, release_id]).fetchall()
    for document_id, text_id, ordinal, page_number, layer, word_indices, text, in_passage, _ in lines:
        document = documents.setdefault(document_id, StoredDocument(document_id, [], [], {}))
        if text_id not in bodies:
            bodies[text_id] = StoredBody(text_id, ordinal, [], [], in_passage)
            document.bodies.append(bodies[text_id])
        bodies[text_id].lines.append(MessageLine("passage" if in_passage else "body", page_number, layer,
                                                 tuple(word_indices), text))
    mentions = con.execute(
        """SELECT mn.document_id, coalesce(mn.message_id, mn.passage_id), mn.part, mn.entity_id, mn.label, mn.text,
                  mn.source, mn.start_char, mn.end_char, e.name
           FROM mentions mn JOIN documents d USING (document_id) LEFT JOIN entities e USING (entity_id)
           WHERE d.release_id = ? AND (mn.part IN ('body', 'passage') OR (mn.part = 'header' AND mn.source = 'header'
                                                                           AND mn.label = 'AGENCY'))
           ORDER BY 1, 2, mn.start_char""", [release_id]).fetchall()
    for document_id, text_id, part, entity_id, label, text, source, start, end, name in mentions:
        document = documents.setdefault(document_id, StoredDocument(document_id, [], [], {}))
        mention = Mention(start, end, text, label, source, name if label == "AGENCY" else None)
        document.entity_of[id(mention)] = entity_id
        if part == "header":
            document.header_codes.append(mention)
        elif text_id in bodies:
            bodies[text_id].mentions.append(mention)
    return list(documents.values())


def replace_body_mentions(con: duckdb.DuckDBPyConnection, removed: list[tuple[str, int, int]],
                          added: list[tuple[str, LocatedMention]], entities: dict[str, EntityRecord]) -> None:
    """Swap body and passage mentions in one transaction: `removed` are (message or passage id, start_char,
    end_char) of mentions a release-wide reading replaces, `added` (document_id, mention) the mentions it reads
    instead."""
    from models.arrow_schemas import pa, MENTION_SCHEMA  # noqa: PLC0415 - loaded only to write
    rows = [_mention_row(document_id, item) for document_id, item in added]
    con.execute("BEGIN TRANSACTION")
    try:
        if removed:
            con.executemany("DELETE FROM mentions WHERE coalesce(message_id, passage_id) = ? AND part IN ('body', "
                            "'passage') AND start_char = ? AND end_char = ? AND label <> 'AGENCY'",
                            [list(key) for key in removed])
            _delete_unnamed_entities(con)
        _upsert_entities(con, entities)
        if rows:
            _insert_table(con, "mentions", pa.Table.from_pylist(rows, schema=MENTION_SCHEMA))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
