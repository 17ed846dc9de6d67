"""The release-wide acronym pass (extractors/analysis/release_acronyms.py, flows/release_step.py): an acronym one
document explains is that agency in the release's other documents. Real model, gazetteers and DuckDB store;
the messages are built in memory."""

from __future__ import annotations

import io

from extractors.analysis.document import analyze_document
from flows.release_step import read_acronyms_across_releases
from models import schema, store
from models.records import DocumentRecord, MessageRecord
from tests.conftest import body_message


def _load(con, release_id: int, run_id: int, name: str, message: MessageRecord, analyzer) -> str:
    document = DocumentRecord(name * 8, f"{name}.pdf", f"/release/{name}.pdf", 1, 1)
    found = analyze_document([message], analyzer)
    store.load_documents(con, release_id, run_id, [store.DocumentRows(
        document, [], [], [message], store.AnalysisRows(found.mentions, found.events, found.entities))])
    return document.document_id


def _body_mentions(con, document_id: str) -> list[tuple]:
    return con.execute("SELECT text, label, source, entity_id, word_indices FROM mentions WHERE document_id = ? "
                       "AND part = 'body' ORDER BY start_char", [document_id]).fetchall()


def test_what_one_document_explains_is_read_in_the_others_once(tmp_path, analyzer):
    con = schema.connect(str(tmp_path / "release.duckdb"))
    release_id = store.ensure_release(con, "dc")
    run_id = store.start_run(con, release_id, [], {}, "test", 3)
    _load(con, release_id, run_id, "a", body_message("Records from the Office of Open Government are due.",
                                                 "Wallace, Betsy (EOM)"), analyzer)
    reply = _load(con, release_id, run_id, "b", body_message(
        "We also discussed the EOM's proposal.\nThe OOG director will reply. HRC spoke later."), analyzer)
    before = {text: label for text, label, *_ in _body_mentions(con, reply)}
    assert before.get("OOG") != "AGENCY" and before.get("EOM") != "AGENCY"

    out = io.StringIO()
    read_acronyms_across_releases(con, [release_id], out)
    after = {text: (label, source, entity_id, words) for text, label, source, entity_id, words
             in _body_mentions(con, reply)}
    assert after["OOG"][:3] == ("AGENCY", "release", "AGENCY:office of open government")
    assert after["EOM"][:2] == ("AGENCY", "release")
    assert after["OOG"][3] == [1]  # the word it was read from: "The OOG director" -> word 1 of its line
    assert after.get("HRC", ("",))[0] != "AGENCY"
    assert "EOM" in out.getvalue() and "OOG" in out.getvalue()
    aliases = {row[0] for row in con.execute("SELECT alias FROM entity_aliases WHERE entity_id = "
                                             "'AGENCY:office of open government'").fetchall()}
    assert "OOG" in aliases

    rows = _body_mentions(con, reply)
    read_acronyms_across_releases(con, [release_id], io.StringIO())
    assert _body_mentions(con, reply) == rows  # a second pass adds and removes nothing
