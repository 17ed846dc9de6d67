"""Where printed text runs on and where it stops: the units a reader takes from a page's lines.

A line break is not a word break. Text wraps to the next line only for want of room: the next line's first word
would not have fitted after the line within its page's text column. Where it would have fitted, the writer
ended the line on purpose (a heading, a closing, a name, a job title and an office on the lines of a signature
block, an address, one entry of a list), and nothing read across that break belongs together. A paragraph gap,
a bullet or a number opening the next line ends a unit too. Inside one printed line, a gap much wider than a
space separates columns (a two-column list, a table row). These are decisions from the page's geometry alone,
the same for a text layer and for OCR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.pages.furniture import is_exemption_only
from extractors.pages.visual_lines import Line

# A gap between two words of one line this much wider than the line's height is a column break (a space is
# about a third of the height); the furniture rules use the same 24 pt for a stamp beside a header line.
COLUMN_GAP_HEIGHTS = 1.6
MIN_COLUMN_GAP = 24.0
# A word's room is measured in points; give a wrap the benefit of this many characters of doubt (a character is
# about half the line's height) so that ragged right margins and OCR's box widths do not end sentences.
WRAP_SLACK_CHARACTERS = 2.0
# A vertical gap this many times the page's usual gap between lines, and at least this many line heights, is a
# paragraph break.
PARAGRAPH_GAP_RATIO, PARAGRAPH_GAP_HEIGHTS = 1.8, 0.7
LIST_MARK = re.compile(r"^(?:[-\u2013\u2022\u25cf\u25aa*>o]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])$")


@dataclass(frozen=True, slots=True)
class LineEnds:
    """How a line's text ends: `unit_end` when it does not run on into the next line, and `column_breaks`, the
    positions of the words after which a wide gap splits the line into columns."""
    unit_end: bool
    column_breaks: tuple[int, ...] = ()


def column_breaks(line: Line) -> tuple[int, ...]:
    """Positions in line.words after which a column gap follows."""
    limit = max(MIN_COLUMN_GAP, COLUMN_GAP_HEIGHTS * line.height)
    return tuple(position for position in range(len(line.words) - 1)
                 if line.words[position + 1].x0 - line.words[position].x1 > limit)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def page_right_edges(lines: list[Line]) -> dict[int, float]:
    """Each page's text column right edge: the furthest right any of its lines reaches."""
    edges: dict[int, float] = {}
    for line in lines:
        edges[line.page_number] = max(edges.get(line.page_number, 0.0), line.words[-1].x1)
    return edges


def page_left_edges(lines: list[Line]) -> dict[int, float]:
    """Each page's text column left edge: the furthest left any of its lines starts."""
    edges: dict[int, float] = {}
    for line in lines:
        edges[line.page_number] = min(edges.get(line.page_number, line.x0), line.x0)
    return edges


def in_line_pitch(block: list[Line], line: Line, slack: float = 1.4) -> bool:
    """Does `line` stand at the block's line pitch below its last line, and not a blank line further down? Measured
    at each line's first word: a slightly rotated scan tilts a long line's box, not where its first word stands,
    and OCR's line boxes vary in height with descenders."""
    tops = [(kept.page_number, kept.words[0].y0) for kept in block]
    pitches = [after - before for (page_a, before), (page_b, after) in zip(tops, tops[1:])
               if page_a == page_b and after > before]
    if not pitches or not block or block[-1].page_number != line.page_number:
        return True
    usual = sorted(pitches)[len(pitches) // 2]
    return line.words[0].y0 - block[-1].words[0].y0 <= slack * usual


def _usual_gaps(lines: list[Line]) -> dict[int, float]:
    gaps: dict[int, list[float]] = {}
    for line, after in zip(lines, lines[1:]):
        if after.page_number == line.page_number and after.y0 > line.y1 - 0.5 * line.height:
            gaps.setdefault(line.page_number, []).append(max(0.0, after.y0 - line.y1))
    return {page: _median(found) for page, found in gaps.items()}


def runs_on(line: Line, after: Line, right_edge: float, usual_gap: float | None) -> bool:
    """Does line's text continue into `after`, the next line of the same text? Only where the next line's first
    word had no room at the end of this one, and the next line is no new paragraph or item."""
    if LIST_MARK.match(after.words[0].text):
        return False
    if line.text.endswith("-"):
        return True  # a word hyphenated at the margin
    if after.page_number == line.page_number:
        gap = after.y0 - line.y1
        height = max(line.height, after.height, 1.0)
        if gap > PARAGRAPH_GAP_HEIGHTS * height and (usual_gap is None or gap > PARAGRAPH_GAP_RATIO * usual_gap + 1):
            return False
    first = after.words[0]
    room = right_edge - line.words[-1].x1
    character = 0.5 * max(line.height, 1.0)
    needed = (first.x1 - first.x0) + character * (0.6 + WRAP_SLACK_CHARACTERS)  # the word, a space, the slack
    return room < needed


# No word of a language runs this long: a token this long ending at the right margin is one that could not
# fit on a line (an X.500 address, a long URL), broken there by the mail client.
LONG_TOKEN = 24


def continued_value(value: str, previous: Line, continuation: str, right_edge: float) -> str:
    """A wrapped value going on with its next line's text: after a space, or straight on where the line before
    ends in a token too long for any line, broken at the right margin."""
    if not value:
        return continuation
    last, first = previous.words[-1].text, continuation.split(" ", 1)[0]
    broken = (max(len(last), len(first)) >= LONG_TOKEN  # its first piece may start anywhere on the line
              and previous.words[-1].x1 >= right_edge - 0.6 * max(previous.height, 1.0)
              and last[-1] not in ",;>)\"'" and first[:1] not in ("<", '"', "“", "("))
    return f"{value}{continuation}" if broken else f"{value} {continuation}".strip()


def line_ends(lines: list[Line], right_edges: dict[int, float] | None = None) -> list[LineEnds]:
    """How each of a text's lines (in reading order) ends. `right_edges`: each page's text column right edge,
    measured over all of the page's lines (page_right_edges); by default over these lines alone."""
    right_edges = right_edges if right_edges is not None else page_right_edges(lines)
    gaps = _usual_gaps(lines)
    out = []
    for number, line in enumerate(lines):
        after = lines[number + 1] if number + 1 < len(lines) else None
        ends = after is None or not runs_on(line, after, right_edges.get(line.page_number, line.words[-1].x1),
                                            gaps.get(line.page_number))
        out.append(LineEnds(ends, column_breaks(line)))
    return out


# Type sizes that differ by more than this factor, or left margins further apart than this (in points, and in
# line heights), are another layout.
TYPE_SIZE_RATIO = 1.3
MARGIN_SHIFT_POINTS, MARGIN_SHIFT_HEIGHTS = 36.0, 3.0


def changes_layout(before: list[Line], after: list[Line]) -> bool:
    """Are the lines `after` printed in another layout than the lines `before`: another type size (the median line
    height), or another left margin (where the first line and most lines start)? Exemption codes in the margin
    are no text and do not count."""
    before = [line for line in before if not is_exemption_only(line.text)]
    after = [line for line in after if not is_exemption_only(line.text)]
    if not before or not after:
        return False
    height_before = _median([line.height for line in before])
    height_after = _median([line.height for line in after])
    if height_before <= 0 or height_after <= 0:
        return False
    if max(height_before, height_after) > TYPE_SIZE_RATIO * min(height_before, height_after):
        return True
    margin = _median([line.x0 for line in before])
    limit = max(MARGIN_SHIFT_POINTS, MARGIN_SHIFT_HEIGHTS * height_before)
    return abs(after[0].x0 - margin) > limit and abs(_median([line.x0 for line in after]) - margin) > limit


def opens_with_title(before: list[Line], after: list[Line]) -> bool:
    """Does a page (its first lines `after`) open with a title or a letterhead: a first line in larger type than the
    lines `before`, centred in their text column?"""
    before = [line for line in before if not is_exemption_only(line.text)]
    after = [line for line in after if not is_exemption_only(line.text)]
    if not before or not after:
        return False
    first, height = after[0], _median([line.height for line in before])
    left, right = _median([line.x0 for line in before]), max(line.words[-1].x1 for line in before)
    width = right - left
    if height <= 0 or width <= 0 or first.height < TYPE_SIZE_RATIO * height:
        return False
    centre = (first.x0 + first.words[-1].x1) / 2
    return abs(centre - (left + right) / 2) < 0.06 * width and first.x0 > left + 0.1 * width
