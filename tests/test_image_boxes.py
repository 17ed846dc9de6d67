"""Redaction boxes in page images (extractors/redactions/image_boxes.py), on images the tests draw and on the
State Department's scans."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.redactions.image_boxes import BOX_DPI, image_boxes, render_grey

CORPUS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "..", "shared", "corpus")
STATE = os.path.join(CORPUS, "state-clinton-F-2015-04841", "pdfs")


def _page() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (850, 1100), 255)  # a letter page at 100 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    for line in range(12):
        draw.text((70, 120 + 22 * line), "From the desk of the Chief: the pilot review is due Friday.", fill=0,
                  font=font)
    return image, draw


def _in_points(box) -> tuple[int, int, int, int]:
    to_px = BOX_DPI / 72
    return round(box.x0 * to_px), round(box.top * to_px), round(box.x1 * to_px), round(box.bottom * to_px)


def test_an_outlined_blank_box_and_a_solid_one_are_found_and_text_is_not():
    image, draw = _page()
    draw.rectangle((100, 500, 400, 520), fill=255, outline=150)  # State's style: white, thin grey outline
    draw.rectangle((100, 600, 300, 618), fill=0)  # solid black
    boxes = image_boxes(np.asarray(image))
    assert [(b.fill, b.source) for b in boxes] == [("outlined", "image"), ("black", "image")]
    for box, expected in zip(boxes, [(100, 500, 400, 520), (100, 600, 300, 618)]):
        assert all(abs(a - b) <= 3 for a, b in zip(_in_points(box), expected))


def test_two_stacked_boxes_sharing_an_edge_are_two():
    image, draw = _page()
    draw.rectangle((200, 500, 700, 521), fill=255, outline=150)
    draw.rectangle((80, 521, 700, 560), fill=255, outline=150)
    assert len(image_boxes(np.asarray(image))) == 2


def test_a_stamp_frame_around_text_a_rule_a_logo_and_a_photograph_are_no_boxes():
    image, draw = _page()
    draw.rectangle((600, 40, 740, 80), fill=255, outline=120)  # "RELEASE IN PART B5" in a frame
    draw.text((606, 46), "RELEASE IN PART", fill=0, font=ImageFont.load_default())
    draw.rectangle((70, 100, 780, 104), fill=0)  # a thick rule under the letterhead
    draw.rectangle((380, 20, 470, 36), fill=76)  # a red bar of a flag in the letterhead, grey in the scan
    rng = np.random.default_rng(3)
    photo = (rng.random((300, 400)) * 120).astype(np.uint8)
    photo[100:160, 100:220] = 20  # a dark pane inside the photograph
    photo[200:240, 250:350] = 255  # and a light one
    image.paste(Image.fromarray(photo), (120, 650))
    assert image_boxes(np.asarray(image)) == []


def test_a_frame_whose_line_a_stamp_breaks_is_still_a_box():
    image, draw = _page()
    draw.rectangle((60, 60, 780, 1040), fill=255, outline=150)  # a page withheld in full
    draw.rectangle((40, 1030, 200, 1060), fill=255)  # the footer stamp's white ground over the corner
    draw.text((44, 1036), "UNCLASSIFIED", fill=0, font=ImageFont.load_default())
    (box,) = image_boxes(np.asarray(image))
    assert box.fill == "outlined" and box.area > 0.6 * 612 * 792


@pytest.mark.skipif(not os.path.isdir(STATE), reason="the corpus (../shared/corpus) is not present")
def test_state_scans_white_boxes_are_found():
    boxes = image_boxes(render_grey(os.path.join(STATE, "C05739589.pdf"), 1))
    assert len(boxes) >= 14  # 15 labelled (eval/labels/redactions_pages.jsonl)
    assert image_boxes(render_grey(os.path.join(STATE, "C05739575.pdf"), 1)) == []  # a photograph, no redaction


def _scan_pdf(folder) -> str:
    """A one-page scan (the test page drawn at 200 dpi) with a white outlined box and a solid black one."""
    import io

    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image, draw = _page()
    draw.rectangle((100, 500, 400, 520), fill=255, outline=150)
    draw.rectangle((100, 600, 300, 618), fill=0)
    buffer = io.BytesIO()
    image.resize((1700, 2200), Image.NEAREST).save(buffer, format="PNG")
    buffer.seek(0)
    path = str(folder / "scan.pdf")
    pdf = canvas.Canvas(path, pagesize=letter)
    pdf.drawImage(ImageReader(buffer), 0, 0, *letter)
    pdf.showPage()
    pdf.save()
    return path


def test_a_scan_ocr_reads_has_its_boxes_found_in_the_same_render(tmp_path, monkeypatch):
    from extractors.pages.ocr import ocr_pdf_page
    from extractors.redactions import document_redactions
    from models.settings import IngestSettings

    path = _scan_pdf(tmp_path)
    page = ocr_pdf_page(path, 1, IngestSettings(), scan_boxes=True)
    alone = image_boxes(render_grey(path, 1))
    assert [b.fill for b in page.boxes] == [b.fill for b in alone] == ["outlined", "black"]
    for shared, rendered in zip(page.boxes, alone):
        assert all(abs(a - b) <= 2 for a, b in zip((shared.x0, shared.top, shared.x1, shared.bottom),
                                                   (rendered.x0, rendered.top, rendered.x1, rendered.bottom)))
    assert ocr_pdf_page(path, 1, IngestSettings()).boxes is None  # not looked for unless asked

    def no_render(*_):
        raise AssertionError("the page was rendered again for its boxes")

    monkeypatch.setattr(document_redactions, "page_grey", no_render)
    redactions, _ = document_redactions.read_document_redactions(path, [(1, page.words, False, True)],
                                                                 scan_boxes={1: page.boxes})
    assert [r.kind for r in redactions] == ["box", "box"]


def test_a_skewed_withheld_page_frame_stepped_around_a_released_line_is_one_box():
    # C05739767's withheld pages: a frame over the whole body, its top cut back around the one phone number the
    # page releases, its sides drifting with the scan's skew, its lines stepping a pixel at a time
    image = Image.new("L", (850, 1100), 255)
    draw = ImageDraw.Draw(image)
    draw.text((180, 82), "202-431-6498", fill=0, font=ImageFont.load_default())
    grey = 150
    draw.line((90, 75, 170, 76), fill=grey)  # the step's top
    draw.line((170, 76, 170, 100), fill=grey)  # down around the number
    draw.line((170, 100, 780, 104), fill=grey)  # the top, askew
    draw.line((90, 75, 84, 1040), fill=grey)  # the left side drifting
    draw.line((780, 104, 785, 1040), fill=grey)
    draw.line((84, 1040, 785, 1042), fill=grey)
    boxes = image_boxes(np.asarray(image))
    assert len(boxes) == 1 and boxes[0].fill == "outlined"
    x0, top, x1, bottom = _in_points(boxes[0])
    assert abs(x0 - 84) <= 4 and abs(x1 - 785) <= 4 and 95 <= top <= 106 and abs(bottom - 1041) <= 4


def test_a_box_finder_that_fails_in_the_ocr_worker_costs_the_page_nothing(tmp_path, monkeypatch):
    from extractors.pages.ocr import ocr_pdf_page
    from extractors.redactions import image_boxes as module
    from models.settings import IngestSettings

    def broken(*_):
        raise MemoryError("the box finder failed")

    monkeypatch.setattr(module, "boxes_in_render", broken)
    page = ocr_pdf_page(_scan_pdf(tmp_path), 1, IngestSettings(), scan_boxes=True)
    assert page.boxes is None and "pilot review" in page.text  # left for read_document_redactions to look again
