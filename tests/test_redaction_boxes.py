"""Redaction boxes in vector content and failed redactions (extractors/redactions/boxes.py), on PDFs the tests
draw with reportlab and on the DC release's redacted printouts."""

from __future__ import annotations

import glob
import os

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from extractors.pages.pdf_text import open_pdf, read_text_layers
from extractors.redactions.boxes import covered_words, fill_kind, page_vector_shapes, vector_boxes

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "corpus")
SAMPLE_PDFS = sorted(glob.glob(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                            "sample_docs", "*.pdf")))


def _page(path, draw) -> str:
    pdf = canvas.Canvas(str(path), pagesize=letter)
    pdf.setFont("Helvetica", 11)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return str(path)


def _boxes(path):
    with open_pdf(path) as document:
        shapes, width, height = page_vector_shapes(document, [1])[1]
    return vector_boxes(shapes, width, height)


def test_a_black_box_over_text_still_in_the_file_is_a_failed_redaction(tmp_path):
    def draw(pdf):
        pdf.drawString(72, 700, "The informant is Jane Roe of 12 Elm Street.")
        start = 72 + pdf.stringWidth("The informant is ", "Helvetica", 11)
        pdf.rect(start - 1, 696, pdf.stringWidth("Jane Roe of 12", "Helvetica", 11) + 2, 14, stroke=0, fill=1)
        pdf.drawString(72, 650, "Nothing is hidden on this line.")

    path = _page(tmp_path / "failed.pdf", draw)
    (box,) = _boxes(path)
    assert box.fill == "black" and box.source == "vector"
    words = read_text_layers(path, [1])[0].words
    assert [w.text for w in covered_words(box, words)] == ["Jane", "Roe", "of", "12"]


def test_a_box_over_blank_paper_hides_nothing(tmp_path):
    def draw(pdf):
        pdf.drawString(72, 700, "Call me at")
        pdf.rect(130, 696, 80, 14, stroke=0, fill=1)

    path = _page(tmp_path / "clean.pdf", draw)
    (box,) = _boxes(path)
    assert covered_words(box, read_text_layers(path, [1])[0].words) == []


def test_rules_borders_pale_fills_and_logo_shapes_are_no_boxes(tmp_path):
    def draw(pdf):
        pdf.rect(72, 600, 468, 1, stroke=0, fill=1)  # a table rule
        pdf.rect(72, 560, 200, 0.6, stroke=0, fill=1)  # an underline
        pdf.rect(10, 10, 592, 772, stroke=1, fill=0)  # a page border, not filled
        pdf.setFillColorRGB(1, 1, 1)
        pdf.rect(0, 0, 612, 792, stroke=0, fill=1)  # a white background
        pdf.setFillColorRGB(0.93, 0.93, 0.93)
        pdf.rect(72, 500, 300, 20, stroke=0, fill=1)  # a pale table shading
        pdf.setFillColorRGB(0.8, 0.1, 0.1)
        path = pdf.beginPath()  # a red triangle: a logo's corner
        path.moveTo(400, 400)
        path.lineTo(440, 400)
        path.lineTo(440, 440)
        path.close()
        pdf.drawPath(path, stroke=0, fill=1)
        pdf.setFillColorRGB(0.2, 0.2, 0.2)
        pdf.circle(300, 300, 8, stroke=0, fill=1)  # a dark dot

    assert _boxes(_page(tmp_path / "furniture.pdf", draw)) == []


def test_dark_and_solid_coloured_fills_count_and_a_box_drawn_twice_counts_once(tmp_path):
    def draw(pdf):
        pdf.setFillColorRGB(0.25, 0.25, 0.25)
        pdf.rect(72, 700, 90, 12, stroke=0, fill=1)
        pdf.rect(72.5, 700.5, 90, 12, stroke=0, fill=1)  # the same box, a tool's second pass
        pdf.setFillColorRGB(0.9, 0.1, 0.1)
        pdf.rect(72, 650, 90, 12, stroke=0, fill=1)

    assert [b.fill for b in _boxes(_page(tmp_path / "kinds.pdf", draw))] == ["dark", "colour"]


def test_boxes_in_forms_in_cmyk_and_in_one_path_are_read_and_a_turned_rectangle_is_not(tmp_path):
    def draw(pdf):
        pdf.beginForm("stamp")
        pdf.rect(10, 10, 90, 14, stroke=0, fill=1)
        pdf.endForm()
        pdf.saveState()
        pdf.translate(100, 500)
        pdf.scale(1.5, 1.0)
        pdf.doForm("stamp")  # a box inside a form XObject, scaled: 135 x 14 points from (115, 510)
        pdf.restoreState()
        pdf.setFillColorCMYK(0, 0, 0, 1)
        pdf.rect(100, 400, 80, 14, stroke=0, fill=1)
        pdf.setFillGray(0)
        path = pdf.beginPath()  # two boxes filled by one painting operator
        path.rect(100, 300, 60, 14)
        path.rect(200, 300, 60, 14)
        pdf.drawPath(path, stroke=0, fill=1)
        pdf.saveState()
        pdf.translate(300, 100)
        pdf.rotate(30)
        pdf.rect(0, 0, 50, 14, stroke=0, fill=1)  # turned: not drawn over a line of text
        pdf.restoreState()

    boxes = _boxes(_page(tmp_path / "shapes.pdf", draw))
    assert [(b.x0, b.top, b.x1, b.bottom, b.fill) for b in boxes] == [
        (115.0, 268.0, 250.0, 282.0, "black"), (100.0, 378.0, 180.0, 392.0, "black"),
        (100.0, 478.0, 160.0, 492.0, "black"), (200.0, 478.0, 260.0, 492.0, "black")]


def test_a_box_on_a_cropped_page_lies_over_the_words_it_covers(tmp_path):
    def draw(pdf):
        pdf.setCropBox((50, 50, 500, 700))
        pdf.drawString(100, 600, "The informant is Jane Roe.")
        pdf.rect(98, 596, 60, 14, stroke=0, fill=1)

    path = _page(tmp_path / "cropped.pdf", draw)
    (box,) = _boxes(path)
    words = read_text_layers(path, [1])[0].words
    assert [w.text for w in covered_words(box, words)] == ["The", "informant"]


@pytest.mark.parametrize("colour, kind", [(0.0, "black"), ((0, 0, 0), "black"), ((0, 0, 0, 1), "black"),
                                          ((35 / 255, 31 / 255, 32 / 255), "black"),
                                          ((0.3,), "dark"), ((0, 0.4, 0.8), "colour"), ((0.9, 0.1, 0.1), "colour"),
                                          (1.0, None), ((0.95, 0.95, 0.95), None), (None, None)])
def test_fill_kind_reads_grey_rgb_and_cmyk(colour, kind):
    assert fill_kind(colour) == kind


@pytest.mark.skipif(not os.path.isdir(os.path.join(CORPUS, "dc-bega-2018-03-13")),
                    reason="the corpus (../shared/corpus) is not present")
def test_the_dc_printouts_boxes_are_found_and_the_portfolio_cover_logo_is_not():
    found = {}
    for path in sorted(glob.glob(os.path.join(CORPUS, "dc-bega-2018-03-13", "pdfs", "*.pdf"))):
        with open_pdf(path) as document:
            pages = len(document)
            shapes = page_vector_shapes(document, list(range(1, pages + 1)))
        found[os.path.basename(path)] = [len(vector_boxes(*shapes[n])) for n in range(1, pages + 1)]
    assert found["Re__Constituent_Issue_Redacted.pdf"] == [6, 0]
    assert found["Re__Check_in_Redacted.pdf"] == [0]  # Adobe's portfolio cover: a logo, no box
    assert found["Carol_Schwartz_Press_Release_BEGA.pdf"] == [0]
    assert sum(map(sum, found.values())) == 15


def _pdfplumber_boxes(path: str, pages: int) -> dict[int, list]:
    """The boxes vector_boxes finds in pdfplumber's reading of the filled shapes, which the pipeline used before
    PDFium's (the same dicts: top-left points, measured from the media box)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return {number: vector_boxes([dict(shape) for shape in pdf.pages[number - 1].rects
                                      + pdf.pages[number - 1].curves if shape.get("fill")],
                                     float(pdf.pages[number - 1].width), float(pdf.pages[number - 1].height))
                for number in range(1, pages + 1)}


def test_pdfiums_shapes_give_the_boxes_pdfplumbers_gave_on_real_and_sample_pages():
    # the born-digital and mixed releases (the State set's 505 pages are scans: pdfplumber would add 20 s here)
    paths = sorted(glob.glob(os.path.join(CORPUS, "dc-bega-2018-03-13", "pdfs", "*.pdf"))
                   + glob.glob(os.path.join(CORPUS, "muckrock-oc-alpr", "**", "*.pdf"), recursive=True))
    paths += SAMPLE_PDFS
    boxes = 0
    for path in paths:
        with open_pdf(path) as document:
            pages = len(document)
            ours = page_vector_shapes(document, range(1, pages + 1))
        theirs = _pdfplumber_boxes(path, pages)
        for number in range(1, pages + 1):
            assert vector_boxes(*ours[number]) == theirs[number], (path, number)
            boxes += len(theirs[number])
    assert boxes >= 2  # the sample's, at least; 21 with the corpus
