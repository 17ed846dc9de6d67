"""Combine a page's text layer, the OCR decision and an OCR result into the page as loaded."""

from __future__ import annotations

from models.records import OcrPage, PageDecision, PageRecord, TextLayerPage


def build_page_record(layer: TextLayerPage, decision: PageDecision, ocr: OcrPage | None = None,
                      failure: str | None = None) -> PageRecord:
    """The page's chosen text. When OCR was wanted but failed, fall back to whatever layer exists."""
    common = dict(
        page_number=layer.page_number,
        width_pt=layer.width_pt,
        height_pt=layer.height_pt,
        rotation=layer.rotation,
        image_coverage=layer.image_coverage,
        invisible_text_ratio=layer.invisible_text_ratio,
        text_layer_chars=len(layer.text.strip()),
    )
    if decision.method == "ocr" and ocr is not None:
        reason = f"{decision.reason}; {ocr.cleaning}" if ocr.cleaning else decision.reason
        return PageRecord(method="ocr", decision_reason=reason, text=ocr.text, words=ocr.words,
                          ocr_confidence=ocr.mean_confidence,
                          text_layer_text=layer.text if layer.text.strip() else None, **common)
    if decision.method == "ocr":
        has_layer = bool(layer.text.strip())
        reason = f"{decision.reason}; OCR failed ({failure or 'unknown reason'})"
        return PageRecord(method="text_layer" if has_layer else "none", decision_reason=reason,
                          text=layer.text, words=layer.words, ocr_confidence=None, **common)
    return PageRecord(method="text_layer", decision_reason=decision.reason, text=layer.text, words=layer.words,
                      ocr_confidence=None, **common)


def blank_layer(page_number: int) -> TextLayerPage:
    """Stand-in for a page whose text layer could not be read at all: OCR is then the only way in."""
    return TextLayerPage(page_number, 0.0, 0.0, 0, "", [], 1.0, 0.0)
