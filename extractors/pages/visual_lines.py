"""Rebuild the printed lines of a page from its word boxes.

Text streams are not reading order: a scanner's OCR layer often writes a header's labels (From:, Sent:,
To:) as one column and their values as another. Grouping words by their vertical position puts each
label back beside its value, whichever text source the page has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.records import Word


@dataclass(frozen=True, slots=True)
class Line:
    page_number: int
    words: tuple[Word, ...]
    word_indices: tuple[int, ...]  # each word's index in the page's word list (page_words.word_index)
    # measured once: the splitter asks every line for them many times over
    text: str = field(init=False, repr=False, compare=False)
    y0: float = field(init=False, repr=False, compare=False)
    y1: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", " ".join(word.text for word in self.words))
        object.__setattr__(self, "y0", min((word.y0 for word in self.words), default=0.0))
        object.__setattr__(self, "y1", max((word.y1 for word in self.words), default=0.0))

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def segment_positions(self, gap: float = 24.0) -> list[list[int]]:
        """Positions in `words` grouped where words stand far apart (a stamp printed beside a header)."""
        parts: list[list[int]] = [[0]]
        for position in range(1, len(self.words)):
            if self.words[position].x0 - self.words[position - 1].x1 > gap:
                parts.append([])
            parts[-1].append(position)
        return parts

    def segments(self, gap: float = 24.0) -> list[str]:
        return [" ".join(self.words[p].text for p in part) for part in self.segment_positions(gap)]

    def keep(self, positions: list[int]) -> "Line":
        """The same line with only the words at these positions."""
        return Line(self.page_number, tuple(self.words[p] for p in positions),
                    tuple(self.word_indices[p] for p in positions))


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _split_by_height(words: list[Word], members: list[int]) -> list[list[int]]:
    """A source line holding words from two printed lines (a text layer can draw them as one run)."""
    ordered = sorted(members, key=lambda i: (words[i].y0 + words[i].y1) / 2)
    height = _median([words[i].y1 - words[i].y0 for i in members])
    parts = [[ordered[0]]]
    for before, index in zip(ordered, ordered[1:]):
        centre_before = (words[before].y0 + words[before].y1) / 2
        if (words[index].y0 + words[index].y1) / 2 - centre_before > 0.6 * height:
            parts.append([])
        parts[-1].append(index)
    return parts


def _page_slope(words: list[Word], groups: list[list]) -> float:
    """How far a printed line drops per point to the right (a tilted scan), as the median over the page's long
    source lines of the drop from their first words to their last; 0 where no line is long enough."""
    slopes = []
    for _, _, x0, x1, members in groups:
        if len(members) < 4 or x1 - x0 < 150:
            continue
        ordered = sorted(members, key=lambda i: words[i].x0)
        half = len(ordered) // 2
        left, right = ordered[:half], ordered[half:]
        centre = [_median([(words[i].y0 + words[i].y1) / 2 for i in part]) for part in (left, right)]
        middle = [_median([(words[i].x0 + words[i].x1) / 2 for i in part]) for part in (left, right)]
        if middle[1] - middle[0] > 50:
            slopes.append((centre[1] - centre[0]) / (middle[1] - middle[0]))
    if len(slopes) < 3:
        return 0.0
    return max(-0.03, min(0.03, _median(slopes)))


def _side_by_side(words: list[Word], group: list, target: list) -> bool:
    """No word of one group stands over a word of the other: beside it, or in a gap between its words (a
    Lotus Notes label between the date at the left and the values at the right)."""
    if group[2] >= target[3] - 1 or group[3] <= target[2] + 1:
        return True
    return all(words[g].x1 <= words[t].x0 + 1 or words[g].x0 >= words[t].x1 - 1
               for g in group[4] for t in target[4])


def build_lines(words: list[Word], page_number: int) -> list[Line]:
    """Lines top to bottom, words left to right.

    Starts from the source's own lines (Tesseract's follow the skew of a scan; a text layer's follow its
    drawing order), then joins source lines that stand side by side at the same height: a label column and
    a value column written separately by a scanner's OCR. Distances use line centres, so a slightly rotated
    scan does not fuse neighbouring lines.
    """
    if not words:
        return []
    tall = 3 * _median([max(w.y1 - w.y0, 0.1) for w in words])
    by_source: dict[tuple[int, int], list[int]] = {}
    for index, word in enumerate(words):
        # A diagonal watermark or vertical stamp word stands alone.
        key = (word.line, -1) if word.y1 - word.y0 <= tall else (word.line, index)
        by_source.setdefault(key, []).append(index)
    groups = []
    for source_members in by_source.values():
        for members in _split_by_height(words, source_members):
            centre = _median([(words[i].y0 + words[i].y1) / 2 for i in members])
            height = _median([words[i].y1 - words[i].y0 for i in members])
            groups.append([centre, height, min(words[i].x0 for i in members), max(words[i].x1 for i in members),
                           members])
    groups.sort(key=lambda g: (g[0], g[2]))
    slope = _page_slope(words, groups)
    merged: list[list] = []
    for group in groups:
        for target in reversed(merged[-4:]):
            # on a tilted scan a line's far end stands higher or lower: compare centres where the group stands
            drift = slope * ((group[2] + group[3]) / 2 - (target[2] + target[3]) / 2)
            if abs(group[0] - target[0] - drift) < 0.5 * min(group[1], target[1]) + 0.5 and \
                    _side_by_side(words, group, target):
                target[4] = target[4] + group[4]
                target[2], target[3] = min(target[2], group[2]), max(target[3], group[3])
                break
        else:
            merged.append(list(group))
    lines = []
    for _, _, _, _, members in merged:
        members.sort(key=lambda i: words[i].x0)
        lines.append(Line(page_number, tuple(words[i] for i in members), tuple(members)))
    lines.sort(key=lambda line: ((line.y0 + line.y1) / 2, line.x0))
    return lines
