"""Loading records into DuckDB: one transaction per document, so a crash leaves no partial rows."""

from __future__ import annotations

import json
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from models.records import DocumentRecord, IngestError, PageRecord, file_name_of

_PAGE_COLUMNS = ("document_id", "page_number", "width_pt", "height_pt", "rotation", "method", "decision_reason",
                 "ocr_confidence", "char_count", "word_count", "text", "text_layer_chars", "text_layer_text",
                 "image_coverage", "invisible_text_ratio")
_WORD_SCHEMA = pa.schema([
    ("document_id", pa.string()), ("page_number", pa.int32()), ("word_index", pa.int32()),
    ("line_number", pa.int32()), ("text", pa.string()), ("x0", pa.float32()), ("y0", pa.float32()),
    ("x1", pa.float32()), ("y1", pa.float32()), ("confidence", pa.float32()),
])


def ensure_release(con: duckdb.DuckDBPyConnection, name: str) -> int:
    row = con.execute("SELECT release_id FROM releases WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    return con.execute("INSERT INTO releases (name) VALUES (?) RETURNING release_id", [name]).fetchone()[0]


def start_run(con: duckdb.DuckDBPyConnection, release_id: int, inputs: list[str], settings: dict,
              tool_version: str, files_found: int) -> int:
    return con.execute(
        """INSERT INTO ingest_runs (release_id, status, inputs, settings, tool_version, files_found)
           VALUES (?, 'running', ?, ?, ?, ?) RETURNING run_id""",
        [release_id, inputs, json.dumps(settings), tool_version, files_found],
    ).fetchone()[0]


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


def loaded_document_ids(con: duckdb.DuckDBPyConnection, candidates: Iterable[str]) -> set[str]:
    ids = list(candidates)
    if not ids:
        return set()
    rows = con.execute("SELECT document_id FROM documents WHERE document_id IN (SELECT unnest(?))", [ids])
    return {row[0] for row in rows.fetchall()}


def failed_document_ids(con: duckdb.DuckDBPyConnection, candidates: Iterable[str]) -> dict[str, str]:
    """Files that failed as a whole in an earlier run (and never loaded), with the last reason given."""
    ids = list(candidates)
    if not ids:
        return {}
    rows = con.execute(
        """SELECT document_id, arg_max(reason, error_id) FROM ingest_errors
           WHERE page_number IS NULL AND document_id IN (SELECT unnest(?))
             AND document_id NOT IN (SELECT document_id FROM documents)
           GROUP BY document_id""", [ids]).fetchall()
    return dict(rows)


def documents_with_page_errors(con: duckdb.DuckDBPyConnection, candidates: Iterable[str]) -> set[str]:
    ids = list(candidates)
    if not ids:
        return set()
    rows = con.execute(
        """SELECT DISTINCT e.document_id FROM ingest_errors e JOIN documents d USING (document_id)
           WHERE e.page_number IS NOT NULL AND e.run_id = d.run_id AND e.document_id IN (SELECT unnest(?))""",
        [ids]).fetchall()
    return {row[0] for row in rows}


def record_errors(con: duckdb.DuckDBPyConnection, run_id: int, errors: Iterable[IngestError]) -> None:
    rows = [[run_id, e.display_path, file_name_of(e.display_path), e.document_id,
             e.page_number, e.stage, e.reason] for e in errors]
    if rows:
        con.executemany(
            """INSERT INTO ingest_errors (run_id, source_path, file_name, document_id, page_number, stage, reason)
               VALUES (?, ?, ?, ?, ?, ?, ?)""", rows)


def _words_table(document_id: str, pages: list[PageRecord]) -> pa.Table:
    columns: dict[str, list] = {name: [] for name in _WORD_SCHEMA.names}
    for page in pages:
        count = len(page.words)
        columns["document_id"] += [document_id] * count
        columns["page_number"] += [page.page_number] * count
        columns["word_index"] += range(count)
        for word in page.words:
            columns["line_number"].append(word.line)
            columns["text"].append(word.text)
            columns["x0"].append(word.x0)
            columns["y0"].append(word.y0)
            columns["x1"].append(word.x1)
            columns["y1"].append(word.y1)
            columns["confidence"].append(word.confidence)
    return pa.table(columns, schema=_WORD_SCHEMA)


def _pages_table(document_id: str, pages: list[PageRecord]) -> pa.Table:
    rows = {name: [] for name in _PAGE_COLUMNS}
    for page in pages:
        values = (document_id, page.page_number, page.width_pt, page.height_pt, page.rotation, page.method,
                  page.decision_reason, page.ocr_confidence, page.char_count, len(page.words), page.text,
                  page.text_layer_chars, page.text_layer_text, page.image_coverage, page.invisible_text_ratio)
        for name, value in zip(_PAGE_COLUMNS, values):
            rows[name].append(value)
    return pa.table(rows)


def _insert_words(con: duckdb.DuckDBPyConnection, words_table: pa.Table) -> None:
    con.register("incoming_words", words_table)
    con.execute(f"INSERT INTO page_words ({', '.join(_WORD_SCHEMA.names)}) "
                f"SELECT {', '.join(_WORD_SCHEMA.names)} FROM incoming_words")


def load_document(con: duckdb.DuckDBPyConnection, release_id: int, run_id: int, document: DocumentRecord,
                  pages: list[PageRecord], errors: list[IngestError]) -> None:
    """Replace the document's rows in one transaction: all of it lands, or none of it does."""
    document_id = document.document_id
    pages_table = _pages_table(document_id, pages)
    words_table = _words_table(document_id, pages)
    meta = document.metadata
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("page_words", "pages", "documents"):
            con.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
        con.execute(
            """INSERT INTO documents (document_id, release_id, run_id, file_name, source_path, size_bytes,
                   file_modified_at, page_count, pdf_version, title, author, creator, producer, pdf_created,
                   pdf_modified, pages_ocr, pages_without_text)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [document_id, release_id, run_id, document.file_name, document.source_path, document.size_bytes,
             document.file_modified_at, document.page_count, document.pdf_version, meta.get("Title"),
             meta.get("Author"), meta.get("Creator"), meta.get("Producer"), meta.get("CreationDate"),
             meta.get("ModDate"), sum(p.method == "ocr" for p in pages), sum(p.method == "none" for p in pages)])
        con.register("incoming_pages", pages_table)
        con.execute(f"INSERT INTO pages ({', '.join(_PAGE_COLUMNS)}) SELECT {', '.join(_PAGE_COLUMNS)} "
                    "FROM incoming_pages")
        _insert_words(con, words_table)
        record_errors(con, run_id, errors)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for view in ("incoming_pages", "incoming_words"):
            try:
                con.unregister(view)
            except Exception:
                pass
