"""Text layers and OCR with real PDFium and real Tesseract: words, boxes, rotation, the size guard."""

import glob
import os
from collections import Counter

import pypdfium2 as pdfium
import pytest

from extractors.pages.ocr import (NOISY_BACKGROUND, OcrError, background_noise, check_renderable,
                                  median_filter_3x3, needs_despeckle, ocr_pdf_page, prepare_for_ocr, render_for_ocr,
                                  text_from_words)
from extractors.pages.pdf_text import open_pdf, read_text_layer
from models.settings import IngestSettings, SettingsError
from tests.conftest import CORPUS, DEMO_SAMPLE, SAMPLE_PDFS, SCANNED_SAMPLE, needs_corpus

MUCKROCK_PDFS = os.path.join(CORPUS, "muckrock-oc-alpr", "pdfs")


def iou(a, b) -> float:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def box(word):
    return (word.x0, word.y0, word.x1, word.y1)


@pytest.mark.parametrize("path", SAMPLE_PDFS)
def test_text_layer_words_are_the_text_split(path):
    with open_pdf(path) as document:
        for number in range(1, len(document) + 1):
            page = read_text_layer(document, number)
            assert page.text.split() == [word.text for word in page.words]
            for word in page.words:
                assert 0 <= word.x0 <= word.x1 <= page.width_pt + 1
                assert 0 <= word.y0 <= word.y1 <= page.height_pt + 1


def test_ocr_reads_the_scanned_sample():
    page = ocr_pdf_page(SCANNED_SAMPLE, 1, IngestSettings())
    text = page.text
    for expected in ("FaceQuill", "pilot", "Okonkwo-Hale", "Real Time", "PHPD-000105", "SYNTHETIC"):
        assert expected in text, f"{expected!r} not in OCR text"
    assert page.mean_confidence > 75
    assert page.text.split() == [word.text for word in page.words]
    assert text == text_from_words(page.words)
    bates = [word for word in page.words if word.text == "PHPD-000105"][0]
    # Bates number printed at the bottom right of a letter page (612 x 792 pt)
    assert bates.x0 > 400 and bates.y0 > 720 and bates.confidence > 50


def _matched_boxes(layer_words, ocr_words):
    by_text = {}
    for word in layer_words:
        by_text.setdefault(word.text, []).append(word)
    scores = []
    for word in ocr_words:
        candidates = by_text.get(word.text, [])
        if len(candidates) == 1 and len(word.text) >= 6:
            scores.append(iou(box(candidates[0]), box(word)))
    return scores


def _rotated_copy(tmp_path, rotation):
    path = tmp_path / f"rotated{rotation}.pdf"
    document = pdfium.PdfDocument(DEMO_SAMPLE)
    document[0].set_rotation(rotation)
    document.save(str(path))
    document.close()
    return str(path)


def _displayed(word, rotation, width, height):
    """Where a word of the upright page lands once the page is shown rotated clockwise."""
    x0, y0, x1, y1 = box(word)
    if rotation == 90:
        return (height - y1, x0, height - y0, x1)
    if rotation == 180:
        return (width - x1, height - y1, width - x0, height - y0)
    if rotation == 270:
        return (y0, width - x1, y1, width - x0)
    return (x0, y0, x1, y1)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_text_layer_boxes_follow_the_page_rotation(tmp_path, rotation):
    with open_pdf(DEMO_SAMPLE) as upright_document:
        upright = read_text_layer(upright_document, 1)
    with open_pdf(_rotated_copy(tmp_path, rotation)) as rotated_document:
        rotated = read_text_layer(rotated_document, 1)
    assert rotated.rotation == rotation
    if rotation in (90, 270):
        assert (rotated.width_pt, rotated.height_pt) == (upright.height_pt, upright.width_pt)
    # PDFium may order lines differently once rotated; compare words whose text is unique on the page.
    assert sorted(w.text for w in rotated.words) == sorted(w.text for w in upright.words)
    counts = Counter(w.text for w in upright.words)
    after_by_text = {w.text: w for w in rotated.words if counts[w.text] == 1}
    assert len(after_by_text) > 100
    for before in upright.words:
        if before.text in after_by_text:
            expected = _displayed(before, rotation, upright.width_pt, upright.height_pt)
            assert box(after_by_text[before.text]) == pytest.approx(expected, abs=0.05), before.text


def test_text_layer_and_ocr_boxes_agree():
    with open_pdf(DEMO_SAMPLE) as document:
        layer = read_text_layer(document, 1)
    ocr = ocr_pdf_page(DEMO_SAMPLE, 1, IngestSettings(ocr_dpi=200))
    scores = sorted(_matched_boxes(layer.words, ocr.words))
    assert len(scores) >= 20
    assert scores[len(scores) // 2] > 0.6, f"median box overlap {scores[len(scores) // 2]:.2f}"


@needs_corpus(MUCKROCK_PDFS)
def test_real_rotated_page_boxes_agree_between_layer_and_ocr():
    """A real report page stored sideways (/Rotate 270) with a hidden OCR layer."""
    path = glob.glob(os.path.join(MUCKROCK_PDFS, "2020-vigilant-data-sharing-*.pdf"))[0]
    with open_pdf(path) as document:
        layer = read_text_layer(document, 1)
    assert layer.rotation == 270
    ocr = ocr_pdf_page(path, 1, IngestSettings(ocr_dpi=200))
    scores = sorted(_matched_boxes(layer.words, ocr.words))
    assert len(scores) >= 20
    assert scores[len(scores) // 2] > 0.5, f"median box overlap {scores[len(scores) // 2]:.2f}"


def test_enormous_page_is_refused_before_rendering():
    settings = IngestSettings()
    assert check_renderable(612, 792, settings) is None
    reason = check_renderable(14400, 14400, settings)
    assert "200 x 200 inches" in reason and "megapixel" in reason


def test_failing_engine_becomes_a_readable_error():
    settings = IngestSettings(ocr_engine="tests.fault_engines:raising_engine")
    with pytest.raises(OcrError, match="OCR failed: RuntimeError: engine exploded"):
        ocr_pdf_page(SCANNED_SAMPLE, 1, settings)


def _rendered(path: str, page_number: int = 1):
    with open_pdf(path) as document:
        return render_for_ocr(document, page_number, IngestSettings())


def test_a_scan_printed_on_grey_noise_is_despeckled_before_ocr():
    noisy = _rendered(SCANNED_SAMPLE)
    clean, noise = needs_despeckle(noisy, IngestSettings())
    assert clean and noise >= NOISY_BACKGROUND
    assert needs_despeckle(noisy, IngestSettings(despeckle="never")) == (False, None)
    cleaned, note = prepare_for_ocr(noisy, IngestSettings())
    assert note.startswith("despeckled: background noise ")
    assert background_noise(cleaned) < noise * 0.8
    page = ocr_pdf_page(SCANNED_SAMPLE, 1, IngestSettings())
    assert page.cleaning == note
    assert ocr_pdf_page(SCANNED_SAMPLE, 1, IngestSettings(despeckle="never")).cleaning is None


def test_the_median_filter_is_pils_pixel_for_pixel():
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(7)
    images = [_rendered(SCANNED_SAMPLE)] + [Image.fromarray(rng.integers(0, 256, (h, w), dtype=np.uint8), "L")
                                           for h, w in ((1, 1), (1, 9), (7, 1), (2, 2), (31, 17))]
    for image in images:
        assert np.array_equal(np.asarray(median_filter_3x3(image)),
                              np.asarray(image.filter(ImageFilter.MedianFilter(3)))), image.size


def test_a_clean_render_is_not_despeckled_unless_asked():
    image = _rendered(DEMO_SAMPLE)
    assert needs_despeckle(image, IngestSettings()) == (False, pytest.approx(background_noise(image)))
    assert needs_despeckle(image, IngestSettings(despeckle="always"))[0]
    with pytest.raises(SettingsError, match="despeckle"):
        IngestSettings(despeckle="sometimes")


@needs_corpus(MUCKROCK_PDFS)
def test_real_scans_of_the_corpus_are_not_despeckled():
    for path in sorted(glob.glob(os.path.join(MUCKROCK_PDFS, "*.pdf")))[:3]:
        assert not needs_despeckle(_rendered(path), IngestSettings())[0], path
