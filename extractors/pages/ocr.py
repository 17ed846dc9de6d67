"""Render a PDF page with PDFium and read it with Tesseract (through tesserocr, in-process).

Runs in worker processes. OMP_THREAD_LIMIT=1 must be in the environment before Tesseract loads:
with OpenMP threads on a 2-core machine one page took 7-9 s instead of about 1.1 s.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import replace

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from PIL import Image  # noqa: E402

from extractors.pages.pdf_text import PdfReadError, open_pdf  # noqa: E402
from models.records import OcrPage, Word  # noqa: E402
from models.settings import IngestSettings  # noqa: E402

OcrEngine = Callable[[Image.Image, IngestSettings], tuple[list[Word], float | None]]

_tesseract_apis: dict[tuple[str, str, bool], object] = {}


class OcrError(Exception):
    """OCR could not produce text for a page; the message is for the user."""


def page_pixels(width_pt: float, height_pt: float, dpi: int) -> float:
    return (width_pt * dpi / 72.0) * (height_pt * dpi / 72.0)


def check_renderable(width_pt: float, height_pt: float, settings: IngestSettings) -> str | None:
    """Why a page is too large to render for OCR, or None. Checked before any pixel is allocated."""
    megapixels = page_pixels(width_pt, height_pt, settings.ocr_dpi) / 1e6
    if megapixels <= settings.max_page_megapixels:
        return None
    return (
        f"page is {width_pt / 72:.0f} x {height_pt / 72:.0f} inches: at {settings.ocr_dpi} dpi that is a "
        f"{megapixels:,.0f}-megapixel image, over the {settings.max_page_megapixels:g}-megapixel limit; "
        "not OCR'd (raise --max-page-megapixels to allow it)"
    )


def render_page(document: pdfium.PdfDocument, page_number: int, settings: IngestSettings) -> Image.Image:
    page = document[page_number - 1]
    try:
        width, height = page.get_size()
        refusal = check_renderable(width, height, settings)
        if refusal:
            raise OcrError(refusal)
        bitmap = page.render(scale=settings.ocr_dpi / 72.0, grayscale=True)
        try:
            return bitmap.to_pil().convert("L")
        finally:
            bitmap.close()
    finally:
        page.close()


def _tesseract_api(settings: IngestSettings, block: bool = False):
    from tesserocr import OEM, PSM, PyTessBaseAPI

    tessdata = settings.resolved_tessdata_dir()
    if tessdata is None:
        raise OcrError(
            "Tesseract's language data (eng.traineddata) was not found: install tesseract-ocr "
            "(apt-get install tesseract-ocr) or set TESSDATA_PREFIX"
        )
    key = (tessdata, settings.ocr_language, block)
    if key not in _tesseract_apis:
        _tesseract_apis[key] = PyTessBaseAPI(path=tessdata.rstrip("/") + "/", lang=settings.ocr_language,
                                             oem=OEM.DEFAULT, psm=PSM.SINGLE_BLOCK if block else PSM.AUTO)
    return _tesseract_apis[key]


def tesseract_words(image: Image.Image, settings: IngestSettings,
                    block: bool = False) -> tuple[list[Word], float | None]:
    """Words with pixel-space boxes converted to points, and Tesseract's mean word confidence. `block` reads
    the image as one block of text (for a crop of a few lines) instead of analysing a page layout."""
    from tesserocr import RIL, iterate_level

    api = _tesseract_api(settings, block)
    width, height = image.size
    # Raw bytes rather than SetImage(PIL): the PIL path cost 1.3 s extra per page here.
    api.SetImageBytes(image.tobytes(), width, height, 1, width)
    api.SetSourceResolution(settings.ocr_dpi)
    api.Recognize()
    scale = 72.0 / settings.ocr_dpi
    words: list[Word] = []
    confidences: list[float] = []
    line = -1
    iterator = api.GetIterator()
    for item in iterate_level(iterator, RIL.WORD):
        try:
            text = item.GetUTF8Text(RIL.WORD)
        except RuntimeError:  # tesserocr's "No text returned" for an empty word (a crop of a black box)
            continue
        if not text or not text.strip():
            continue
        if item.IsAtBeginningOf(RIL.TEXTLINE) or line < 0:
            line += 1
        box = item.BoundingBox(RIL.WORD)
        if box is None:
            continue
        confidence = float(item.Confidence(RIL.WORD))
        confidences.append(confidence)
        x0, y0, x1, y1 = box
        for part in text.split():  # Tesseract words never hold spaces, but keep text.split() == words
            words.append(Word(part, round(x0 * scale, 2), round(y0 * scale, 2), round(x1 * scale, 2),
                              round(y1 * scale, 2), line, round(confidence, 1)))
    api.Clear()
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return words, mean


def load_engine(spec: str) -> OcrEngine:
    if spec == "tesseract":
        return tesseract_words
    module_name, _, function_name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError) as error:
        raise OcrError(f"OCR engine {spec!r} could not be loaded: {error}") from None


def text_from_words(words: list[Word]) -> str:
    """Page text rebuilt from words, one printed line per text line, so text.split() == words."""
    lines: list[str] = []
    current = -1
    for word in words:
        if word.line != current:
            lines.append(word.text)
            current = word.line
        else:
            lines[-1] += " " + word.text
    return "\n".join(lines)


def with_lines_inserted(words: list[Word], new: list[Word]) -> list[Word]:
    """The page's words with the new words' lines (a crop read again) inserted where they fall from top to bottom,
    every line renumbered so that Word.line still counts printed lines in reading order."""
    def groups(items):
        out: list[list[Word]] = []
        for item in items:
            if out and out[-1][-1].line == item.line:
                out[-1].append(item)
            else:
                out.append([item])
        return out

    def middle(line):
        return sum((w.y0 + w.y1) / 2 for w in line) / len(line)

    lines = groups(words)
    for line in groups(new):
        at = next((i for i, kept in enumerate(lines) if middle(kept) > middle(line)), len(lines))
        lines.insert(at, line)
    return [replace(word, line=number) for number, line in enumerate(lines) for word in line]


def render_for_ocr(document: pdfium.PdfDocument, page_number: int, settings: IngestSettings) -> Image.Image:
    try:
        return render_page(document, page_number, settings)
    except pdfium.PdfiumError as error:
        raise PdfReadError(f"the page could not be rendered ({error})", page_number) from None


# Near-white neighbouring pixels of a page differ by this much on average (in grey levels, measured on every
# second pixel) where the paper prints as grey noise: a scan saved as a noisy grey JPEG, a camera's sensor noise.
# A clean render and a bilevel scan differ by well under 1 (the 576 State, DC and MuckRock PDF pages of the
# corpus: at most 0.8, 99% under 0.6; our noisy synthetic scans 4.3-4.6); such noise makes Tesseract read specks
# as marks and break letters, a 3x3 median filter removes it.
NOISY_BACKGROUND = 1.0


def background_noise(image: Image.Image) -> float:
    """Mean difference between horizontally neighbouring near-white pixels (every second row and column)."""
    pixels = np.asarray(image, dtype=np.int16)[::2, ::2]
    left, right = pixels[:, :-1], pixels[:, 1:]
    bright = (left > 200) & (right > 200)
    if not bright.any():
        return 0.0
    return float(np.abs(left - right)[bright].mean())


def needs_despeckle(image: Image.Image, settings: IngestSettings) -> tuple[bool, float | None]:
    """Should this page image be cleaned before OCR? (and the noise measured, when it was)."""
    if settings.despeckle == "never":
        return False, None
    noise = background_noise(image)
    return settings.despeckle == "always" or noise >= NOISY_BACKGROUND, noise


def median_filter_3x3(image: Image.Image) -> Image.Image:
    """PIL's ImageFilter.MedianFilter(3), pixel for pixel (edges replicated, as PIL expands the image), in NumPy:
    about 30 ms for a 300 dpi letter page against PIL's 540 ms, a third of Tesseract's own time on that page.
    The median of a 3x3 window is the median of three numbers: the largest of its columns' minima, the median of
    their medians and the smallest of their maxima; each column of three is sorted once for the three windows
    that share it."""
    padded = np.pad(np.asarray(image), 1, mode="edge")
    top, middle, bottom = padded[:-2], padded[1:-1], padded[2:]
    low, high = np.minimum(top, middle), np.maximum(top, middle)
    mid = np.minimum(high, bottom)
    np.maximum(high, bottom, out=high)
    median = np.maximum(low, mid)
    np.minimum(low, mid, out=low)
    left, centre, right = slice(None, -2), slice(1, -1), slice(2, None)
    largest_low = np.maximum(np.maximum(low[:, left], low[:, centre]), low[:, right])
    smallest_high = np.minimum(np.minimum(high[:, left], high[:, centre]), high[:, right])
    median_of_medians = _median_of_three(median[:, left], median[:, centre], median[:, right])
    return Image.fromarray(_median_of_three(largest_low, median_of_medians, smallest_high), "L")


def _median_of_three(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))


def prepare_for_ocr(image: Image.Image, settings: IngestSettings) -> tuple[Image.Image, str | None]:
    """The image Tesseract reads, and what was done to it (None when nothing was)."""
    clean, noise = needs_despeckle(image, settings)
    if not clean:
        return image, None
    cleaned = median_filter_3x3(image)
    image.close()
    return cleaned, f"despeckled: background noise {noise:.1f}"


def page_image_for_ocr(document: pdfium.PdfDocument, page_number: int, settings: IngestSettings,
                       scan_boxes: bool = False) -> tuple[Image.Image, str | None, list | None]:
    """The page rendered for Tesseract and cleaned where it needs it, what cleaning was done, and with scan_boxes
    the redaction boxes in the same render (a scan's, read before any cleaning: the page is rendered once)."""
    image = render_for_ocr(document, page_number, settings)
    boxes = None
    if scan_boxes:
        from extractors.redactions.image_boxes import boxes_in_render

        try:
            boxes = boxes_in_render(image, settings.ocr_dpi)
        except Exception:  # noqa: BLE001 - never the OCR's loss: the redaction step looks again and records a failure
            boxes = None
    return (*prepare_for_ocr(image, settings), boxes)


def run_engine(engine: OcrEngine, image: Image.Image, settings: IngestSettings) -> tuple[list[Word], float | None]:
    try:
        return engine(image, settings)
    except (OcrError, MemoryError):  # MemoryError: the worker's limit, which the pool names
        raise
    except Exception as error:  # an engine's own failure becomes a reason, not a traceback
        raise OcrError(f"OCR failed: {type(error).__name__}: {error}") from None


def read_region(image: Image.Image, box_pt: tuple[float, float, float, float], settings: IngestSettings,
                engine: OcrEngine, upscale: int = 1, despeckle: bool = False) -> list[Word]:
    """The words of one region of a page image (a box in points), read on their own as one block of text and
    placed in page coordinates; upscale enlarges the crop first, for small print, and despeckle takes the crop
    through the 3x3 median first, for print on a stippled background. Empty when nothing is read or the engine
    fails: the page reading stands."""
    scale = settings.ocr_dpi / 72.0
    left, top = max(0.0, box_pt[0]), max(0.0, box_pt[1])
    box = (int(left * scale), int(top * scale), min(image.width, int(box_pt[2] * scale)),
           min(image.height, int(box_pt[3] * scale)))
    if box[2] <= box[0] or box[3] <= box[1]:
        return []
    crop = image.crop(box)
    if despeckle:
        cleaned = median_filter_3x3(crop)
        crop.close()
        crop = cleaned
    if upscale > 1:
        larger = crop.resize((crop.width * upscale, crop.height * upscale), Image.Resampling.BICUBIC)
        crop.close()
        crop = larger
    try:
        words, _ = tesseract_words(crop, settings, block=True) if engine is tesseract_words \
            else run_engine(engine, crop, settings)
    except (OcrError, RuntimeError):
        return []
    finally:
        crop.close()
    return [replace(word, x0=round(left + word.x0 / upscale, 2), x1=round(left + word.x1 / upscale, 2),
                    y0=round(top + word.y0 / upscale, 2), y1=round(top + word.y1 / upscale, 2)) for word in words]


def read_page_image(engine: OcrEngine, image: Image.Image, settings: IngestSettings) -> tuple[list[Word], float | None]:
    """The engine's words for a page image, with a release stamp it broke and the exemption codes it read in
    doubt read again on their own (extractors.pages.code_rereading), and its mean confidence; from the OCR cache
    when this image was read before (extractors.pages.ocr_cache)."""
    from extractors.pages import ocr_cache
    from extractors.pages.code_rereading import reread_doubtful_codes, reread_stamp

    folder = settings.ocr_cache_dir
    key = ocr_cache.image_key(image, settings) if folder else None
    if key and (kept := ocr_cache.cached_reading(folder, key)) is not None:
        return kept
    words, mean_confidence = run_engine(engine, image, settings)
    words = reread_stamp(image, words, settings, engine)
    words = reread_doubtful_codes(image, words, settings, engine)
    if key:
        ocr_cache.keep_reading(folder, key, words, mean_confidence)
    return words, mean_confidence


def ocr_pdf_page(path: str, page_number: int, settings: IngestSettings, scan_boxes: bool = False) -> OcrPage:
    """Render one page at settings.ocr_dpi and OCR it (with scan_boxes, find its redaction boxes in the same
    render). Raises OcrError or PdfReadError with a reason."""
    engine = load_engine(settings.ocr_engine)
    with open_pdf(path) as document:
        image, cleaning, boxes = page_image_for_ocr(document, page_number, settings, scan_boxes)
    try:
        words, mean_confidence = read_page_image(engine, image, settings)
    finally:
        image.close()
    return OcrPage(page_number, text_from_words(words), words, mean_confidence, settings.ocr_dpi, cleaning, boxes)
