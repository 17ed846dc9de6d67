"""Combining two readings of the same pages (extractors/email/layer_merge.py): constructed cases and real State pages
(the agency's OmniPage layer against our Tesseract OCR of page 1)."""

import os
from datetime import datetime

import pytest

from extractors.email.split import PageInput, split_messages
from extractors.email.layer_merge import merge_readings
from extractors.email.sent_dates import parse_sent_date
from models.records import Word
from tests.conftest import STATE_PDFS, needs_corpus

RELEASED = datetime(2015, 5, 23)


def page(lines, number=1, confidence=None):
    """A page of word boxes from (x, text) rows, one row per printed line, 14 pt apart."""
    words = []
    for row, (x, text) in enumerate(lines):
        y = 80 + 14 * row
        for token in text.split():
            width = 5.0 * len(token)
            words.append(Word(token, x, y, x + width, y + 10, row, confidence))
            x += width + 3
    return PageInput(number, 792, words)


def header(sender, sent, to, subject, body="Body text here."):
    rows = [(50, f"From: {sender}"), (50, f"Sent: {sent}")]
    if to is not None:
        rows.append((50, f"To: {to}"))
    return rows + [(50, f"Subject: {subject}"), (50, body)]


def two_readings(primary_rows, second_rows, confidence=95.0):
    primary = split_messages([page(primary_rows)], RELEASED)
    second = split_messages([page(second_rows, confidence=confidence)], RELEASED)
    return primary, second, merge_readings(primary, second, RELEASED)


# -- constructed cases --------------------------------------------------------------------------------

def test_names_take_the_sound_word_from_either_reading():
    _, _, (message,) = two_readings(
        header("Mills, Cheryl 0 <MillsCD@state.gov>", "Thursday, September 13, 2012 6:09 AM", "H", "Fw: Update"),
        header("Mills, Chery! D <MillsCD@state.gov>", "Thursday, September 13, 2012 6:09 AM", "H", "Fw: Update"))
    assert message.sender.name == "Mills, Cheryl D" and message.sender.email == "MillsCD@state.gov"
    assert message.reading == "primary"


def test_a_well_formed_address_beats_a_damaged_one():
    _, _, (message,) = two_readings(
        header("H <hrod17@clintonemail.corn>", "Monday, October 1, 2012 3:51 PM", "'sullivanjj@stategov'", "Re: x"),
        header("H <hrod17@clintonemail.com>", "Monday, October 1, 2012 3:51 PM", "'sullivanjj@state.gov'", "Re: x"))
    assert message.sender.email_clean == "hrod17@clintonemail.com"
    assert [p.email_clean for p in message.recipients["to"]] == ["sullivanjj@state.gov"]


def test_dates_are_rebuilt_from_the_words_that_parse():
    _, _, (message,) = two_readings(
        header("A, B <ab@state.gov>", "Saturday, April Z 2011 4:04 PM", "H", "Re: x"),
        header("A, B <ab@state.gov>", "Saturday, Aprii 2, 2077 4:04 PM", "H", "Re: x"))
    assert message.sent.value == datetime(2011, 4, 2, 16, 4)


def test_a_value_only_the_second_reading_shows_is_taken_minus_noise():
    primary, second, (message,) = two_readings(
        header("A, B <ab@state.gov>", "Friday, April 22, 2011 5:53 PM", "", "Fw: Benghazi"),
        header("A, B <ab@state.gov>", "Friday, April 22, 2011 5:53 PM", "H", "Fw: Benghazi"))
    assert not primary[0].recipients.get("to") and [p.name for p in message.recipients["to"]] == ["H"]
    _, _, (noise,) = two_readings(
        header("A, B <ab@state.gov>", "Friday, April 22, 2011 5:53 PM", "", "Fw: Benghazi"),
        header("A, B <ab@state.gov>", "Friday, April 22, 2011 5:53 PM", "#", "Fw: Benghazi"))
    assert not noise.recipients.get("to")  # nothing invented


def test_a_one_character_box_read_with_low_confidence_is_that_character():
    primary = split_messages([page(header("A, B <ab@state.gov>", "Friday, April 22, 2011 5:53 PM", "",
                                          "Fw: Benghazi"))], RELEASED)
    second_page = page(header("A, B <ab@state.gov>", "Friday, April 22, 2011 5:53 PM", "Hi", "Fw: Benghazi"),
                       confidence=95.0)
    words = [Word(w.text, w.x0, w.y0, w.x0 + 5 if w.text == "Hi" else w.x1, w.y1, w.line,
                  37.0 if w.text == "Hi" else w.confidence) for w in second_page.words]
    second = split_messages([PageInput(1, 792, words)], RELEASED)
    (message,) = merge_readings(primary, second, RELEASED)
    assert [p.name for p in message.recipients["to"]] == ["H"]


def test_messages_of_one_reading_only_are_kept_and_renumbered():
    top = header("A, B <ab@state.gov>", "Friday, April 22, 2011 5:53 PM", "H", "Re: x", "Top body.")
    quoted = [(50, "From: C, D <cd@state.gov>"), (50, "Sent: Friday, April 22, 2011 4:00 PM"), (50, "To: A, B"),
              (50, "Subject: x"), (50, "Quoted body.")]
    primary = split_messages([page(top)], RELEASED)
    second = split_messages([page(top + quoted, confidence=95.0)], RELEASED)
    merged = merge_readings(primary, second, RELEASED)
    assert [(m.ordinal, m.depth, m.parent_ordinal, m.reading) for m in merged] == [
        (0, 0, None, "primary"), (1, 1, 0, "second")]
    assert merged[1].sender.name == "C, D" and merged[1].header_lines[0].text.startswith("From: C, D")
    assert merge_readings(primary, []) == primary


def test_messages_only_the_second_reading_finds_are_kept():
    """A scan whose agency layer shows no header at all (it dropped the labels) and whose OCR shows one."""
    second = split_messages([page(header("A, B <ab@state.gov>", "Friday, April 22, 2011 5:53 PM", "H", "Re: x"),
                                  confidence=95.0)], RELEASED)
    merged = merge_readings([], second, RELEASED)
    assert [(m.ordinal, m.depth, m.reading, m.sender.name) for m in merged] == [(0, 0, "second", "A, B")]


def test_lines_come_from_one_reading():
    primary, second, (message,) = two_readings(
        header("Mills, Cheryl 0 <MillsCD@state.gov>", "Thursday, September 13, 2012 6:09 AM", "H", "Fw: Update"),
        header("Mills, Chery! D <MillsCD@state.gov>", "Thursday, September 13, 2012 6:09 AM", "H", "Fw: Update"))
    assert message.header_lines == primary[0].header_lines and message.body_lines == primary[0].body_lines


@pytest.mark.parametrize("raw, expected", [
    ("Sunday, Septernber 23, 2012 10:36 PM", datetime(2012, 9, 23, 22, 36)),
    ("Saturday, Marcb 26, 2011 9:05 PM", datetime(2011, 3, 26, 21, 5)),
    ("Monday, May 2, 201111:08 AM", datetime(2011, 5, 2, 11, 8)),
    ("Juesday, February 27, 2012 11:14 PM", datetime(2012, 2, 21, 23, 14)),  # the weekday decides 27 -> 21
    ("Wednesday, September 14, 2011 10:26 AM RELEASE IN PART B5", datetime(2011, 9, 14, 10, 26)),
    ("Saturday, April 23, 2077 3:52 PM", datetime(2011, 4, 23, 15, 52)),
])
def test_ocr_damaged_dates_are_mended_only_where_safe(raw, expected):
    assert parse_sent_date(raw, RELEASED).value == expected


# -- real pages ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def state_readings():
    from extractors.pages.ocr import ocr_pdf_page
    from extractors.pages.pdf_text import open_pdf, read_text_layer
    from models.settings import IngestSettings

    def read(name):
        path = os.path.join(STATE_PDFS, name)
        with open_pdf(path) as document:
            layers = [read_text_layer(document, n) for n in range(1, len(document) + 1)]
        pages = [PageInput(layer.page_number, layer.height_pt, layer.words) for layer in layers]
        ocr = ocr_pdf_page(path, 1, IngestSettings())
        second = [PageInput(1, pages[0].height_pt, ocr.words)] + pages[1:]
        return split_messages(pages, RELEASED), split_messages(second, RELEASED)

    return read


@needs_corpus(STATE_PDFS)
def test_real_page_agency_name_and_dropped_recipient_mended(state_readings):
    """C05739589: OmniPage read "Cheryl 0" and dropped the "H" on To:; Tesseract read "Chery! D"."""
    primary, second = state_readings("C05739589.pdf")
    assert primary[0].sender.name == "Mills, Cheryl 0" and not primary[0].recipients.get("to")
    merged = merge_readings(primary, second, RELEASED)
    assert len(merged) == len(primary) and all(m.reading == "primary" for m in merged)
    top = merged[0]
    assert top.sender.name == "Mills, Cheryl D" and top.sender.email_clean == "millscd@state.gov"
    assert [p.name for p in top.recipients["to"]] == ["H"]
    assert top.sent.value == datetime(2012, 9, 13, 6, 9)  # Tesseract's '6:05' loses to the agency's '6:09'
    assert [m.ordinal for m in merged] == list(range(len(merged)))


@needs_corpus(STATE_PDFS)
def test_real_page_address_and_date_mended(state_readings):
    """C05739708: OmniPage printed 'rnillscd' (m read as rn); Tesseract read the year 2012 as 2072."""
    primary, second = state_readings("C05739708.pdf")
    top = merge_readings(primary, second, RELEASED)[0]
    assert [p.email_clean for p in top.recipients["to"]] == ["millscd@state.gov"]
    assert top.sent.value == datetime(2012, 9, 16, 12, 48)
