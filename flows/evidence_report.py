"""`foia report`: a static HTML evidence report of a database, for people who do not write SQL.

It writes OUT_DIR/index.html (the releases at a glance, a timeline of events by type, the vendor-by-agency
matrix, top correspondents and who wrote to whom, redactions by exemption), OUT_DIR/events/page-N.html (an
evidence card for every event, a page of PAGE_SIZE at a time) and OUT_DIR/pairs/ (one page for each vendor and
agency pair with the cards of their events). Each card holds the cited sentence, the document, page and Bates
number, and a crop of the page with the cited words highlighted (extractors/report/crops.py). No script, no
server and nothing fetched: the folder opens from a file:// address and can be zipped and sent.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from dataclasses import dataclass
from html import escape
from typing import TextIO

import duckdb
from PIL import Image

from extractors.report import crops, html
from extractors.report import run_summary as run_summary_html
from flows.release_summary import summary_stem
from models import report_data
from models.release_changes import run_summary
from models.report_data import EvidenceCard, VendorAgencyPair

PAGE_SIZE = 50
MATRIX_ROWS, MATRIX_COLUMNS = 30, 12


@dataclass
class ReportResult:
    out_dir: str
    html_pages: int
    cards: int
    crops: int
    pages_rendered: int
    pages_from_cache: int
    pages_from_words: int
    seconds: float


class _PageImages:
    """Page images for crops: from the report's cache by page hash, else rendered (or drawn from the stored words
    where the file is gone) and cached; the last page is kept in memory since cards come sorted by page."""

    def __init__(self, con: duckdb.DuckDBPyConnection, cache_dir: str):
        self.con, self.cache_dir = con, cache_dir
        self.last: tuple[tuple[str, int], object, bool] | None = None
        self.rendered = self.cached = self.from_words = 0

    def get(self, card: EvidenceCard):
        """(image, drawn from words) for the card's page, or (None, False)."""
        key = (card.document_id, card.page_number)
        if self.last and self.last[0] == key:
            return self.last[1], self.last[2]
        cache = os.path.join(self.cache_dir, crops.page_key(card.document_id, card.page_number) + ".png")
        if os.path.exists(cache):
            self.cached += 1
            image = Image.open(cache)
        elif card.document_kind == "pdf" and os.path.isfile(card.source_path):
            image = crops.rendered_page(card.source_path, card.page_number, cache)
            self.rendered += image is not None
        else:
            image = None
        from_words = image is None
        if from_words:
            self.from_words += 1
            words_cache = cache[:-4] + "-words.png"
            if os.path.exists(words_cache):
                image = Image.open(words_cache)
            else:
                words = report_data.page_words(self.con, card.document_id, card.page_number, card.layer)
                image = crops.words_page(card.width_pt, card.height_pt, words)
                os.makedirs(self.cache_dir, exist_ok=True)
                image.save(words_cache, compress_level=1)
        self.last = (key, image, from_words)
        return image, from_words


def _crop_for(card: EvidenceCard, images: _PageImages, out_dir: str) -> tuple[str | None, str | None]:
    """(the crop's path relative to the report, its caption) for a card; (None, why there is none)."""
    if card.page_number is None:
        return None, "Read from a native email file: it has no page; the sentence is quoted from its body."
    if not card.cited or card.width_pt is None:
        return None, "No word boxes are stored for this citation."
    image, from_words = images.get(card)
    boxes = "|".join(f"{b.x0:.1f},{b.y0:.1f},{b.x1:.1f},{b.y1:.1f}" for b in card.cited)
    name = hashlib.sha256(f"{card.document_id}:{card.page_number}:{from_words}:{boxes}".encode()).hexdigest()[:24]
    relative = f"crops/{name}.png"
    path = os.path.join(out_dir, relative)
    if not os.path.exists(path):
        crops.evidence_crop(image, card.width_pt, card.cited).save(path, compress_level=3)
    where = f"{card.file_name}, page {card.page_number}" + (f" ({card.bates})" if card.bates else "")
    note = (f"{where}: drawn from the words stored for the page (the file itself was not at "
            f"{card.source_path}); highlighted: the cited words." if from_words else
            f"{where}; highlighted: the words the event was read from.")
    return relative, note


def _view(card: EvidenceCard, crop: str | None, note: str | None) -> html.CardView:
    vendors = [name for role, name in card.participants if role == "vendor"]
    agencies = [name for role, name in card.participants if role == "agency"]
    title = card.event_type.title() + (f": {', '.join(vendors)}" if vendors else "") + \
        (f" \u2192 {', '.join(agencies)}" if agencies else "")
    when = card.date_start.strftime("%Y-%m-%d") if card.date_start else (card.date_text or "no date read")
    citation = card.file_name + (f", page {card.page_number}" if card.page_number else "") + \
        (f", Bates {card.bates}" if card.bates else "") + \
        (f" \u2014 \u201c{card.subject}\u201d" if card.subject else "") + \
        (f" from {card.sender}" if card.sender else "")
    return html.CardView(f"event-{card.event_id}", card.event_type, title, card.status, when, card.participants,
                         card.sentence, citation, crop, note)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _card_pages(views: list[html.CardView], folder: str, name: str, title: str, intro: str) -> int:
    """Cards PAGE_SIZE to a page, as name.format(n); returns the pages written."""
    total = max(1, -(-len(views) // PAGE_SIZE))
    for number in range(1, total + 1):
        chunk = views[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        body = (f"<p>{intro}</p>{html.pager(number, total, name)}"
                + ("".join(html.card(view, "../") for view in chunk) or "<p class=\"muted\">No events.</p>")
                + html.pager(number, total, name))
        _write(os.path.join(folder, name.format(number)), html.page(title, body, "../"))
    return total


def _heat(count: int, top: int) -> str:
    return "" if not count else f"heat{1 + min(2, (3 * count) // (top + 1))}"


def _matrix(pairs: list[VendorAgencyPair], pair_pages: dict[tuple[str, str], str]) -> str:
    if not pairs:
        return "<p class=\"muted\">No event names both a vendor and an agency.</p>"
    vendor_totals: dict[str, int] = {}
    agency_totals: dict[str, int] = {}
    for pair in pairs:
        vendor_totals[pair.vendor] = vendor_totals.get(pair.vendor, 0) + len(pair.event_ids)
        agency_totals[pair.agency] = agency_totals.get(pair.agency, 0) + len(pair.event_ids)
    vendors = sorted(vendor_totals, key=lambda v: (-vendor_totals[v], v))[:MATRIX_ROWS]
    agencies = sorted(agency_totals, key=lambda a: (-agency_totals[a], a))[:MATRIX_COLUMNS]
    cells = {(pair.vendor, pair.agency): (len(pair.event_ids), pair.event_types) for pair in pairs}
    top = max(len(pair.event_ids) for pair in pairs)
    head = "".join(f"<th>{escape(agency)}</th>" for agency in agencies)
    rows = []
    for vendor in vendors:
        row = [f"<th>{escape(vendor)}</th>"]
        for agency in agencies:
            count, types = cells.get((vendor, agency), (0, []))
            link = f"<a href=\"{pair_pages[(vendor, agency)]}\" title=\"{escape(', '.join(types))}\">{count}</a>" \
                if count else ""
            row.append(f"<td class=\"n {_heat(count, top)}\">{link}</td>")
        rows.append("<tr>" + "".join(row) + "</tr>")
    more = "" if len(vendors) == len(vendor_totals) and len(agencies) == len(agency_totals) else \
        f"<p class=\"muted\">The {len(vendors)} vendors and {len(agencies)} agencies with most events; " \
        f"<a href=\"pairs/index.html\">every pair</a>.</p>"
    return (f"<table class=\"matrix\"><thead><tr><th>vendor \\ agency</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>{more}")


def build_report(con: duckdb.DuckDBPyConnection, out_dir: str, release: str | None = None) -> ReportResult:
    """Write the report for the database (or one release of it) to out_dir; raises ValueError for an unknown
    release."""
    start = time.perf_counter()
    names = report_data.release_names(con)
    if release is not None and release not in names:
        raise ValueError(f"no release named {release!r} in the database (releases: {', '.join(names) or 'none'})")
    for folder in ("events", "pairs", "crops"):
        os.makedirs(os.path.join(out_dir, folder), exist_ok=True)
    images = _PageImages(con, os.path.join(out_dir, ".cache", "pages"))
    cards = report_data.evidence_cards(con, release)
    by_page = sorted(cards, key=lambda c: (c.document_id, c.page_number or 0))
    crop_of = {card.event_id: _crop_for(card, images, out_dir) for card in by_page}
    views = {card.event_id: _view(card, *crop_of[card.event_id]) for card in cards}
    scope = f"release {release}" if release else ", ".join(names) or "an empty database"
    pages = _card_pages(list(views.values()), os.path.join(out_dir, "events"), "page-{}.html",
                        f"Events: {scope}", f"{len(cards)} events in date order, each with the words it was "
                        "read from.")
    pairs = report_data.vendor_agency_pairs(con, release)
    pair_pages = {}
    for number, pair in enumerate(pairs, 1):
        vendor, agency = pair.vendor, pair.agency
        pair_pages[(vendor, agency)] = f"pairs/pair-{number}-1.html"
        chosen = [views[event_id] for event_id in pair.event_ids if event_id in views]
        chosen.sort(key=lambda view: view.when)
        pages += _card_pages(chosen, os.path.join(out_dir, "pairs"), f"pair-{number}-{{}}.html",
                             f"{vendor} \u2192 {agency}", f"{len(chosen)} events naming {escape(vendor)} as vendor "
                             f"and {escape(agency)} as agency.")
    pair_rows = [[f"<a href=\"../{pair_pages[(p.vendor, p.agency)]}\">{escape(p.vendor)}</a>", escape(p.agency),
                  str(len(p.event_ids)), escape(", ".join(p.event_types))] for p in pairs]
    _write(os.path.join(out_dir, "pairs", "index.html"), html.page(
        f"Vendors and agencies: {scope}", html.table(["vendor", "agency", "events", "types"], pair_rows, {2})
        if pair_rows else "<p class=\"muted\">No event names both a vendor and an agency.</p>", "../"))
    summaries = _release_summaries(con, out_dir, [release] if release else names)
    _write(os.path.join(out_dir, "index.html"), html.page(f"Evidence report: {scope}", _index_body(
        con, release, pairs, pair_pages, len(cards)) + _summary_links(summaries)))
    return ReportResult(out_dir, pages + 2 + len(summaries), len(cards),
                        len({v.crop for v in views.values() if v.crop}), images.rendered, images.cached,
                        images.from_words, time.perf_counter() - start)


def _release_summaries(con: duckdb.DuckDBPyConnection, out_dir: str, releases: list[str]) -> list[tuple[str, str]]:
    """Each release's run summary (what it brought, as foia ingest writes beside the database), as of its latest
    run: releases/NAME-run-N.html; returns (release, page) pairs."""
    os.makedirs(os.path.join(out_dir, "releases"), exist_ok=True)
    written = []
    for name in releases:
        row = con.execute("""SELECT max(run_id) FROM ingest_runs JOIN releases USING (release_id)
                             WHERE name = ?""", [name]).fetchone()
        if row[0] is None:
            continue
        page_name = f"releases/{summary_stem(name, row[0])}.html"
        _write(os.path.join(out_dir, page_name), run_summary_html.to_html(run_summary(con, row[0]), "../"))
        written.append((name, page_name))
    return written


def _summary_links(summaries: list[tuple[str, str]]) -> str:
    if not summaries:
        return ""
    items = "".join(f"<li><a href=\"{escape(page)}\">{escape(name)}</a></li>" for name, page in summaries)
    return ("<h2>What each release brought</h2><p>New emails, entities and events, documents sent again changed, "
            f"redactions added or lifted, and errors, release by release.</p><ul>{items}</ul>")


def _index_body(con: duckdb.DuckDBPyConnection, release: str | None, pairs, pair_pages, events: int) -> str:
    from extractors.report import charts  # noqa: PLC0415 - matplotlib: 0.4 s that every `foia` command paid

    overview_rows = [[escape(o.release), escape(o.agency or ""), str(o.documents), str(o.pages),
                      f"{o.pages_ocr} ({o.pages_ocr / o.pages:.0%})" if o.pages else "0", str(o.messages),
                      str(o.emails), str(o.passages), str(o.events), str(o.entities), str(o.redaction_boxes),
                      str(o.errors)] for o in report_data.overviews(con, release)]
    senders, wrote_to = report_data.correspondents(con, release)
    redactions = report_data.redactions_by_code(con, release)
    parts = [
        "<h2>Releases</h2>",
        html.table(["release", "agency", "documents", "pages", "pages OCR'd", "messages", "emails (each once)",
                    "other passages", "events", "entities", "redaction boxes", "ingest errors"], overview_rows,
                   set(range(2, 12))),
        "<h2>Timeline</h2>",
        html.figure(charts.timeline_svg(report_data.event_months(con, release)),
                    f"Dated events by month and type; all {events} events are listed on the "
                    "events pages with their evidence.", "No event has a date."),
        f"<p><a href=\"events/page-1.html\">All {events} events with their evidence</a></p>",
        "<h2>Vendors and agencies</h2>",
        "<p>Events naming a vendor and an agency; a number opens the events with their evidence.</p>",
        _matrix(pairs, pair_pages),
        "<h2>Correspondents</h2><p>Each email counted once, however many copies of it were released.</p>",
        html.table(["sender", "emails"], [[escape(s), str(n)] for s, n in senders], {1}),
        "<h3>Who wrote to whom</h3>",
        html.table(["from", "to", "emails"], [[escape(s), escape(r), str(n)] for s, r, n in wrote_to], {2}),
        "<h2>Redactions by exemption</h2>",
        html.figure(charts.bar_svg([(code, boxes + marks + withheld) for code, boxes, marks, withheld in redactions],
                                   "Redactions by exemption code", "boxes, marks and withheld pages"),
                    "Each box, exemption mark without a box, and withheld page counted under every code it cites.",
                    "No redaction was found."),
        html.table(["code", "boxes", "marks without a box", "withheld pages"],
                   [[escape(code), str(b), str(m), str(w)] for code, b, m, w in redactions], {1, 2, 3})
        if redactions else "",
    ]
    return "".join(parts)


def add_report_parser(commands) -> argparse.ArgumentParser:
    report = commands.add_parser(
        "report", help="write a static HTML evidence report",
        description="Write a static HTML evidence report of the database to OUT_DIR (opens from a file:// address "
        "with no network): releases, a timeline of events, the vendor-by-agency matrix, correspondents, "
        "redactions, and an evidence card with a highlighted page crop for every event. Page images are cached "
        "in OUT_DIR/.cache, so a second build is faster.")
    report.add_argument("out_dir", metavar="OUT_DIR", help="folder to write (created; earlier report files replaced)")
    report.add_argument("--db", required=True, metavar="FILE")
    report.add_argument("--release", metavar="NAME", help="only this release (default: all)")
    return report


def run_report_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if not os.path.exists(args.db):
        stderr.write(f"foia: no database at {args.db}\n")
        return 2
    from models import schema  # noqa: PLC0415

    con = schema.connect(args.db, read_only=True)
    try:
        result = build_report(con, args.out_dir, args.release)
    except ValueError as error:
        stderr.write(f"foia: {error}\n")
        return 2
    finally:
        con.close()
    stdout.write(f"Wrote {result.html_pages} HTML page(s) with {result.cards} evidence card(s) and {result.crops} "
                 f"crop(s) to {result.out_dir} in {result.seconds:.1f}s ({result.pages_rendered} page(s) rendered, "
                 f"{result.pages_from_cache} from the cache, {result.pages_from_words} drawn from stored words).\n"
                 f"Open {os.path.join(os.path.abspath(result.out_dir), 'index.html')}\n")
    return 0
