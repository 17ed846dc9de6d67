"""`foia export TABLE|all`: every table and view as files with a manifest that lets a reader check them."""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import shutil

import pyarrow.parquet as pq
import pytest

from flows.export import MESSAGES, add_export_parser, export_messages, run_export_command
from models import schema, search_index
from tests.conftest import altered_copy, query

FORMATS = ("parquet", "csv", "jsonl")


def run(*argv: str) -> tuple[int, str, str]:
    """`foia export ...` through the parser and runner the CLI wires in."""
    parser = argparse.ArgumentParser(prog="foia")
    add_export_parser(parser.add_subparsers(dest="command", required=True))
    out, err = io.StringIO(), io.StringIO()
    code = run_export_command(parser.parse_args(["export", *argv]), out, err)
    return code, out.getvalue(), err.getvalue()


def catalog(db: str) -> set[str]:
    """The tables and views an export of everything must hold, read from DuckDB's own catalog."""
    rows = query(db, """SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal
                        UNION SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal""")
    return {name for (name,) in rows} - {"schema_migrations", search_index.TABLE}


def rows_in(path: str, fmt: str) -> list[dict]:
    if fmt == "parquet":
        return pq.read_table(path).to_pylist()
    if fmt == "csv":
        with open(path, newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def manifest_of(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def exports(sample_db, tmp_path_factory):
    """`all` in each format, written once for the module's tests: format -> (folder, stdout)."""
    written = {}
    for fmt in FORMATS:
        folder = str(tmp_path_factory.mktemp("export") / fmt)
        code, out, err = run("all", folder, "--db", sample_db, "--format", fmt)
        assert code == 0, err
        written[fmt] = (folder, out)
    return written


@pytest.mark.parametrize("fmt", FORMATS)
def test_all_writes_each_table_and_view_with_counts_and_hashes_in_the_manifest(sample_db, exports, fmt):
    folder, out = exports[fmt]
    manifest = manifest_of(os.path.join(folder, "manifest.json"))
    names = catalog(sample_db)
    assert {entry["table"] for entry in manifest["files"]} == names
    assert sorted(os.listdir(folder)) == sorted([f"{name}.{fmt}" for name in names] + ["manifest.json"])
    for entry in manifest["files"]:
        path = os.path.join(folder, entry["file"])
        count = query(sample_db, f'SELECT count(*) FROM "{entry["table"]}"')[0][0]
        assert len(rows_in(path, fmt)) == entry["rows"] == count, entry["table"]
        assert entry["sha256"] == sha256(path) and entry["bytes"] == os.path.getsize(path)
        assert entry["filtered_by_release"] is False
        assert [c["name"] for c in entry["columns"]] == [
            row[0] for row in query(sample_db, f'DESCRIBE SELECT * FROM "{entry["table"]}"')]
    assert manifest["format"] == fmt and manifest["release_filter"] is None
    assert manifest["schema_version"] == schema.SCHEMA_VERSION
    assert manifest["database"] == os.path.basename(sample_db) and manifest["tool_version"]
    assert manifest["releases"] == [{"release_id": 1, "name": "sample"}]
    assert out.count("\n") == len(names) + 1 and out.splitlines()[-1].endswith("manifest.json")
    assert query(sample_db, "SELECT count(*) FROM messages")[0][0] > 0  # the sample has something to export


def test_manifest_lists_every_source_file_with_the_sha256_its_document_id_is(sample_db, exports):
    manifest = manifest_of(os.path.join(exports["parquet"][0], "manifest.json"))
    documents = query(sample_db, "SELECT file_name, source_path, document_id FROM documents ORDER BY source_path")
    assert [(s["file_name"], s["source_path"], s["sha256"]) for s in manifest["source_files"]] == documents
    on_disk = [s for s in manifest["source_files"] if os.path.isfile(s["source_path"])]
    assert on_disk and all(sha256(s["source_path"]) == s["sha256"] for s in on_disk)


def test_the_same_database_exports_to_the_same_bytes(sample_db, exports, tmp_path):
    """Views are sorted, tables keep their stored order: a second export can be checked against the first."""
    assert run("all", str(tmp_path / "again"), "--db", sample_db, "--format", "parquet")[0] == 0
    first = manifest_of(os.path.join(exports["parquet"][0], "manifest.json"))
    again = manifest_of(str(tmp_path / "again" / "manifest.json"))
    assert [(f["file"], f["sha256"]) for f in again["files"]] == [(f["file"], f["sha256"]) for f in first["files"]]
    assert [f["rows"] for f in again["files"]] == [f["rows"] for f in first["files"]]


def test_csv_writes_nested_values_as_json_text(sample_db, exports):
    folder = exports["csv"][0]
    manifest = manifest_of(os.path.join(folder, "manifest.json"))
    lines = rows_in(os.path.join(folder, "message_lines.csv"), "csv")
    stored = dict(((m, n), list(w)) for m, n, w in query(
        sample_db, "SELECT message_id, line_number, word_indices FROM message_lines"))
    assert all(json.loads(row["word_indices"]) == stored[(row["message_id"], int(row["line_number"]))]
               for row in lines)
    citations = [json.loads(row["citations"]) for row in rows_in(os.path.join(folder, "email_mentions.csv"), "csv")]
    assert citations and all(isinstance(c, list) and {"document_id", "page_number"} <= set(c[0]) for c in citations)
    entry = next(f for f in manifest["files"] if f["table"] == "message_lines")
    assert entry["json_text_columns"] == ["word_indices"]
    assert next(c for c in entry["columns"] if c["name"] == "word_indices")["type"] == "INTEGER[]"
    # jsonl and parquet keep them nested
    assert isinstance(rows_in(os.path.join(exports["jsonl"][0], "message_lines.jsonl"), "jsonl")[0]["word_indices"],
                      list)
    assert isinstance(rows_in(os.path.join(exports["parquet"][0], "message_lines.parquet"), "parquet")[0][
        "word_indices"], list)


def test_a_single_table_and_a_view_each_get_a_manifest_beside_them(sample_db, tmp_path):
    for name, fmt in (("documents", "parquet"), ("timeline", "jsonl")):
        out = str(tmp_path / f"{name}.{fmt}")
        code, stdout, err = run(name, out, "--db", sample_db)  # the format from the extension
        assert code == 0, err
        manifest = manifest_of(out + ".manifest.json")
        (entry,) = manifest["files"]
        count = query(sample_db, f"SELECT count(*) FROM {name}")[0][0]
        assert entry["file"] == os.path.basename(out) and entry["rows"] == len(rows_in(out, fmt)) == count > 0
        assert entry["kind"] == ("view" if name == "timeline" else "table") and entry["sha256"] == sha256(out)
        assert stdout.splitlines() == [f"Wrote {count} row(s) of {name} to {out} ({fmt}).",
                                       f"Manifest: {out}.manifest.json"]
        assert manifest["source_files"] and manifest["format"] == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_messages_export_is_unchanged(sample_db, tmp_path, fmt):
    out = str(tmp_path / f"m.{fmt}")
    code, stdout, err = run(MESSAGES, out, "--db", sample_db, "--format", fmt)
    assert code == 0, err
    con = schema.connect(sample_db, read_only=True)
    try:
        count = export_messages(con, str(tmp_path / f"direct.{fmt}"), fmt)
    finally:
        con.close()
    assert sha256(out) == sha256(str(tmp_path / f"direct.{fmt}"))
    assert stdout.splitlines()[0] == f"Wrote {count} message(s) to {out} ({fmt})."
    (entry,) = manifest_of(out + ".manifest.json")["files"]
    assert entry["kind"] == "messages record" and entry["rows"] == count and entry["sha256"] == sha256(out)
    assert entry.get("json_text_columns", []) == (["to", "cc", "bcc", "attachments"] if fmt == "csv" else [])


@pytest.fixture
def two_releases(sample_db, tmp_path):
    """A copy of the sample with a second release holding a copy of one document and its messages (the
    session database itself is only read)."""
    db = str(tmp_path / "two.duckdb")
    shutil.copy(sample_db, db)
    con = schema.connect(db)
    try:
        con.execute("INSERT INTO releases (release_id, name) VALUES (2, 'other')")
        con.execute("INSERT INTO ingest_runs SELECT * REPLACE (2 AS run_id, 2 AS release_id) FROM ingest_runs")
        doc = con.execute("SELECT min(document_id) FROM messages").fetchone()[0]
        con.execute("""INSERT INTO documents SELECT * REPLACE ('copy-' || document_id AS document_id,
                       2 AS release_id, 2 AS run_id) FROM documents WHERE document_id = ?""", [doc])
        for table in ("pages", "page_words"):
            con.execute(f"INSERT INTO {table} SELECT * REPLACE ('copy-' || document_id AS document_id) FROM {table} "
                        "WHERE document_id = ?", [doc])
        con.execute("""INSERT INTO messages SELECT * REPLACE ('copy-' || message_id AS message_id,
                       'copy-' || document_id AS document_id) FROM messages WHERE document_id = ?""", [doc])
        con.execute("""INSERT INTO recipients SELECT * REPLACE ('copy-' || message_id AS message_id) FROM recipients
                       WHERE message_id IN (SELECT message_id FROM messages WHERE document_id = ?)""", [doc])
    finally:
        con.close()
    return db, doc


def test_release_restricts_linked_tables_and_writes_the_others_whole(sample_db, two_releases, tmp_path):
    db, doc = two_releases
    for release, expected in (("sample", None), ("other", doc)):
        folder = str(tmp_path / release)
        code, out, err = run("all", folder, "--db", db, "--format", "parquet", "--release", release)
        assert code == 0, err
        manifest = manifest_of(os.path.join(folder, "manifest.json"))
        files = {entry["table"]: entry for entry in manifest["files"]}
        assert manifest["release_filter"] == release and [r["name"] for r in manifest["releases"]] == [release]
        assert set(manifest["written_whole"]) == {"entities", "entity_aliases"}
        assert all(files[name]["filtered_by_release"] for name in files if name not in manifest["written_whole"])
        assert files["entities"]["rows"] == query(db, "SELECT count(*) FROM entities")[0][0]
        assert "entities.parquet (parquet), whole" in out
        if expected is None:  # the sample's own release: what the sample database holds
            for table in ("documents", "pages", "page_words", "messages", "recipients", "ingest_runs", "mentions"):
                assert files[table]["rows"] == query(sample_db, f"SELECT count(*) FROM {table}")[0][0], table
        else:
            assert files["documents"]["rows"] == 1 and len(manifest["source_files"]) == 1
            assert manifest["source_files"][0]["sha256"] == "copy-" + doc
            in_doc = "message_id IN (SELECT message_id FROM messages WHERE document_id = ?)"
            for table, where in (("pages", "document_id = ?"), ("page_words", "document_id = ?"),
                                 ("messages", "document_id = ?"), ("recipients", in_doc)):
                assert files[table]["rows"] == query(db, f"SELECT count(*) FROM {table} WHERE {where}", [doc])[0][0]
            assert files["mentions"]["rows"] == 0 and files["ingest_runs"]["rows"] == 1
            written = rows_in(os.path.join(folder, "messages.parquet"), "parquet")
            assert {row["document_id"] for row in written} == {"copy-" + doc}


def test_an_unknown_release_is_an_error_naming_the_releases(sample_db, tmp_path):
    code, out, err = run("all", str(tmp_path / "out"), "--db", sample_db, "--format", "csv", "--release", "nope")
    assert code == 2 and out == ""
    assert "no release named 'nope' in the database (releases: sample)" in err
    assert not os.path.exists(tmp_path / "out")
    assert run("documents", str(tmp_path / "d.csv"), "--db", sample_db, "--release", "nope")[0] == 2


def test_an_unknown_table_is_an_error_listing_the_names(sample_db, tmp_path):
    code, _, err = run("nonesuch", str(tmp_path / "x.csv"), "--db", sample_db)
    assert code == 2 and "no table or view named 'nonesuch'" in err
    assert all(name in err for name in catalog(sample_db)) and "schema_migrations" not in err
    assert search_index.TABLE not in err and "fts_" not in err
    assert not os.path.exists(tmp_path / "x.csv")


def test_a_folder_holding_other_files_is_refused_and_an_earlier_export_replaced(sample_db, tmp_path):
    unrelated = tmp_path / "notes"
    unrelated.mkdir()
    (unrelated / "mine.txt").write_text("keep me")
    code, _, err = run("all", str(unrelated), "--db", sample_db, "--format", "csv")
    assert code == 2 and "not empty" in err and os.listdir(unrelated) == ["mine.txt"]

    folder = tmp_path / "shared"
    assert run("all", str(folder), "--db", sample_db, "--format", "csv")[0] == 0
    assert run("all", str(folder), "--db", sample_db, "--format", "jsonl")[0] == 0
    manifest = manifest_of(str(folder / "manifest.json"))
    assert manifest["format"] == "jsonl"
    assert sorted(os.listdir(folder)) == sorted([entry["file"] for entry in manifest["files"]] + ["manifest.json"])
    assert run("all", str(tmp_path / "x"), "--db", sample_db)[0] == 2  # a folder has no extension to go by


def test_a_database_of_another_schema_version_is_refused(sample_db, tmp_path):
    db = altered_copy(sample_db, tmp_path,
                      "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
    code, _, err = run("documents", str(tmp_path / "d.csv"), "--db", db)
    assert code == 2 and "schema version" in err


def test_the_search_table_and_its_fts_index_are_left_out(sample_db, tmp_path):
    """`foia search`'s table is a copy of messages, passages and pages, and its index lives in fts_main_*."""
    db = str(tmp_path / "indexed.duckdb")
    shutil.copy(sample_db, db)
    con = schema.connect(db)
    try:
        search_index.refresh_search_index(con)
    finally:
        con.close()
    assert query(db, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = ?", [search_index.FTS_SCHEMA])[0][0]
    code, _, err = run("all", str(tmp_path / "out"), "--db", db, "--format", "jsonl")
    assert code == 0, err
    written = {entry["table"] for entry in manifest_of(str(tmp_path / "out" / "manifest.json"))["files"]}
    assert written == catalog(db) and search_index.TABLE not in written
    assert run(search_index.TABLE, str(tmp_path / "s.jsonl"), "--db", db)[0] == 2
