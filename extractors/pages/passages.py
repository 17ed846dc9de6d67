"""A document's text outside every email message, as passages: letters, memos, contracts, press releases, lists,
reports, and the attachments printed after the email that carried them.

A passage is a run of printed lines in reading order (page furniture already left out) that share one layout.
A passage ends where a message's lines come between, where a page starts in another layout (another type size or
margin), where the type size changes on a page (a heading and the text under it), and at a wide vertical gap (a
new section). Each passage is a `prose` passage (sentences wrapped over lines) or a `list` (one entry a line or a
cell, as in a list of agencies, a table, an address or signature block); how each of its lines ends
(extractors/pages/layout.py) tells the reader where an entry or a sentence stops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.pages.furniture import is_exemption_only
from extractors.pages.layout import TYPE_SIZE_RATIO, LineEnds, changes_layout, line_ends
from extractors.pages.visual_lines import Line

# A gap between two lines of a page this many times the page's usual gap, and at least this many line heights,
# begins a new section.
SECTION_GAP_RATIO, SECTION_GAP_HEIGHTS = 3.0, 1.5
# A list: most of its lines (this share, and at least this many) are entries, not wrapped sentences.
LIST_SHARE, LIST_MIN_LINES = 0.6, 3
ENTRY_MAX_WORDS = 12
SENTENCE_END = re.compile(r"[.!?:;]['\"\u201d\u2019)]*$")


@dataclass
class Passage:
    kind: str  # prose | list
    lines: list[Line]
    ends: list[LineEnds]
    follows: int | None  # ordinal of the message printed before it, None when none is

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _is_entry(line: Line, ends: LineEnds) -> bool:
    """A line that is one entry (or a row of entries): cut into columns, or ended on purpose without ending a
    sentence, and short."""
    if ends.column_breaks:
        return True
    return ends.unit_end and len(line.words) <= ENTRY_MAX_WORDS and not SENTENCE_END.search(line.text)


def _kind(lines: list[Line], ends: list[LineEnds]) -> str:
    entries = sum(_is_entry(line, end) for line, end in zip(lines, ends))
    return "list" if len(lines) >= LIST_MIN_LINES and entries >= LIST_SHARE * len(lines) else "prose"


def _usual_gap(lines: list[Line]) -> float:
    gaps = sorted(max(0.0, b.y0 - a.y1) for a, b in zip(lines, lines[1:]) if a.page_number == b.page_number)
    return gaps[len(gaps) // 2] if gaps else 0.0


def _size_changes(lines: list[Line], index: int) -> bool:
    """Does the type size change at lines[index]: for good, or for a heading of one line in larger type (one
    line a little off is OCR's boxes, not a new passage)?"""
    before, line = lines[index - 1], lines[index]
    if before.page_number != line.page_number or min(before.height, line.height) <= 0:
        return False

    def differ(a: Line, b: Line) -> bool:
        return max(a.height, b.height) > TYPE_SIZE_RATIO * min(a.height, b.height)

    if not differ(before, line):
        return False
    after = lines[index + 1] if index + 1 < len(lines) else None
    if after is None or after.page_number != line.page_number or not differ(after, line):
        return True
    return line.height > before.height and line.height > after.height  # a heading between two texts


def _cuts(run: list[Line], gap: float) -> list[int]:
    """Indices in a run of lines where a new passage starts."""
    cuts = []
    start = 0
    for index in range(1, len(run)):
        before, line = run[index - 1], run[index]
        if line.page_number != before.page_number:
            page = [other for other in run[index:index + 6] if other.page_number == line.page_number]
            new = changes_layout(run[max(start, index - 40):index], page)
        else:
            height = max(before.height, line.height, 1.0)
            new = _size_changes(run, index) or (
                line.y0 - before.y1 > max(SECTION_GAP_HEIGHTS * height, SECTION_GAP_RATIO * gap))
        if new:
            cuts.append(index)
            start = index
    return cuts


def split_passages(outside: list[tuple[Line, int | None]], right_edges: dict[int, float]) -> list[Passage]:
    """The passages of a document's lines outside its messages (in reading order, each with the ordinal of the
    message printed before it). `right_edges`: each page's text column edge, measured over all of the document's
    content lines (layout.page_right_edges). Lines that are only exemption codes are redaction marks, not text,
    and are left out."""
    edges = right_edges
    runs: list[tuple[int | None, list[Line]]] = []
    for line, follows in outside:
        if is_exemption_only(line.text):
            continue
        if not runs or runs[-1][0] != follows:
            runs.append((follows, []))
        runs[-1][1].append(line)
    passages = []
    for follows, run in runs:
        bounds = [0] + _cuts(run, _usual_gap(run)) + [len(run)]
        for first, last in zip(bounds, bounds[1:]):
            lines = run[first:last]
            ends = line_ends(lines, edges)
            passages.append(Passage(_kind(lines, ends), lines, ends, follows))
    return passages


# ---- lists: entries, column by column ----------------------------------------------------------------------

# Column starts: where a cell begins after a column gap in at least this share of a list's lines; a word that
# starts within this many points of a column start begins a cell there even where the gap before it is narrow.
COLUMN_SHARE, COLUMN_TOLERANCE = 0.2, 5.0


@dataclass(frozen=True)
class Entry:
    """One entry of a list: the words of one cell, or of a cell and the line it wrapped onto in its column."""
    line: Line
    row: int  # the printed line (0-based, within the passage) it starts on
    column: int  # 0-based column of the list


def _column_starts(lines: list[Line], ends: list[LineEnds]) -> list[float]:
    starts: list[list[float]] = []
    for line, end in zip(lines, ends):
        for position in end.column_breaks:
            x = line.words[position + 1].x0
            group = next((g for g in starts if abs(g[0] - x) <= COLUMN_TOLERANCE), None)
            if group is None:
                starts.append([x])
            else:
                group.append(x)
    wanted = max(2, COLUMN_SHARE * len(lines))
    return sorted(min(group) for group in starts if len(group) >= wanted)


def _cells(line: Line, end: LineEnds, starts: list[float]) -> list[tuple[int, list[int]]]:
    """(column, word positions) of each cell of a printed line."""
    cuts = set(end.column_breaks)
    for position in range(len(line.words) - 1):
        word = line.words[position + 1]
        if any(abs(word.x0 - x) <= COLUMN_TOLERANCE for x in starts) and word.x0 > line.words[position].x1:
            cuts.add(position)
    cells, current = [], [0]
    for position in range(1, len(line.words)):
        if position - 1 in cuts:
            cells.append(current)
            current = []
        current.append(position)
    cells.append(current)
    out = []
    for positions in cells:
        x = line.words[positions[0]].x0
        column = sum(1 for start in starts if x >= start - COLUMN_TOLERANCE)
        out.append((column, positions))
    return out


def list_entries(passage: Passage, right_edges: dict[int, float]) -> list[Entry]:
    """A list passage's entries in reading order (row by row, left to right). A cell whose text had no room left
    in its column wraps onto the next printed line when that line holds nothing but the rest of it, in the same
    column ("100th Judicial District Attorney Traffic" / "Enforcement")."""
    starts = _column_starts(passage.lines, passage.ends)
    rows = [_cells(line, end, starts) if _is_entry(line, end) else [(0, list(range(len(line.words))))]
            for line, end in zip(passage.lines, passage.ends)]  # a sentence in a list is one cell
    entries: list[Entry] = []
    open_cells: dict[int, int] = {}  # column -> index in entries of the cell the previous row left in it
    for row, (line, cells) in enumerate(zip(passage.lines, rows)):
        previous = passage.lines[row - 1] if row else None
        placed = {}
        for column, positions in cells:
            words = tuple(line.words[p] for p in positions)
            indices = tuple(line.word_indices[p] for p in positions)
            target = open_cells.get(column) if len(cells) == 1 and previous is not None else None
            if target is not None and _wraps_in_column(entries[target].line, words[0], previous, line, column,
                                                       starts, right_edges):
                old = entries[target]
                entries[target] = Entry(Line(old.line.page_number, old.line.words + words,
                                             old.line.word_indices + indices), old.row, old.column)
                placed[column] = target
                continue
            entries.append(Entry(Line(line.page_number, words, indices), row, column))
            placed[column] = len(entries) - 1
        open_cells = placed
    return entries


def _wraps_in_column(cell: Line, first, previous: Line, line: Line, column: int, starts: list[float],
                     right_edges: dict[int, float]) -> bool:
    if line.page_number != previous.page_number or line.y0 - previous.y1 > max(previous.height, 1.0):
        return False
    edge = starts[column] if column < len(starts) else right_edges.get(line.page_number, cell.words[-1].x1)
    room = edge - cell.words[-1].x1
    character = 0.5 * max(cell.height, 1.0)
    return room < (first.x1 - first.x0) + character * 2.0
