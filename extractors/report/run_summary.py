"""A run summary (models/release_changes.RunSummary) as Markdown, to paste into a team channel, and as HTML, to
open or attach: the same sections in both, every text escaped for its format."""

from __future__ import annotations

from html import escape

from extractors.report import html
from models.release_changes import PLURALS

CHANGE_WORDS = {"new": "new", "resent": "sent again unchanged", "changed": "sent again changed", "added": "added",
                "removed": "taken out", "lifted": "lifted"}


def _headline(summary) -> str:
    when = summary.started_at.strftime("%Y-%m-%d %H:%M") if summary.started_at else ""
    return f"Release '{summary.release}': run {summary.run_id} ({summary.status}, {when})"


def _count_lines(summary) -> list[str]:
    lines = []
    by_kind: dict[str, list[str]] = {}
    for kind, change, count in summary.counts:
        by_kind.setdefault(kind, []).append(f"{count} {CHANGE_WORDS.get(change, change)}")
    for kind, parts in by_kind.items():
        lines.append(f"{PLURALS.get(kind, kind)}: {', '.join(parts)}")
    return lines or ["nothing new"]


def _markdown_cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def to_markdown(summary) -> str:
    out = [f"# {_markdown_cell(_headline(summary))}", ""]
    out += [f"- {_markdown_cell(line)}" for line in _count_lines(summary)]
    for section in summary.sections:
        out += ["", f"## {section.heading}", ""]
        if not section.rows:
            out.append("None.")
            continue
        out += [section.intro, "", "| " + " | ".join(section.headers) + " |",
                "|" + "---|" * len(section.headers)]
        out += ["| " + " | ".join(_markdown_cell(cell) for cell in row) + " |" for row in section.rows]
        if section.more:
            out += ["", f"... and {section.more} more (SELECT * FROM release_novelty WHERE release = "
                        f"'{_markdown_cell(summary.release)}')."]
    return "\n".join(out) + "\n"


def to_html(summary, root: str | None = None) -> str:
    body = ["<ul>" + "".join(f"<li>{escape(line)}</li>" for line in _count_lines(summary)) + "</ul>"]
    for section in summary.sections:
        body.append(f"<h2>{escape(section.heading)}</h2>")
        if not section.rows:
            body.append("<p class=\"muted\">None.</p>")
            continue
        body.append(f"<p>{escape(section.intro)}</p>")
        body.append(html.table(section.headers, [[escape(cell) for cell in row] for row in section.rows]))
        if section.more:
            body.append(f"<p class=\"muted\">... and {section.more} more.</p>")
    return html.page(_headline(summary), "".join(body), root)
