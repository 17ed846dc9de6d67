"""Vendors no gazetteer lists, read from what their sentence says they are or do (extractors/analysis/vendor_roles.py),
and vendors named inside their products' names. Real sentences come from the labelled set (they point into the
corpus); the invented vendors are the labelled set's synthetic ones."""

from __future__ import annotations

import glob
import json
import os

import pytest

from tests.conftest import CORPUS, ROOT, needs_corpus

LABELS = os.path.join(ROOT, "eval", "labels", "entity_event_sentences.jsonl")


def labelled(item_id: str) -> str:
    with open(LABELS, encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            if item["id"] == item_id:
                return item["text"]
    raise KeyError(item_id)


def kinds(analyzer, text: str) -> dict[str, tuple[str, str]]:
    return {m.text: (m.label, m.source) for m in analyzer.read([text])[0].mentions}


def test_apposition_names_a_contractor_a_vendor(analyzer):
    found = kinds(analyzer, "The embassy had hired the Harlow Group, a Virginia-based contractor, to guard the compound.")
    assert found["the Harlow Group"] == ("VENDOR", "role")


def test_a_clause_after_a_comma_is_no_apposition(analyzer):
    text = "Like the NOC, the new firm will fall under the Ministry of Oil and Gas."  # State set, C05739... memo
    assert kinds(analyzer, text).get("NOC", ("ORG",))[0] == "ORG"


@pytest.mark.parametrize("text, vendor", [
    ("Stratavue ran a web demo of its predictive policing heat maps for the Sheriff's Office on Friday.", "Stratavue"),
    ("Quillmark has offered to give Lt. Ramos and the Crime Analysis Unit a demonstration of FaceMatch Pro.",
     "Quillmark"),
    ("The Police Department will begin a 90-day pilot of Quillmark's license plate reader cameras on August 1.",
     "Quillmark"),
    ("The Chief declined the invitation to speak at the Stratavue user conference in May.", "Stratavue"),
])
def test_what_an_unknown_organisation_gives_or_owns_makes_it_a_vendor(analyzer, text, vendor):
    assert kinds(analyzer, text)[vendor] == ("VENDOR", "role")


@pytest.mark.parametrize("text, vendor", [
    ("The Quillmark demo is confirmed for Wednesday at 10:00 in the third-floor conference room.", "Quillmark"),
    ("Quillmark offered to train our crime analysts on the new FaceMatch Pro search tools free of charge.",
     "Quillmark"),
])
def test_a_name_the_model_missed_is_a_vendor_in_the_plainest_roles(analyzer, text, vendor):
    assert kinds(analyzer, text)[vendor] == ("VENDOR", "role")


@pytest.mark.parametrize("text, name", [
    ("All new dispatchers must complete the CJIS training by March 1.", "CJIS"),
    ("Stanford University trained our analysts on the new records system last week.", "Stanford University"),
    ("Reuters ran a story about the pilot program on Friday.", "Reuters"),
])
def test_universities_and_newspapers_are_not_read_as_vendors(analyzer, text, name):
    assert kinds(analyzer, text).get(name, ("ORG",))[0] != "VENDOR"


def test_a_vendor_read_in_one_sentence_is_a_vendor_throughout_its_text(analyzer):
    text = ("Stratavue ran a web demo of its heat maps for the Sheriff's Office on Friday.\n"
            "I have asked Stratavue for references.")
    reading = analyzer.read([text])[0]
    assert [m.label for m in reading.mentions if m.text == "Stratavue"] == ["VENDOR", "VENDOR"]


def test_a_product_named_after_its_vendor_names_both(analyzer):
    text = "Date Created: 06-01-21 Vigilant VehicleManager Agency Data Sharing Report Page 4 of 9"  # a footer
    reading = analyzer.read([text])[0]
    found = {m.text: (m.label, m.canonical) for m in reading.mentions}
    assert found["Vigilant"] == ("VENDOR", "Vigilant Solutions")
    assert found["VehicleManager"] == ("PRODUCT", "VehicleManager")
    assert kinds(analyzer, "We are currently evaluating Palantir Gotham in a 60-day trial.")["Palantir"][0] == "VENDOR"


def test_company_suffix_outweighs_a_persons_reading(analyzer):
    text = "Orison Labs will run the drone-based ALPR proof of concept from September 6 to September 30."
    assert kinds(analyzer, text)["Orison Labs"][0] == "VENDOR"


def test_government_services_named_security_or_intelligence_are_no_companies(analyzer):
    text = ("Our colleagues in Diplomatic Security briefed the Committee, and Western Intelligence and security "
            "services confirmed the reports.")  # State set wording
    found = kinds(analyzer, text)
    assert all(label != "VENDOR" for label, _ in found.values()), found



@needs_corpus(os.path.join(CORPUS, "muckrock-oc-alpr", "pdfs"))
def test_no_vendor_but_the_listed_ones_in_the_muckrock_alpr_pdfs(analyzer):
    """The OC ALPR release lists hundreds of agencies sharing plate data ("... United States Forest Service ...")
    under report titles ("Vigilant VehicleManager Agency Data Sharing Report"): its only vendors are Vigilant and
    Flock, whom the gazetteer lists."""
    from extractors.pages.pdf_text import open_pdf, read_text_layer  # noqa: PLC0415

    vendors = set()
    for path in sorted(glob.glob(os.path.join(CORPUS, "muckrock-oc-alpr", "pdfs", "*.pdf"))):
        with open_pdf(path) as document:
            texts = [" ".join(word.text for word in read_text_layer(document, number).words)
                     for number in range(1, len(document) + 1)]
        vendors |= {(m.text, m.source) for reading in analyzer.read(texts) for m in reading.mentions
                    if m.label == "VENDOR"}
    assert {source for _, source in vendors} == {"gazetteer"}, vendors
