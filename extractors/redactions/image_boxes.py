"""Redaction boxes in a page image (a scan): solid dark rectangles, and the State Department's white boxes with a
thin grey outline over blanked text.

The page is rendered small (100 dpi is plenty for boxes a line of text high) and read with scipy.ndimage:
- an outlined box is a blank rectangle fenced by long straight strokes: the strokes are the dark pixels that
  survive an opening with a long thin line (letters do not), and every white region they enclose that is a
  rectangle, holds no ink and does not reach the page's edge is a box. Boxes stacked on each other share a stroke
  and are still told apart, since each encloses its own region. A stamp's frame encloses text, so it is none;
- a solid box is what survives an opening with a square a small line of text high: letters, rules a few pixels
  thick and signatures' strokes do not.
"""

from __future__ import annotations

import numpy as np

from extractors.redactions.boxes import MIN_TEXT_HEIGHT, MIN_WIDTH, Box, drawn_again

BOX_DPI = 100
INK = 235  # grey level under which a pixel is ink (State's thin grey outlines render light at 100 dpi)
SOLID = 60  # grey level under which a pixel is dark enough to be a filled box (a red bar of a logo is about 76)
STROKE = 0.3  # inches: the shortest straight stroke that is an outline's side, longer than any letter
SIDE = 0.1  # inches: the shortest vertical side (a box a small line of text high)
BLANK = 0.01  # share of a box's inside that may be ink (speckle, a stray mark) and still be a blank box
RECTANGLE = 0.9  # share of its bounding box an enclosed region must fill to be a rectangle
GAP_CLOSING = 1  # pixels each way
PAGE_BODY = 0.9  # a box may cover a whole page's body (a page withheld in full), not the whole sheet


def image_boxes(grey: np.ndarray, dpi: float = BOX_DPI) -> list[Box]:
    """The redaction boxes in a grey page image (rows top to bottom, 0 black .. 255 white), in points from the
    top-left corner."""
    from scipy import ndimage  # only pages read for boxes pay for it

    height, width = grey.shape
    scale = 72.0 / dpi
    ink = grey < INK
    horizontal = _opened(ink, max(3, int(STROKE * dpi)), axis=1)
    vertical = _opened(ink, max(3, int(SIDE * dpi)), axis=0)
    # a thin grey outline renders broken in places at this size: strokes are thickened a pixel each way, which
    # closes gaps of two pixels, so the blank inside is still fenced off from the page around it
    strokes = ndimage.maximum_filter((horizontal | vertical).view(np.uint8), size=2 * GAP_CLOSING + 1,
                                     mode="constant", cval=0).astype(bool)
    boxes: list[Box] = []
    regions, count = ndimage.label(~strokes)
    for index, found in enumerate(ndimage.find_objects(regions), start=1):
        if found is None:
            continue
        rows, cols = found
        if rows.start == 0 or cols.start == 0 or rows.stop >= height or cols.stop >= width:
            continue  # the page around everything
        region = regions[found] == index
        box_h, box_w = rows.stop - rows.start, cols.stop - cols.start
        if not _box_sized(box_w * scale, box_h * scale, width * height * scale * scale):
            continue
        if region.mean() < RECTANGLE or ink[found][region].mean() > BLANK:
            continue  # not a rectangle, or it holds text (a stamp's frame, a table cell)
        if not _fenced(strokes, rows, cols):
            continue
        if not _on_paper(grey, rows, cols, GAP_CLOSING + 3):
            continue  # a pane of a photograph or a drawing, not a box on the page
        pad = GAP_CLOSING + 1  # to the outline's middle
        boxes.append(Box(round((cols.start - pad) * scale, 2), round((rows.start - pad) * scale, 2),
                         round((cols.stop + pad - 1) * scale, 2), round((rows.stop + pad - 1) * scale, 2), "outlined",
                         "image"))
    for box in _framed_boxes(grey, ink, horizontal, dpi):
        if not drawn_again(box, boxes):
            boxes.append(box)
    boxes += _solid_boxes(grey, dpi)
    return sorted(boxes, key=lambda b: (round(b.top), b.x0))


def _solid_boxes(grey: np.ndarray, dpi: float) -> list[Box]:
    """Solid dark rectangles on paper: what survives an opening with a square a small line of text high."""
    from scipy import ndimage

    height, width = grey.shape
    scale = 72.0 / dpi
    side = max(3, int(MIN_TEXT_HEIGHT / scale))
    eroded = _eroded(grey < SOLID, side, (1, 0))
    if not eroded.any():  # nothing dark a small line of text high and wide (most pages): the rest is not needed
        return []
    labels, _ = ndimage.label(_dilated(eroded, side, (1, 0)))
    boxes = []
    for index, found in enumerate(ndimage.find_objects(labels), start=1):
        if found is None:
            continue
        rows, cols = found
        box_h, box_w = rows.stop - rows.start, cols.stop - cols.start
        if not _box_sized(box_w * scale, box_h * scale, width * height * scale * scale):
            continue
        if (labels[found] == index).mean() < RECTANGLE or not _on_paper(grey, rows, cols, 3):
            continue  # a blob, a logo, a dark pane of a photograph
        boxes.append(Box(round(cols.start * scale, 2), round(rows.start * scale, 2), round(cols.stop * scale, 2),
                         round(rows.stop * scale, 2), "black", "image"))
    return boxes


def drawn_on_paper(grey: np.ndarray, box: Box, dpi: float = BOX_DPI) -> bool:
    """A box drawn in a scan's vector content (over the agency's OCR layer) lies on the page's paper, not on a
    photograph printed in it (a TV logo's black flag is a filled rectangle too)."""
    scale = dpi / 72.0
    rows = slice(max(int(box.top * scale), 0), min(int(np.ceil(box.bottom * scale)), grey.shape[0]))
    cols = slice(max(int(box.x0 * scale), 0), min(int(np.ceil(box.x1 * scale)), grey.shape[1]))
    return rows.stop > rows.start and cols.stop > cols.start and _on_paper(grey, rows, cols, 3)


def _along(filter1d, values: np.ndarray, length: int, axis: int, **options) -> np.ndarray:
    """A 1-D filter along an axis, run along rows of a contiguous copy: down the columns of a C-ordered image
    scipy's filter strides through memory and runs about a third slower."""
    if axis == 0:
        return filter1d(np.ascontiguousarray(values.T), length, axis=1, **options).T
    return filter1d(values, length, axis=1, **options)


def _eroded(mask: np.ndarray, length: int, axes: tuple[int, ...]) -> np.ndarray:
    from scipy import ndimage

    values = mask.view(np.uint8)
    for one in axes:
        values = _along(ndimage.minimum_filter1d, values, length, one, mode="constant", cval=0)
    return values


def _dilated(values: np.ndarray, length: int, axes: tuple[int, ...]) -> np.ndarray:
    from scipy import ndimage

    # the dilation uses the element reflected, which for an even length is the window one step the other way
    for one in axes:
        values = _along(ndimage.maximum_filter1d, values, length, one, mode="constant", cval=0,
                        origin=0 if length % 2 else -1)
    return values.astype(bool)


def _opened(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """`mask` opened with a line `length` long along `axis`: done with 1-D minimum and maximum filters, several
    times faster than the general binary opening."""
    return _dilated(_eroded(mask, length, (axis,)), length, (axis,))


def _covered(line: np.ndarray) -> float:
    return float(line.mean()) if line.size else 0.0


def _framed_boxes(grey: np.ndarray, ink: np.ndarray, horizontal: np.ndarray, dpi: float) -> list[Box]:
    """Blank rectangles whose four sides are mostly drawn, found from pairs of long horizontal strokes: the
    frame of a page withheld in full, whose line a footer stamp's white ground breaks, leaks, and is found so.
    The frame spans its top stroke, or its bottom one where the top steps around a line left visible (a frame
    cut back around the one phone number a withheld page releases) and lies mostly over the bottom."""
    from scipy import ndimage

    scale = 72.0 / dpi
    labels, _ = ndimage.label(horizontal, structure=np.ones((3, 3)))  # a skewed scan's line steps diagonally
    segments = [(rows.start, rows.stop, cols.start, cols.stop) for rows, cols in ndimage.find_objects(labels)
                if cols.stop - cols.start >= STROKE * dpi]
    out = []
    for top in segments:
        for bottom in segments:
            if bottom[0] <= top[1] or (bottom[1] - top[0]) * scale < MIN_TEXT_HEIGHT:
                continue
            spans = [(top[2], top[3], 0.8)] + ([(bottom[2], bottom[3], 0.5)] if bottom[3] - bottom[2] > top[3] - top[2]
                                               else [])
            box = next((found for x0, x1, share in spans if min(top[3], bottom[3], x1) - max(top[2], bottom[2], x0)
                        >= share * (x1 - x0) and (found := _frame(grey, ink, top, bottom, x0, x1, scale))), None)
            if box is not None:
                out.append(box)
                break  # the nearest bottom that closes the frame
    return out


def _frame(grey: np.ndarray, ink: np.ndarray, top: tuple, bottom: tuple, x0: int, x1: int, scale: float
           ) -> Box | None:
    """The frame from the top stroke to the bottom one between columns x0 and x1, if its bottom and sides are
    mostly drawn, it holds no ink and it lies on paper."""
    near = 2  # pixels: how far a side may lie from where the other strokes put it
    y0, y1 = top[0], bottom[1]
    bottom_drawn = ink[max(bottom[0] - near, 0): bottom[1] + near, x0:x1].any(axis=0)
    if _covered(bottom_drawn) < 0.8:
        return None
    if _side_drawn(ink, y0, y1, x0, near) < 0.8 or _side_drawn(ink, y0, y1, x1 - 1, near) < 0.8:
        return None
    inside = ink[y0 + near + 2: bottom[0] - near - 1, x0 + near + 2: x1 - near - 2]
    if inside.size == 0 or inside.mean() > BLANK:
        return None
    rows, cols = slice(y0, y1), slice(x0, x1)
    if not _box_sized((x1 - x0) * scale, (y1 - y0) * scale, grey.size * scale * scale) or not _on_paper(
            grey, rows, cols, 3):
        return None
    return Box(round(x0 * scale, 2), round(y0 * scale, 2), round(x1 * scale, 2), round(y1 * scale, 2), "outlined",
               "image")


SKEW = 0.015  # how far a scan's vertical line may drift sideways per pixel down (under a degree)


def _side_drawn(ink: np.ndarray, y0: int, y1: int, x: int, near: int) -> float:
    """The share of rows y0..y1 with ink near column x: within `near` pixels and the drift a skewed scan gives a
    line that long (a tall side is sampled, enough rows to measure a share)."""
    reach = near + int(SKEW * (y1 - y0))
    band = ink[y0:y1:max(1, (y1 - y0) // 128), max(x - reach, 0): x + reach + 1]
    return float(band.any(axis=1).mean()) if band.size else 0.0


def _box_sized(width_pt: float, height_pt: float, page_area_pt: float) -> bool:
    return height_pt >= MIN_TEXT_HEIGHT and width_pt >= MIN_WIDTH and width_pt * height_pt <= PAGE_BODY * page_area_pt


def _on_paper(grey: np.ndarray, rows: slice, cols: slice, gap: int) -> bool:
    """Most of a ring a few pixels outside the box is paper: a redaction is drawn on the page, not inside a
    photograph."""
    top, bottom = max(rows.start - gap - 3, 0), min(rows.stop + gap + 3, grey.shape[0])
    left, right = max(cols.start - gap - 3, 0), min(cols.stop + gap + 3, grey.shape[1])
    outer = grey[top:bottom, left:right].astype(np.int32)
    inner = np.zeros(outer.shape, bool)
    inner[rows.start - top - gap: rows.stop - top + gap, cols.start - left - gap: cols.stop - left + gap] = True
    ring = outer[~inner]
    return ring.size > 0 and (ring >= INK).mean() >= 0.6


def _fenced(strokes: np.ndarray, rows: slice, cols: slice) -> bool:
    """The region's bounding box has a stroke just outside each of its four sides along most of their length."""
    top, bottom = max(rows.start - 2, 0), min(rows.stop + 2, strokes.shape[0])
    left, right = max(cols.start - 2, 0), min(cols.stop + 2, strokes.shape[1])
    sides = (strokes[top:rows.start, cols].any(axis=0), strokes[rows.stop:bottom, cols].any(axis=0),
             strokes[rows, left:cols.start].any(axis=1), strokes[rows, cols.stop:right].any(axis=1))
    return all(side.size and side.mean() >= 0.8 for side in sides)


def boxes_in_render(image, dpi: float) -> list[Box]:
    """image_boxes of a page already rendered (for OCR, at `dpi`), reduced to about BOX_DPI: a pixel of it is
    the mean of a square of the render's, much as a render at that size draws a scan's image."""
    factor = max(1, round(dpi / BOX_DPI))
    small = image.reduce(factor) if factor > 1 else image
    return image_boxes(np.asarray(small.convert("L")), dpi / factor)


def page_grey(document, page_number: int, dpi: float = BOX_DPI) -> np.ndarray:
    """Page `page_number` (from 1) of an open PDF (pypdfium2) as a grey image for box finding."""
    return np.asarray(document[page_number - 1].render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L"))


def render_grey(path: str, page_number: int, dpi: float = BOX_DPI) -> np.ndarray:
    """page_grey of a PDF file's page, opening and closing it (one page at a time: tests, benchmarks)."""
    from extractors.pages.pdf_text import open_pdf

    with open_pdf(path) as document:
        return page_grey(document, page_number, dpi)
