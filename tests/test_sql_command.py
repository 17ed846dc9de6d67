"""`foia sql`: the analyst's SQL reads a database and cannot change it or reach outside it. Real DuckDB files
made here (no ingest needed); the command is called as the CLI calls it, with StringIO streams."""

from __future__ import annotations

import argparse
import io
import json
import os
import time
from dataclasses import dataclass

import duckdb
import pytest

from flows.sql import RefusedStatement, add_sql_parser, open_read_only, parse_read_only, run_sql_command

LONG_QUERY = "SELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b"  # ten billion rows: minutes


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def db(tmp_path) -> str:
    """A small database: three messages (a NULL subject and date, a subject with a pipe and a comma)."""
    path = str(tmp_path / "evidence.duckdb")
    con = duckdb.connect(path)
    con.execute("CREATE TABLE messages (id INTEGER, subject VARCHAR, sent DATE, amount DECIMAL(6, 2), "
                "tags VARCHAR[])")
    con.execute("""INSERT INTO messages VALUES (1, 'a|b, c', DATE '2024-01-02', 1.50, ['x', 'y']),
                                               (22, NULL, NULL, NULL, []),
                                               (3, 'plain', DATE '2023-12-31', 10.00, NULL)""")
    con.execute("CREATE TABLE people (name VARCHAR, email VARCHAR)")
    con.execute("INSERT INTO people VALUES ('Ann', 'ann@example.gov')")
    con.close()
    return path


def sql(*argv: str, db: str, stdin: str = "") -> Result:
    parser = argparse.ArgumentParser(prog="foia")
    add_sql_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["sql", *argv, "--db", db])
    out, err = io.StringIO(), io.StringIO()
    code = run_sql_command(args, io.StringIO(stdin), out, err)
    return Result(code, out.getvalue(), err.getvalue())


def folder_state(folder) -> dict[str, bytes]:
    """Every file under folder with its bytes: a statement that wrote anything anywhere here changes it."""
    state = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                state[os.path.relpath(path, folder)] = handle.read()
    return state


REFUSED = [
    ("INSERT INTO messages VALUES (4, 'new', NULL, NULL, NULL)", "INSERT"),
    ("UPDATE messages SET subject = 'changed'", "UPDATE"),
    ("DELETE FROM messages", "DELETE"),
    ("CREATE TABLE notes (text VARCHAR)", "CREATE"),
    ("CREATE TEMP TABLE notes AS SELECT 1", "CREATE"),  # read-only DuckDB would run this one
    ("DROP TABLE messages", "DROP"),
    ("ALTER TABLE messages ADD COLUMN note VARCHAR", "ALTER"),
    ("ATTACH '{tmp}/other.duckdb' AS other", "ATTACH"),
    ("DETACH evidence", "DETACH"),
    ("COPY messages TO '{tmp}/out.csv'", "COPY"),
    ("COPY (SELECT * FROM people) TO '{tmp}/people.parquet' (FORMAT parquet)", "COPY"),
    ("COPY messages FROM '{tmp}/in.csv'", "COPY"),
    ("EXPORT DATABASE '{tmp}/exported'", "EXPORT DATABASE"),
    ("IMPORT DATABASE '{tmp}/exported'", "IMPORT DATABASE"),
    ("INSTALL httpfs", "INSTALL"),
    ("LOAD parquet", "LOAD"),  # a built-in one: read-only DuckDB would load it
    ("SET enable_external_access = true", "SET"),
    ("RESET lock_configuration", "RESET"),
    ("PRAGMA enable_profiling", "PRAGMA"),  # read-only DuckDB would run it, and draw on stdout
    ("CHECKPOINT", "CHECKPOINT"),
    ("CALL checkpoint()", "CALL"),
    ("EXPLAIN ANALYZE DELETE FROM messages", "EXPLAIN DELETE"),
    ("WITH doomed AS (SELECT 1) DELETE FROM messages", "DELETE"),
    ("SELECT 1; DROP TABLE messages", "DROP"),
    ("SELECT 1;\n-- then\nINSERT INTO people VALUES ('Bo', NULL);", "INSERT"),
]


@pytest.mark.parametrize("statement, refused", REFUSED, ids=[sql for sql, _ in REFUSED])
def test_statements_that_write_or_reach_outside_are_refused_and_change_nothing(db, tmp_path, statement, refused):
    (tmp_path / "in.csv").write_text("5,from a file,2024-02-02,1.00,[]\n")
    before = folder_state(tmp_path)
    result = sql(statement.format(tmp=tmp_path), db=db)
    assert result.code == 2
    assert result.err.startswith(f"foia: refused {refused}") and result.err.count("\n") == 1, result.err
    assert result.out == ""
    assert folder_state(tmp_path) == before  # the database byte for byte, and no file written beside it


def test_the_refusal_names_the_statement_and_why(db):
    assert sql("SELECT 1; DROP TABLE messages", db=db).err.startswith(
        'foia: refused DROP ("DROP TABLE messages"): it would change the database or the session; foia sql only '
        "reads (SELECT, ")
    assert 'refused COPY ("COPY people TO \'x.csv\'"): it reaches outside the database;' in sql(
        "COPY people TO 'x.csv'", db=db).err


def test_refusal_comes_before_anything_runs(db):
    """The first statement would take minutes: a refused second one stops the whole batch at once."""
    started = time.monotonic()
    result = sql(f"{LONG_QUERY}; DROP TABLE messages", db=db)
    assert result.code == 2 and "refused DROP" in result.err
    assert time.monotonic() - started < 5


def test_reading_another_file_fails(db, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("name,password\nann,hunter2\n")
    for statement in (f"SELECT * FROM read_csv('{secret}')", f"SELECT * FROM '{secret}'",
                      f"SELECT content FROM read_text('{secret}')", f"SELECT * FROM glob('{tmp_path}/*')"):
        result = sql(statement, db=db)
        assert result.code == 2, statement
        assert "hunter2" not in result.out and "secret" not in result.out
        assert result.err.startswith("foia: ") and result.err.count("\n") == 1


def test_the_connection_itself_cannot_write_files_or_change_its_settings(db, tmp_path):
    """The second lock, for a statement that got past the check: run straight on the opened connection."""
    con = open_read_only(db)
    try:
        for statement in (f"COPY messages TO '{tmp_path}/leak.csv'", f"ATTACH '{tmp_path}/new.duckdb'",
                          "INSTALL httpfs", "SET enable_external_access = true", "RESET lock_configuration",
                          "INSERT INTO messages VALUES (9, NULL, NULL, NULL, NULL)"):
            with pytest.raises(duckdb.Error):
                con.execute(statement)
    finally:
        con.close()
    assert sorted(os.listdir(tmp_path)) == ["evidence.duckdb"]


INSPECTING = ["DESCRIBE messages", "SHOW TABLES", "SHOW messages", "SUMMARIZE messages",
              "PRAGMA table_info('messages')", "PRAGMA show_tables", "PRAGMA database_size",
              "EXPLAIN SELECT * FROM messages", "EXPLAIN ANALYZE SELECT count(*) FROM messages",
              "CALL pragma_version()", "CALL duckdb_tables()", "FROM people", "VALUES (1, 'one')",
              "WITH recent AS (SELECT * FROM messages WHERE sent > DATE '2024-01-01') SELECT count(*) FROM recent",
              "PIVOT messages ON id IN (1, 3) USING count(*) GROUP BY subject",
              "/* a comment first */ SELECT 1"]


@pytest.mark.parametrize("statement", INSPECTING)
def test_queries_and_inspection_run_and_change_nothing(db, tmp_path, statement):
    before = folder_state(tmp_path)
    result = sql(statement, db=db)
    assert (result.code, result.err) == (0, ""), result.err
    assert result.out
    assert folder_state(tmp_path) == before


def test_parse_read_only_needs_no_database():
    assert [statement.type for statement in parse_read_only("SELECT 1; DESCRIBE SELECT 2")] == [
        duckdb.StatementType.SELECT, duckdb.StatementType.SELECT]
    with pytest.raises(RefusedStatement, match=r"^refused CREATE \(made by DuckDB for a PIVOT without an IN"):
        parse_read_only("PIVOT messages ON id")  # DuckDB makes a CREATE TYPE for it


QUERY = "SELECT * FROM messages ORDER BY id"


def test_table_format(db):
    assert sql(QUERY, db=db).out == (
        "id  subject  sent        amount  tags\n"
        "--  -------  ----------  ------  ----------\n"
        " 1  a|b, c   2024-01-02    1.50  [\"x\", \"y\"]\n"
        " 3  plain    2023-12-31   10.00  NULL\n"
        "22  NULL     NULL          NULL  []\n")


def test_table_format_keeps_one_line_a_row_and_cuts_long_values(db):
    out = sql("SELECT 'line one\nline two' AS body, repeat('x', 200) AS long", db=db).out
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[2].startswith("line one\\nline two  xxx") and lines[2].endswith("x…")
    assert len(lines[2]) == len("line one\\nline two  ") + 80


def test_csv_format(db):
    assert sql(QUERY, "--format", "csv", db=db).out == (
        "id,subject,sent,amount,tags\n"
        '1,"a|b, c",2024-01-02,1.50,"[""x"", ""y""]"\n'
        "3,plain,2023-12-31,10.00,\n"
        "22,,,,[]\n")


def test_json_format(db):
    out = sql(QUERY, "--format", "json", db=db).out
    assert out == (
        "[\n"
        '{"id": 1, "subject": "a|b, c", "sent": "2024-01-02", "amount": "1.50", "tags": ["x", "y"]},\n'
        '{"id": 3, "subject": "plain", "sent": "2023-12-31", "amount": "10.00", "tags": null},\n'
        '{"id": 22, "subject": null, "sent": null, "amount": null, "tags": []}\n'
        "]\n")
    assert json.loads(out)[2]["subject"] is None


def test_json_format_makes_every_kind_of_value_json_safe(db):
    out = sql("""SELECT TIMESTAMP '2024-01-02 03:04:05' AS at, TIME '12:30:00' AS t, {'who': 'Ann', 'n': [1, 2]} AS s,
                        MAP {'k': 1} AS m, '\\xAA'::BLOB AS b, 'inf'::DOUBLE AS f, INTERVAL 2 DAY AS i,
                        12345678901234567890123::HUGEINT AS h, 1 AS a, 2 AS a""", "--format", "json", db=db).out
    assert json.loads(out) == [{"at": "2024-01-02T03:04:05", "t": "12:30:00", "s": {"who": "Ann", "n": [1, 2]},
                                "m": {"k": 1}, "b": "aa", "f": "inf", "i": "2 days, 0:00:00",
                                "h": 12345678901234567890123, "a": 1, "a_2": 2}]
    assert sql("SELECT 1 WHERE false", "--format", "json", db=db).out == "[]\n"


def test_markdown_format(db):
    assert sql(QUERY, "--format", "markdown", db=db).out == (
        "| id | subject | sent | amount | tags |\n"
        "| ---: | --- | --- | ---: | --- |\n"
        "| 1 | a\\|b, c | 2024-01-02 | 1.50 | [\"x\", \"y\"] |\n"
        "| 3 | plain | 2023-12-31 | 10.00 | NULL |\n"
        "| 22 | NULL | NULL | NULL | [] |\n")


def test_limit_prints_the_first_rows_and_says_there_are_more(db):
    result = sql(QUERY, "--limit", "2", "--format", "csv", db=db)
    assert result.code == 0
    assert result.out == 'id,subject,sent,amount,tags\n1,"a|b, c",2024-01-02,1.50,"[""x"", ""y""]"\n3,plain,' \
                         "2023-12-31,10.00,\n"
    assert result.err == "(first 2 rows; use --limit to see more)\n"
    assert sql(QUERY, "--limit", "3", db=db).err == ""


def test_limit_fetches_only_what_it_prints(db):
    """Ten billion rows would take minutes to fetch whole: only the first 1000 (and one more) are."""
    started = time.monotonic()
    result = sql("SELECT a.range AS n FROM range(100000) a, range(100000) b", "--format", "csv", db=db)
    assert result.code == 0
    assert result.out.count("\n") == 1001  # the header and 1000 rows
    assert result.err == "(first 1000 rows; use --limit to see more)\n"
    assert time.monotonic() - started < 10


def test_statements_from_standard_input(db):
    result = sql("--format", "csv", db=db, stdin="SELECT count(*) AS n FROM messages;\n")
    assert (result.code, result.out) == (0, "n\n3\n")
    heredoc = "-- two queries\nSELECT name FROM people;\nSELECT count(*) AS n\nFROM messages;\n"
    assert sql("-", "--format", "csv", db=db, stdin=heredoc).out == "name\nAnn\n\nn\n3\n"


def test_no_statement_at_all(db):
    result = sql(db=db, stdin="  -- nothing here\n")
    assert (result.code, result.out) == (2, "")
    assert result.err == "foia: no SQL statement given (pass one, or pipe it on standard input)\n"


def test_a_long_query_is_interrupted_at_the_timeout(db):
    started = time.monotonic()
    result = sql(LONG_QUERY, "--timeout", "0.5", db=db)
    elapsed = time.monotonic() - started
    assert result.code == 2
    assert result.err == ("foia: the query timed out after 0.5 s and was interrupted "
                          "(use --timeout to allow longer)\n")
    assert elapsed < 5


def test_a_missing_database(tmp_path):
    missing = str(tmp_path / "nowhere.duckdb")
    result = sql("SELECT 1", db=missing)
    assert (result.code, result.out, result.err) == (2, "", f"foia: no database at {missing}\n")
    assert not os.path.exists(missing)


def test_an_sql_error_is_one_line(db):
    result = sql("SELECT nothing FROM messages", db=db)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith('foia: Binder Error: Referenced column "nothing" not found')
    assert result.err.count("\n") == 1
    parse_error = sql("SELEC 1", db=db)
    assert parse_error.code == 2 and parse_error.err.startswith("foia: Parser Error: syntax error")


def test_full_text_indexes_can_be_searched(tmp_path):
    path = str(tmp_path / "indexed.duckdb")
    con = duckdb.connect(path)
    try:
        con.execute("LOAD fts")
    except duckdb.Error:
        pytest.skip("the fts extension is not installed in DuckDB's extension folder")
    con.execute("CREATE TABLE docs (id VARCHAR, body VARCHAR)")
    con.execute("INSERT INTO docs VALUES ('1', 'the moon landing'), ('2', 'budget memo'), ('3', 'lunch')")
    con.execute("PRAGMA create_fts_index('docs', 'id', 'body')")
    con.close()
    result = sql("SELECT id FROM docs WHERE fts_main_docs.match_bm25(id, 'moon') IS NOT NULL", "--format", "csv",
                 db=path)
    assert (result.code, result.out, result.err) == (0, "id\n1\n", "")
