"""Messages in the database: loaded with their document, exported, re-parsed, read twice on agency scans."""

import csv
import json
import os
import shutil

import duckdb
import pyarrow.parquet as pq
import pytest

from flows import document_compute
from flows.cli import main
from models import schema
from tests.conftest import DEMO_SAMPLE, SAMPLE_GAZETTEER, STATE_PDFS, compute_here, needs_corpus, query

DEMO = os.path.basename(DEMO_SAMPLE)


def test_ingest_splits_the_demo_chain_into_linked_messages(sample_db):
    messages = query(sample_db, """
        SELECT m.ordinal, m.depth, p.ordinal, m.layout, m.sender_name, m.sent_at::VARCHAR, m.subject_normalized
        FROM messages m JOIN documents d USING (document_id) LEFT JOIN messages p ON p.message_id = m.parent_message_id
        WHERE d.file_name = ? ORDER BY m.ordinal""", [DEMO])
    assert messages == [
        (0, 0, None, "header_block", "Vasquez-Lind, Dorian (PHPD)", "2019-04-03 10:41:00",
         "FaceQuill 4 demonstration for Port Halden PD"),
        (1, 1, 0, "header_block", "Teague, Marisol", "2019-04-02 16:18:00",
         "FaceQuill 4 demonstration for Port Halden PD"),
        (2, 2, 1, "header_block", "Vasquez-Lind, Dorian (PHPD)", "2019-03-26 09:02:00",
         "Face recognition options for the RTCC"),
    ]
    recipients = query(sample_db, """
        SELECT r.kind, r.position, r.name, r.email, r.redacted, r.raw FROM recipients r
        JOIN messages m USING (message_id) JOIN documents d USING (document_id)
        WHERE d.file_name = ? AND m.ordinal = 0 ORDER BY r.kind DESC, r.position""", [DEMO])
    assert recipients == [
        ("to", 0, "Teague, Marisol", "mteague@quillmark-biometrics.example", False,
         '"Teague, Marisol" <mteague@quillmark-biometrics.example>'),
        ("cc", 0, "Feldmoor, Grant (PHPD)", "gfeldmoor@porthalden.example.gov", False,
         '"Feldmoor, Grant (PHPD)" <gfeldmoor@porthalden.example.gov>'),
        ("cc", 1, None, None, True, "(b)(6)"),
    ]


def test_every_message_line_points_at_the_words_it_was_read_from(sample_db):
    rebuilt = query(sample_db, """
        SELECT l.message_id, l.line_number, l.text,
               string_agg(w.text, ' ' ORDER BY list_position(l.word_indices, w.word_index)) AS words
        FROM message_lines l JOIN messages m USING (message_id)
        JOIN page_words w ON w.document_id = m.document_id AND w.page_number = l.page_number
                          AND w.layer = l.layer AND list_contains(l.word_indices, w.word_index)
        GROUP BY ALL""")
    assert len(rebuilt) == query(sample_db, "SELECT count(*) FROM message_lines")[0][0] > 50
    assert [row for row in rebuilt if row[2].split() != row[3].split()] == []
    # body text is made of body lines only, and a message's span starts at its first header line
    spans = query(sample_db, """SELECT count(*) FROM messages m JOIN message_lines l USING (message_id)
                                WHERE l.line_number = 0 AND (l.part <> 'header' OR l.page_number <> m.page_start
                                      OR list_min(l.word_indices) <> m.word_start)""")
    assert spans == [(0,)]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_writes_one_record_per_message_with_recipient_lists(sample_db, tmp_path, capsys, fmt):
    out = tmp_path / f"messages.{fmt}"
    assert main(["export", "messages", str(out), "--db", sample_db, "--format", fmt]) == 0
    if fmt == "jsonl":
        records = [json.loads(line) for line in out.read_text().splitlines()]
    elif fmt == "csv":
        records = list(csv.DictReader(out.open(newline="", encoding="utf-8")))
        for record in records:
            for key in ("to", "cc", "bcc", "attachments"):
                record[key] = json.loads(record[key])
    else:
        records = pq.read_table(out).to_pylist()
    assert len(records) == query(sample_db, "SELECT count(*) FROM messages")[0][0]
    top = next(r for r in records if r["file_name"] == DEMO and int(r["ordinal"]) == 0)
    assert top["to"] == [{"name": "Teague, Marisol", "email": "mteague@quillmark-biometrics.example",
                          "redacted": False}]
    assert top["cc"][1] == {"name": None, "email": None, "redacted": True}
    assert top["bcc"] == [] and "Reston" in top["body"]
    assert f"Wrote {len(records)} message(s)" in capsys.readouterr().out


def test_export_refuses_an_unknown_release_and_format(sample_db, tmp_path, capsys):
    assert main(["export", "messages", str(tmp_path / "m.jsonl"), "--db", sample_db, "--release", "nope"]) == 2
    assert "no release named 'nope'" in capsys.readouterr().err
    assert main(["export", "messages", str(tmp_path / "m.txt"), "--db", sample_db]) == 2
    assert "give --format" in capsys.readouterr().err


def _drop_redactions(con) -> None:
    """Schema 6's redactions, schema 8's agencies, schema 9's native email columns, schema 10's emails and
    threads, schema 12's conversations and schema 14's releases compared, which no database before them has."""
    for view in ("release_novelty", "release_items", "release_members"):
        con.execute(f"DROP VIEW {view}")
    con.execute("DROP TABLE release_documents")
    for view in ("redactions_by_exemption", "withheld_pages", "threads", "thread_emails", "email_events",
                 "email_mentions", "emails", "message_occurrences"):
        con.execute(f"DROP VIEW {view}")
    for table in ("redactions", "document_release_status"):
        con.execute(f"DROP TABLE {table}")
    for table, column in (("releases", "agency"), ("documents", "agency"), ("messages", "sender_redaction_codes"),
                          ("recipients", "redaction_codes"), ("documents", "kind"), ("messages", "header_message_id"),
                          ("messages", "in_reply_to"), ("messages", "header_references"), ("messages", "sent_at_utc"),
                          ("message_lines", "char_start"), ("message_lines", "char_end"),
                          ("attachments", "content_type"), ("attachments", "size_bytes"), ("messages", "email_id"),
                          ("messages", "thread_id"), ("documents", "parent_document_id"),
                          ("documents", "parent_message_id"), ("attachments", "attached_document_id"),
                          ("messages", "header_conversation_id")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def _downgrade_to_schema_v1(db: str) -> None:
    """What a database made by the first release of the tool looked like: pages and words, no messages."""
    con = duckdb.connect(db)
    _drop_redactions(con)
    for view in ("vendor_agency_events", "timeline"):
        con.execute(f"DROP VIEW {view}")
    for table in ("messages", "recipients", "attachments", "message_lines", "entities", "entity_aliases", "mentions",
                  "events", "event_participants", "passages", "passage_lines", "address_book"):
        con.execute(f"DROP TABLE {table}")
    con.execute("ALTER TABLE pages DROP COLUMN bates")
    con.execute("ALTER TABLE page_words DROP COLUMN layer")
    con.execute("ALTER TABLE pages DROP COLUMN second_reading")
    con.execute("ALTER TABLE pages DROP COLUMN second_reading_confidence")
    con.execute("DELETE FROM schema_migrations WHERE version > 1")
    con.close()


def test_reparse_gives_an_old_database_the_messages_a_fresh_ingest_finds(sample_db, tmp_path, capsys):
    old = str(tmp_path / "old.duckdb")
    shutil.copy(sample_db, old)
    _downgrade_to_schema_v1(old)
    assert main(["reparse", "--db", old, "--gazetteer", SAMPLE_GAZETTEER]) == 0
    assert "Re-parsed 8 document(s)" in capsys.readouterr().out
    fields = """SELECT message_id, parent_message_id, sender_name, sender_email, sent_at, subject, body,
                       page_start, word_start, page_end, word_end FROM messages ORDER BY message_id"""
    assert query(old, fields) == query(sample_db, fields)
    assert query(old, "SELECT layer, count(*) FROM page_words GROUP BY ALL ORDER BY 1") == \
        query(sample_db, "SELECT layer, count(*) FROM page_words GROUP BY ALL ORDER BY 1")
    for table in ("recipients", "message_lines", "mentions", "entities", "entity_aliases", "event_participants",
                  "passages", "passage_lines"):
        assert query(old, f"SELECT count(*) FROM {table}") == query(sample_db, f"SELECT count(*) FROM {table}")
    events = "SELECT event_id, event_type, status, date_start, sentence, page_number FROM events ORDER BY event_id"
    assert query(old, events) == query(sample_db, events)
    assert query(old, "SELECT page_number, bates FROM pages ORDER BY ALL") == \
        query(sample_db, "SELECT page_number, bates FROM pages ORDER BY ALL")


def _downgrade_to_schema_v3(db: str) -> None:
    """A database made before passages and the address book: messages, entities and events, nothing read outside
    the messages, no header readings kept apart from their values."""
    con = duckdb.connect(db)
    _drop_redactions(con)
    con.execute("DROP VIEW vendor_agency_events")
    for table in ("passages", "passage_lines"):
        con.execute(f"DROP TABLE {table}")
    con.execute("DELETE FROM mentions WHERE passage_id IS NOT NULL")
    con.execute("DELETE FROM event_participants WHERE event_id IN (SELECT event_id FROM events "
                "WHERE passage_id IS NOT NULL)")
    con.execute("DELETE FROM events WHERE passage_id IS NOT NULL")
    for table, column in (("mentions", "passage_id"), ("events", "passage_id"), ("entities", "state"),
                          ("messages", "sender_name_raw"), ("messages", "sender_email_raw"),
                          ("messages", "subject_raw"), ("messages", "repaired"), ("recipients", "name_raw"),
                          ("recipients", "email_raw"), ("recipients", "repaired")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.execute("DROP TABLE address_book")
    con.execute("""CREATE VIEW vendor_agency_events AS SELECT e.event_id FROM events e""")
    con.execute("DELETE FROM schema_migrations WHERE version > 3")
    con.close()


def test_an_old_database_upgrades_and_reparse_reads_its_passages(sample_db, tmp_path, capsys):
    old = str(tmp_path / "v3.duckdb")
    shutil.copy(sample_db, old)
    _downgrade_to_schema_v3(old)
    assert main(["reparse", "--db", old, "--gazetteer", SAMPLE_GAZETTEER]) == 0
    assert query(old, "SELECT max(version) FROM schema_migrations") == [(schema.SCHEMA_VERSION,)]
    passages = "SELECT passage_id, kind, follows_message_id, page_start, word_start, text FROM passages ORDER BY 1"
    assert query(old, passages) == query(sample_db, passages) != []
    for table in ("passage_lines", "mentions", "events"):
        assert query(old, f"SELECT count(*) FROM {table}") == query(sample_db, f"SELECT count(*) FROM {table}")
    assert query(old, "SELECT count(*) FROM mentions WHERE passage_id IS NOT NULL") != [(0,)]


def test_a_splitter_crash_costs_the_messages_not_the_pages(ingest, sample_copy, tmp_path, monkeypatch):
    def crash(pages, latest=None):
        raise RuntimeError("injected splitter failure")

    monkeypatch.setattr(document_compute, "read_document", crash)
    db = str(tmp_path / "crash.duckdb")
    result = ingest([sample_copy], db)
    assert result.code == 1
    assert query(db, "SELECT count(*), sum(page_count) FROM documents") == [(2, 3)]
    assert query(db, "SELECT count(*) FROM messages") == [(0,)]
    assert query(db, "SELECT DISTINCT stage, reason FROM ingest_errors") == [
        ("messages", "messages and passages were not split: RuntimeError: injected splitter failure")]


def test_a_redaction_reader_crash_costs_the_redactions_not_the_pages_or_messages(monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("injected drawing failure")

    monkeypatch.setattr(document_compute, "read_document_redactions", crash)  # (run here: an in-process pool)
    computed = compute_here(DEMO_SAMPLE)
    assert computed.failure is None and computed.rows.pages and computed.rows.messages
    assert computed.rows.redactions == [] and computed.rows.release_status is None
    assert [(e.stage, e.reason) for e in computed.rows.errors] == [
        ("redactions", "redactions were not read: the file's drawing could not be parsed (RuntimeError: injected "
         "drawing failure); its pages and messages are loaded")]


@needs_corpus(STATE_PDFS)
def test_agency_scans_with_a_header_are_read_twice_and_both_layers_kept(ingest, tmp_path):
    pdf = os.path.join(STATE_PDFS, "C05739559.pdf")
    default_db, never_db = str(tmp_path / "default.duckdb"), str(tmp_path / "never.duckdb")
    assert ingest([pdf], default_db).code == 0
    assert ingest([pdf], never_db, reocr_hidden_layer="never").code == 0
    page = query(default_db, "SELECT method, decision_reason, second_reading, second_reading_confidence FROM pages")
    assert page[0][:2] == ("text_layer", "hidden OCR layer kept")
    assert "email header" in page[0][2] and page[0][3] > 60
    assert query(default_db, "SELECT layer FROM page_words GROUP BY layer ORDER BY layer") == [("ocr",), ("text_layer",)]
    assert query(never_db, "SELECT second_reading FROM pages") == [(None,)]
    assert query(never_db, "SELECT layer FROM page_words GROUP BY layer") == [("text_layer",)]
    # the first message's header fields are there in both modes; the default's To: is never emptier
    for db in (default_db, never_db):
        assert query(db, "SELECT sender_name IS NOT NULL, sent_at IS NOT NULL FROM messages WHERE ordinal = 0") \
            == [(True, True)]
    to = "SELECT count(*) FROM recipients JOIN messages USING (message_id) WHERE ordinal = 0"
    assert query(default_db, to)[0][0] >= query(never_db, to)[0][0]


def test_printouts_concatenated_in_one_pdf_start_new_chains(sample_db):
    """Two printouts in one PDF (page numbers and banner restart): the second's top message quotes nothing
    of the first and is quoted by nothing in it."""
    rows = query(sample_db, """
        SELECT m.ordinal, m.depth, p.ordinal, m.page_start, m.sender_name, m.subject_normalized
        FROM messages m JOIN documents d USING (document_id) LEFT JOIN messages p ON p.message_id = m.parent_message_id
        WHERE d.file_name = 'PHPD-000110_pilot_report_and_quote.pdf' ORDER BY m.ordinal""")
    assert rows == [
        (0, 0, None, 1, "Okonkwo-Hale, Priya (PHPD)", "FaceQuill pilot - first two weeks"),
        (1, 1, 0, 1, "Feldmoor, Grant (PHPD)", "FaceQuill pilot - first two weeks"),
        (2, 0, None, 2, "Teague, Marisol", "FaceQuill 4 licence quote - Port Halden PD"),
    ]
    attachments = query(sample_db, """SELECT a.name FROM attachments a JOIN messages m USING (message_id)
                                      JOIN documents d USING (document_id)
                                      WHERE d.file_name = 'PHPD-000110_pilot_report_and_quote.pdf'""")
    assert attachments == [("Quote_Q-2019-0611_PHPD.pdf",)]
    # the banner restarting a printout is not body text of the message before it
    body = query(sample_db, """SELECT m.body FROM messages m JOIN documents d USING (document_id)
                               WHERE d.file_name = 'PHPD-000110_pilot_report_and_quote.pdf' AND m.ordinal = 1""")
    assert "Okonkwo-Hale" not in body[0][0]


def test_an_analysis_failure_in_a_worker_costs_the_entities_not_the_messages(ingest, sample_copy, tmp_path):
    # a model that is not installed makes spaCy fail in the worker process that analyses each document
    db = str(tmp_path / "no_model.duckdb")
    result = ingest([sample_copy], db, spacy_model="no_such_spacy_model")
    assert result.code == 1
    assert query(db, "SELECT count(*), sum(page_count) FROM documents") == [(2, 3)]
    assert query(db, "SELECT count(*) > 0 FROM messages") == [(True,)]
    assert query(db, "SELECT count(*) FROM entities") == [(0,)]
    reasons = query(db, "SELECT DISTINCT stage, reason FROM ingest_errors")
    assert [stage for stage, _ in reasons] == ["analysis"]
    assert "entities and events were not extracted" in reasons[0][1] and "no_such_spacy_model" in reasons[0][1]


def test_a_schema_5_database_upgrades_to_redactions_and_reparse_keeps_working(sample_db, tmp_path, capsys):
    old = str(tmp_path / "v5.duckdb")
    shutil.copy(sample_db, old)
    con = duckdb.connect(old)
    _drop_redactions(con)
    con.execute("DELETE FROM schema_migrations WHERE version > 5")
    con.close()
    assert main(["reparse", "--db", old, "--gazetteer", SAMPLE_GAZETTEER]) == 0
    assert "Re-parsed 8 document(s)" in capsys.readouterr().out
    # Schema 14 notes what each release sent from what it loaded: every document sent belongs to its release.
    assert query(old, "SELECT release_id, document_id FROM release_documents ORDER BY ALL") == query(
        old, "SELECT release_id, document_id FROM documents WHERE parent_document_id IS NULL ORDER BY ALL")
    assert query(old, "SELECT count(*) FROM release_novelty WHERE kind = 'document' AND change = 'new'") == [(8,)]
    con = duckdb.connect(old, read_only=True)
    try:
        assert con.execute("SELECT max(version) FROM schema_migrations").fetchone() == (schema.SCHEMA_VERSION,)
        # the codes and stamps come back from the stored words; boxes need the PDF or the page image
        kinds = dict(con.execute("SELECT kind, count(*) FROM redactions GROUP BY kind").fetchall())
        assert kinds.get("box") is None and kinds.get("code_only", 0) >= 1
    finally:
        con.close()


def test_reparse_keeps_the_boxes_ingest_found_and_reads_the_same_codes(sample_db, tmp_path, capsys):
    copy = str(tmp_path / "copy.duckdb")
    shutil.copy(sample_db, copy)
    rows = """SELECT page_number, kind, source, codes, x0, y0, x1, y1, uncovered_chars FROM redactions
              ORDER BY document_id, redaction_index"""
    before = duckdb.connect(copy, read_only=True).execute(rows).fetchall()
    assert main(["reparse", "--db", copy, "--gazetteer", SAMPLE_GAZETTEER]) == 0
    con = duckdb.connect(copy, read_only=True)
    try:
        assert con.execute(rows).fetchall() == before and any(row[1] == "box" for row in before)
    finally:
        con.close()

