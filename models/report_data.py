"""What the evidence report shows, read from the database as plain records (no HTML here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb

from extractors.report.crops import Box, PageWord


@dataclass
class Overview:
    release: str
    agency: str | None
    documents: int
    pages: int
    pages_ocr: int
    messages: int
    emails: int
    passages: int
    events: int
    entities: int
    redaction_boxes: int
    errors: int


@dataclass
class EvidenceCard:
    event_id: str
    event_type: str
    status: str | None
    date_start: datetime | None
    date_text: str | None
    trigger: str
    sentence: str
    document_id: str
    file_name: str
    source_path: str
    document_kind: str
    page_number: int | None
    bates: str | None
    width_pt: float | None
    height_pt: float | None
    layer: str | None
    subject: str | None
    sender: str | None
    participants: list[tuple[str, str]] = field(default_factory=list)  # (role, name)
    cited: list[Box] = field(default_factory=list)


def _where(release: str | None, alias: str = "d") -> tuple[str, list]:
    if release is None:
        return "TRUE", []
    return f"{alias}.release_id IN (SELECT release_id FROM releases WHERE name = ?)", [release]


def release_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute("SELECT name FROM releases ORDER BY name").fetchall()]


def overviews(con: duckdb.DuckDBPyConnection, release: str | None) -> list[Overview]:
    where, params = _where(release, "r")
    rows = con.execute(
        f"""SELECT r.name, r.agency,
                   (SELECT count(*) FROM documents d WHERE d.release_id = r.release_id),
                   (SELECT coalesce(sum(page_count), 0) FROM documents d WHERE d.release_id = r.release_id),
                   (SELECT coalesce(sum(pages_ocr), 0) FROM documents d WHERE d.release_id = r.release_id),
                   (SELECT count(*) FROM messages m JOIN documents d USING (document_id)
                    WHERE d.release_id = r.release_id),
                   (SELECT count(DISTINCT m.email_id) FROM messages m JOIN documents d USING (document_id)
                    WHERE d.release_id = r.release_id),
                   (SELECT count(*) FROM passages p JOIN documents d USING (document_id)
                    WHERE d.release_id = r.release_id),
                   (SELECT count(*) FROM events e JOIN documents d USING (document_id)
                    WHERE d.release_id = r.release_id),
                   (SELECT count(DISTINCT n.entity_id) FROM mentions n JOIN documents d USING (document_id)
                    WHERE d.release_id = r.release_id),
                   (SELECT count(*) FROM redactions x JOIN documents d USING (document_id)
                    WHERE d.release_id = r.release_id AND x.kind = 'box'),
                   (SELECT count(*) FROM ingest_errors x JOIN ingest_runs u USING (run_id)
                    WHERE u.release_id = r.release_id)
            FROM releases r WHERE {where} ORDER BY r.name""", params).fetchall()
    return [Overview(*row) for row in rows]


def event_months(con: duckdb.DuckDBPyConnection, release: str | None) -> list[tuple[date, str, int]]:
    where, params = _where(release)
    return con.execute(
        f"""SELECT date_trunc('month', e.date_start)::DATE, e.event_type, count(*) FROM events e
            JOIN documents d USING (document_id) WHERE e.date_start IS NOT NULL AND {where}
            GROUP BY ALL ORDER BY 1, 2""", params).fetchall()


@dataclass(frozen=True)
class VendorAgencyPair:
    vendor: str
    agency: str
    event_types: list[str]
    event_ids: list[str]


def vendor_agency_pairs(con: duckdb.DuckDBPyConnection, release: str | None) -> list[VendorAgencyPair]:
    """Every vendor and agency that share an event, with those events, most events first."""
    where, params = _where(release)
    rows = con.execute(
        f"""SELECT v.vendor, v.agency, list(DISTINCT v.event_type ORDER BY v.event_type),
                   list(DISTINCT v.event_id ORDER BY v.event_id) AS ids
            FROM vendor_agency_events v JOIN events e USING (event_id) JOIN documents d ON d.document_id = e.document_id
            WHERE {where} GROUP BY ALL ORDER BY len(ids) DESC, 1, 2""", params).fetchall()
    return [VendorAgencyPair(*row) for row in rows]


def correspondents(con: duckdb.DuckDBPyConnection, release: str | None, limit: int = 25
                   ) -> tuple[list[tuple[str, int]], list[tuple[str, str, int]]]:
    """(the senders of most emails, the sender-recipient pairs of most emails), each email counted once
    however many copies of it were released."""
    where, params = _where(release)
    senders = con.execute(
        f"""SELECT coalesce(m.sender_email, m.sender_name), count(DISTINCT m.email_id) FROM messages m
            JOIN documents d USING (document_id) WHERE coalesce(m.sender_email, m.sender_name) IS NOT NULL
            AND {where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?""", params + [limit]).fetchall()
    pairs = con.execute(
        f"""SELECT coalesce(m.sender_email, m.sender_name), coalesce(r.email_clean, r.email, r.name),
                   count(DISTINCT m.email_id) FROM messages m JOIN documents d USING (document_id)
            JOIN recipients r ON r.message_id = m.message_id
            WHERE coalesce(m.sender_email, m.sender_name) IS NOT NULL
              AND coalesce(r.email_clean, r.email, r.name) IS NOT NULL AND {where}
            GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?""", params + [limit]).fetchall()
    return senders, pairs


def redactions_by_code(con: duckdb.DuckDBPyConnection, release: str | None) -> list[tuple[str, int, int, int]]:
    """(exemption code, boxes, marks without a box, withheld pages), most used first."""
    where, params = ("release = ?", [release]) if release else ("TRUE", [])
    return con.execute(
        f"""SELECT code, sum(boxes)::BIGINT, sum(marks_without_box)::BIGINT, sum(withheld_pages)::BIGINT
            FROM redactions_by_exemption WHERE {where} GROUP BY code
            ORDER BY sum(boxes) + sum(marks_without_box) + sum(withheld_pages) DESC, code""", params).fetchall()


def evidence_cards(con: duckdb.DuckDBPyConnection, release: str | None) -> list[EvidenceCard]:
    """Every event with its citation and the boxes of the words it was read from, in date order."""
    where, params = _where(release)
    rows = con.execute(
        f"""SELECT e.event_id, e.event_type, e.status, e.date_start, e.date_text, e.trigger, e.sentence,
                   d.document_id, d.file_name, d.source_path, d.kind, e.page_number, p.bates, p.width_pt,
                   p.height_pt, e.layer, m.subject, coalesce(m.sender_name, m.sender_email)
            FROM events e JOIN documents d USING (document_id)
            LEFT JOIN pages p ON p.document_id = e.document_id AND p.page_number = e.page_number
            LEFT JOIN messages m ON m.message_id = e.message_id
            WHERE {where} ORDER BY e.date_start NULLS LAST, d.file_name, e.page_number, e.event_id""",
        params).fetchall()
    cards = {row[0]: EvidenceCard(*row) for row in rows}
    for event_id, role, name in con.execute(
            f"""SELECT ep.event_id, ep.role, ep.name FROM event_participants ep JOIN events e USING (event_id)
                JOIN documents d ON d.document_id = e.document_id WHERE {where}
                ORDER BY ep.event_id, ep.role, ep.name""", params).fetchall():
        cards[event_id].participants.append((role, name))
    for event_id, x0, y0, x1, y1 in con.execute(
            f"""SELECT c.event_id, w.x0, w.y0, w.x1, w.y1
                FROM (SELECT e.event_id, e.document_id, e.page_number, e.layer, unnest(e.word_indices) AS word_index
                      FROM events e JOIN documents d USING (document_id) WHERE {where}) c
                JOIN page_words w ON w.document_id = c.document_id AND w.page_number = c.page_number
                 AND w.layer = c.layer AND w.word_index = c.word_index
                ORDER BY c.event_id, w.word_index""", params).fetchall():
        cards[event_id].cited.append(Box(x0, y0, x1, y1))
    return list(cards.values())


def page_words(con: duckdb.DuckDBPyConnection, document_id: str, page_number: int, layer: str) -> list[PageWord]:
    return [PageWord(text, Box(x0, y0, x1, y1)) for text, x0, y0, x1, y1 in con.execute(
        """SELECT text, x0, y0, x1, y1 FROM page_words WHERE document_id = ? AND page_number = ? AND layer = ?
           ORDER BY word_index""", [document_id, page_number, layer]).fetchall()]
