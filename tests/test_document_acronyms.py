"""Agencies a document names by acronym: defined after the name, printed as a directory code in a header, or the
initials of an agency it names.

Real spaCy model and gazetteers, messages built in memory; one case reads a real DC message from the corpus.
"""

from __future__ import annotations

import json
import os

from tests.conftest import CORPUS, body_message, needs_corpus
from extractors.analysis.document import analyze_document
from models.records import MessageRecord

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _label_mentions(analyzer, item_id: str):
    """The mentions the pipeline reads in a real label's sentence, in its document and release."""
    from eval.entity_documents import DocumentReader

    with open(os.path.join(ROOT, "eval", "labels", "entity_event_sentences.jsonl"), encoding="utf-8") as f:
        item = next(i for i in map(json.loads, f) if i["id"] == item_id)
    mentions = DocumentReader(analyzer).mentions_in(item)
    assert mentions is not None, f"the sentence of {item_id} was not found in its document"
    return mentions


def _body_labels(analyzer, message: MessageRecord) -> dict[str, str]:
    result = analyze_document([message], analyzer)
    return {m.mention.text: m.mention.label for m in result.mentions if m.part == "body"}


def test_a_directory_code_in_the_header_makes_the_acronym_an_agency_in_the_body(analyzer):
    message = body_message("Let us know if there is anything we can do to be helpful to BEGA.",
                           "Grimaldi, John J. (BEGA)")
    assert _body_labels(analyzer, message).get("BEGA") == "AGENCY"
    assert _body_labels(analyzer, body_message(message.body)).get("BEGA") != "AGENCY"


def test_an_acronym_defined_after_an_agency_name_is_that_agency_later_on(analyzer):
    message = body_message("The Orange County Sheriff's Department (OCSD) replied on Friday.\n"
                           "Please note that OCSD does not have a contract with Flock.")
    result = analyze_document([message], analyzer)
    later = [m.mention for m in result.mentions if m.mention.text == "OCSD" and m.mention.start > 60]
    assert later and later[0].label == "AGENCY"
    assert later[0].canonical == "Orange County Sheriff's Department"


def test_a_state_code_or_unrelated_letters_after_a_name_define_nothing(analyzer):
    message = body_message("Addison Police Department (TX) shares data. TX agencies were listed.\n"
                           "Port Halden Police Department (NAIL) also shares. NAIL is a list.")
    labels = _body_labels(analyzer, message)
    assert labels.get("TX") != "AGENCY" and labels.get("NAIL") != "AGENCY"


@needs_corpus(os.path.join(CORPUS, "dc-bega-2018-03-13", "eml"))
def test_a_real_dc_message_names_its_agency_by_the_sender_directory_code(analyzer):
    mentions = _label_mentions(analyzer, "dc-FW-Comprehensive-Code-of-Conduct-s3")
    assert [(m.text, m.label) for m in mentions if m.text == "BEGA"] == [("BEGA", "AGENCY")]


def test_a_capitalised_event_word_is_no_person(analyzer):
    message = body_message("The Parties hereto have executed this Contract PO-060-12013648 for a Mobile LPR System.")
    assert _body_labels(analyzer, message).get("Contract") != "PERSON"


def test_the_initials_of_an_agency_the_document_names_are_that_agency(analyzer):
    message = body_message("Records from the Office of Open Government were requested.\n"
                           "The OOG director will reply; OOG staff have the file.")
    result = analyze_document([message], analyzer)
    oog = [m.mention for m in result.mentions if m.mention.text == "OOG"]
    assert len(oog) == 2 and all(m.label == "AGENCY" for m in oog)
    assert oog[0].canonical == "Office of Open Government"


def test_a_persons_monogram_is_never_an_agencys_initials(analyzer):
    message = body_message("HRC spoke to the Human Rights Council in Geneva. Later HRC flew home.")
    assert _body_labels(analyzer, message).get("HRC") != "AGENCY"


def test_a_list_run_together_ends_one_agency_name_at_its_head_word(analyzer):
    message = body_message("32nd Judicial District Attorney Office Addison Police Department (TX) "
                           "Alachua County Sheriff")
    labels = _body_labels(analyzer, message)
    assert labels.get("Addison Police Department") == "AGENCY"


@needs_corpus(os.path.join(CORPUS, "muckrock-oc-alpr", "request_pages"))
def test_a_real_request_page_names_its_sheriff_by_initials(analyzer):
    mentions = _label_mentions(analyzer, "muckrock-req136291-s8")
    assert [(m.text, m.label) for m in mentions if m.text == "OCSD"] == [("OCSD", "AGENCY")]


def test_parties_and_capital_acronyms_after_a_name_are_not_agencies_or_companies(analyzer):
    labels = _body_labels(analyzer, body_message(
        "He met the leader of the National Forces Alliance and a delegate of the Libyan INC. "
        "Vigilant Video, Inc. sent a quote."))
    assert labels.get("the National Forces Alliance", labels.get("National Forces Alliance")) != "AGENCY"
    assert labels.get("the Libyan INC", labels.get("Libyan INC")) != "VENDOR"
    assert labels.get("Vigilant Video, Inc.") == "VENDOR"
    from extractors.analysis.entities import _org_kind

    assert [_org_kind(name) for name in ("Acme Inc", "ACME INC", "Orlen Camera Works LLC", "Harris Corp",
                                         "the Libyan INC")] == ["VENDOR", "VENDOR", "VENDOR", "VENDOR", "ORG"]
