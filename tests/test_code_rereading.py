"""Exemption codes OCR read in doubt, read again on their own (extractors/pages/code_rereading.py)."""

from __future__ import annotations

import os

from PIL import Image

from extractors.pages.code_rereading import doubtful_code, reread_doubtful_codes
from extractors.pages.ocr import ocr_pdf_page, with_lines_inserted
from extractors.redactions.page_redactions import code_marks, document_release_status
from models.records import Word
from models.settings import IngestSettings
from tests.conftest import STATE_PDFS, needs_corpus


def test_a_word_is_read_again_when_it_may_be_a_code_and_was_not_read_as_one_surely():
    assert doubtful_code(Word("B85,", 0, 0, 10, 10, 0, 51.9))  # no code as read
    assert doubtful_code(Word("B7/(D)", 0, 0, 10, 10, 0, 92.0))
    assert doubtful_code(Word("B1", 0, 0, 10, 10, 0, 76.4))  # a code, read with low confidence
    assert not doubtful_code(Word("B6", 0, 0, 10, 10, 0, 95.0))
    assert not doubtful_code(Word("Boston", 0, 0, 10, 10, 0, 40.0))
    assert not doubtful_code(Word("1998", 0, 0, 10, 10, 0, 40.0))


def _crop_engine(readings):
    """An engine that reads a crop by its size in pixels: (width, height) -> [(text, confidence)]."""
    def engine(image, settings):
        found = readings.get(image.size, [])
        return [Word(text, 1, 1, 5, 5, 0, confidence) for text, confidence in found], None
    return engine


def test_the_surest_reading_that_is_a_code_replaces_the_word_and_others_leave_it_as_read():
    image = Image.new("L", (2550, 3300), 255)
    settings = IngestSettings()  # 300 dpi: a point is 25/6 pixels
    words = [Word("B85,", 497.28, 51.36, 511.44, 60.24, 0, 51.9), Word("B6", 515.76, 51.36, 527.28, 58.56, 0, 91.8),
             Word("B52", 100.0, 200.0, 120.0, 209.0, 1, 60.0)]

    def size(word, pad, upscale):
        scale = 300 / 72
        box = [int((word.x0 - pad) * scale), int((word.y0 - pad) * scale), int((word.x1 + pad) * scale),
               int((word.y1 + pad) * scale)]
        return (box[2] - box[0]) * upscale, (box[3] - box[1]) * upscale

    stamp, second, bombers = words
    engine = _crop_engine({
        size(stamp, 3, 1): [("B5,", 59.5)], size(stamp, 3, 2): [("B5,", 71.5)],
        size(stamp, 6, 2): [("BS,", 93.6), ("|", 94.0)],  # a frame's edge beside it is no second word
        size(stamp, 6, 1): [("\"BS,", 34.3), ("Bb", 96.9)],  # two words: not one code mark
        size(bombers, 3, 1): [("B52", 90.0)],  # read surely, but no code: the word stands
    })
    out = reread_doubtful_codes(image, words, settings, engine)
    assert [(w.text, w.confidence) for w in out] == [("BS,", 93.6), ("B6", 91.8), ("B52", 60.0)]
    assert (out[0].x0, out[0].line) == (stamp.x0, stamp.line)  # the page reading's box and line stay


@needs_corpus(STATE_PDFS)
def test_a_stamp_tesseract_misreads_on_the_whole_page_is_read_from_its_crop():
    """C05739638: Tesseract reads the bold stamp "RELEASE IN PART B5, B6" as "... B85, B6" on the whole page."""
    status = document_release_status([(1, ocr_pdf_page(os.path.join(STATE_PDFS, "C05739638.pdf"), 1,
                                                       IngestSettings()).words)])
    assert (status.decision, sorted(status.codes)) == ("release_in_part", ["b5", "b6"])


@needs_corpus(STATE_PDFS)
def test_margin_codes_tesseract_misreads_are_read_from_their_crops():
    """C05739808: the margin's "B7(E)" and "B7(D)" came out of the page reading as "B7(E" and "B7/(D)"."""
    page = ocr_pdf_page(os.path.join(STATE_PDFS, "C05739808.pdf"), 1, IngestSettings())
    margin = [mark.codes for mark, box, alone in code_marks(page.words) if alone and box[0] > 500]
    assert margin == [("b7(e)",), ("1.4(d)",), ("b1",), ("b7(d)",)]


def test_a_stamp_read_again_takes_lines_of_its_own_in_reading_order():
    words = [Word("SUBJECT", 200, 14, 260, 21, 0), Word("RELEASE", 491, 33, 530, 40, 1),
             Word("From:", 60, 92, 80, 99, 2)]
    stamp = [Word("RELEASE", 491, 33, 530, 40, 7), Word("IN", 533, 33, 545, 40, 7), Word("FULL", 491, 44, 518, 51, 8)]
    kept = [w for w in words if w.text != "RELEASE"]
    out = with_lines_inserted(kept, stamp)
    assert [(w.text, w.line) for w in out] == [("SUBJECT", 0), ("RELEASE", 1), ("IN", 1), ("FULL", 2),
                                               ("From:", 3)]


@needs_corpus(STATE_PDFS)
def test_stamps_whose_frame_breaks_the_page_layout_are_read_from_their_region():
    """C05739702: the page reading holds "RELEASE IN" and loses "PART B6"; C05739783 holds "IN PART" and loses
    "RELEASE"; C05739607 reads the frame between the words ("RELEASE IN | — FULL")."""
    expected = {"C05739702.pdf": ("release_in_part", ["b6"]), "C05739783.pdf": ("release_in_part", ["b3", "b5"]),
                "C05739607.pdf": ("release_in_full", [])}
    for name, (decision, codes) in expected.items():
        page = ocr_pdf_page(os.path.join(STATE_PDFS, name), 1, IngestSettings())
        status = document_release_status([(1, page.words)])
        assert (status.decision, sorted(status.codes)) == (decision, codes), name
