"""Redaction boxes drawn in a born-digital page's vector content, and the text a box fails to hide.

A redaction tool draws a filled rectangle over the withheld words (Acrobat, and the DC release: a white knockout
rectangle and a black one a point beside it). `vector_boxes` takes the page's filled shapes (page_vector_shapes:
top-left page points, in pdfplumber's form of them) and keeps those that can hide text: a black, dark or
solid-coloured fill at least a small line of text high and wide, that is neither a rule (a point or two high), a
page border or background (most of the page), nor a white or pale fill. `covered_words` says which words of the
text layer lie under a box: a box over characters still in the file is a failed redaction.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.pages.pdf_text import display_transform
from models.records import Word

MIN_TEXT_HEIGHT = 5.0  # points: the smallest printed line a box can hide (a 6 pt font); rules are 0.5-2 pt
MIN_WIDTH = 5.0
MAX_PAGE_SHARE = 0.5  # a fill over more than half the page is a background or a border, not a redaction
DARK = 0.35  # luminance at or under which a fill hides text printed black
BLACKISH = 0.15  # a neutral fill this dark is black: PDFium gives CMYK black (0, 0, 0, 1) as RGB (35, 31, 32)
SOLID_COLOUR = 0.5  # saturation from which a coloured fill (a red or blue bar) counts


@dataclass(frozen=True, slots=True)
class Box:
    """A redaction box in displayed page points, top-left origin (as Word boxes are)."""

    x0: float
    top: float
    x1: float
    bottom: float
    fill: str  # black | dark | colour | outlined (a scan's white box with a grey outline)
    source: str = "vector"  # vector | image

    @property
    def area(self) -> float:
        return max(0.0, self.x1 - self.x0) * max(0.0, self.bottom - self.top)


def _rgb(colour) -> tuple[float, float, float] | None:
    """A non-stroking colour (a grey number, a 1-, 3- or 4-tuple for grey, RGB, CMYK, as pdfplumber gives them;
    page_vector_shapes gives RGB) as RGB."""
    if colour is None:
        return None
    if isinstance(colour, (int, float)):
        return (float(colour),) * 3
    values = [float(v) for v in colour if isinstance(v, (int, float))]
    if len(values) == 1:
        return (values[0],) * 3
    if len(values) == 3:
        return values[0], values[1], values[2]
    if len(values) == 4:
        c, m, y, k = values
        return (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    return None  # a pattern or a named colour space: its look is unknown


def fill_kind(colour) -> str | None:
    """black | dark | colour for a fill that hides text, None for white, pale or unknown fills."""
    rgb = _rgb(colour)
    if rgb is None:
        return None
    luminance = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    saturation = max(rgb) - min(rgb)
    if luminance <= 0.05 or (luminance <= BLACKISH and saturation <= 0.05):
        return "black"
    if saturation >= SOLID_COLOUR and luminance <= 0.75:
        return "colour"
    if luminance <= DARK:
        return "dark"
    return None


def vector_boxes(shapes: Iterable[dict], page_width: float, page_height: float) -> list[Box]:
    """The redaction boxes among a page's filled shapes (page_vector_shapes' dicts), in reading order; a
    box drawn twice (an outline and its fill, or two tools' passes) is kept once."""
    page_area = max(page_width * page_height, 1.0)
    boxes: list[Box] = []
    for shape in shapes:
        if not shape.get("fill"):
            continue
        kind = fill_kind(shape.get("non_stroking_color"))
        x0, top, x1, bottom = (float(shape[key]) for key in ("x0", "top", "x1", "bottom"))
        width, height = x1 - x0, bottom - top
        if shape.get("object_type") == "curve" and not _rectangular(shape, x0, top, x1, bottom):
            continue  # a logo's corner, a circle, a signature stroke: a box is drawn as a rectangle
        if kind is None or height < MIN_TEXT_HEIGHT or width < MIN_WIDTH or width * height > MAX_PAGE_SHARE * page_area:
            continue
        box = Box(round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2), kind)
        if not drawn_again(box, boxes):
            boxes.append(box)
    return sorted(boxes, key=lambda b: (round(b.top), b.x0))


def _rectangular(shape: dict, x0: float, top: float, x1: float, bottom: float) -> bool:
    """A path drawn through the four corners of its bounding box and nowhere else (a shape's points, in top-left
    coordinates, are under "pts")."""
    points = shape.get("pts") or []
    corners = [(x0, top), (x1, top), (x0, bottom), (x1, bottom)]

    def near(a, b) -> bool:
        return abs(a[0] - b[0]) + abs(a[1] - b[1]) <= 1.0

    # every point on a corner, and every corner used: a right triangle (a logo's corner) has only three
    return bool(points) and all(any(near(p, c) for c in corners) for p in points) and all(
        any(near(p, c) for p in points) for c in corners)


def drawn_again(box: Box, boxes: Iterable[Box]) -> bool:
    """The box covers much the same place as one already found (an outline and its fill, two tools' passes, a
    box found two ways)."""
    return any(max(0.0, min(box.x1, other.x1) - max(box.x0, other.x0))
               * max(0.0, min(box.bottom, other.bottom) - max(box.top, other.top)) > 0.8 * min(box.area, other.area)
               for other in boxes)


def covered_words(box: Box, words: Sequence[Word]) -> list[Word]:
    """The words of the text layer whose middle lies under the box: text the box draws over but the file still
    holds."""
    out = []
    for word in words:
        middle_x, middle_y = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
        if box.x0 <= middle_x <= box.x1 and box.top <= middle_y <= box.bottom:
            out.append(word)
    return out


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def page_vector_shapes(document: pdfium.PdfDocument, page_numbers: Sequence[int]
                       ) -> dict[int, tuple[list[dict], float, float]]:
    """The filled paths of the given pages of an open PDF (numbered from 1), one shape a subpath, in the form
    vector_boxes takes (displayed top-left points, as the text layer's words), with the page's displayed size.

    Read from PDFium's page objects, paths inside form XObjects included. This was pdfplumber's reading: on all
    622 pages of the corpus, the sample release and the generated printouts both found the same 47 boxes to the
    hundredth of a point, PDFium in 1 ms a page where pdfplumber parsed the whole page in 27 (most of a
    born-digital page's cost). Two differences, both for the better or harmless: on a page whose crop box is not
    its media box the boxes lie where the words do (pdfplumber measured from the media box), and a CMYK black
    comes as PDFium's RGB for it, (35, 31, 32) (fill_kind counts it black)."""
    out: dict[int, tuple[list[dict], float, float]] = {}
    for number in page_numbers:
        page = document[number - 1]
        try:
            out[number] = _filled_shapes(page)
        finally:
            page.close()
    return out


def _filled_shapes(page: pdfium.PdfPage) -> tuple[list[dict], float, float]:
    a, b, c, d, e, f, width, height = display_transform(page)
    shapes = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    x, y = ctypes.c_float(), ctypes.c_float()
    raw = page.raw
    objects = (pdfium_c.FPDFPage_GetObject(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw)))
    for path, outer in _paths(objects, _IDENTITY, depth=0):
        if not pdfium_c.FPDFPath_GetDrawMode(path, fill, stroke) or fill.value == pdfium_c.FPDF_FILLMODE_NONE:
            continue
        colour = ((red.value / 255, green.value / 255, blue.value / 255)
                  if pdfium_c.FPDFPageObj_GetFillColor(path, red, green, blue, alpha) else None)
        ma, mb, mc, md, me, mf = _compose(_matrix(path), outer)
        subpaths: list[list[tuple[float, float]]] = []
        for index in range(pdfium_c.FPDFPath_CountSegments(path)):
            segment = pdfium_c.FPDFPath_GetPathSegment(path, index)
            if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            ux, uy = ma * x.value + mc * y.value + me, mb * x.value + md * y.value + mf  # page space
            if pdfium_c.FPDFPathSegment_GetType(segment) == pdfium_c.FPDF_SEGMENT_MOVETO or not subpaths:
                subpaths.append([])
            subpaths[-1].append((a * ux + b * uy + c, d * ux + e * uy + f))
        for points in subpaths:  # each subpath painted apart, as pdfplumber (pdfminer) lists them
            xs, ys = [point[0] for point in points], [point[1] for point in points]
            shapes.append({"object_type": "curve", "fill": True, "non_stroking_color": colour, "pts": points,
                           "x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys)})
    return shapes, float(width), float(height)


def _paths(objects, outer: tuple, depth: int):
    """The path objects among these page objects and inside their forms (to three levels, as the text path
    looks), each with the matrix from its form's space to the page's."""
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            yield obj, outer
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 3:
            inner = (pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)))
            yield from _paths(inner, _compose(_matrix(obj), outer), depth + 1)


def _matrix(obj) -> tuple:
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
        return _IDENTITY
    return matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying `inner`, then `outer` (PDF's row-vector order)."""
    a, b, c, d, e, f = inner
    oa, ob, oc, od, oe, of = outer
    return (a * oa + b * oc, a * ob + b * od, c * oa + d * oc, c * ob + d * od, e * oa + f * oc + oe,
            e * ob + f * od + of)
