"""`foia export TABLE|all OUT`: the database's tables and views as files for analysts' own tools (jsonl, csv,
parquet), each export with a manifest (hashes, row counts, column types, source files) so that an export
handed to someone else can be checked and made again.

`foia export messages` keeps its own shape: one record per message with its recipients and attachments
as lists. `all` writes the tables as stored, `messages` included, so an export holds the whole database.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TextIO

import duckdb

from models import schema, search_index

FORMATS = {"jsonl": "(FORMAT json)", "csv": "(FORMAT csv, HEADER true)", "parquet": "(FORMAT parquet)"}
ALL = "all"
MESSAGES = "messages"  # the one name whose single export is a record of its own, not the table
MANIFEST = "manifest.json"
MANIFEST_MARK = "foia export"  # an earlier export's manifest carries it: its folder may be written over
# Not the evidence: bookkeeping (the manifest gives the schema version instead), and `foia search`'s copy of
# messages, passages and pages that its fts index is built over, rebuilt after every ingest.
NOT_EXPORTED = ("schema_migrations", search_index.TABLE)
NESTED_TYPES = ("list", "struct", "map", "array", "union")
_IN_RELEASE = "(SELECT {key} FROM {table} x JOIN documents d USING (document_id) WHERE d.release_id = ?)"

# How a row reaches its release, tried in this order: the first column a table has decides. A column that
# may be NULL where another one is not (events.message_id, ingest_errors.document_id) comes after that one.
RELEASE_LINKS: tuple[tuple[str, str, str], ...] = (
    ("release_id", "release_id", "release_id = ?"),
    ("release", "release -> releases.name", "release = (SELECT name FROM releases WHERE release_id = ?)"),
    ("run_id", "run_id -> ingest_runs.release_id", "run_id IN (SELECT run_id FROM ingest_runs WHERE release_id = ?)"),
    ("document_id", "document_id -> documents.release_id",
     "document_id IN (SELECT document_id FROM documents WHERE release_id = ?)"),
    ("event_id", "event_id -> events -> documents", "event_id IN " + _IN_RELEASE.format(key="x.event_id",
                                                                                        table="events")),
    ("passage_id", "passage_id -> passages -> documents",
     "passage_id IN " + _IN_RELEASE.format(key="x.passage_id", table="passages")),
    ("message_id", "message_id -> messages -> documents",
     "message_id IN " + _IN_RELEASE.format(key="x.message_id", table="messages")),
    ("email_id", "email_id -> messages -> documents (emails with a copy in the release; counts cover all)",
     "email_id IN " + _IN_RELEASE.format(key="x.email_id", table="messages")),
    ("thread_id", "thread_id -> messages -> documents (threads with a message in the release; counts cover all)",
     "thread_id IN " + _IN_RELEASE.format(key="x.thread_id", table="messages")),
)


class ExportError(ValueError):
    """A request the export cannot honour, told to the user in one line."""


@dataclass(frozen=True)
class WrittenFile:
    """One file of an export, as its manifest describes it."""

    path: str
    table: str
    kind: str  # table | view | messages record
    rows: int
    columns: list[dict]
    release_link: str | None
    filtered_by_release: bool
    json_text_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote, for the lines the command prints."""

    files: list[WrittenFile]
    manifest_path: str
    fmt: str
    release: str | None


# --- the messages record (unchanged since `foia export messages` was first written) ---

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


def release_id_of(con: duckdb.DuckDBPyConnection, release: str) -> int:
    """The release's id; a name the database does not hold is an error that lists the ones it does."""
    row = con.execute("SELECT release_id FROM releases WHERE name = ?", [release]).fetchone()
    if row is None:
        known = ", ".join(row[0] for row in con.execute("SELECT name FROM releases ORDER BY name").fetchall())
        raise ValueError(f"no release named {release!r} in the database (releases: {known or 'none'})")
    return row[0]


def _copy(con: duckdb.DuckDBPyConnection, query: str, params: list, out_path: str, fmt: str) -> int:
    """COPY the query to out_path; returns the rows written, as DuckDB counts them."""
    quoted = out_path.replace("'", "''")
    return con.execute(f"COPY ({query}) TO '{quoted}' {FORMATS[fmt]}", params).fetchone()[0]


def export_messages(con: duckdb.DuckDBPyConnection, out_path: str, fmt: str, release: str | None = None) -> int:
    """Write the messages to out_path; returns how many were written."""
    if release:
        release_id_of(con, release)
    query, params = messages_query(flat=fmt == "csv", release=release)
    return _copy(con, query, params, out_path, fmt)


# --- any table or view ---

def exportable(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The database's own tables and views, name -> "table" | "view". Read from the catalog, not from the
    schema module, so a table added by a later migration is exported without a change here; other schemas
    (full-text indexes' fts_main_*), the search table and bookkeeping are left out."""
    rows = con.execute("""
        SELECT table_name, 'table' FROM duckdb_tables()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
        UNION ALL
        SELECT view_name, 'view' FROM duckdb_views()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
        ORDER BY 1""").fetchall()
    return {name: kind for name, kind in rows if name not in NOT_EXPORTED and not name.startswith("fts_")}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple[str, duckdb.DuckDBPyType]]:
    """The query's columns and DuckDB types, without running it."""
    relation = con.sql(query)
    return list(zip(relation.columns, relation.types))


def release_link(column_names: list[str]) -> tuple[str, str, str] | None:
    """The first of RELEASE_LINKS the columns allow: (column, description, WHERE clause); None when the rows
    belong to no release (entities are shared by every release)."""
    return next((link for link in RELEASE_LINKS if link[0] in column_names), None)


def _table_select(name: str, kind: str, columns: list[tuple[str, duckdb.DuckDBPyType]], fmt: str,
                  where: str | None) -> tuple[str, list[str]]:
    """The SELECT that writes one table or view, and the columns csv gets as JSON text. Views are sorted by
    all their columns so that the same database gives the same bytes (tables keep their stored order); only
    an aggregate a view leaves unordered (timeline.participants) can still differ."""
    nested = [column for column, kind_ in columns if kind_.id in NESTED_TYPES] if fmt == "csv" else []
    select = ", ".join(f"to_json({_ident(c)})::VARCHAR AS {_ident(c)}" if c in nested else _ident(c)
                       for c, _ in columns)
    query = f"SELECT {select} FROM {_ident(name)}" + (f" WHERE {where}" if where else "")
    return query + (" ORDER BY ALL" if kind == "view" else ""), nested


def write_table(con: duckdb.DuckDBPyConnection, name: str, kind: str, out_path: str, fmt: str,
                release_id: int | None) -> WrittenFile:
    """Write one table or view, restricted to the release where its rows link to one."""
    columns = _columns(con, f"SELECT * FROM {_ident(name)}")
    link = release_link([column for column, _ in columns])
    where = link[2] if link and release_id is not None else None
    query, nested = _table_select(name, kind, columns, fmt, where)
    rows = _copy(con, query, [release_id] if where else [], out_path, fmt)
    return WrittenFile(out_path, name, kind, rows, _describe(columns), link[1] if link else None,
                       where is not None, nested)


def write_messages_record(con: duckdb.DuckDBPyConnection, out_path: str, fmt: str,
                          release: str | None) -> WrittenFile:
    """`foia export messages`: the messages record, byte for byte what export_messages writes."""
    rows = export_messages(con, out_path, fmt, release)
    columns = _columns(con, messages_query(flat=False, release=None)[0])
    nested = [column for column, kind in columns if kind.id in NESTED_TYPES] if fmt == "csv" else []
    return WrittenFile(out_path, MESSAGES, "messages record", rows, _describe(columns),
                       "document_id -> documents.release_id", release is not None, nested)


def _describe(columns: list[tuple[str, duckdb.DuckDBPyType]]) -> list[dict]:
    return [{"name": column, "type": str(kind)} for column, kind in columns]


# --- the manifest ---

def tool_version() -> str:
    """The installed package's version; a checkout run without installing has only pyproject.toml."""
    try:
        return importlib.metadata.version("foia-evidence")
    except importlib.metadata.PackageNotFoundError:
        pyproject = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pyproject.toml")
        try:
            with open(pyproject, "rb") as handle:
                return tomllib.load(handle)["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _database_file(con: duckdb.DuckDBPyConnection) -> str:
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return os.path.basename(path[0]) if path and path[0] else ":memory:"


def _source_files(con: duckdb.DuckDBPyConnection, release_id: int | None) -> list[dict]:
    """The documents the export was made from. A document's id is its file's SHA-256 (flows/plan.py), so a
    reader can find the very files again."""
    where, params = ("WHERE release_id = ?", [release_id]) if release_id is not None else ("", [])
    rows = con.execute(f"""SELECT file_name, source_path, document_id FROM documents {where}
                           ORDER BY source_path, file_name, document_id""", params).fetchall()
    return [{"file_name": name, "source_path": path, "sha256": sha} for name, path, sha in rows]


def _file_entry(written: WrittenFile) -> dict:
    entry = {"file": os.path.basename(written.path), "table": written.table, "kind": written.kind,
             "rows": written.rows, "bytes": os.path.getsize(written.path), "sha256": sha256_of(written.path),
             "filtered_by_release": written.filtered_by_release, "release_link": written.release_link,
             "columns": written.columns}
    if written.json_text_columns:
        entry["json_text_columns"] = written.json_text_columns
    return entry


def build_manifest(con: duckdb.DuckDBPyConnection, files: list[WrittenFile], fmt: str,
                   release_id: int | None) -> dict:
    """What a reader needs to check an export (hashes, counts, types) and to make it again (tool, schema,
    database, format, release)."""
    where, params = ("WHERE release_id = ?", [release_id]) if release_id is not None else ("", [])
    releases = con.execute(f"SELECT release_id, name FROM releases {where} ORDER BY release_id", params).fetchall()
    return {
        "manifest": MANIFEST_MARK,
        "tool": "foia-evidence",
        "tool_version": tool_version(),
        "schema_version": schema.current_version(con),
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "database": _database_file(con),
        "format": fmt,
        "release_filter": None if release_id is None else releases[0][1],
        "releases": [{"release_id": rid, "name": name} for rid, name in releases],
        "files": [_file_entry(written) for written in files],
        "written_whole": [written.table for written in files if not written.filtered_by_release],
        "source_files": _source_files(con, release_id),
    }


def _write_manifest(manifest: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


# --- exports ---

def _unknown(name: str, names: dict[str, str]) -> ExportError:
    return ExportError(f"no table or view named {name!r} in the database; give {ALL} or one of: "
                       + ", ".join(names))


def export_one(con: duckdb.DuckDBPyConnection, name: str, out_path: str, fmt: str,
               release: str | None = None) -> ExportResult:
    """One table or view to out_path (replaced if it exists), its manifest to <out_path>.manifest.json."""
    names = exportable(con)
    if name not in names:
        raise _unknown(name, names)
    if os.path.isdir(out_path):
        raise ExportError(f"{out_path} is a folder: give a file name (a folder is for `foia export {ALL}`)")
    parent = os.path.dirname(os.path.abspath(out_path))
    if not os.path.isdir(parent):
        raise ExportError(f"no folder {parent} to write {os.path.basename(out_path)} into")
    release_id = release_id_of(con, release) if release else None
    if name == MESSAGES:
        written = write_messages_record(con, out_path, fmt, release)
    else:
        written = write_table(con, name, names[name], out_path, fmt, release_id)
    manifest_path = out_path + ".manifest.json"
    _write_manifest(build_manifest(con, [written], fmt, release_id), manifest_path)
    return ExportResult([written], manifest_path, fmt, release)


def _earlier_export(folder: str) -> list[str]:
    """The files an earlier export wrote into folder, which this one replaces ([] for a new or empty folder).
    A folder holding anything else is refused: an export must not mix with, or delete, other files."""
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ExportError(f"{folder} is a file: `foia export {ALL}` writes a folder")
    os.makedirs(folder, exist_ok=True)
    if not os.listdir(folder):
        return []
    try:
        with open(os.path.join(folder, MANIFEST), encoding="utf-8") as handle:
            manifest = json.load(handle)
        if manifest.get("manifest") != MANIFEST_MARK:
            raise ValueError("not an export manifest")
        return [entry["file"] for entry in manifest["files"] if entry["file"] == os.path.basename(entry["file"])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ExportError(f"{folder} is not empty and holds no {MANIFEST} of an earlier export: give a new or "
                          "empty folder") from None


def export_all(con: duckdb.DuckDBPyConnection, folder: str, fmt: str, release: str | None = None) -> ExportResult:
    """Every table and view to <folder>/<name>.<fmt>, and <folder>/manifest.json. An earlier export there is
    replaced: its files that this one does not write again (another format) are removed."""
    release_id = release_id_of(con, release) if release else None
    earlier = _earlier_export(folder)
    written = [write_table(con, name, kind, os.path.join(folder, f"{name}.{fmt}"), fmt, release_id)
               for name, kind in exportable(con).items()]
    kept = {os.path.basename(item.path) for item in written}
    for stale in set(earlier) - kept - {MANIFEST}:
        if os.path.isfile(os.path.join(folder, stale)):
            os.remove(os.path.join(folder, stale))
    manifest_path = os.path.join(folder, MANIFEST)
    _write_manifest(build_manifest(con, written, fmt, release_id), manifest_path)
    return ExportResult(written, manifest_path, fmt, release)


def export(con: duckdb.DuckDBPyConnection, what: str, out: str, fmt: str, release: str | None = None) -> ExportResult:
    """`foia export WHAT OUT`: everything into a folder, or one table or view into a file."""
    if what == ALL:
        return export_all(con, out, fmt, release)
    return export_one(con, what, out, fmt, release)


# --- the command line ---

def add_export_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The `export` subcommand: built here so that its options live beside the code that honours them."""
    export_parser = commands.add_parser(
        "export", help="write tables and views to files, with a manifest",
        description="Write a table or view of the database (or all of them) as jsonl, csv or parquet, with a "
        "manifest (row counts, column types, SHA-256 of each file, the source documents) to check the export "
        "by. `messages` is one record per message with its recipients and attachments; in `all` it is the "
        "table as stored.")
    export_parser.add_argument("what", metavar="TABLE|all",
                               help="a table or view name (an unknown name lists them), or all")
    export_parser.add_argument("out", metavar="OUT",
                               help="file to write (replaced if it exists); for all, a new or empty folder, or "
                               "the folder of an earlier export (replaced)")
    export_parser.add_argument("--db", required=True, metavar="FILE")
    export_parser.add_argument("--format", choices=tuple(FORMATS),
                               help="output format (default: from OUT's extension; required for all)")
    export_parser.add_argument("--release", metavar="NAME",
                               help="only rows of this release, where a table's rows link to one; others are "
                               "written whole (default: all releases)")
    return export_parser


def _format_of(args: argparse.Namespace) -> str:
    if args.what == ALL and not args.format:
        raise ExportError(f"give --format jsonl, csv or parquet: `foia export {ALL}` writes a folder")
    return format_for(args.out, args.format)


def result_lines(result: ExportResult) -> list[str]:
    """One line per file written, then the manifest's path."""
    lines = []
    for written in result.files:
        if written.kind == "messages record":
            line = f"Wrote {written.rows} message(s) to {written.path} ({result.fmt})."
        else:
            line = f"Wrote {written.rows} row(s) of {written.table} to {written.path} ({result.fmt})."
        if result.release and not written.filtered_by_release:
            line = line[:-1] + ", whole: its rows belong to no release."
        lines.append(line)
    return lines + [f"Manifest: {result.manifest_path}"]


def run_export_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """`foia export`: 0 when written, 2 (with one line on stderr) when the request cannot be honoured."""
    if not os.path.exists(args.db):
        print(f"foia: no database at {args.db}", file=stderr)
        return 2
    try:
        fmt = _format_of(args)
        con = schema.connect(args.db, read_only=True)
        try:
            result = export(con, args.what, args.out, fmt, args.release)
        finally:
            con.close()
    except (ValueError, schema.SchemaError) as error:
        print(f"foia: {error}", file=stderr)
        return 2
    for line in result_lines(result):
        print(line, file=stdout)
    return 0
