"""Redaction boxes drawn in a born-digital page's vector content, and the text a box fails to hide.

A redaction tool draws a filled rectangle over the withheld words (Acrobat, and the DC release: a white knockout
rectangle and a black one a point beside it). `vector_boxes` takes the page's filled shapes as pdfplumber lists
them (`page.rects`, `page.curves`: top-left page points) and keeps those that can hide text: a black, dark or
solid-coloured fill at least a small line of text high and wide, that is neither a rule (a point or two high), a
page border or background (most of the page), nor a white or pale fill. `covered_words` says which words of the
text layer lie under a box: a box over characters still in the file is a failed redaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.records import Word

MIN_TEXT_HEIGHT = 5.0  # points: the smallest printed line a box can hide (a 6 pt font); rules are 0.5-2 pt
MIN_WIDTH = 5.0
MAX_PAGE_SHARE = 0.5  # a fill over more than half the page is a background or a border, not a redaction
DARK = 0.35  # luminance at or under which a fill hides text printed black
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
    """pdfplumber's non-stroking colour (a grey number, a 1-, 3- or 4-tuple for grey, RGB, CMYK) as RGB."""
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
    if luminance <= 0.05:
        return "black"
    if saturation >= SOLID_COLOUR and luminance <= 0.75:
        return "colour"
    if luminance <= DARK:
        return "dark"
    return None


def vector_boxes(shapes: Iterable[dict], page_width: float, page_height: float) -> list[Box]:
    """The redaction boxes among a page's filled shapes (pdfplumber rect or curve dicts), in reading order; a
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
    """A path drawn through the four corners of its bounding box and nowhere else (pdfplumber gives a curve's
    points in top-left coordinates under "pts")."""
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


def page_vector_shapes(path: str, page_numbers: Sequence[int]) -> dict[int, tuple[list[dict], float, float]]:
    """The filled rects and curves of the given pages (numbered from 1, as read_text_layers numbers them) with the
    page's size, read with pdfplumber: it lists vector graphics with their fill colours, which the text path
    (pypdfium2) does not."""
    import pdfplumber  # only pages read for redactions pay for it

    out: dict[int, tuple[list[dict], float, float]] = {}
    with pdfplumber.open(path) as pdf:
        for number in page_numbers:
            page = pdf.pages[number - 1]
            shapes = [dict(shape) for shape in list(page.rects) + list(page.curves) if shape.get("fill")]
            out[number] = (shapes, float(page.width), float(page.height))
            page.flush_cache()
    return out
