"""Full-text search (models/search_index.py, flows/search.py) on the sample release as ingested: ranking, phrases,
subject: terms, snippets, the release filter, and the index kept fresh by ingest and reparse."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys

import duckdb
import pytest

from flows.reparse import reparse_database
from flows.search import add_search_parser, run_search_command
from models.search_index import (MARKS, SearchError, has_search_index, load_fts, phrase_pattern, refresh_search_index,
                                 search)
from models.settings import IngestSettings
from tests.conftest import ROOT, SAMPLE_GAZETTEER, query

OTHER_RELEASE_EML = (
    "From: Ines Marlow <imarlow@harbourcity.example>\r\n"
    "To: Quillmark Sales <sales@quillmark.example>\r\n"
    "Subject: Harbour City pilot of FaceQuill\r\n"
    "Date: Tue, 03 Sep 2019 10:15:00 -0400\r\n"
    "Message-ID: <pilot-1@harbourcity.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Our sheriff's office would like a pilot of FaceQuill for the harbour patrol unit.\r\n"
).encode("utf-8")


@pytest.fixture
def db(sample_db, tmp_path):
    """A copy of the ingested sample release, so no test writes to the session's database."""
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_db, copy)
    if os.path.exists(sample_db + ".wal"):
        shutil.copy(sample_db + ".wal", str(copy) + ".wal")
    return str(copy)


def _open(path: str, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(path, read_only=read_only)


def _units_and_texts(path: str) -> tuple[int, int]:
    return query(path, """SELECT (SELECT count(*) FROM search_units),
                                 (SELECT count(*) FROM messages) + (SELECT count(*) FROM passages)""")[0]


def _body(path: str, hit) -> str:
    if hit.kind == "message":
        return query(path, "SELECT body FROM messages WHERE message_id = ?", [hit.message_id])[0][0]
    return query(path, "SELECT text FROM passages WHERE passage_id = ?", [hit.passage_id])[0][0]


def _contains_phrase(path: str, hit, phrase: str) -> bool:
    pattern = re.compile(phrase_pattern(phrase), re.I)
    return any(pattern.search(text or "") for text in (hit.subject, _body(path, hit)))


def test_ingest_builds_the_index_of_every_message_and_passage(sample_db):
    units, texts = _units_and_texts(sample_db)
    assert units == texts > 0
    kinds = dict(query(sample_db, "SELECT kind, count(*) FROM search_units GROUP BY kind"))
    assert set(kinds) == {"message", "passage"}  # every sample document was split: no page falls back
    con = _open(sample_db)
    try:
        assert has_search_index(con)
    finally:
        con.close()


def test_a_word_query_ranks_the_message_about_it_first(db):
    con = _open(db)
    try:
        hits = search(con, "licence quote")
    finally:
        con.close()
    assert len(hits) > 1
    best = hits[0]
    assert (best.kind, best.subject, best.file_name) == (
        "message", "FaceQuill 4 licence quote - Port Halden PD", "PHPD-000110_pilot_report_and_quote.pdf")
    assert (best.page_number, best.bates, best.release) == (2, "PHPD-000111", "sample")
    assert best.message_id == best.unit_id and best.passage_id is None
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_a_quoted_phrase_matches_only_units_holding_the_phrase(db):
    con = _open(db)
    try:
        words = search(con, "operator training")
        phrase = search(con, '"operator training"')
        across_lines = search(con, '"the operator course"')  # printed as "... to the operator\ncourse."
    finally:
        con.close()
    assert phrase and all(_contains_phrase(db, hit, "operator training") for hit in phrase)
    assert any(not _contains_phrase(db, hit, "operator training") for hit in words)  # the words alone match more
    assert {hit.unit_id for hit in phrase} < {hit.unit_id for hit in words}
    assert [hit.subject for hit in across_lines] == ["Training for detectives"]
    assert "operator\ncourse" in _body(db, across_lines[0])


def test_subject_terms_must_be_in_the_subject(db):
    con = _open(db)
    try:
        anywhere = search(con, "pilot")
        in_subject = search(con, "subject:pilot")
        subject_phrase = search(con, 'subject:"operator training"')
        mixed = search(con, "subject:pilot weeks")
    finally:
        con.close()
    assert in_subject and all("pilot" in hit.subject.lower() for hit in in_subject)
    assert any("pilot" not in (hit.subject or "").lower() for hit in anywhere)
    assert len(in_subject) < len(anywhere)
    assert subject_phrase and all("operator training" in hit.subject.lower() for hit in subject_phrase)
    assert {hit.unit_id for hit in mixed} == {hit.unit_id for hit in in_subject}  # weeks only ranks
    assert "weeks" in mixed[0].subject


def test_the_snippet_marks_the_matches_around_the_first_one(db):
    con = _open(db)
    try:
        stemmed = search(con, "licence", limit=5)
        phrase = search(con, '"face recognition"', limit=1)[0]
    finally:
        con.close()
    best = stemmed[0]
    assert f"{MARKS[0]}licences{MARKS[1]}" in best.snippet  # "licence" finds and marks "licences"
    assert f"{MARKS[0]}face recognition{MARKS[1]}" in phrase.snippet
    for hit in stemmed + [phrase]:
        assert "\n" not in hit.snippet and len(hit.snippet) < 260
    assert all(MARKS[0] in hit.snippet for hit in stemmed if re.search("licen[cs]e", _body(db, hit), re.I))


def test_no_hits_empty_queries_and_stop_words(db):
    con = _open(db)
    try:
        assert search(con, "zeppelin") == []
        assert search(con, "subject:zeppelin pilot") == []
        with pytest.raises(SearchError, match="empty"):
            search(con, "   ")
        with pytest.raises(SearchError, match="not indexed"):
            search(con, "the of")
        quoted = search(con, '"to the"')  # a phrase of stop words is still found, by its text
        assert quoted and all(_contains_phrase(db, hit, "to the") for hit in quoted)
        with pytest.raises(SearchError, match="no release named 'nope'"):
            search(con, "pilot", release="nope")
    finally:
        con.close()


def test_ingest_refreshes_the_index_and_the_release_filter_keeps_one_release(db, ingest, tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    (folder / "harbour_pilot.eml").write_bytes(OTHER_RELEASE_EML)
    result = ingest([folder], db, release="other", gazetteer_files=(SAMPLE_GAZETTEER,))
    assert result.code == 0, result.out + result.err
    units, texts = _units_and_texts(db)
    assert units == texts
    con = _open(db)
    try:
        everywhere = search(con, "pilot")
        other = search(con, "pilot", release="other")
        sample = search(con, "pilot", release="sample")
    finally:
        con.close()
    assert {hit.release for hit in everywhere} == {"sample", "other"}
    assert [(hit.subject, hit.file_name, hit.page_number, hit.bates) for hit in other] == [
        ("Harbour City pilot of FaceQuill", "harbour_pilot.eml", None, None)]
    assert sample and {hit.release for hit in sample} == {"sample"}
    assert len(sample) + len(other) == len(everywhere)


def test_reparse_rebuilds_the_index(db):
    con = _open(db, read_only=False)
    try:
        con.execute("DROP TABLE search_units")
        con.execute("DROP SCHEMA fts_main_search_units CASCADE")
        assert not has_search_index(con)
        out = io.StringIO()
        reparse_database(con, out, IngestSettings(gazetteer_files=(SAMPLE_GAZETTEER,)))
        assert "Search index" not in out.getvalue()  # no failure reported
        assert has_search_index(con)
        assert search(con, "licence quote")[0].subject == "FaceQuill 4 licence quote - Port Halden PD"
    finally:
        con.close()
    units, texts = _units_and_texts(db)
    assert units == texts


def test_an_old_database_gets_its_index_where_it_may_write_and_is_told_what_to_do_where_not(db):
    con = _open(db, read_only=False)
    con.execute("DROP TABLE search_units")
    con.execute("DROP SCHEMA fts_main_search_units CASCADE")
    con.close()
    con = _open(db)
    try:
        with pytest.raises(SearchError, match="foia reparse"):
            search(con, "pilot")
    finally:
        con.close()
    con = _open(db, read_only=False)
    try:
        assert search(con, "pilot")
        assert has_search_index(con)
    finally:
        con.close()


def test_pages_of_a_document_never_split_are_searched_as_pages(db):
    con = _open(db, read_only=False)
    try:
        document_id, file_name = con.execute("""SELECT document_id, file_name FROM documents
                                                WHERE file_name LIKE 'PHPD-000112%'""").fetchone()
        for table in ("messages", "passages"):  # as ingest leaves a document whose splitting failed
            con.execute(f"DELETE FROM {table} WHERE document_id = ?", [document_id])
        refresh_search_index(con)
        pages = con.execute("""SELECT unit_id, page_number, bates FROM search_units WHERE kind = 'page'
                               ORDER BY page_number""").fetchall()
        hits = search(con, '"audit log export"')
    finally:
        con.close()
    assert pages == [(f"{document_id}:page1", 1, "PHPD-000112"), (f"{document_id}:page2", 2, "PHPD-000113")]
    assert [(hit.kind, hit.file_name, hit.page_number, hit.bates) for hit in hits] == [
        ("page", file_name, 2, "PHPD-000113")]


def _cli(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="foia")
    add_search_parser(parser.add_subparsers(dest="command", required=True))
    out, err = io.StringIO(), io.StringIO()
    code = run_search_command(parser.parse_args(["search", *argv]), out, err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_prints_a_numbered_list_or_json(db):
    code, out, err = _cli("licence quote", "--db", db, "--limit", "2")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("1. ") and "PHPD-000110_pilot_report_and_quote.pdf  page 2  Bates PHPD-000111  message" \
        in lines[0]
    assert lines[1].strip() == "Subject: FaceQuill 4 licence quote - Port Halden PD"
    assert MARKS[0] in lines[2] and lines[3].startswith("2. ") and lines[-1] == "2 match(es) for licence quote."
    code, out, err = _cli('"face recognition"', "--db", db, "--format", "json", "--release", "sample")
    hits = json.loads(out)
    assert code == 0 and hits and all(hit["release"] == "sample" and hit["score"] > 0 for hit in hits)
    assert set(hits[0]) >= {"kind", "message_id", "passage_id", "file_name", "page_number", "bates", "subject",
                            "snippet"}
    assert _cli("zeppelin", "--db", db) == (0, "No matches for zeppelin.\n", "")


def test_the_command_fails_with_one_line(db, tmp_path):
    code, out, err = _cli("pilot", "--db", db, "--release", "nope")
    assert (code, out) == (2, "") and err.startswith("foia: no release named 'nope'") and err.count("\n") == 1
    code, _, err = _cli("pilot", "--db", str(tmp_path / "missing.duckdb"))
    assert code == 2 and err.startswith("foia: no database at")
    con = _open(db, read_only=False)
    con.execute("DROP SCHEMA fts_main_search_units CASCADE")
    con.close()
    code, _, err = _cli("pilot", "--db", db)  # the command opens the database read-only
    assert code == 2 and f"foia reparse --db {db}" in err and err.count("\n") == 1


def test_the_extension_loads_offline_on_a_fresh_machine(tmp_path):
    """A HOME with no DuckDB extensions: the fts extension comes from the installed pip package, not the network."""
    script = ("import duckdb; from models.search_index import load_fts; con = duckdb.connect(); load_fts(con); "
              "print(con.execute(\"SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'fts'\")"
              ".fetchone()[0])")
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
    assert (tmp_path / ".duckdb" / "extensions").is_dir()  # installed once, from the package, for the next start


def test_the_extension_loads_from_the_package_where_duckdbs_extension_folder_cannot_be_written():
    con = duckdb.connect(config={"extension_directory": "/dev/null/extensions"})
    try:
        load_fts(con)
        assert con.execute("SELECT stem('trainings', 'porter')").fetchone()[0] == "train"
    finally:
        con.close()
