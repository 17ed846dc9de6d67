"""Evidence crops: the part of a page where a fact was read, with the cited words highlighted from their boxes.

A page is rendered once (pypdfium2) and kept in a cache named by the page's own hash (the file's SHA-256, the
page number and the resolution), so a page cited by many events, or by the next build of the report, is not
drawn again. Where the PDF cannot be opened any more (moved, inside a zip, an Office file printed to a PDF that
was not kept) the crop is drawn from the words stored with their boxes instead, and says so.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

RENDER_DPI = 110
HIGHLIGHT = (255, 214, 0, 110)
MARGIN_PT = 36


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float  # points, from the page's top-left corner, as page_words stores them


@dataclass(frozen=True)
class PageWord:
    text: str
    box: Box


def page_key(document_id: str, page_number: int, dpi: int = RENDER_DPI) -> str:
    return hashlib.sha256(f"{document_id}:{page_number}:{dpi}".encode()).hexdigest()[:32]


def rendered_page(pdf_path: str, page_number: int, cache_path: str, dpi: int = RENDER_DPI) -> Image.Image | None:
    """The page rendered as a greyscale image (a third of colour's bytes to encode and keep; the highlight brings
    the only colour a crop needs) and kept at cache_path; None where the PDF cannot be read."""
    import pypdfium2 as pdfium  # noqa: PLC0415

    try:
        document = pdfium.PdfDocument(pdf_path)
    except (pdfium.PdfiumError, OSError, FileNotFoundError):
        return None
    try:
        if not 1 <= page_number <= len(document):
            return None
        image = document[page_number - 1].render(scale=dpi / 72.0, grayscale=True).to_pil()
    finally:
        document.close()
    os.makedirs(os.path.dirname(cache_path), exist_ok=True)
    image.save(cache_path, optimize=False, compress_level=1)
    return image


def words_page(width_pt: float, height_pt: float, words: list[PageWord], dpi: int = RENDER_DPI) -> Image.Image:
    """A page drawn from its stored words alone (grey text at each word's box) where the file is gone."""
    scale = dpi / 72.0
    image = Image.new("RGB", (max(1, round(width_pt * scale)), max(1, round(height_pt * scale))), "white")
    draw = ImageDraw.Draw(image)
    for word in words:
        size = max(6, round((word.box.y1 - word.box.y0) * scale * 0.8))
        draw.text((word.box.x0 * scale, word.box.y0 * scale), word.text, fill=(60, 60, 60),
                  font=ImageFont.load_default(size=size))
    return image


def evidence_crop(page: Image.Image, width_pt: float, cited: list[Box], max_width_px: int = 900) -> Image.Image:
    """The band of the page that holds the cited words (the page's width, the words' lines and a margin above
    and below), each cited word under a translucent highlight."""
    scale = page.width / width_pt
    top = max(0, round((min(box.y0 for box in cited) - MARGIN_PT) * scale))
    bottom = min(page.height, round((max(box.y1 for box in cited) + MARGIN_PT) * scale))
    band = page.crop((0, top, page.width, max(bottom, top + 1))).convert("RGBA")
    overlay = Image.new("RGBA", band.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for box in cited:
        draw.rectangle((box.x0 * scale - 1, box.y0 * scale - top - 1, box.x1 * scale + 1, box.y1 * scale - top + 1),
                       fill=HIGHLIGHT)  # a marker stroke, no outline: the words stay as legible as printed
    crop = Image.alpha_composite(band, overlay).convert("RGB")
    if crop.width > max_width_px:
        crop = crop.resize((max_width_px, max(1, round(crop.height * max_width_px / crop.width))))
    return crop
