"""Exemption codes, release stamps and withheld-page notices (extractors/redactions/codes.py)."""

from __future__ import annotations

import glob
import os

import pytest

from extractors.redactions.codes import find_codes, is_codes_only, release_stamp, withheld_notice
from extractors.redactions.page_redactions import code_marks, document_release_status
from models.records import Word

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "corpus")


@pytest.mark.parametrize("text, codes", [
    ("(b)(6)", ("b6",)),
    ("(b) (6)", ("b6",)),
    ("( b ) ( 7 ) ( C )", ("b7(c)",)),
    ("b6", ("b6",)),
    ("B6", ("b6",)),
    ("B7(C)", ("b7(c)",)),
    ("B7(E", ("b7(e)",)),  # OCR lost the closing parenthesis at the word's end
    ("(b)(7)(C)", ("b7(c)",)),
    ("Ex. 6", ("b6",)),
    ("Exemption 5", ("b5",)),
    ("B1,1.4(D)", ("b1", "1.4(d)")),
    ("B5, B6", ("b5", "b6")),
    ("(b)(6); (b)(7)(C)", ("b6", "b7(c)")),
    ("Gov. Code \u00a7 6254(f)", ("ca-gc-6254(f)",)),
    ("California Government Code Section 7922.000", ("ca-gc-7922.000",)),
])
def test_each_printed_form_is_one_mark_with_its_exemptions(text, codes):
    marks = find_codes(text)
    assert [m.codes for m in marks] == [codes] and marks[0].text == text.strip()
    assert is_codes_only(text)


def test_a_b3_keeps_its_statute():
    (mark,) = find_codes("withheld under (b)(3):50 USC 3024(i) in part")
    assert (mark.codes, mark.statute) == (("b3",), "50 USC 3024(i)")


def test_the_short_form_says_it_needs_layout_and_prose_is_not_codes_only():
    marks = find_codes("Room B5 is free; the address was withheld under (b)(6)")
    assert [(m.codes, m.bare) for m in marks] == [(("b5",), True), (("b6",), False)]
    assert not is_codes_only("Room B5")
    assert find_codes("B52 bombers, b6x, web6 and A.B6") == []
    assert find_codes("B7(Each") == [] and find_codes("B6(") == []


def test_ocr_reading_a_5_as_s_is_still_b5_where_the_layout_makes_it_a_code():
    assert [(m.codes, m.bare) for m in find_codes("B5, BS")] == [(("b5", "b5"), True)]
    assert is_codes_only("BS") and find_codes("a BSc in physics") == [] and find_codes("bs") == []


def test_a_stamp_ocr_reads_over_two_lines_it_shares_with_the_left_margin():
    # Tesseract's lines of C05739623's first page: the stamp "RELEASE IN / PART B6" beside "Doc No." and "Date:"
    printed = [("Doc", 1, 31, 14, 3), ("No.", 18, 31, 28, 3), ("C05739623", 31, 31, 71, 3),
               ("RELEASE", 488, 29, 534, 3), ("IN", 538, 29, 546, 3), ("Date:", 1, 40, 18, 4),
               ("05/13/2015", 21, 40, 60, 4), ("PART", 488, 41, 514, 4), ("B6", 518, 41, 530, 4),
               ("From:", 47, 92, 72, 5), ("Sidney", 190, 91, 217, 5)]
    words = [Word(text, x0, y0, x1, y0 + 7, line) for text, x0, y0, x1, line in printed]
    status = document_release_status([(1, words)])
    assert (status.decision, status.codes) == ("release_in_part", ["b6"])


@pytest.mark.parametrize("text, decision, codes", [
    ("UNCLASSIFIED\nRELEASE IN PART B5,B6\nCase No. F-2015-04841", "release_in_part", ("b5", "b6")),
    ("NO FOIA WAIVER. \r\nRELEASE IN PART \r\nB5 \r\nFrom: Mills, Cheryl D", "release_in_part", ("b5",)),
    ("RELEASE IN FULL\r\nFrom: B6", "release_in_full", ()),
    ("DECLINE IN FULL B1,1.4(D)", "decline_in_full", ("b1", "1.4(d)")),
    ("Released in Full", "release_in_full", ()),
    ("RELEASE IN | \u2014 FULL", "release_in_full", ()),  # OCR read the stamp's frame between its words
    ("RELEASE IN\n' |PART B6", "release_in_part", ("b6",)),
])
def test_release_stamps(text, decision, codes):
    stamp = release_stamp(text)
    assert (stamp.decision, stamp.codes) == (decision, codes)


def test_prose_that_says_release_in_full_is_no_stamp():
    assert release_stamp("we can release in full the letters") is None
    assert release_stamp("RECLINED IN FULL") is None and release_stamp("RELEASE INFULL") is None


def test_redactions_in_a_stamp_is_no_stamp_and_no_code():
    text = "SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA WAIVER."
    assert release_stamp(text) is None and find_codes(text) == []


@pytest.mark.parametrize("text, kind", [
    ("Page withheld pursuant to exemption (b)(5)", "withheld_page"),
    ("3 pages withheld in full", "withheld_page"),
    ("DUPLICATE", "duplicate"),
    ("Non-Responsive", "non_responsive"),
    ("We met with the vendor on Friday.", None),
])
def test_withheld_page_notices(text, kind):
    assert withheld_notice(text) == kind


@pytest.mark.skipif(not os.path.isdir(os.path.join(CORPUS, "state-clinton-F-2015-04841")),
                    reason="the corpus (../shared/corpus) is not present")
def test_every_state_document_has_its_release_stamp_read_with_codes_where_released_in_part():
    pdfium = pytest.importorskip("pypdfium2")
    stamps = {}
    for path in sorted(glob.glob(os.path.join(CORPUS, "state-clinton-F-2015-04841", "pdfs", "*.pdf"))):
        document = pdfium.PdfDocument(path)
        stamps[os.path.basename(path)] = release_stamp(document[0].get_textpage().get_text_range())
        document.close()
    assert len(stamps) == 177 and all(stamps.values())
    in_part = [s for s in stamps.values() if s.decision == "release_in_part"]
    assert len(in_part) > 90 and all(s.codes for s in in_part)


def _page(printed):
    return [Word(text, x0, y0, x1, y0 + 9, line, confidence) for line, row in enumerate(printed)
            for text, x0, x1, y0, confidence in row]


def _prose(y0, last_x1=548.0, tail="there"):
    return [("it", 302, 309, y0, 96.0), ("could", 311, 336, y0, 96.0), ("lead", 339, 358, y0, 96.0),
            (tail, 526, last_x1, y0, 96.0)]


def test_a_short_code_a_long_line_runs_close_to_still_stands_in_the_margin():
    """Tesseract's lines of C05739808's first page: margin codes OCR joined to the body line beside them, less
    than half an inch from it (beyond the prose's right edge, or left-aligned with the margin's other codes), a
    speck read as a quote before a code, and the classification block's 1.4 reason, which labels no box."""
    page = _page([
        _prose(300), _prose(312), _prose(324), _prose(336), _prose(348),
        _prose(390, 546.5, "to") + [("B7(E", 575.0, 600.0, 397, 88.6)],
        [("That", 496.6, 522.0, 471, 60.0), ("may", 525.1, 556.1, 471, 61.5), ("1.4(D)", 568.8, 600.5, 471, 92.8)],
        [("Overall,", 516.2, 550.1, 487, 81.7), ("B1", 568.6, 579.8, 485, 90.4)],
        _prose(501, 550.3) + [("B7(D)", 568.6, 598.3, 498, 92.2)],
        [("fF", 61.0, 73.4, 54, 90.0), ("202-431-6498", 129.6, 192.5, 64, 90.0), ("\u2018", 579.2, 580.4, 64, 20.0),
         ("BS", 583.2, 596.4, 63, 95.2)],
        [("Reason:", 246.0, 286.0, 566, 95.0), ("1.4(D)", 288.5, 315.0, 566, 95.0), ("~", 318.5, 322.0, 566, 90.0),
         ("Declassify", 327.8, 377.0, 566, 95.0), ("on:", 380.0, 392.0, 566, 95.0)],
        _prose(600, 548.0, "Room") + [("B5", 551.0, 562.0, 600, 96.0)],  # prose: three word spaces short
    ])
    marks = [(mark.codes, alone) for mark, _, alone in code_marks(page)]
    assert marks == [(("b7(e)",), True), (("1.4(d)",), True), (("b1",), True), (("b7(d)",), True),
                     (("b5",), True), (("b5",), False)]
