"""The one function that decides whether a page is OCR'd, on constructed layers and on real pages."""

import os

from extractors.pages.decision import decide_page_method, measure_text_quality
from extractors.pages.pdf_text import open_pdf, read_text_layer
from models.records import TextLayerPage
from tests.conftest import DC_PDFS, DEMO_SAMPLE, SCANNED_SAMPLE, STATE_PDFS, needs_corpus

EMAIL_TEXT = ("From: Teague, Marisol\nSent: Tuesday, April 2, 2019 4:18 PM\nTo: Vasquez-Lind, Dorian\n"
              "Subject: FaceQuill 4 demonstration\nLieutenant, following our call we would like to host your team "
              "at our office for a live demonstration of the platform.")


def layer(text: str, coverage: float = 0.0, invisible: float = 0.0) -> TextLayerPage:
    return TextLayerPage(1, 612, 792, 0, text, [], coverage, invisible)


def test_born_digital_text_is_kept():
    decision = decide_page_method(layer(EMAIL_TEXT))
    assert decision.method == "text_layer"
    assert decision.reason == "text layer kept"


def test_empty_or_whitespace_layer_is_ocrd():
    assert decide_page_method(layer("")).method == "ocr"
    assert decide_page_method(layer(" \n \n")).reason == "no text layer"


def test_force_ocr_overrides_a_good_layer():
    decision = decide_page_method(layer(EMAIL_TEXT), force_ocr=True)
    assert (decision.method, decision.reason) == ("ocr", "OCR forced for every page")


def test_garbage_layer_is_ocrd():
    # What a broken font encoding gives: consonant soup and symbols instead of words.
    garbage = " ".join(["Xkq#zt", "Wrr%p", "ZZk&j", "qtvPbx", "$$##@", "Mnbvcx", "Trkl;z", "Bcdfgh"] * 4)
    decision = decide_page_method(layer(garbage))
    assert decision.method == "ocr"
    assert "garbage" in decision.reason


def test_invalid_characters_make_the_layer_unreadable():
    text = "Subject: \ue001\ue002\ue003\ue004 \ufffd\ufffd\ufffd demo \ue010\ue011\ue012\ue013"
    decision = decide_page_method(layer(text))
    assert decision.method == "ocr"
    assert "invalid characters" in decision.reason


def test_stamp_on_a_scan_is_ocrd_but_a_stamp_on_a_born_digital_page_is_not():
    stamp = "STATE-5CB0045248 RELEASE IN PART B6"
    assert decide_page_method(layer(stamp, coverage=0.98)).method == "ocr"
    assert decide_page_method(layer(stamp, coverage=0.0)).method == "text_layer"


def test_hidden_ocr_layer_is_kept_and_named():
    decision = decide_page_method(layer(EMAIL_TEXT, coverage=1.0, invisible=1.0))
    assert (decision.method, decision.reason) == ("text_layer", "hidden OCR layer kept")


def test_ocr_noise_is_not_garbage():
    # A real agency layer's errors ("clintonernail.com", "Abed in, Huma") must not trigger re-OCR.
    noisy = ("From: Abed in, Huma <abedinh@state.gov> Sent: Wednesday, September 12, 2012 07:14 AM To: H "
             "Subject: Fw: Cairo condemnation - Final hrod17@clintonernail.com B6 Pis print. Thx\n"
             "UNCLASSIFIED U.S. Department of State Case No. F-2015-04841 Doc No. C05739545 Date: 05/13/2015")
    assert measure_text_quality(noisy).wordlike_share > 0.8
    assert decide_page_method(layer(noisy, coverage=1.0, invisible=1.0)).method == "text_layer"


def test_sample_pages_decide_as_expected():
    with open_pdf(DEMO_SAMPLE) as document:
        assert decide_page_method(read_text_layer(document, 1)).method == "text_layer"
    with open_pdf(SCANNED_SAMPLE) as document:
        scanned = read_text_layer(document, 1)
    assert scanned.image_coverage > 0.95
    assert decide_page_method(scanned).reason == "no text layer"


@needs_corpus(DC_PDFS)
def test_real_image_only_letter_is_ocrd():
    with open_pdf(os.path.join(DC_PDFS, "Mayor_Referral_to_BEGA_2.16.2018..pdf")) as document:
        assert decide_page_method(read_text_layer(document, 1)).method == "ocr"


@needs_corpus(DC_PDFS)
def test_real_born_digital_outlook_print_keeps_its_text():
    with open_pdf(os.path.join(DC_PDFS, "Re__possible_to_delay_mtg_a_day_or_so___Redacted.pdf")) as document:
        decisions = [decide_page_method(read_text_layer(document, n)).method for n in range(1, len(document) + 1)]
    assert decisions == ["text_layer"] * 4


@needs_corpus(STATE_PDFS)
def test_real_agency_ocr_layer_is_kept_unless_forced():
    with open_pdf(os.path.join(STATE_PDFS, "C05739545.pdf")) as document:
        page = read_text_layer(document, 1)
    assert page.invisible_text_ratio > 0.9 and page.image_coverage > 0.9
    assert decide_page_method(page).reason == "hidden OCR layer kept"
    assert decide_page_method(page, force_ocr=True).method == "ocr"
