"""`foia reparse`: split messages again from the words already in a database, without re-reading any PDF.

For databases made before messages existed (schema v1) and after the parser improves: OCR is the slow
part and is never repeated.
"""

from __future__ import annotations

from typing import TextIO

import duckdb

from extractors.messages import PageReadings, read_messages
from models import store


def readings_from_database(con: duckdb.DuckDBPyConnection, document_id: str) -> list[PageReadings]:
    readings = []
    for page_number, height, method, layers in store.page_words_by_layer(con, document_id):
        layer = "ocr" if method == "ocr" else "text_layer"
        second = layers.get("ocr") if layer == "text_layer" else None
        readings.append(PageReadings(page_number, height, layers.get(layer, []), layer, second))
    return readings


def reparse_database(con: duckdb.DuckDBPyConnection, out: TextIO, document_ids: list[str] | None = None) -> int:
    """Replace every (or the given) document's messages; returns how many documents failed (those keep the
    messages they had). All replacements land in one transaction."""
    ids = document_ids or store.document_ids(con)
    parsed: dict[str, list] = {}
    for document_id in ids:
        try:
            parsed[document_id] = read_messages(readings_from_database(con, document_id))
        except Exception as error:  # noqa: BLE001 - one document's failure does not stop the others
            name = con.execute("SELECT file_name FROM documents WHERE document_id = ?", [document_id]).fetchone()
            out.write(f"  {name[0] if name else document_id}: messages were not split: "
                      f"{type(error).__name__}: {error}\n")
    store.replace_messages(con, parsed)
    failed = len(ids) - len(parsed)
    out.write(f"Re-parsed {len(parsed)} document(s): {sum(len(found) for found in parsed.values())} message(s)"
              + (f"; {failed} failed and kept their old messages" if failed else "") + ".\n")
    return failed
