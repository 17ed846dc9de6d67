"""The report's HTML: one stylesheet inlined in every page, no script, no font or file from anywhere but the
report's own folder, so it opens from a file:// address with no network. Every text from the database is
escaped."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:18px}h1{font-size:24px;margin:.3em 0}h2{font-size:18px;margin:1.6em 0 .5em}
nav a{margin-right:14px}a{color:#0b57d0}table{border-collapse:collapse;background:#fff;margin:.4em 0 1em}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#efefef}
td.n{text-align:right;font-variant-numeric:tabular-nums}.matrix td.n a{display:block}
.heat1{background:#fff3c4}.heat2{background:#ffe08a}.heat3{background:#ffc94d}
figure{background:#fff;border:1px solid #ddd;margin:.5em 0 1em;padding:8px;overflow-x:auto}
.card{background:#fff;border:1px solid #ddd;border-left:5px solid #888;margin:14px 0;padding:10px 14px}
.card.demo{border-left-color:#d62728}.card.training{border-left-color:#1f77b4}.card.pilot{border-left-color:#ff7f0e}
.card.purchase{border-left-color:#2ca02c}.card.conference{border-left-color:#9467bd}
.card h3{margin:0 0 4px;font-size:15px}.meta{color:#555;font-size:13px}
blockquote{margin:8px 0;padding:6px 10px;background:#fafafa;border-left:3px solid #ccc}
.crop img{max-width:100%;border:1px solid #ccc}.crop figcaption{color:#666;font-size:12px}
.pager{margin:16px 0}.pager a,.pager span{margin-right:8px}.muted{color:#777}
"""


@dataclass(frozen=True)
class CardView:
    """An evidence card as it is shown: texts already chosen, the crop's file relative to the report root."""

    anchor: str
    event_type: str
    title: str
    status: str | None
    when: str
    participants: list[tuple[str, str]]
    sentence: str
    citation: str
    crop: str | None
    crop_note: str | None


def page(title: str, body: str, root: str | None = "") -> str:
    """A whole HTML page; `root` leads from the page back to the report's folder ("" or "../"); None for a page
    that stands alone (a run summary beside the database), with no links to the report."""
    nav = "" if root is None else (
        f"<nav><a href=\"{root}index.html\">Overview</a><a href=\"{root}events/page-1.html\">Events</a>"
        f"<a href=\"{root}pairs/index.html\">Vendors and agencies</a></nav>")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
            f"<header>{nav}<h1>{escape(title)}</h1></header>"
            f"<main>{body}</main><footer><p class=\"muted\">Every fact cites its document, page and Bates number; "
            f"highlighted words are the ones it was read from.</p></footer></body></html>\n")


def table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset(), css: str = "") -> str:
    """A table of cells already escaped (or made of markup on purpose)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td class=\"n\">{cell}</td>" if index in numeric else f"<td>{cell}</td>"
                                    for index, cell in enumerate(row)) + "</tr>" for row in rows)
    return f"<table class=\"{css}\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def figure(svg: str | None, caption: str, empty: str) -> str:
    if svg is None:
        return f"<p class=\"muted\">{escape(empty)}</p>"
    return f"<figure class=\"chart\">{svg}<figcaption class=\"muted\">{escape(caption)}</figcaption></figure>"


def card(view: CardView, root: str) -> str:
    people = "; ".join(f"{escape(role)}: {escape(name)}" for role, name in view.participants) or "none named"
    if view.crop:
        crop = (f"<figure class=\"crop\"><img src=\"{root}{escape(view.crop)}\" "
                f"alt=\"{escape(view.citation)}\"><figcaption>{escape(view.crop_note or '')}</figcaption></figure>")
    else:
        crop = f"<p class=\"muted\">{escape(view.crop_note or 'no page image')}</p>"
    status = f" · {escape(view.status)}" if view.status else ""
    return (f"<article class=\"card {escape(view.event_type)}\" id=\"{escape(view.anchor)}\">"
            f"<h3>{escape(view.title)}</h3><div class=\"meta\">{escape(view.when)}{status} · {people}</div>"
            f"<blockquote>{escape(view.sentence)}</blockquote><div class=\"meta\">{escape(view.citation)}</div>"
            f"{crop}</article>")


def pager(current: int, total: int, name: str = "page-{}.html") -> str:
    if total <= 1:
        return ""
    links = []
    for number in range(1, total + 1):
        if number == current:
            links.append(f"<span>{number}</span>")
        elif number in (1, total) or abs(number - current) <= 3:
            links.append(f"<a href=\"{name.format(number)}\">{number}</a>")
        elif links[-1] != "…":
            links.append("…")
    return f"<div class=\"pager\">Page: {''.join(links)}</div>"
