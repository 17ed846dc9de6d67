"""`foia check`: is the database whole? Each check is one query that returns the rows that break it, so a
problem is shown with what it is about; none of them writes.

What a database promises: every row belongs to something that exists (no orphans); every message and passage
is printed on pages its document has; every citation (a line, a mention, an event, a redaction) points at a
page that exists and at words that page holds; a document has all its pages; the counts a run recorded are what
the tables hold; an email id and a thread id name a message that exists."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

SAMPLE_ROWS = 5


@dataclass(frozen=True)
class Check:
    name: str
    sql: str  # the offending rows, as (what, detail) pairs


def _orphans(table: str, key: str, parent: str, parent_key: str | None = None, where: str = "TRUE") -> Check:
    return Check(f"every {table}.{key} names a row of {parent}",
                 f"""SELECT '{table}', x.{key} FROM {table} x WHERE x.{key} IS NOT NULL AND {where}
                     AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{parent_key or key} = x.{key})""")


def _words_exist(table: str, what: str, where: str = "TRUE") -> Check:
    """Every word index a citation lists is a word of its page, in its layer."""
    return Check(f"every {table} citation points at words its page holds",
                 f"""SELECT '{table}', {what} || ' page ' || c.page_number || ' word ' || c.word_index
                     FROM (SELECT *, unnest(word_indices) AS word_index FROM {table}
                           WHERE page_number IS NOT NULL AND layer <> 'native' AND {where}) c
                     JOIN (SELECT document_id, page_number, layer, count(*) AS words FROM page_words
                           GROUP BY ALL) w ON w.document_id = c.document_id AND w.page_number = c.page_number
                                          AND w.layer = c.layer
                     WHERE c.word_index < 0 OR c.word_index >= w.words
                     UNION ALL
                     SELECT '{table}', {what} || ' page ' || c.page_number || ' (no words in layer ' || c.layer || ')'
                     FROM {table} c WHERE c.page_number IS NOT NULL AND c.layer <> 'native' AND len(c.word_indices) > 0
                       AND {where} AND NOT EXISTS (SELECT 1 FROM page_words w WHERE w.document_id = c.document_id
                           AND w.page_number = c.page_number AND w.layer = c.layer)""")


CHECKS: tuple[Check, ...] = (
    _orphans("documents", "release_id", "releases"),
    _orphans("documents", "run_id", "ingest_runs"),
    _orphans("documents", "parent_document_id", "documents", "document_id"),
    _orphans("pages", "document_id", "documents"),
    _orphans("page_words", "document_id", "documents"),
    _orphans("messages", "document_id", "documents"),
    _orphans("messages", "parent_message_id", "messages", "message_id"),
    _orphans("messages", "email_id", "messages", "message_id"),
    _orphans("recipients", "message_id", "messages"),
    _orphans("attachments", "message_id", "messages"),
    _orphans("message_lines", "message_id", "messages"),
    _orphans("passages", "document_id", "documents"),
    _orphans("passage_lines", "passage_id", "passages"),
    _orphans("mentions", "document_id", "documents"),
    _orphans("mentions", "message_id", "messages"),
    _orphans("mentions", "passage_id", "passages"),
    _orphans("mentions", "entity_id", "entities"),
    _orphans("entity_aliases", "entity_id", "entities"),
    _orphans("events", "document_id", "documents"),
    _orphans("events", "message_id", "messages"),
    _orphans("events", "passage_id", "passages"),
    _orphans("event_participants", "event_id", "events"),
    _orphans("redactions", "document_id", "documents"),
    _orphans("document_release_status", "document_id", "documents"),
    _orphans("ingest_errors", "run_id", "ingest_runs"),
    _orphans("ingest_runs", "release_id", "releases"),
    Check("every page_words row belongs to a page",
          """SELECT 'page_words', w.document_id || ' page ' || w.page_number FROM
             (SELECT DISTINCT document_id, page_number FROM page_words) w
             WHERE NOT EXISTS (SELECT 1 FROM pages p WHERE p.document_id = w.document_id
                                                       AND p.page_number = w.page_number)"""),
    Check("a document has every page it counts",
          """SELECT 'documents', d.file_name || ': ' || d.page_count || ' pages counted, ' || count(p.page_number)
                    || ' stored'
             FROM documents d LEFT JOIN pages p USING (document_id)
             GROUP BY d.document_id, d.file_name, d.page_count HAVING count(p.page_number) <> d.page_count"""),
    Check("every message and passage is printed on pages its document has",
          """SELECT 'messages', m.message_id || ' pages ' || m.page_start || '-' || m.page_end FROM messages m
             JOIN documents d USING (document_id)
             WHERE m.page_start IS NOT NULL AND (m.page_start < 1 OR m.page_end < m.page_start
                                                 OR m.page_end > d.page_count)
             UNION ALL
             SELECT 'passages', s.passage_id || ' pages ' || s.page_start || '-' || s.page_end FROM passages s
             JOIN documents d USING (document_id)
             WHERE s.page_start < 1 OR s.page_end < s.page_start OR s.page_end > d.page_count"""),
    Check("every citation's page exists",
          """SELECT 'mentions', document_id || ' page ' || page_number FROM mentions x WHERE page_number IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.document_id = x.document_id
                                                       AND p.page_number = x.page_number)
             UNION ALL
             SELECT 'events', event_id || ' page ' || page_number FROM events x WHERE page_number IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM pages p WHERE p.document_id = x.document_id
                                                       AND p.page_number = x.page_number)
             UNION ALL
             SELECT 'redactions', document_id || ' page ' || page_number FROM redactions x
             WHERE NOT EXISTS (SELECT 1 FROM pages p WHERE p.document_id = x.document_id
                                                       AND p.page_number = x.page_number)"""),
    _words_exist("mentions", "c.document_id"),
    _words_exist("events", "c.event_id"),
    Check("every message line points at words its page holds",
          """SELECT 'message_lines', l.message_id || ' line ' || l.line_number FROM
             (SELECT l.*, m.document_id, unnest(l.word_indices) AS word_index FROM message_lines l
              JOIN messages m USING (message_id) WHERE l.layer <> 'native') l
             LEFT JOIN (SELECT document_id, page_number, layer, count(*) AS words FROM page_words GROUP BY ALL) w
               ON w.document_id = l.document_id AND w.page_number = l.page_number AND w.layer = l.layer
             WHERE w.words IS NULL OR l.word_index < 0 OR l.word_index >= w.words"""),
    Check("every passage line points at words its page holds",
          """SELECT 'passage_lines', l.passage_id || ' line ' || l.line_number FROM
             (SELECT l.*, s.document_id, unnest(l.word_indices) AS word_index FROM passage_lines l
              JOIN passages s USING (passage_id)) l
             LEFT JOIN (SELECT document_id, page_number, layer, count(*) AS words FROM page_words GROUP BY ALL) w
               ON w.document_id = l.document_id AND w.page_number = l.page_number AND w.layer = l.layer
             WHERE w.words IS NULL OR l.word_index < 0 OR l.word_index >= w.words"""),
    Check("a finished run's counts are what the tables hold",
          """SELECT 'ingest_runs', 'run ' || r.run_id || ': ' || r.documents_loaded || ' documents recorded, '
                    || count(d.document_id) || ' stored'
             FROM ingest_runs r LEFT JOIN documents d USING (run_id)
             WHERE r.status = 'ok'
             GROUP BY r.run_id, r.documents_loaded HAVING count(d.document_id) > r.documents_loaded"""),
    Check("no row is stored twice (the tables without a primary key, by their natural key)",
          """SELECT 'page_words', document_id || ' page ' || page_number || ' word ' || word_index FROM page_words
             GROUP BY document_id, page_number, layer, word_index HAVING count(*) > 1
             UNION ALL SELECT 'message_lines', message_id || ' line ' || line_number FROM message_lines
             GROUP BY message_id, line_number HAVING count(*) > 1
             UNION ALL SELECT 'passage_lines', passage_id || ' line ' || line_number FROM passage_lines
             GROUP BY passage_id, line_number HAVING count(*) > 1
             UNION ALL SELECT 'recipients', message_id || ' ' || kind || ' ' || position FROM recipients
             GROUP BY message_id, kind, position HAVING count(*) > 1
             UNION ALL SELECT 'redactions', document_id || ' page ' || page_number || ' #' || redaction_index
             FROM redactions GROUP BY document_id, page_number, redaction_index HAVING count(*) > 1"""),
)


@dataclass(frozen=True)
class Problem:
    check: str
    count: int
    examples: list[str]


def check_database(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """Every check that fails, with how many rows break it and a few of them."""
    problems = []
    for check in CHECKS:
        rows = con.execute(f"SELECT count(*) OVER (), * FROM ({check.sql}) LIMIT {SAMPLE_ROWS}").fetchall()
        if rows:
            problems.append(Problem(check.name, rows[0][0], [f"{table}: {detail}" for _, table, detail in rows]))
    return problems
