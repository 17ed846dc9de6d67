"""Message splitting and header parsing on real pages (corpus) and on the sample's synthetic layouts."""

import os
from datetime import datetime

import pytest

from extractors.email.headers import match_label, normalize_subject, parse_person, split_people
from extractors.email.split import PageInput, content_lines, split_messages
from extractors.pages.ocr import ocr_pdf_page
from extractors.pages.pdf_text import open_pdf, read_text_layer
from extractors.email.sent_dates import parse_sent_date
from models.settings import IngestSettings
from tests.conftest import DC_PDFS, DEMO_SAMPLE, SAMPLE_DIR, SCANNED_SAMPLE, STATE_PDFS, needs_corpus

STATE_RELEASED = datetime(2015, 5, 23)


def layer_pages(path):
    with open_pdf(path) as document:
        return [PageInput(n, layer.height_pt, layer.words)
                for n, layer in ((n, read_text_layer(document, n)) for n in range(1, len(document) + 1))]


# -- header pieces -------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, label, value", [
    ("From: Sullivan, Jacob J <Sullivan11@state.gov>", "from", "Sullivan, Jacob J <Sullivan11@state.gov>"),
    ("Sont: Wednesday, September 12, 2012 10:16 AM", "sent", "Wednesday, September 12, 2012 10:16 AM"),
    ("Subiect: Fw: Wow", "subject", "Fw: Wow"),
    ("=To:", "to", ""),
    ("Ta: H", "to", "H"),
    ("Cc: Mills, Cheryl D", "cc", "Mills, Cheryl D"),
])
def test_labels_tolerate_ocr_misreads(line, label, value):
    match = match_label(line)
    assert (match.label, match.value) == (label, value)


@pytest.mark.parametrize("line", ["Today we met", "Fromage", "Sentence one", "To be clear, no", "Date night"])
def test_ordinary_words_are_not_labels(line):
    assert match_label(line) is None


def test_people_keep_names_addresses_and_redactions_apart():
    person = parse_person('"Mills, Cheryl D" <MillsCD@state.gov>')
    assert (person.name, person.email, person.redacted) == ("Mills, Cheryl D", "MillsCD@state.gov", False)
    ocr = parse_person("Sullivan, Jacob J <SullivanJJOstate.gov>")  # '@' read as 'O'
    assert ocr.name == "Sullivan, Jacob J" and ocr.email == "SullivanJJOstate.gov"
    assert parse_person("H <hrod17©clintonemail.com>").email_clean == "hrod17@clintonemail.com"
    redacted = parse_person("B6")
    assert (redacted.name, redacted.email, redacted.redacted) == (None, None, True)
    people = split_people("Collier, Tameka (BEGA); Flowers, Brian (BEGA); (b)(6)")
    assert [(p.name, p.redacted) for p in people] == [("Collier, Tameka (BEGA)", False),
                                                      ("Flowers, Brian (BEGA)", False), (None, True)]


def test_subjects_lose_reply_prefixes_only():
    assert normalize_subject("RE: FW: Re: Proposed Quad Deal") == "Proposed Quad Deal"
    assert normalize_subject("Fwd: H: LATEST: HOW SYRIA") == "H: LATEST: HOW SYRIA"


@pytest.mark.parametrize("raw, expected, flag", [
    ("Wednesday, September 12, 2012 10:16 AM", datetime(2012, 9, 12, 10, 16), "ok"),
    ("Fri 11/7/2014 4:02 PM", datetime(2014, 11, 7, 16, 2), "ok"),
    ("Sunday, March 27, 201i 9:05 PM", datetime(2011, 3, 27, 21, 5), "ok"),
    ("Wednesday, September 12 2012 700 PM", datetime(2012, 9, 12, 19, 0), "ok"),
    ("Wednesday, September 12, 2072 01:00 PM", datetime(2012, 9, 12, 13, 0), "ocr_corrected"),
    ("Friday, March 4, 2031 6:26 AM", None, "implausible"),
    ("soon", None, "unparsed"),
    (None, None, "missing"),
])
def test_sent_dates_are_parsed_or_flagged_never_guessed(raw, expected, flag):
    parsed = parse_sent_date(raw, latest=STATE_RELEASED)
    assert (parsed.value, parsed.flag) == (expected, flag)


def test_printed_offsets_are_kept():
    parsed = parse_sent_date("14 Mar 2018 09:05:11 -0400")
    assert parsed.value == datetime(2018, 3, 14, 9, 5, 11) and parsed.tz_offset_minutes == -240


# -- whole documents -----------------------------------------------------------------------------------

def test_sample_reply_chain_with_redacted_cc_spans_pages():
    messages = split_messages(layer_pages(DEMO_SAMPLE))
    assert [(m.ordinal, m.depth, m.parent_ordinal) for m in messages] == [(0, 0, None), (1, 1, 0), (2, 2, 1)]
    top = messages[0]
    assert top.sender.email == "dvasquezlind@porthalden.example.gov"
    assert top.sent.value == datetime(2019, 4, 3, 10, 41)
    assert [(p.name, p.redacted) for p in top.recipients["cc"]] == [("Feldmoor, Grant (PHPD)", False), (None, True)]
    assert top.subject_normalized == "FaceQuill 4 demonstration for Port Halden PD"
    assert "SYNTHETIC" not in top.body and "PHPD-000101" not in top.body  # page furniture is not body
    assert messages[2].page_start == 1 and messages[2].page_end == 2


def test_sample_outlook_web_print():
    (message,) = split_messages(layer_pages(os.path.join(SAMPLE_DIR, "PHPD-000107_thank_you_webmail.pdf")))
    assert message.layout == "outlook_web"
    assert message.subject == "Thank you for visiting Quillmark"
    assert message.sender.name == "Teague, Marisol" and message.sent.value == datetime(2019, 4, 18, 15, 12)
    assert [p.name for p in message.recipients["cc"]] == ["Feldmoor, Grant (PHPD)", "Okonkwo-Hale, Priya (PHPD)"]
    assert message.attachments == ["FaceQuill4_Pricing_PHPD.pdf", "Pilot_Agreement_Draft.docx"]
    assert message.body.startswith("Dorian, Grant, Priya,")


def test_scanned_sample_through_ocr_splits_the_on_wrote_quote():
    ocr = ocr_pdf_page(SCANNED_SAMPLE, 1, IngestSettings())
    top, quoted = split_messages([PageInput(1, 792, ocr.words)])
    assert top.sent.value == datetime(2019, 3, 28, 11, 52) and "Okonkwo-Hale" in top.sender.name
    assert (quoted.layout, quoted.parent_ordinal) == ("on_wrote", 0)
    assert quoted.sent.value == datetime(2019, 3, 28, 9, 14) and "Feldmoor" in quoted.sender.name


@needs_corpus(DC_PDFS)
def test_real_outlook_chain_splits_into_its_ten_messages():
    messages = split_messages(layer_pages(os.path.join(DC_PDFS,
                                                       "Re__possible_to_delay_mtg_a_day_or_so___Redacted.pdf")))
    assert len(messages) == 10
    assert [m.depth for m in messages] == list(range(10))
    assert all(m.sender and m.sent.value for m in messages)
    assert messages[0].page_start == 1 and messages[-1].page_end == 4
    # a plain-text quoted header wraps its Cc: list at the label column, in the middle of a name
    assert [p.name for p in messages[2].recipients["cc"]] == [
        "Collier, Tameka (BEGA)", "Flowers, Brian (BEGA)", "Cavendish, Betsy (EOM)"]
    assert messages[2].subject == "RE: possible to delay mtg a day or so?"


def test_concatenated_printouts_restart_the_chain():
    top, quoted, second_top = split_messages(layer_pages(os.path.join(SAMPLE_DIR,
                                                                      "PHPD-000110_pilot_report_and_quote.pdf")))
    assert (quoted.depth, quoted.parent_ordinal) == (1, 0)
    assert (second_top.depth, second_top.parent_ordinal, second_top.starts_printout) == (0, None, True)
    assert second_top.header_lines[0].text == "Okonkwo-Hale, Priya (PHPD)"  # its banner, not quoted's body
    assert "Okonkwo-Hale" not in quoted.body


def test_a_message_sent_well_after_the_one_before_is_not_quoted_by_it():
    """Without a page-number restart, dates still tell: a quoted message is never newer than its quoter."""
    pages = layer_pages(os.path.join(SAMPLE_DIR, "PHPD-000110_pilot_report_and_quote.pdf"))
    # the second printout's page, read as if it continued the first one (its "Page 1" line removed)
    second_page = PageInput(2, pages[1].height_pt, [w for w in pages[1].words if w.text not in ("Page", "1")])
    top, quoted, second_top = split_messages([pages[0], second_page])
    assert not second_top.starts_printout
    assert (second_top.depth, second_top.parent_ordinal) == (0, None)


@needs_corpus(STATE_PDFS)
def test_real_agency_layer_with_labels_and_values_in_separate_columns():
    """OmniPage wrote the labels as one column and the values as another; the page shows them side by side."""
    messages = split_messages(layer_pages(os.path.join(STATE_PDFS, "C05739559.pdf")), STATE_RELEASED)
    top = messages[0]
    assert top.sender.name == "H"
    assert top.sent.value == datetime(2012, 9, 12, 14, 11)
    assert top.subject.startswith("Fw: Meet The Right")
    assert [p.email_clean for p in top.recipients["to"]] == ["russorv@state.gov"]
    assert len(messages) == 2 and messages[1].sender.redacted


@needs_corpus(STATE_PDFS)
def test_real_state_stamps_are_furniture():
    lines = [line.text for line in content_lines(layer_pages(os.path.join(STATE_PDFS, "C05739545.pdf")))]
    joined = "\n".join(lines)
    for stamp in ("UNCLASSIFIED", "Case No.", "Doc No.", "STATE DEPT.", "STATE-5CB0045247", "RELEASE IN FULL"):
        assert stamp not in joined
    assert lines[0].startswith("From: Sullivan, Jacob J")
