"""The second reading of agency-OCR scans: bare header lines read again on their own."""

import os

from extractors.email.split import PageInput, split_messages
from extractors.pages.pdf_text import open_pdf, read_text_layer
from extractors.pages.visual_lines import build_lines
from extractors.pages.second_reading import (bare_header_lines, better_reading, read_page_twice, replace_band_words,
                                            value_column, with_agency_label)
from models.records import TextLayerPage, Word
from models.settings import IngestSettings
from tests.conftest import STATE_PDFS, needs_corpus


def test_band_words_are_replaced_in_reading_order_with_lines_renumbered():
    words = [Word("From:", 72, 100, 100, 110, 0), Word("Mills", 150, 100, 180, 110, 0),
             Word("To:", 72, 114, 90, 124, 1), Word("#", 150, 114, 156, 124, 1),
             Word("Subject:", 72, 128, 110, 138, 2), Word("Libya", 150, 128, 180, 138, 2)]
    crop = [Word("To:", 72, 114.5, 90, 124, 0, 95.0), Word("H", 150, 114.5, 157, 124, 0, 92.0)]
    out = replace_band_words(words, (72, 114, 124), crop)
    assert [(w.text, w.line) for w in out] == [("From:", 0), ("Mills", 0), ("To:", 1), ("H", 1),
                                               ("Subject:", 2), ("Libya", 2)]
    assert replace_band_words(words, (72, 114, 124), []) == words  # nothing read: the page reading stands


def test_the_crop_replaces_the_page_reading_only_when_tesseract_is_surer_of_it():
    band = (72, 114, 124)
    page = [Word("From:", 72, 100, 100, 110, 0, 96.0), Word("To:", 72, 114, 90, 124, 1, 93.0),
            Word("H", 150, 114, 157, 124, 1, 91.0)]
    worse = [Word("To:", 72, 114, 90, 124, 0, 90.0), Word("Ho", 150, 114, 160, 124, 0, 62.0)]
    assert not better_reading(page, band, worse)
    garbled = [Word("4", 72, 114, 80, 124, 1, 40.0), Word(";", 150, 114, 152, 124, 1, 30.0)]
    crop = [Word("To:", 72, 114, 90, 124, 0, 95.0), Word("H", 150, 114, 157, 124, 0, 89.0)]
    assert better_reading(garbled, band, crop)  # the page reading lost the label: any labelled reading wins
    assert not better_reading(garbled, band, [Word("ee", 72, 114, 90, 124, 0, 70.0), Word("a", 150, 114, 157, 124, 0, 80.0)])


def test_a_line_the_page_reading_missed_gets_a_line_of_its_own():
    words = [Word("From:", 72, 100, 100, 110, 0), Word("Subject:", 72, 128, 110, 138, 1)]
    out = replace_band_words(words, (72, 114, 124), [Word("To:", 72, 114, 90, 124, 0), Word("H", 150, 114, 157, 124, 0)])
    assert [(w.text, w.line) for w in out] == [("From:", 0), ("To:", 1), ("H", 1), ("Subject:", 2)]


@needs_corpus(STATE_PDFS)
def test_the_one_letter_recipient_both_page_readings_lose_is_read_from_its_line():
    """C05739658: the agency layer prints "To:" with nothing after it; Tesseract on the whole page reads the
    line as "4 ;". Read on its own, the line says "To: H"."""
    path = os.path.join(STATE_PDFS, "C05739658.pdf")
    with open_pdf(path) as document:
        layer = read_text_layer(document, 1)
    assert len(bare_header_lines(build_lines(layer.words, 1))) == 1
    page = read_page_twice(path, 1, IngestSettings())
    (top, *_) = split_messages([PageInput(1, layer.height_pt, page.words)])
    assert [p.name for p in top.recipients["to"]] == ["H"]
    assert top.sender.email == "MillsCD@state.gov"


@needs_corpus(STATE_PDFS)
def test_only_pages_that_print_a_header_are_read_twice():
    """C05739703: page 1 prints the header; page 2 is article text under the same release stamps (whose
    "Date: 05/13/2015" and "SUBJECT TO AGREEMENT ..." must not pass for header labels)."""
    from extractors.pages.decision import decide_page_method, decide_second_reading

    with open_pdf(os.path.join(STATE_PDFS, "C05739703.pdf")) as document:
        layers = [read_text_layer(document, number) for number in (1, 2)]
    reasons = [decide_second_reading(layer, decide_page_method(layer)) for layer in layers]
    assert "email header" in reasons[0] and reasons[1] is None
    assert [decide_second_reading(layer, decide_page_method(layer), "all") is not None for layer in layers] == \
        [True, True]
    assert [decide_second_reading(layer, decide_page_method(layer), "never") for layer in layers] == [None, None]


def _fake_engine_reading(image, settings):
    """What an engine reads in a header block's crop: the block's labels and values, in the crop's own points."""
    return [Word("From:", 10, 6, 40, 16, 0, 95.0), Word("Mills", 60, 6, 90, 16, 0, 93.0),
            Word("To:", 10, 20, 28, 30, 1, 96.0), Word("H", 60, 20, 67, 30, 1, 91.0)], 94.0


def test_only_the_header_block_is_read_again_and_the_agency_body_is_kept():
    """--reocr-hidden-layer headers: the agency layer's header lines (a label, then a value it dropped) are
    replaced by our reading of their block; the body, and the page's release stamp, stay the agency's words."""
    from PIL import Image

    from extractors.pages.second_reading import header_blocks, read_header_blocks
    from models.records import TextLayerPage

    line = lambda n, y, *texts: [Word(t, 72 + 60 * i, y, 72 + 60 * i + 40, y + 10, n) for i, t in enumerate(texts)]
    words = (line(0, 300, "From:", "Mills") + line(1, 314, "To:") + line(2, 328, "Subject:", "Libya")
             + line(3, 380, "Please", "call", "me") + line(4, 394, "about", "the", "visit"))
    layer = TextLayerPage(1, 612, 792, 0, "", words, 1.0, 1.0)
    (y0, y1), = header_blocks(layer)
    assert y0 < 300 and 338 < y1 < 380  # the block with a margin, short of the body
    image = Image.new("L", (612 * 300 // 72, 792 * 300 // 72), 255)
    read, mean = read_header_blocks(image, layer, IngestSettings(ocr_engine="tests:unused"), _fake_engine_reading)
    assert mean == 93.8  # of the words read
    texts = [(w.text, w.confidence) for w in read]
    assert ("H", 91.0) in texts and ("Libya", None) not in texts  # the block is ours, whatever the layer said
    assert [w.text for w in read if w.confidence is None] == ["Please", "call", "me", "about", "the", "visit"]
    header = [w for w in read if w.text == "Mills"][0]
    assert header.y0 == round(y0 + 6, 2)  # placed on the page, below the block's top
    assert [w.line for w in read] == sorted(w.line for w in read)  # lines in reading order


def test_a_page_without_a_header_block_keeps_its_agency_words():
    from PIL import Image

    from extractors.pages.second_reading import header_blocks, read_header_blocks
    from models.records import TextLayerPage

    words = [Word("Minutes", 72, 100, 120, 110, 0), Word("of", 125, 100, 135, 110, 0)]
    layer = TextLayerPage(1, 612, 792, 0, "", words, 1.0, 1.0)
    assert header_blocks(layer) == []
    read, mean = read_header_blocks(Image.new("L", (100, 100), 255), layer, IngestSettings(), _fake_engine_reading)
    assert read == words and mean is None


def test_a_reading_of_a_bare_line_takes_the_agency_label_and_its_own_value():
    label = Word("To:", 72, 114, 90, 124, 0)
    misread = [Word("Fe:", 71, 114, 89, 124, 0, 89.0), Word("H", 150, 114, 157, 124, 0, 59.3)]
    assert [w.text for w in with_agency_label(label, misread)] == ["To:", "H"]
    assert with_agency_label(label, [Word("Te:", 71, 114, 89, 124, 0, 80.0)]) == []  # no value: no reading


def test_a_speck_of_punctuation_is_not_doubt_about_the_name():
    band = (72, 114, 124)
    page = [Word("To:", 72, 114, 90, 124, 1, 95.0), Word("H", 150, 114, 157, 124, 1, 87.0),
            Word(",", 160, 114, 162, 124, 1, 5.6)]
    assert not better_reading(page, band, [Word("To:", 72, 114, 90, 124, 0), Word("Hq", 150, 114, 160, 124, 0, 54.6)])
    hash_only = [Word("To:", 72, 114, 90, 124, 1, 78.7), Word("#", 150, 114, 156, 124, 1, 48.3)]
    assert better_reading(hash_only, band, [Word("To:", 72, 114, 90, 124, 0), Word("H", 150, 114, 157, 124, 0, 8.4)])


def test_the_value_column_is_where_the_nearest_labelled_line_prints_its_value():
    words = [Word("From:", 72, 96, 100, 106, 0), Word("Mills,", 176, 96, 206, 106, 0),
             Word("To:", 72, 114, 90, 124, 1),
             Word("Subject:", 72, 128, 110, 138, 2), Word("Libya", 182, 128, 210, 138, 2),
             Word("From:", 72, 300, 100, 310, 3), Word("Barton", 110, 300, 140, 310, 3)]
    layer = TextLayerPage(1, 612, 792, 0, " ".join(w.text for w in words), words, 1.0, 1.0)
    lines = build_lines(layer.words, 1)
    (band,) = bare_header_lines(lines)
    assert value_column(lines, band) == 182  # the Subject: line, nearest; not the next message's From: line
    assert value_column(lines, (300, 114, 124)) is None  # no labelled line at that indent


@needs_corpus(STATE_PDFS)
def test_a_one_letter_recipient_on_a_stippled_line_is_read_from_its_value_column():
    """C05739808: the agency layer prints "To:" alone on a line with a grey stippled background; the header block
    and the line cropped whole both read "Hq". C05739783: the line also prints a redaction code (INA,B6) at its
    far end; the header block reads "4 INA,B6" and the whole line "H INA,BoO". Read from the value's column
    alone, despeckled, both say "H"."""
    for name in ("C05739808.pdf", "C05739783.pdf"):
        path = os.path.join(STATE_PDFS, name)
        with open_pdf(path) as document:
            layer = read_text_layer(document, 1)
        page = read_page_twice(path, 1, IngestSettings())
        (top, *_) = split_messages([PageInput(1, layer.height_pt, page.words)])
        assert [p.name for p in top.recipients["to"]] == ["H"], name
