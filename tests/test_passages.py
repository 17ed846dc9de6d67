"""Text outside every message (extractors/pages/passages.py), where printed lines end (extractors/pages/layout.py),
lists read entry by entry (extractors/analysis/lists.py), and entity names that hold on real releases."""

from __future__ import annotations

import glob
import os
import re
from datetime import datetime

import pytest

from extractors.analysis.document import TextMap, analyze_document
from extractors.analysis.entities import MESSAGE_FORMULA, names_nothing
from extractors.email.messages import PageReadings, read_document
from extractors.pages.layout import line_ends
from extractors.pages.pdf_text import open_pdf, read_text_layer
from extractors.pages.visual_lines import Line
from models.records import Word
from tests.conftest import CORPUS, DC_PDFS, STATE_PDFS, needs_corpus, query

MUCKROCK_PDFS = os.path.join(CORPUS, "muckrock-oc-alpr", "pdfs")


def _lines(rows: list[tuple[float, str]]) -> list[Line]:
    """Printed lines from (left x, text) rows, 14 pt apart, 5 pt a character."""
    lines = []
    for number, (x, text) in enumerate(rows):
        words, y = [], 100 + 14 * number
        for token in text.split():
            words.append(Word(token, x, y, x + 5 * len(token), y + 10, number))
            x += 5 * len(token) + 3
        lines.append(Line(1, tuple(words), tuple(range(len(words)))))
    return lines


def test_a_wrapped_line_runs_on_and_a_short_one_ends():
    lines = _lines([(50, "The Board will hold its training for the new members of the Orange County Sheriff's"),
                    (50, "Department on May 6. Thank you."),
                    (50, "Edward Lee, Director"),
                    (50, "OCSD Records Division")])
    ends = [end.unit_end for end in line_ends(lines)]
    assert ends == [False, True, True, True]  # "Department" had no room after "Sheriff's"; "OCSD" had room


def test_a_paragraph_gap_and_a_bullet_end_a_line():
    lines = _lines([(50, "The first paragraph runs all the way to the right margin of the page here and"),
                    (50, "- a bulleted item that starts the next line")])
    assert line_ends(lines)[0].unit_end


def _document(path: str):
    with open_pdf(path) as document:
        layers = [read_text_layer(document, number) for number in range(1, len(document) + 1)]
    return read_document([PageReadings(l.page_number, l.height_pt, l.words, "text_layer") for l in layers])


@needs_corpus(MUCKROCK_PDFS)
def test_a_letter_is_prose_and_its_signature_block_yields_a_person_and_an_agency(analyzer):
    text = _document(glob.glob(os.path.join(MUCKROCK_PDFS, "*136291_doc0.pdf"))[0])
    assert text.messages == [] and [p.kind for p in text.passages] == ["prose"]
    found = {(m.mention.text, m.mention.label) for m in analyze_document([], analyzer, text.passages).mentions}
    assert ("Edward Lee", "PERSON") in found and ("OCSD Records Division", "AGENCY") in found
    assert not any("Director" in name and "Division" in name for name, _ in found)


@needs_corpus(DC_PDFS)
def test_a_cc_list_is_read_line_by_line(analyzer):
    text = _document(os.path.join(DC_PDFS, "2018-2-22_Letter_to_NFPHC_re_OMA.PDF"))
    found = [m.mention for m in analyze_document([], analyzer, text.passages).mentions]
    names = {(m.text, m.label) for m in found}
    assert ("Charles Allen", "PERSON") in names and ("Committee on the Judiciary and Public Safety", "AGENCY") in names
    assert ("Traci Hughes", "PERSON") in names and ("Office of Open Government", "AGENCY") in names


@needs_corpus(MUCKROCK_PDFS)
def test_a_data_sharing_report_is_read_entry_by_entry_with_states(analyzer):
    text = _document(glob.glob(os.path.join(MUCKROCK_PDFS, "*136291_doc7.pdf"))[0])
    lists = [p for p in text.passages if p.kind == "list"]
    entries = [line.text for passage in lists for line in passage.lines]
    assert "100th Judicial District Attorney Traffic Enforcement" in entries  # wrapped in its column, joined back
    assert "17th Judicial Circuit Drug Task Force" in entries  # the other column of the same printed line
    agencies = {(m.mention.text, m.mention.state) for m in analyze_document([], analyzer, lists).mentions
                if m.mention.label == "AGENCY"}
    assert ("Antioch Police Department", "CA") in agencies  # "Antioch Police Department CA"
    assert ("Alpharetta Police Department", "GA") in agencies  # "Alpharetta Police Department (GA)"
    assert ("Gardena Police Department", "CA") in agencies  # a row of the agency / city / state table
    assert ("ALEA", None) in agencies  # no pattern knows it: an entry of a column of agencies


@needs_corpus(STATE_PDFS)
def test_an_article_printed_after_its_email_is_a_passage_that_follows_it():
    text = _document(os.path.join(STATE_PDFS, "C05739629.pdf"))
    article = [p for p in text.passages if p.follows_ordinal == text.messages[-1].ordinal]
    assert article and "GOP's October surprise?" in article[0].text
    assert all("October surprise" not in m.body for m in text.messages)


def test_no_mention_is_read_across_a_line_that_ends(analyzer):
    lines = _lines([(50, "Thank you for your letter of last week about the training, which we will hold in"),
                    (50, "Irvine on May 6. Kind Regards,"), (50, "Edward Lee"), (50, "Orange County Sheriff's Office")])
    from models.records import MessageLine, PassageRecord  # noqa: PLC0415

    records = [MessageLine("passage", 1, "text_layer", line.word_indices, line.text, end.unit_end)
               for line, end in zip(lines, line_ends(lines))]
    passage = PassageRecord(0, "prose", None, records)
    text_map = TextMap(records)
    found = [m.mention for m in analyze_document([], analyzer, [passage]).mentions]
    for mention in found:
        assert not any(mention.start < cut < mention.end for cut in text_map.breaks), mention
    assert ("Edward Lee", "PERSON") in {(m.text, m.label) for m in found}
    assert not any("Regards" in m.text for m in found)


@pytest.mark.parametrize("text, label", [("Kind Regards", "ORG"), ("Confidentiality Notice", "ORG"),
                                         ("Sent from my iPhone", "ORG"), ("the Open Meetings Act", "AGENCY"),
                                         ("California Public Records Act", "ORG"), ("CA", "ORG")])
def test_formulas_laws_and_state_codes_name_nothing(text, label):
    assert names_nothing(text, label)


@pytest.mark.parametrize("text, label", [("Office of Open Government", "AGENCY"), ("Committee on Rules", "AGENCY"),
                                         ("Act Now Coalition", "ORG"), ("Regina Moss", "PERSON")])
def test_bodies_and_people_are_named(text, label):
    assert not names_nothing(text, label)


RELEASES = [("dc", DC_PDFS), ("muckrock", MUCKROCK_PDFS), ("state", STATE_PDFS)]


@pytest.fixture(scope="module")
def corpus_db(ingest, tmp_path_factory):
    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    for release, folder in RELEASES:
        result = ingest([folder], db, release=release, reocr_hidden_layer="never")
        assert result.code in (0, 1), result.out + result.err  # a page error is recorded, the rest loads
    return str(db)


@needs_corpus(STATE_PDFS)
@needs_corpus(DC_PDFS)
@needs_corpus(MUCKROCK_PDFS)
def test_entity_names_on_the_real_releases_are_names(corpus_db):
    """No canonical name or alias holds a line break, is a closing or a notice, or names a law as an agency; and
    every non-email document of the releases yields passages and entities."""
    names = query(corpus_db, "SELECT entity_type, name FROM entities UNION ALL "
                             "SELECT e.entity_type, a.alias FROM entity_aliases a JOIN entities e USING (entity_id)")
    assert names
    assert [n for _, n in names if "\n" in n or "\r" in n] == []
    assert [n for _, n in names if MESSAGE_FORMULA.search(n)] == []
    assert [n for kind, n in names if kind == "AGENCY" and re.search(r"\b(Act|Code|Statute)$", n)] == []
    rows = query(corpus_db, """SELECT d.file_name, count(DISTINCT p.passage_id), count(m.entity_id)
                               FROM documents d JOIN passages p USING (document_id)
                               LEFT JOIN mentions m ON m.passage_id = p.passage_id
                               WHERE d.document_id NOT IN (SELECT document_id FROM messages) GROUP BY 1""")
    files = {name for name, _, _ in rows}
    assert {"Carol_Schwartz_Press_Release_BEGA.pdf", "2018-2-22_Letter_to_NFPHC_re_OMA.PDF", "C05739694.pdf"} <= files
    assert all(entities > 0 for name, _, entities in rows if "Check_in" not in name), rows


def test_the_sample_letter_after_its_email_and_the_sharing_report(sample_db):
    passages = query(sample_db, """SELECT d.file_name, p.kind, p.follows_message_id IS NOT NULL, p.text
                                   FROM passages p JOIN documents d USING (document_id) ORDER BY 1, p.ordinal""")
    letter = [row for row in passages if row[0] == "PHPD-000112_quote_letter_attachment.pdf" and row[2]]
    assert any("on-site operator training" in text for _, _, _, text in letter)
    assert not query(sample_db, "SELECT 1 FROM messages WHERE body LIKE '%on-site operator training%'")
    training = query(sample_db, """SELECT vendor, agency, date_start, status FROM vendor_agency_events
                                   WHERE event_type = 'training' AND passage_id IS NOT NULL""")
    assert ("Quillmark Biometrics, Inc.", "Port Halden Police Department", datetime(2019, 7, 15), "scheduled") \
        in training
    agencies = set(query(sample_db, """SELECT e.name, e.state FROM mentions m JOIN entities e USING (entity_id)
                                       JOIN passages p USING (passage_id) JOIN documents d
                                       ON d.document_id = p.document_id
                                       WHERE d.file_name = 'PHPD-000114_FaceQuill_sharing_report.pdf'
                                       AND e.entity_type = 'AGENCY'"""))
    assert {("Port Halden CA PD", "CA"), ("Halden County SO", None), ("Kessel County Sheriff - KCSO", None),
            ("City of Orlen CA", "CA"), ("CA DOJ", "CA"), ("Tarrow NV PD", "NV"),
            ("Dunmore Station - Kessel County", None), ("Halden Harbor Patrol", None)} <= agencies
    assert not any(name.startswith("Agencies") for name, _ in agencies)  # the column titles


@needs_corpus(MUCKROCK_PDFS)
def test_a_scanned_list_is_read_the_same_from_our_ocr(analyzer):
    """Page 3 of the Irvine report is a scan: read by Tesseract instead of its agency layer, it is still a list
    read entry by entry, its agencies found with their states."""
    from extractors.pages.ocr import ocr_pdf_page  # noqa: PLC0415
    from models.settings import IngestSettings  # noqa: PLC0415

    path = glob.glob(os.path.join(MUCKROCK_PDFS, "*86954_doc0.pdf"))[0]
    page = ocr_pdf_page(path, 3, IngestSettings())
    with open_pdf(path) as document:
        height = read_text_layer(document, 3).height_pt
    text = read_document([PageReadings(3, height, page.words, "ocr")])
    lists = [p for p in text.passages if p.kind == "list"]
    assert lists and sum(len(p.lines) for p in lists) > 40
    agencies = {(m.mention.text, m.mention.state) for m in analyze_document([], analyzer, lists).mentions
                if m.mention.label == "AGENCY"}
    assert len(agencies) > 40
    assert ("Federal Bureau of Investigation", None) in agencies and ("Enfield Police Department", "CT") in agencies
