"""`foia sql`: the analyst's own SQL over a database, which it can read but never change.

Three locks: every statement is parsed first, and one that is not a query is refused before anything runs;
the file is opened read-only; and the connection's file access is switched off and its configuration locked,
so a statement that slips past the check still cannot read or write other files, attach databases or install
extensions."""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import math
import os
import re
import threading
from decimal import Decimal
from typing import TextIO

import duckdb

from models.schema import busy_reason

FORMATS = ("table", "csv", "json", "markdown")
DEFAULT_LIMIT = 1000
DEFAULT_TIMEOUT_SECONDS = 30.0
TABLE_CELL_WIDTH = 80  # a message body would make a terminal table unreadable; the other formats print it whole
TABLE_NULL = "NULL"  # table and markdown show NULL so it is told apart from an empty string; csv leaves it empty
ALLOWED_SUMMARY = "SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, reading PRAGMAs, CALL pragma_*/duckdb_*"

# Set after opening, in this order: the last one stops any later statement from undoing the others.
LOCKDOWN_SETTINGS = (
    "SET enable_progress_bar = false",  # DuckDB draws it on the process's stdout, into the output
    "SET temp_directory = ''",  # a query bigger than memory fails rather than spill into FILE.tmp beside the file
    "SET autoinstall_known_extensions = false",
    "SET enable_external_access = false",  # no read_csv/COPY/ATTACH/INSTALL/LOAD of any other file
    "SET lock_configuration = true",
)

# Statement types named better by their type than by their first word (which may be WITH, or a comment).
TYPE_LABELS = {**{name: name for name in ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "ATTACH",
                                          "DETACH", "COPY", "PRAGMA", "PREPARE", "EXECUTE")},
               "MERGE_INTO": "MERGE INTO", "COPY_DATABASE": "COPY FROM DATABASE", "EXPORT": "EXPORT DATABASE",
               "VARIABLE_SET": "SET VARIABLE", "CREATE_FUNC": "CREATE FUNCTION"}
REACHES_OUTSIDE = {"ATTACH", "DETACH", "COPY", "COPY_DATABASE", "EXPORT", "LOAD"}  # LOAD is INSTALL and LOAD too

_LEADING_COMMENTS = re.compile(r"(?:\s+|--[^\n]*|/\*.*?\*/)*", re.S)
_LEADING_KEYWORD = re.compile(r"(?:FORCE\s+)?[A-Za-z_]+", re.I)
_EXPLAIN_PREFIX = re.compile(r"EXPLAIN\s+(?:ANALYZE\b|\([^)]*\))?", re.I)
# CALL f() is SELECT * FROM f(); these table functions only describe the database, CHECKPOINT is a CALL too.
_HARMLESS_CALL = re.compile(r"CALL\s+(?:pragma_|duckdb_)\w*\s*\(", re.I)
_IMPORT_DATABASE = re.compile(r"\bIMPORT\s+DATABASE\b", re.I)


class RefusedStatement(ValueError):
    """A statement `foia sql` will not run; the message names it and says why."""


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return value


def add_sql_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `foia sql` to the command line's subcommands; returns its parser."""
    sql = commands.add_parser(
        "sql", help="run read-only SQL over a database and print the rows (table, csv, json or markdown)",
        description="Run your own SQL over a database, which it can read but never change: the file is opened "
        "read-only, statements that write or reach outside it (INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, "
        "ATTACH, COPY, INSTALL, LOAD, SET, EXPORT, CHECKPOINT, ...) are refused before anything runs, and reading "
        f"or writing other files is switched off. Allowed: {ALLOWED_SUMMARY}. Several statements may be given, "
        "separated by ';': each is checked, and each one's rows are printed in turn.")
    sql.add_argument("sql", nargs="?", metavar="SQL",
                     help="the statement(s) to run (default, or '-': read them from standard input)")
    sql.add_argument("--db", required=True, metavar="FILE", help="DuckDB database file (opened read-only)")
    sql.add_argument("--format", choices=FORMATS, default="table",
                     help="table: aligned columns for the terminal (values cut at "
                     f"{TABLE_CELL_WIDTH} characters); csv; json: an array of objects; markdown: a GitHub table "
                     "(default: %(default)s)")
    sql.add_argument("--limit", type=_positive_int, default=DEFAULT_LIMIT, metavar="N",
                     help="print at most N rows of each result (default: %(default)s)")
    sql.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT_SECONDS, metavar="S",
                     help="interrupt a query still running after S seconds; 0 for no limit (default: %(default)g)")
    return sql


# --- which statements may run ---------------------------------------------------------------------------------

def _without_leading_comments(text: str) -> str:
    return text[_LEADING_COMMENTS.match(text).end():]


def _snippet(text: str, width: int = 60) -> str:
    words = " ".join(_without_leading_comments(text).split()).rstrip(";").strip()
    return words if len(words) <= width else words[:width - 1] + "…"


def _label(statement: duckdb.Statement) -> str:
    """What to call a refused statement: its type, or its first word(s) for types that cover several verbs
    (LOAD is INSTALL too, SET is RESET and USE, CALL is CHECKPOINT)."""
    name = statement.type.name
    if name in TYPE_LABELS:
        return TYPE_LABELS[name]
    keyword = _LEADING_KEYWORD.match(_without_leading_comments(statement.query))
    return " ".join(keyword.group(0).upper().split()) if keyword else name


def _refused(statement: duckdb.Statement, parser: duckdb.DuckDBPyConnection) -> tuple[str, bool] | None:
    """(what is refused, whether it reaches outside the database) for a statement that does more than read;
    None for one that only reads."""
    kind = statement.type
    if kind == duckdb.StatementType.SELECT:  # also DESCRIBE, SHOW, SUMMARIZE, PIVOT and PRAGMAs that read
        return None
    if kind == duckdb.StatementType.CALL and _HARMLESS_CALL.match(_without_leading_comments(statement.query)):
        return None
    if kind == duckdb.StatementType.EXPLAIN:  # EXPLAIN ANALYZE runs what it explains: check that instead
        body = _without_leading_comments(statement.query)
        prefix = _EXPLAIN_PREFIX.match(body)
        try:
            explained = parser.extract_statements(body[prefix.end():]) if prefix else []
        except duckdb.Error:
            explained = []
        if not explained:
            return "EXPLAIN of something that is not a query", False
        for inner in explained:
            refusal = _refused(inner, parser)
            if refusal:
                return f"EXPLAIN {refusal[0]}", refusal[1]
        return None
    return _label(statement), kind.name in REACHES_OUTSIDE


def _refusal_message(what: str, reaches_outside: bool, text: str | None = None) -> str:
    why = "it reaches outside the database" if reaches_outside else "it would change the database or the session"
    shown = _snippet(text) if text is not None else None
    if shown:
        what += f' ("{shown}")'
    elif shown is not None:  # a step DuckDB made from the user's SQL: PIVOT without an IN list makes a CREATE TYPE
        what += (" (made by DuckDB for a PIVOT without an IN (...) list: give one)" if what == "CREATE"
                 else " (a step DuckDB made from your SQL)")
    return f"refused {what}: {why}; foia sql only reads ({ALLOWED_SUMMARY})"


def parse_read_only(sql: str) -> list[duckdb.Statement]:
    """The statements in `sql` when every one of them only reads; raises RefusedStatement naming the first that
    does not, and duckdb.Error for SQL that does not parse. Nothing is run and no database is opened. The parser
    has no file access: IMPORT DATABASE reads its folder's SQL while being parsed."""
    parser = duckdb.connect(":memory:", config={"enable_external_access": False})
    try:
        try:
            statements = parser.extract_statements(sql)
        except duckdb.Error:
            if _IMPORT_DATABASE.search(sql):
                raise RefusedStatement(_refusal_message("IMPORT DATABASE", True)) from None
            raise
        refusals = [(statement, refusal) for statement in statements if (refusal := _refused(statement, parser))]
        if refusals:  # name one the user wrote rather than a step DuckDB made from it (those have no text)
            statement, refusal = next((pair for pair in refusals if pair[0].query.strip()), refusals[0])
            raise RefusedStatement(_refusal_message(*refusal, statement.query))
        return statements
    finally:
        parser.close()


# --- printing rows ---------------------------------------------------------------------------------------------

def json_safe(value):
    """A value as DuckDB returns it, turned into what json.dumps writes: dates and times in ISO 8601, decimals
    as strings (no digit lost to a float), blobs as hex, structs and maps as objects, lists as arrays."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # JSON has no inf or nan
    if isinstance(value, (datetime.date, datetime.time)):  # datetime.datetime is a date too
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return str(value)  # Decimal, UUID, timedelta, and whatever DuckDB adds later


def cell_text(value, null: str = "") -> str:
    """A value as one piece of text for csv, markdown and the table; lists and structs as JSON text."""
    if value is None:
        return null
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(json_safe(value), ensure_ascii=False)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)  # dates and timestamps as DuckDB prints them: 2024-01-02 03:04:05


def _is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _numeric_columns(column_count: int, rows: list[tuple]) -> list[bool]:
    """Which columns hold only numbers (and NULLs): those are right-aligned."""
    return [any(row[i] is not None for row in rows) and all(row[i] is None or _is_number(row[i]) for row in rows)
            for i in range(column_count)]


def _one_line(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _cut(text: str) -> str:
    return text if len(text) <= TABLE_CELL_WIDTH else text[:TABLE_CELL_WIDTH - 1] + "…"


def format_table(columns: list[str], rows: list[tuple]) -> str:
    """Columns aligned for a terminal: a header, a dashed separator, one line per row (line breaks shown as
    \\n, values cut at TABLE_CELL_WIDTH), numbers right-aligned, two spaces between columns."""
    header = [_one_line(name) for name in columns]
    body = [[_cut(_one_line(cell_text(value, TABLE_NULL))) for value in row] for row in rows]
    widths = [max([len(header[i])] + [len(line[i]) for line in body]) for i in range(len(columns))]
    numeric = _numeric_columns(len(columns), rows)

    def line(cells: list[str]) -> str:
        return "  ".join(cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i])
                         for i, cell in enumerate(cells)).rstrip() + "\n"

    return line(header) + line(["-" * width for width in widths]) + "".join(line(cells) for cells in body)


def format_csv(columns: list[str], rows: list[tuple]) -> str:
    """CSV with a header row; NULL is an empty field, lists and structs JSON text (as `foia export` writes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([cell_text(value) for value in row] for row in rows)
    return out.getvalue()


def _unique_names(columns: list[str]) -> list[str]:
    """Column names as JSON keys: SELECT 1 AS a, 2 AS a has two columns called a, an object has one key a."""
    seen: set[str] = set()
    names = []
    for name in columns:
        unique, count = name, 1
        while unique in seen:
            count += 1
            unique = f"{name}_{count}"
        seen.add(unique)
        names.append(unique)
    return names


def format_json(columns: list[str], rows: list[tuple]) -> str:
    """A JSON array with one object per row, one row a line (readable, and what jq and json.load read)."""
    if not rows:
        return "[]\n"
    keys = _unique_names(columns)
    objects = [json.dumps(dict(zip(keys, (json_safe(value) for value in row))), ensure_ascii=False) for row in rows]
    return "[\n" + ",\n".join(objects) + "\n]\n"


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>").replace("\r", "<br>")


def format_markdown(columns: list[str], rows: list[tuple]) -> str:
    """A GitHub table: pipes escaped, line breaks as <br>, numeric columns right-aligned."""
    numeric = _numeric_columns(len(columns), rows)

    def line(cells) -> str:
        return "| " + " | ".join(cells) + " |\n"

    return (line(_markdown_cell(name) for name in columns) + line("---:" if right else "---" for right in numeric)
            + "".join(line(_markdown_cell(cell_text(value, TABLE_NULL)) for value in row) for row in rows))


FORMATTERS = {"table": format_table, "csv": format_csv, "json": format_json, "markdown": format_markdown}


# --- running ---------------------------------------------------------------------------------------------------

def one_line_error(error: BaseException) -> str:
    """DuckDB's message on one line: its messages add a LINE 1: ... excerpt and a caret under it."""
    lines = [line.strip() for line in str(error).splitlines()]
    return " ".join(line for line in lines if line and set(line) != {"^"})


def _load_full_text_search(con: duckdb.DuckDBPyConnection) -> None:
    """A database with full-text indexes (fts_main_* schemas) needs the fts extension for match_bm25, and no
    extension can be loaded once file access is off: load it first, from DuckDB's extension folder or straight
    from the duckdb-extension-fts package (installing nothing, so nothing is written)."""
    has_index = con.execute(
        "SELECT count(*) FROM duckdb_schemas() WHERE schema_name LIKE 'fts_main_%'").fetchone()[0]
    if not has_index:
        return
    from models.search_index import load_fts  # noqa: PLC0415

    try:
        load_fts(con, install=False)
    except (duckdb.Error, ImportError, RuntimeError):
        pass  # a query that uses the index says what is missing itself


def open_read_only(path: str) -> duckdb.DuckDBPyConnection:
    """The database opened read-only and locked down (LOCKDOWN_SETTINGS). Not models.schema.connect: that
    refuses databases of another schema version, and reading an old database is what SQL is for."""
    con = duckdb.connect(path, read_only=True)
    try:
        _load_full_text_search(con)
        for setting in LOCKDOWN_SETTINGS:
            con.execute(setting)
    except BaseException:
        con.close()
        raise
    return con


class QueryTimedOut(Exception):
    pass


def _print_result(result: duckdb.DuckDBPyConnection, statement: duckdb.Statement, args: argparse.Namespace,
                  stdout: TextIO, stderr: TextIO) -> None:
    """Fetch at most --limit rows (one more tells whether there are others) and print them."""
    if result.description is None:
        return
    columns = [column[0] for column in result.description]
    rows = result.fetchmany(args.limit + 1)
    more = len(rows) > args.limit
    rows = rows[:args.limit]
    if statement.type == duckdb.StatementType.EXPLAIN and args.format == "table":
        stdout.write("".join(f"{row[-1]}\n" for row in rows))  # the plan is a drawing: print it as drawn
    else:
        stdout.write(FORMATTERS[args.format](columns, rows))
    if more:
        stderr.write(f"(first {args.limit} row{'s' if args.limit != 1 else ''}; use --limit to see more)\n")


def _run_statements(con: duckdb.DuckDBPyConnection, statements: list[duckdb.Statement], args: argparse.Namespace,
                    stdout: TextIO, stderr: TextIO) -> None:
    """Run each statement and print its rows, within --timeout seconds for them all (a timer interrupts the
    connection; the flag also stops a statement that would start after the time is up)."""
    timed_out = threading.Event()

    def interrupt() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(args.timeout, interrupt) if args.timeout else None
    if timer:
        timer.daemon = True
        timer.start()
    try:
        for number, statement in enumerate(statements):
            if timed_out.is_set():
                raise QueryTimedOut
            if number:
                stdout.write("\n")
            try:
                _print_result(con.execute(statement), statement, args, stdout, stderr)
            except duckdb.InterruptException:
                if timed_out.is_set():
                    raise QueryTimedOut from None
                raise
    finally:
        if timer:
            timer.cancel()
            timer.join()  # an interrupt already under way ends before the connection is closed


def _read_sql(args: argparse.Namespace, stdin: TextIO, stderr: TextIO) -> str:
    if args.sql is not None and args.sql != "-":
        return args.sql
    if stdin.isatty():
        stderr.write("foia sql: reading SQL from standard input; end it with Ctrl-D\n")
    return stdin.read()


def run_sql_command(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """`foia sql`: 0 when every statement ran; 2, with one line on stderr, for a refused statement, a missing
    database, an SQL error or a timeout."""
    if not os.path.exists(args.db):
        stderr.write(f"foia: no database at {args.db}\n")
        return 2
    sql = _read_sql(args, stdin, stderr)
    try:
        statements = parse_read_only(sql)
        if not statements:
            stderr.write("foia: no SQL statement given (pass one, or pipe it on standard input)\n")
            return 2
        con = open_read_only(args.db)
    except RefusedStatement as refusal:
        stderr.write(f"foia: {refusal}\n")
        return 2
    except duckdb.Error as error:
        stderr.write(f"foia: {busy_reason(error, args.db) or one_line_error(error)}\n")
        return 2
    try:
        _run_statements(con, statements, args, stdout, stderr)
    except QueryTimedOut:
        stderr.write(f"foia: the query timed out after {args.timeout:g} s and was interrupted "
                     "(use --timeout to allow longer)\n")
        return 2
    except duckdb.Error as error:
        stderr.write(f"foia: {one_line_error(error)}\n")
        return 2
    finally:
        con.close()
    return 0
