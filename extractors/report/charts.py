"""The report's charts, drawn by matplotlib to SVG text that is put inline in the page.

matplotlib draws without a browser, a display or a network (its Agg and SVG backends), is maintained and is
already how many analysts draw; the SVG keeps its labels as text, so a page stays small, prints sharp and is
searchable. The output is deterministic (no date in the metadata, fixed ids) so two builds of one database match.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "foia-report", "font.size": 9,
                     "axes.spines.top": False, "axes.spines.right": False})
EVENT_COLOURS = {"demo": "#d62728", "training": "#1f77b4", "pilot": "#ff7f0e", "meeting": "#7f7f7f",
                 "purchase": "#2ca02c", "conference": "#9467bd"}


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # inline: no XML declaration or doctype


def timeline_svg(counts: list[tuple[date, str, int]], title: str = "Events by month") -> str | None:
    """A stacked bar a month, one colour an event type, from (first day of the month, type, count); None when
    there is nothing dated to draw."""
    if not counts:
        return None
    by_type: dict[str, dict[date, int]] = defaultdict(dict)
    for month, kind, count in counts:
        by_type[kind][month] = by_type[kind].get(month, 0) + count
    months = sorted({month for month, _, _ in counts})
    first, last = months[0], months[-1]
    span = [date(first.year + (first.month - 1 + step) // 12, (first.month - 1 + step) % 12 + 1, 1)
            for step in range((last.year - first.year) * 12 + last.month - first.month + 1)]
    figure, axes = plt.subplots(figsize=(min(12, 3 + 0.25 * len(span)), 3.2))
    bottom = [0] * len(span)
    for kind in sorted(by_type, key=lambda k: -sum(by_type[k].values())):
        heights = [by_type[kind].get(month, 0) for month in span]
        axes.bar(range(len(span)), heights, bottom=bottom, label=kind, color=EVENT_COLOURS.get(kind, "#17becf"))
        bottom = [b + h for b, h in zip(bottom, heights)]
    step = max(1, len(span) // 12)
    axes.set_xticks(range(0, len(span), step), [span[i].strftime("%b %Y") for i in range(0, len(span), step)],
                    rotation=45, ha="right")
    axes.set_ylabel("events")
    axes.set_title(title)
    axes.legend(frameon=False, ncols=min(6, len(by_type)), loc="upper left", bbox_to_anchor=(0, -0.35))
    return _svg(figure)


def bar_svg(rows: list[tuple[str, int]], title: str, x_label: str) -> str | None:
    """Horizontal bars, largest first (redactions by exemption code, say); None when there are none."""
    if not rows:
        return None
    rows = sorted(rows, key=lambda row: -row[1])[:25]
    figure, axes = plt.subplots(figsize=(6, 0.8 + 0.28 * len(rows)))
    axes.barh([label for label, _ in rows][::-1], [count for _, count in rows][::-1], color="#444")
    axes.set_xlabel(x_label)
    axes.set_title(title)
    return _svg(figure)
