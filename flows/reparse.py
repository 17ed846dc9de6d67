"""`foia reparse`: split messages and passages, extract entities and events, and read redaction codes and release
stamps again from the words already in a database, without re-reading any PDF.

For databases made by an older version and after the parser or the gazetteers change: OCR is the slow part and
is never repeated.
"""

from __future__ import annotations

import os
from typing import TextIO

import duckdb


from extractors.email.messages import DocumentText, PageReadings, read_document
from extractors.native.email_file import NATIVE_EXTENSIONS, read_native_file
from extractors.native.messages import native_document
from extractors.pages.sources import sha256_file
from extractors.pages.furniture import find_bates
from flows.analysis_step import analyze_text
from flows.release_step import (link_emails_everywhere, read_acronyms_across_releases,
                                repair_headers_across_releases)
from flows.search import refresh_index_after_run
from extractors.redactions.boxes import Box
from extractors.redactions.codes import releasing_agency
from extractors.redactions.links import link_redactions, words_by_layer
from extractors.redactions.page_redactions import document_release_status, page_redactions
from models import store
from models.records import RedactionRecord, ReleaseStatusRecord
from models.settings import IngestSettings


def readings_from_database(con: duckdb.DuckDBPyConnection, document_id: str) -> list[PageReadings]:
    readings = []
    for page_number, height, method, layers in store.page_words_by_layer(con, document_id):
        layer = "ocr" if method == "ocr" else "text_layer"
        second = layers.get("ocr") if layer == "text_layer" else None
        readings.append(PageReadings(page_number, height, layers.get(layer, []), layer, second))
    return readings


def redactions_from_database(con: duckdb.DuckDBPyConnection, document_id: str, readings: list[PageReadings]
                             ) -> tuple[list[RedactionRecord], ReleaseStatusRecord | None]:
    """The document's redactions read again from its stored words: codes, withheld-page notices and the release
    stamp anew, around the boxes ingest found (a box needs the PDF or the page image, which reparse never reads:
    they and what lay under them are kept as stored)."""
    stored: dict[int, list[tuple]] = {}
    for row in con.execute("""SELECT page_number, x0, y0, x1, y1, source, uncovered_chars, uncovered_text
                              FROM redactions WHERE document_id = ? AND kind = 'box'
                              ORDER BY redaction_index""", [document_id]).fetchall():
        stored.setdefault(row[0], []).append(row[1:])
    records: list[RedactionRecord] = []
    for page in readings:
        rows = stored.get(page.page_number, [])
        boxes = [Box(x0, y0, x1, y1, "stored", source) for x0, y0, x1, y1, source, _, _ in rows]
        found = page_redactions(page.page_number, boxes, page.words, look_under=False)
        for record, (_, _, _, _, _, chars, text) in zip(found, rows):  # boxes come first, in the order given
            record.uncovered_chars, record.uncovered_text = chars, text
        records += found
    return records, document_release_status([(page.page_number, page.words) for page in readings])


def native_messages_again(source_path: str, document_id: str) -> list | None:
    """A native email file's messages read again from the file it was ingested from, or None when the file is
    gone or changed (its SHA-256 is the document's identity): a native file's words are not stored as a page's."""
    if not os.path.isfile(source_path) or sha256_file(source_path) != document_id:
        return None
    return native_document(read_native_file(source_path))


def reparse_database(con: duckdb.DuckDBPyConnection, out: TextIO, settings: IngestSettings | None = None,
                     document_ids: list[str] | None = None) -> int:
    """Replace every (or the given) document's messages, passages, entities and events; returns how many
    documents failed (those keep what they had). All replacements land in one transaction."""
    settings = settings or IngestSettings()
    ids = document_ids or store.document_ids(con)
    parsed: dict[str, list] = {}
    passages: dict[str, list] = {}
    analyses: dict[str, store.AnalysisRows] = {}
    bates: dict[tuple[str, int], str] = {}
    redactions: dict[str, tuple[list[RedactionRecord], ReleaseStatusRecord | None]] = {}
    agencies: dict[str, str | None] = {}
    native = dict(con.execute("SELECT document_id, source_path FROM documents WHERE list_contains(?, kind)",
                              [sorted(set(NATIVE_EXTENSIONS.values()))]).fetchall())
    kept: list[str] = []
    for document_id in ids:
        try:
            if document_id in native:
                messages = native_messages_again(native[document_id], document_id)
                if messages is None:
                    kept.append(native[document_id])
                    continue
                readings, text = [], DocumentText(messages, [])
            else:
                readings = readings_from_database(con, document_id)
                text = read_document(readings)
            analysis = analyze_text(settings, text.messages, text.passages)
        except Exception as error:  # noqa: BLE001 - one document's failure does not stop the others
            name = con.execute("SELECT file_name FROM documents WHERE document_id = ?", [document_id]).fetchone()
            out.write(f"  {name[0] if name else document_id}: not re-parsed: {type(error).__name__}: {error}\n")
            continue
        parsed[document_id], passages[document_id], analyses[document_id] = text.messages, text.passages, analysis
        redactions[document_id] = redactions_from_database(con, document_id, readings)
        link_redactions(redactions[document_id][0], words_by_layer(readings), text.messages, text.passages)
        agencies[document_id] = releasing_agency(row[0] for row in con.execute(
            "SELECT text FROM pages WHERE document_id = ? ORDER BY page_number", [document_id]).fetchall())
        for page in readings:
            number = find_bates(page.words, page.height_pt)
            if number:
                bates[(document_id, page.page_number)] = number
    store.replace_messages(con, parsed, analyses, bates, passages)
    store.replace_redactions(con, redactions, agencies)
    if parsed:
        releases = con.execute("SELECT DISTINCT release_id FROM documents WHERE document_id IN (SELECT unnest(?)) "
                               "ORDER BY 1", [list(parsed)]).fetchall()
        read_acronyms_across_releases(con, [row[0] for row in releases], out)
        repair_headers_across_releases(con, [row[0] for row in releases], out)
        link_emails_everywhere(con, out)
    refresh_index_after_run(con, out)
    failed = len(ids) - len(parsed) - len(kept)
    events = sum(len(found.events) for found in analyses.values())
    if kept:
        out.write(f"  {len(kept)} native email file(s) kept as they were: reparse reads a native file again from "
                  f"where it was ingested, and it is no longer there unchanged ({kept[0]}"
                  + (", ..." if len(kept) > 1 else "") + ").\n")
    out.write(f"Re-parsed {len(parsed)} document(s): {sum(len(found) for found in parsed.values())} message(s), "
              f"{sum(len(found) for found in passages.values())} passage(s), {events} event(s)"
              + (f"; {failed} failed and kept what they had" if failed else "") + ".\n")
    return failed
