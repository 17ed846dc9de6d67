"""`foia check` (models/integrity.py): each kind of damage is found and named; a whole database passes (the
`ingest` fixture also checks every database the tests build)."""

from __future__ import annotations

import pytest

from flows.cli import main
from tests.conftest import altered_copy

DAMAGE = {
    "a document has every page it counts":
        "DELETE FROM pages WHERE (document_id, page_number) IN (SELECT document_id, max(page_number) FROM pages "
        "GROUP BY document_id LIMIT 1)",
    "every recipients.message_id names a row of messages":
        "INSERT INTO recipients SELECT * REPLACE ('no-such-message' AS message_id) FROM recipients LIMIT 1",
    "every events citation points at words its page holds":
        "UPDATE events SET word_indices = list_append(word_indices, 99999) WHERE event_id = "
        "(SELECT min(event_id) FROM events WHERE page_number IS NOT NULL)",
    "every message line points at words its page holds":
        "UPDATE message_lines SET page_number = page_number + 100 WHERE line_number = 1",
    "every message and passage is printed on pages its document has":
        "UPDATE passages SET page_end = page_end + 50 WHERE passage_id = (SELECT min(passage_id) FROM passages)",
    "no row is stored twice (the tables without a primary key, by their natural key)":
        "INSERT INTO page_words SELECT * FROM page_words LIMIT 1",
    "a finished run's counts are what the tables hold": "UPDATE ingest_runs SET documents_loaded = 1",
    "every event_participants.event_id names a row of events":
        "DELETE FROM events WHERE event_id = (SELECT min(event_id) FROM event_participants)",
}


def test_a_whole_database_passes(sample_db, capsys):
    assert main(["check", "--db", sample_db]) == 0
    assert "checks passed" in capsys.readouterr().out


@pytest.mark.parametrize("check", sorted(DAMAGE))
def test_each_kind_of_damage_is_found_and_named(sample_db, tmp_path, capsys, check):
    db = altered_copy(sample_db, tmp_path, DAMAGE[check])
    assert main(["check", "--db", db]) == 1
    out = capsys.readouterr().out
    assert f"  {check}: " in out, out


def test_a_missing_or_foreign_database_is_a_clear_error(tmp_path, capsys):
    import duckdb

    assert main(["check", "--db", str(tmp_path / "none.duckdb")]) == 2
    duckdb.connect(str(tmp_path / "other.duckdb")).execute("CREATE TABLE t (x INT)").close()
    assert main(["check", "--db", str(tmp_path / "other.duckdb")]) == 2
    assert "could not be checked" in capsys.readouterr().err
