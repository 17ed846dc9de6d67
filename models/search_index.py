"""Full-text search over a database: the `search_units` table (one row per message, passage, and page whose
document was never split) and DuckDB's fts index over its subject and body, ranked by BM25.

The fts index is a snapshot (DuckDB does not update it when its table changes), so `refresh_search_index`
rebuilds the table and the index whole, in one transaction, after every ingest and reparse: about 0.25 s for
the State or DC set (500 to 900 units), 2.5 s for 5,000 messages, next to an ingest's minutes. The extension
comes from the pinned `duckdb-extension-fts` package, never from the network (`INSTALL fts` would download it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from importlib.resources import files

import duckdb

TABLE = "search_units"
FTS_SCHEMA = f"fts_main_{TABLE}"
STEMMER = "porter"
IGNORE = "[^a-z0-9]+"  # after lower-casing and stripping accents: letters and digits are words, the rest splits
MARKS = ("«", "»")  # around each matched word or phrase in a snippet
SNIPPET_CHARS = 200
SNIPPET_LEAD = 60  # characters shown before the first match

UNITS_SQL = f"""
CREATE OR REPLACE TABLE {TABLE} AS
WITH located AS (
    SELECT m.message_id AS unit_id, 'message' AS kind, m.message_id, NULL::VARCHAR AS passage_id, m.document_id,
           m.page_start AS page_number, m.subject, m.body
    FROM messages m
    UNION ALL
    SELECT s.passage_id, 'passage', NULL, s.passage_id, s.document_id, s.page_start, NULL, s.text
    FROM passages s
    UNION ALL
    -- A document whose splitting failed (or that no reparse has split yet) keeps its pages' text searchable.
    SELECT p.document_id || ':page' || p.page_number, 'page', NULL, NULL, p.document_id, p.page_number, NULL, p.text
    FROM pages p
    WHERE trim(p.text) <> ''
      AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.document_id = p.document_id)
      AND NOT EXISTS (SELECT 1 FROM passages s WHERE s.document_id = p.document_id)
)
SELECT u.unit_id, u.kind, u.message_id, u.passage_id, u.document_id, d.file_name, r.name AS release, u.page_number,
       p.bates, u.subject, u.body
FROM located u
JOIN documents d USING (document_id)
JOIN releases r USING (release_id)
LEFT JOIN pages p ON p.document_id = u.document_id AND p.page_number = u.page_number
ORDER BY d.file_name, u.document_id, u.page_number NULLS FIRST, u.kind, u.unit_id
"""

INDEX_SQL = (f"PRAGMA create_fts_index('{TABLE}', 'unit_id', 'subject', 'body', overwrite=1, stemmer='{STEMMER}', "
             f"stopwords='english', ignore='{IGNORE}', strip_accents=1, lower=1)")


class SearchError(ValueError):
    """A search that cannot be run as asked: the message says what to do instead."""


@dataclass(frozen=True)
class SearchHit:
    kind: str  # message, passage or page
    unit_id: str
    message_id: str | None
    passage_id: str | None
    document_id: str
    file_name: str
    release: str
    page_number: int | None  # the first page it is printed on; None for a native email's messages
    bates: str | None
    score: float
    subject: str | None
    snippet: str  # about SNIPPET_CHARS of the body around its first match, matches between MARKS


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...] = ()  # anywhere, optional: they rank
    phrases: tuple[str, ...] = ()  # anywhere, required, as written
    subject_words: tuple[str, ...] = ()  # in the subject, required (stemmed)
    subject_phrases: tuple[str, ...] = ()  # in the subject, required, as written


def load_fts(con: duckdb.DuckDBPyConnection, install: bool = True) -> None:
    """Load the fts extension offline: installed once from the pip package into DuckDB's extension folder
    (~/.duckdb/extensions), or, where that folder cannot be written or `install` is False (a reader that must
    write nothing), loaded straight from the package."""
    try:
        con.execute("LOAD fts")
        return
    except duckdb.Error:
        pass
    import duckdb_extension_fts  # noqa: PLC0415 - only on a machine where the extension is not installed yet
    import duckdb_extensions  # noqa: PLC0415

    try:
        if not install:
            raise OSError("not installing")
        duckdb_extensions.import_extension("fts", con=con)
        con.execute("LOAD fts")
    except (duckdb.Error, OSError):
        version = con.execute("PRAGMA version").fetchone()[0]
        path = files(duckdb_extension_fts) / "extensions" / version / "fts.duckdb_extension"
        if not path.is_file():
            raise RuntimeError(f"no fts extension for DuckDB {version} in the duckdb-extension-fts package: "
                               "install the duckdb-extension-fts version that matches duckdb") from None
        con.execute(f"LOAD '{str(path).replace(chr(39), chr(39) * 2)}'")


def refresh_search_index(con: duckdb.DuckDBPyConnection) -> int:
    """Rebuild `search_units` and its fts index from the messages, passages and pages; returns the row count.
    Runs in its own transaction, so a failure leaves the previous index as it was."""
    load_fts(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(UNITS_SQL)
        con.execute(INDEX_SQL)
        count = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("CHECKPOINT")  # the index's tables and macros into the file, not left for a log replay
    return count


def has_search_index(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("""SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database()
                          AND ((schema_name = 'main' AND table_name = ?) OR (schema_name = ? AND table_name = 'docs'))
                       """, [TABLE, FTS_SCHEMA]).fetchone()[0] == 2


def _read_only(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
                       ).fetchone()[0]


# --- the query -------------------------------------------------------------------------------------------------

QUERY_PART = re.compile(r'(?i)(subject:)?(?:"([^"]*)"?|(\S+))')


def parse_query(query: str) -> ParsedQuery:
    """Words, "quoted phrases" (an unclosed quote runs to the end), subject:word and subject:"a phrase"."""
    found: dict[str, list[str]] = {"words": [], "phrases": [], "subject_words": [], "subject_phrases": []}
    for match in QUERY_PART.finditer(query):
        field, phrase, word = match.groups()
        prefix = "subject_" if field else ""
        if phrase is not None:
            if " ".join(phrase.split()):
                found[prefix + "phrases"].append(" ".join(phrase.split()))
        elif word is not None:
            found[prefix + "words"].extend(terms(word))
    return ParsedQuery(**{key: tuple(value) for key, value in found.items()})


def normalize(text: str) -> str:
    """As the index reads text: accents stripped, lower case."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def terms(text: str) -> list[str]:
    """The words the index would make of this text (before stop words and stemming)."""
    return [term for term in re.split(IGNORE, normalize(text)) if term]


def phrase_pattern(phrase: str) -> str:
    """The phrase's words in order, any whitespace (line breaks too) between them, as whole words; case is left
    to the caller. The same pattern reads in RE2 (DuckDB) and in Python."""
    parts = [re.escape(part) for part in phrase.split()]
    start = r"\b" if _word_char(phrase[0]) else ""
    end = r"\b" if _word_char(phrase[-1]) else ""
    return start + r"\s+".join(parts) + end


def _word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()  # RE2's \b knows ASCII word characters only


def _stopwords(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute(f"SELECT sw FROM {FTS_SCHEMA}.stopwords").fetchall()}


def _stems(con: duckdb.DuckDBPyConnection, words: set[str]) -> dict[str, str]:
    if not words:
        return {}
    return dict(con.execute(f"SELECT w, stem(w, '{STEMMER}') FROM unnest(?::VARCHAR[]) t(w)",
                            [sorted(words)]).fetchall())


def _search_sql(parsed: ParsedQuery, stopwords: set[str], release: str | None, limit: int) -> tuple[str, list]:
    """One SELECT: BM25 over every field for the words and phrases' words, BM25 over the subject alone
    (conjunctive) for the subject terms, then the phrases and any subject term BM25 cannot see (a stop word)
    checked against the text."""
    def indexed(words) -> list[str]:
        return [word for word in words if word not in stopwords]

    anywhere = indexed([*parsed.words, *(term for phrase in parsed.phrases for term in terms(phrase))])
    in_subject = indexed([*parsed.subject_words, *(t for phrase in parsed.subject_phrases for t in terms(phrase))])
    if not anywhere and not in_subject and not (parsed.phrases or parsed.subject_phrases or parsed.subject_words):
        raise SearchError("the query has no word the index holds: common English words (the, of, new, ...) are "
                          'not indexed; put them in quotes as a phrase ("the new contract") to find them')
    match = f"{FTS_SCHEMA}.match_bm25"
    any_score = f"{match}(unit_id, ?)" if anywhere else "NULL::DOUBLE"
    subject_score = f"{match}(unit_id, ?, fields := 'subject', conjunctive := 1)" if in_subject else "NULL::DOUBLE"
    params: list = [" ".join(anywhere)] if anywhere else []
    params += [" ".join(dict.fromkeys(in_subject))] if in_subject else []
    checked = [*parsed.subject_phrases, *(word for word in parsed.subject_words if word in stopwords)]
    conditions, filter_params = [], []
    if in_subject:
        conditions.append("subject_score IS NOT NULL")
    if not parsed.phrases and not checked and not in_subject:
        conditions.append("any_score IS NOT NULL")  # words alone: any of them
    elif parsed.phrases and all(indexed(terms(phrase)) for phrase in parsed.phrases):
        conditions.append("any_score IS NOT NULL")  # a phrase's units hold its words: no scan of every text
    for phrase in parsed.phrases:
        conditions.append("(regexp_matches(coalesce(subject, ''), ?, 'i') OR regexp_matches(body, ?, 'i'))")
        filter_params += [phrase_pattern(phrase)] * 2
    for phrase in checked:
        conditions.append("regexp_matches(coalesce(subject, ''), ?, 'i')")
        filter_params.append(phrase_pattern(phrase))
    where_release = "WHERE release = ?" if release else ""
    sql = f"""
        SELECT kind, unit_id, message_id, passage_id, document_id, file_name, release, page_number, bates,
               coalesce(any_score, 0) + coalesce(subject_score, 0) AS score, subject, body
        FROM (SELECT *, {any_score} AS any_score, {subject_score} AS subject_score FROM {TABLE} {where_release})
        WHERE {" AND ".join(conditions) or "true"}
        ORDER BY score DESC, file_name, page_number NULLS LAST, unit_id
        LIMIT ?"""
    return sql, params + ([release] if release else []) + filter_params + [limit]


def _check_release(con: duckdb.DuckDBPyConnection, release: str) -> None:
    if not con.execute("SELECT count(*) FROM releases WHERE name = ?", [release]).fetchone()[0]:
        known = ", ".join(row[0] for row in con.execute("SELECT name FROM releases ORDER BY name").fetchall())
        raise SearchError(f"no release named {release!r} in the database (releases: {known or 'none'})")


def ensure_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """A database made before search existed: build the index where the connection may write, else say how."""
    if has_search_index(con):
        return
    if _read_only(con):
        raise SearchError("the database has no search index (it was made by an older version): run "
                          "`foia reparse --db FILE` once to build it (every ingest and reparse refreshes it)")
    refresh_search_index(con)


def search(con: duckdb.DuckDBPyConnection, query: str, release: str | None = None, limit: int = 20
           ) -> list[SearchHit]:
    """The best `limit` units for the query, best first (see parse_query for the syntax)."""
    if limit < 1:
        raise SearchError("the limit must be 1 or more")
    parsed = parse_query(query)
    if parsed == ParsedQuery():
        raise SearchError("the query is empty: give a word, a \"phrase\" or subject:word")
    load_fts(con)
    ensure_search_index(con)
    if release:
        _check_release(con, release)
    stopwords = _stopwords(con)
    sql, params = _search_sql(parsed, stopwords, release, limit)
    rows = con.execute(sql, params).fetchall()
    snippets = Snippets(con, parsed, stopwords, [row[-1] for row in rows])
    return [SearchHit(*row[:-1], snippet=snippets.of(row[-1])) for row in rows]


# --- snippets --------------------------------------------------------------------------------------------------

class Snippets:
    """Marks in the hits' bodies the words whose stem is a query word's (a query's "demos" marks "demo") and the
    phrases as written; subject: terms are matched in the subject and not marked in the body."""

    def __init__(self, con: duckdb.DuckDBPyConnection, parsed: ParsedQuery, stopwords: set[str], bodies: list[str]):
        wanted = _stems(con, {term for term in parsed.words if term not in stopwords})
        self.wanted = set(wanted.values())
        # Porter rewrites a word's ending only (hoping -> hope): a word can share a query word's stem only if it
        # starts with that stem less its last two letters; only those words are stemmed, not whole bodies.
        prefixes = sorted({stem[:max(1, len(stem) - 2)] for stem in self.wanted})
        self.candidates = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, prefixes)) + r")[^\W_]*", re.I) \
            if prefixes else None
        seen = {normalize(word.group()) for body in bodies for word in self._candidates(body or "")}
        self.stems = _stems(con, seen)
        self.phrases = [re.compile(phrase_pattern(phrase), re.I) for phrase in parsed.phrases]

    def _candidates(self, body: str):
        return self.candidates.finditer(body) if self.candidates else ()

    def spans(self, body: str) -> list[tuple[int, int]]:
        found = [match.span() for pattern in self.phrases for match in pattern.finditer(body)]
        found += [word.span() for word in self._candidates(body)
                  if self.stems.get(normalize(word.group())) in self.wanted]
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):  # overlapping marks, and words only whitespace apart, are one mark
            if merged and (start <= merged[-1][1] or body[merged[-1][1]:start].isspace()):
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def of(self, body: str | None) -> str:
        body = body or ""
        spans = self.spans(body)
        start = _word_start(body, max(0, spans[0][0] - SNIPPET_LEAD)) if spans else 0
        end = min(len(body), start + SNIPPET_CHARS)
        if end < len(body):
            end = max(body.rfind(" ", start, end), body.rfind("\n", start, end), start + SNIPPET_CHARS // 2)
        pieces, at = [], start
        for span_start, span_end in spans:
            if span_start < at or span_start >= end:
                continue
            pieces += [_flat(body[at:span_start]), MARKS[0] + _flat(body[span_start:span_end]) + MARKS[1]]
            at, end = span_end, max(end, span_end)
        pieces.append(_flat(body[at:end]))
        text = "".join(pieces).strip()
        return ("… " if start > 0 else "") + text + (" …" if end < len(body) else "")


def _word_start(text: str, at: int) -> int:
    """`at`, moved forward to the start of a word if it falls inside one (never past a line's worth)."""
    if at == 0 or not text[at - 1].isalnum():
        return at
    space = re.search(r"\s", text[at:at + 20])
    return at + space.end() if space else at


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)
