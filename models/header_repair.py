"""Apply a release's address book (extractors/email/address_book.py) to its stored messages and recipients.

Every run starts again from the printed readings (`*_raw`), so repairing twice, after more documents of the
release were loaded or after `foia reparse`, gives the same result as repairing once. A corrected field keeps its
reading in `*_raw` and sets `repaired`.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from extractors.email.address_book import (Reading, Spelling, build_address_book, codes_in, corrections,
                                           repair_subject)
from extractors.email.headers import clean_email, normalize_subject


@dataclass(frozen=True)
class RepairCounts:
    spellings: int
    corrected_spellings: int
    fields: int  # sender, recipient and subject fields changed


# A text layer drawn invisibly over a page image is a scanner's OCR, as the page decision reads it.
HIDDEN_LAYER = "p.invisible_text_ratio >= 0.5 AND p.image_coverage >= 0.5"


def _header_confidence(con: duckdb.DuckDBPyConnection, release_id: int) -> dict[str, tuple[float | None, bool]]:
    """message_id -> (mean Tesseract confidence of the words its header was read from, where known; whether they
    were read by OCR, ours or a scanner's hidden layer)."""
    rows = con.execute(
        f"""WITH header_words AS (
               SELECT ml.message_id, m.document_id, ml.page_number, ml.layer, unnest(ml.word_indices) AS word_index
               FROM message_lines ml JOIN messages m USING (message_id) JOIN documents d USING (document_id)
               WHERE ml.part = 'header' AND d.release_id = ?)
           SELECT h.message_id, avg(w.confidence),
                  bool_or(h.layer = 'ocr' OR coalesce({HIDDEN_LAYER}, false))
           FROM header_words h
           JOIN page_words w ON w.document_id = h.document_id AND w.page_number = h.page_number
                            AND w.word_index = h.word_index AND w.layer = h.layer
           JOIN pages p ON p.document_id = h.document_id AND p.page_number = h.page_number
           GROUP BY h.message_id""", [release_id]).fetchall()
    return {message_id: (confidence, ocr) for message_id, confidence, ocr in rows}


def repair_release_headers(con: duckdb.DuckDBPyConnection, release_id: int) -> RepairCounts:
    """Build the release's address book from its printed readings, store it, and correct what it supports. One
    transaction: a failure leaves the release as it was."""
    confidence = _header_confidence(con, release_id)
    messages = con.execute(
        """SELECT m.message_id, m.sender_name_raw, m.sender_email_raw, m.subject_raw FROM messages m
           JOIN documents d USING (document_id) WHERE d.release_id = ?""", [release_id]).fetchall()
    recipients = con.execute(
        """SELECT r.message_id, r.kind, r.position, r.name_raw, r.email_raw FROM recipients r
           JOIN messages m USING (message_id) JOIN documents d USING (document_id)
           WHERE d.release_id = ? AND NOT r.redacted""", [release_id]).fetchall()
    # a native email's text is the file's, never a misreading: its spellings count, none is corrected
    native = {row[0] for row in con.execute(
        """SELECT m.message_id FROM messages m JOIN documents d USING (document_id)
           WHERE d.release_id = ? AND m.reading = 'native'""", [release_id]).fetchall()}
    readings = []
    for message_id, name, address, subject in messages:
        how = confidence.get(message_id, (None, False))
        readings += _person_readings(name, address, how)
        readings += [Reading("code", code, *how) for code in codes_in(subject)]
    for message_id, _, _, name, address in recipients:
        readings += _person_readings(name, address, confidence.get(message_id, (None, False)))
    book = build_address_book(readings)
    fixes = corrections(book)
    message_rows, recipient_rows = [], []
    for message_id, name, address, subject in messages:
        new_name, new_address = _fixed_person(name, address, {} if message_id in native else fixes)
        new_subject = subject if message_id in native else repair_subject(subject, fixes)
        repaired = (new_name, new_address, new_subject) != (name, address, subject)
        message_rows.append((message_id, new_name, new_address, clean_email(new_address) if new_address else None,
                             new_subject, normalize_subject(new_subject), repaired))
    for message_id, kind, position, name, address in recipients:
        new_name, new_address = _fixed_person(name, address, {} if message_id in native else fixes)
        repaired = (new_name, new_address) != (name, address)
        recipient_rows.append((message_id, kind, position, new_name, new_address,
                               clean_email(new_address) if new_address else None, repaired))
    con.execute("BEGIN TRANSACTION")
    try:
        _store(con, release_id, book, message_rows, recipient_rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    changed = sum(row[-1] for row in message_rows) + sum(row[-1] for row in recipient_rows)
    return RepairCounts(len(book), len(fixes), changed)


def _person_readings(name: str | None, address: str | None, how: tuple[float | None, bool]) -> list[Reading]:
    out = [Reading("name", name, *how)] if name else []
    if address and "@" in address:
        out.append(Reading("address", clean_email(address), *how))
    return out


def _fixed_person(name: str | None, address: str | None, fixes: dict[tuple[str, str], str]) \
        -> tuple[str | None, str | None]:
    new_name = fixes.get(("name", name.strip()), name) if name else name
    new_address = address
    if address and "@" in address:
        fixed = fixes.get(("address", clean_email(address)))
        new_address = fixed if fixed else address
    return new_name, new_address


_MESSAGE_COLUMNS = ("message_id", "sender_name", "sender_email", "sender_email_clean", "subject",
                    "subject_normalized", "repaired")
_RECIPIENT_COLUMNS = ("message_id", "kind", "position", "name", "email", "email_clean", "repaired")
_BOOK_COLUMNS = ("release_id", "kind", "spelling", "readings", "mean_confidence", "corrected_to")


_TYPES = {"position": pa.int32(), "release_id": pa.int32(), "readings": pa.int32(), "mean_confidence": pa.float64(),
          "repaired": pa.bool_()}


def _table(columns: tuple[str, ...], rows: list[tuple]) -> pa.Table:
    return pa.table({name: pa.array([row[i] for row in rows], type=_TYPES.get(name, pa.string()))
                     for i, name in enumerate(columns)})


def _store(con: duckdb.DuckDBPyConnection, release_id: int, book: list[Spelling], message_rows: list[tuple],
           recipient_rows: list[tuple]) -> None:
    """Arrow tables rather than executemany: a release holds tens of thousands of recipients."""
    con.execute("DELETE FROM address_book WHERE release_id = ?", [release_id])
    if book:
        rows = [(release_id, s.kind, s.text, s.count, s.mean_confidence, s.corrected_to) for s in book]
        con.register("incoming_book", _table(_BOOK_COLUMNS, rows))
        con.execute(f"INSERT INTO address_book ({', '.join(_BOOK_COLUMNS)}) SELECT * FROM incoming_book")
        con.unregister("incoming_book")
    if message_rows:
        con.register("repaired_messages", _table(_MESSAGE_COLUMNS, message_rows))
        con.execute("""UPDATE messages SET sender_name = r.sender_name, sender_email = r.sender_email,
                              sender_email_clean = r.sender_email_clean, subject = r.subject,
                              subject_normalized = r.subject_normalized, repaired = r.repaired
                       FROM repaired_messages r WHERE messages.message_id = r.message_id""")
        con.unregister("repaired_messages")
    if recipient_rows:
        con.register("repaired_recipients", _table(_RECIPIENT_COLUMNS, recipient_rows))
        con.execute("""UPDATE recipients SET name = r.name, email = r.email, email_clean = r.email_clean,
                              repaired = r.repaired
                       FROM repaired_recipients r WHERE recipients.message_id = r.message_id
                            AND recipients.kind = r.kind AND recipients.position = r.position""")
        con.unregister("repaired_recipients")
