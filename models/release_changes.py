"""What a release brought and what changed between releases, read from the release_items and release_novelty
views (models/schema.py, migration 14): the data behind `foia diff` and the run summary, no presentation."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

KINDS = ("document", "page", "email", "entity", "event", "redaction")
# SQL: where a release_novelty row (as n) is, as the summary cites it: "file.pdf p.2 (BATES-0002)"
_CITATION = "n.file_name || ' p.' || n.page_number || coalesce(' (' || n.bates || ')', '')"
PLURALS = {"document": "documents", "page": "pages", "email": "emails", "entity": "entities", "event": "events",
           "redaction": "redactions"}


def _kind_order(column: str = "kind") -> str:
    """SQL ordering rows by kind in the order of KINDS."""
    return "list_position(['" + "', '".join(KINDS) + f"'], {column})"


@dataclass
class Section:
    """One part of a summary: a heading, a line saying what it is, and a table of plain strings."""
    heading: str
    intro: str
    headers: list[str]
    rows: list[list[str]]
    more: int = 0  # rows left out to keep it short


@dataclass
class ReleaseDiff:
    release_a: str
    release_b: str
    counts: list[tuple[str, int, int, int, int]]  # kind, in A, in B, only in B, only in A
    only_in_b: list[tuple]  # kind, label, detail, file_name, page_number, bates
    only_in_a: list[tuple]
    changed_documents: list[tuple[str, str, str]]  # lineage, document in A, document in B (file names)


class UnknownRelease(ValueError):
    pass


def release_id(con: duckdb.DuckDBPyConnection, name: str) -> int:
    row = con.execute("SELECT release_id FROM releases WHERE name = ?", [name]).fetchone()
    if row is None:
        known = [r[0] for r in con.execute("SELECT name FROM releases ORDER BY release_id").fetchall()]
        raise UnknownRelease(f"no release named {name!r} (releases: {', '.join(known) or 'none'})")
    return row[0]


def _cited(con: duckdb.DuckDBPyConnection, where: str, params: list, limit: int | None) -> list[tuple]:
    return con.execute(
        f"""SELECT i.kind, i.label, i.detail, d.file_name, i.page_number, p.bates
            FROM release_items i LEFT JOIN documents d USING (document_id)
            LEFT JOIN pages p ON p.document_id = i.document_id AND p.page_number = i.page_number
            WHERE {where}
            {'' if limit is None else f'QUALIFY row_number() OVER (PARTITION BY i.kind ORDER BY d.file_name, '
                                      f'i.page_number, i.label) <= {int(limit)}'}
            ORDER BY {_kind_order('i.kind')}, d.file_name, i.page_number, i.label""", params).fetchall()


def diff_releases(con: duckdb.DuckDBPyConnection, name_a: str, name_b: str, limit: int | None = None) -> ReleaseDiff:
    # limit: at most this many items of each kind each way
    """What B holds that A does not and the reverse, item by item (release_items keys: an email by its identity,
    a page or redaction by document lineage and place), and the documents both sent with different content."""
    a, b = release_id(con, name_a), release_id(con, name_b)
    counts = con.execute(
        f"""WITH x AS (SELECT kind, item_key, bool_or(release_id = ?) AS in_a, bool_or(release_id = ?) AS in_b
                      FROM release_items WHERE release_id IN (?, ?) GROUP BY kind, item_key)
           SELECT k.kind, count(x.item_key) FILTER (WHERE in_a), count(x.item_key) FILTER (WHERE in_b),
                  count(x.item_key) FILTER (WHERE in_b AND NOT in_a), count(x.item_key) FILTER (WHERE in_a AND NOT in_b)
           FROM (SELECT unnest(?) AS kind) k LEFT JOIN x USING (kind)
           GROUP BY k.kind ORDER BY {_kind_order()}""", [a, b, a, b, list(KINDS)]).fetchall()
    missing_from = """i.release_id = ? AND NOT EXISTS (SELECT 1 FROM release_items o WHERE o.release_id = ?
                      AND o.kind = i.kind AND o.item_key = i.item_key)"""
    changed = con.execute(
        """SELECT ia.item_key, da.file_name, db.file_name FROM release_items ia
           JOIN release_items ib ON ib.kind = 'document' AND ib.item_key = ia.item_key AND ib.release_id = ?
           JOIN documents da ON da.document_id = ia.document_id JOIN documents db ON db.document_id = ib.document_id
           WHERE ia.kind = 'document' AND ia.release_id = ? AND ia.document_id <> ib.document_id
           ORDER BY ia.item_key""", [b, a]).fetchall()
    return ReleaseDiff(name_a, name_b, counts, _cited(con, missing_from, [b, a], limit),
                       _cited(con, missing_from, [a, b], limit), changed)


@dataclass
class RunSummary:
    release: str
    run_id: int
    status: str
    started_at: object
    counts: list[tuple[str, str, int]]  # kind, change, how many (release_novelty for the release)
    sections: list[Section] = field(default_factory=list)


def _section(con, heading: str, intro: str, headers: list[str], sql: str, params: list, limit: int) -> Section:
    rows = con.execute(sql, params).fetchall()
    return Section(heading, intro, headers,
                   [["" if value is None else str(value) for value in row] for row in rows[:limit]],
                   max(0, len(rows) - limit))


def run_summary(con: duckdb.DuckDBPyConnection, run_id: int, limit: int = 50) -> RunSummary:
    """What a run's release brought (as release_novelty has it once the run is over) and the run's errors."""
    release, rid, status, started = con.execute(
        """SELECT r.name, r.release_id, u.status, u.started_at FROM ingest_runs u JOIN releases r USING (release_id)
           WHERE u.run_id = ?""", [run_id]).fetchone()
    counts = con.execute(
        f"""SELECT kind, change, count(*) FROM release_novelty WHERE release_id = ? GROUP BY kind, change
           ORDER BY {_kind_order()}, change""", [rid]).fetchall()
    sections = [
        _section(con, "New vendors and agencies", "Named in this release and in no earlier one.",
                 ["type", "name", "first named in"],
                 f"""SELECT lower(e.entity_type), n.label, {_CITATION}
                    FROM release_novelty n JOIN entities e ON e.entity_id = n.ref
                    WHERE n.release_id = ? AND n.kind = 'entity' AND e.entity_type IN ('VENDOR', 'AGENCY')
                    ORDER BY e.entity_type DESC, n.label""", [rid], limit),
        _section(con, "New events", "Events no earlier release reports, with the sentence each was read from.",
                 ["date", "type", "status", "vendor", "agency", "evidence", "where"],
                 f"""SELECT strftime(e.date_start, '%Y-%m-%d'), e.event_type, e.status,
                           (SELECT string_agg(DISTINCT p.name, '; ') FROM event_participants p
                            WHERE p.event_id = e.event_id AND p.role = 'vendor'),
                           (SELECT string_agg(DISTINCT p.name, '; ') FROM event_participants p
                            WHERE p.event_id = e.event_id AND p.role = 'agency'),
                           e.sentence, {_CITATION}
                    FROM release_novelty n JOIN events e ON e.event_id = n.ref
                    WHERE n.release_id = ? AND n.kind = 'event'
                    ORDER BY e.date_start NULLS LAST, n.file_name, n.page_number""", [rid], limit),
        _section(con, "Changed documents", "Sent before, and sent again with other content.",
                 ["document", "compared with", "pages added", "pages removed", "redactions added",
                  "redactions lifted"],
                 """SELECT n.file_name, n.previous_release,
                           count(c.item_key) FILTER (WHERE c.kind = 'page' AND c.change = 'added'),
                           count(c.item_key) FILTER (WHERE c.kind = 'page' AND c.change = 'removed'),
                           count(c.item_key) FILTER (WHERE c.kind = 'redaction' AND c.change = 'added'),
                           count(c.item_key) FILTER (WHERE c.kind = 'redaction' AND c.change = 'lifted')
                    FROM release_novelty n
                    LEFT JOIN release_novelty c ON c.release_id = n.release_id AND c.kind IN ('page', 'redaction')
                     AND starts_with(c.item_key, n.item_key || '#')
                    WHERE n.release_id = ? AND n.kind = 'document' AND n.change = 'changed'
                    GROUP BY n.file_name, n.previous_release ORDER BY n.file_name""", [rid], limit),
        _section(con, "Changed redactions", "Redactions added to or lifted from documents sent before.",
                 ["change", "kind", "codes", "where", "compared with"],
                 f"""SELECT n.change, n.label, n.detail, {_CITATION}, n.previous_release
                    FROM release_novelty n WHERE release_id = ? AND kind = 'redaction' AND change IN ('added', 'lifted')
                    ORDER BY file_name, page_number, change""", [rid], limit),
        _section(con, "Errors", "What this run could not read; the rest of the release went on.",
                 ["file", "page", "stage", "reason"],
                 """SELECT source_path, page_number, stage, reason FROM ingest_errors WHERE run_id = ?
                    ORDER BY error_id""", [run_id], limit),
    ]
    return RunSummary(release, run_id, status, started, counts, sections)
