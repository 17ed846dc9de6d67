"""Score message splitting and header parsing against the corpus ground truth; print per-field figures.

State set (177 PDFs): the first message of each PDF against the State Department's own metadata, on the
agency's OCR layer, on our Tesseract OCR of page 1, and on the two combined (a field missing from the
agency layer is taken from our OCR), with the time each costs.
DC set (11 PDFs): every message the pages print, against labels made by eye (eval/labels/), and header
fields against the labels; the labels record which .eml holds the same message.

Scoring rules (../shared/corpus/README.md): names compare case-insensitively after trimming; a name printed
"First Last" matches "Last, First"; a name or subject differing only by OCR character errors (similarity at
least 0.9) counts as right; an empty ground-truth field is not scored.

This first version scores the extractors directly (extractors/email_split.py), not yet rows loaded by
`foia ingest`. Run: make eval
"""

from __future__ import annotations

import csv
import difflib
import json
import os
import re
import sys
import time
from collections import Counter
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from extractors.email_headers import normalize_subject  # noqa: E402
from extractors.email_split import PageInput, ParsedMessage, split_messages  # noqa: E402
from extractors.ocr import ocr_pdf_page  # noqa: E402
from extractors.pdf_text import open_pdf, read_text_layer  # noqa: E402
from flows.page_pool import PagePool  # noqa: E402
from models.settings import IngestSettings  # noqa: E402

CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
STATE = os.path.join(CORPUS, "state-clinton-F-2015-04841")
DC = os.path.join(CORPUS, "dc-bega-2018-03-13")
DC_LABELS = os.path.join(ROOT, "eval", "labels", "dc_bega_messages.json")
STATE_RELEASE_DATE = datetime(2015, 5, 23)  # nothing in the release can be sent after it was released
FIELDS = ("sender", "subject", "date", "recipient")


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").strip().lower())


def same_name(got: str | None, want: str | None) -> bool:
    if not got or not want:
        return False
    a, b = _norm(got), _norm(want)
    if a == b:
        return True
    tokens_a, tokens_b = sorted(re.findall(r"[\w@.'-]+", a)), sorted(re.findall(r"[\w@.'-]+", b))
    if tokens_a == tokens_b:
        return True
    return difflib.SequenceMatcher(None, " ".join(tokens_a), " ".join(tokens_b)).ratio() >= 0.9


def same_subject(got: str | None, want: str | None) -> bool:
    a, b = _norm(normalize_subject(got)), _norm(normalize_subject(want))
    return bool(a) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


def merge_layers(agency: ParsedMessage | None, ours: ParsedMessage | None) -> ParsedMessage | None:
    """The agency layer's fields, with any it lacks taken from our OCR of the same page."""
    if agency is None or ours is None:
        return agency or ours
    if not agency.sender or not (agency.sender.name or agency.sender.email):
        agency.sender = ours.sender
    if not agency.subject:
        agency.subject = ours.subject
    if agency.sent.value is None and ours.sent.value is not None:
        agency.sent, agency.sent_raw = ours.sent, ours.sent_raw
    for kind in ("to", "cc"):
        if not agency.recipients.get(kind) and ours.recipients.get(kind):
            agency.recipients[kind] = ours.recipients[kind]
    return agency


def _layer_pages(path: str) -> list[PageInput]:
    with open_pdf(path) as document:
        pages = []
        for number in range(1, len(document) + 1):
            layer = read_text_layer(document, number)
            pages.append(PageInput(number, layer.height_pt, layer.words))
    return pages


def score_state_message(message: ParsedMessage | None, truth: dict, tally: dict, misses: list, name: str) -> None:
    def count(field: str, right: bool, detail) -> None:
        tally[field][1] += 1
        tally[field][0] += right
        if not right:
            misses.append((name, field, detail))

    if truth["sender"]:
        sender = message.sender if message else None
        count("sender", bool(sender and (same_name(sender.name, truth["sender"]) or
                                         same_name(sender.email, truth["sender"]))),
              (sender.raw if sender else None, truth["sender"]))
    if truth["subject"]:
        count("subject", same_subject(message.subject if message else None, truth["subject"]),
              (message.subject if message else None, truth["subject"]))
    got = message.sent.value.date().isoformat() if message and message.sent.value else None
    count("date", got == truth["doc_date_utc"][:10], (message.sent_raw if message else None, truth["doc_date_utc"][:10]))
    if truth["recipient"]:
        people = [p for kind in ("to", "cc") for p in (message.recipients.get(kind, []) if message else [])]
        count("recipient", any(same_name(p.name, truth["recipient"]) or same_name(p.email, truth["recipient"])
                               for p in people), ([p.raw for p in people], truth["recipient"]))


def evaluate_state(workers: int) -> None:
    rows = list(csv.DictReader(open(os.path.join(STATE, "ground_truth.csv"), encoding="utf-8")))
    paths = {row["pdf_file"]: os.path.join(STATE, "pdfs", row["pdf_file"]) for row in rows}
    start = time.perf_counter()
    layers = {name: _layer_pages(path) for name, path in paths.items()}
    layer_seconds = time.perf_counter() - start
    start = time.perf_counter()
    pool = PagePool(workers)
    settings = IngestSettings(workers=workers)
    names = list(paths)
    ocr_first_pages = {}
    try:
        for index, outcome in pool.run_all(ocr_pdf_page, [(paths[n], 1, settings) for n in names]):
            ocr_first_pages[names[index]] = outcome
    finally:
        pool.shutdown()
    ocr_seconds = time.perf_counter() - start
    print(f"\n## State set: {len(rows)} PDFs, first message of each vs the State Department's metadata")
    print(f"   reading the agency layer: {layer_seconds:.1f} s; Tesseract on page 1 of each: {ocr_seconds:.1f} s "
          f"({workers} workers)")
    for mode in ("agency layer", "our OCR (page 1)", "combined (default)"):
        tally = {field: [0, 0] for field in FIELDS}
        misses: list = []
        start = time.perf_counter()
        for row in rows:
            name = row["pdf_file"]
            agency = split_messages(layers[name], STATE_RELEASE_DATE)
            ocr = ocr_first_pages[name]
            ours = []
            if not isinstance(ocr, BaseException):
                ours = split_messages([PageInput(1, layers[name][0].height_pt, ocr.words)] + layers[name][1:],
                                      STATE_RELEASE_DATE)
            first_agency, first_ours = (agency[0] if agency else None), (ours[0] if ours else None)
            message = {"agency layer": first_agency, "our OCR (page 1)": first_ours}.get(mode) \
                or (merge_layers(first_agency, first_ours) if mode.startswith("combined") else None)
            score_state_message(message, row, tally, misses, name)
        parse_seconds = time.perf_counter() - start
        figures = "  ".join(f"{field} {right / total:.3f} ({right}/{total})" for field, (right, total) in tally.items())
        print(f"   {mode:<20} {figures}   [parse {parse_seconds:.1f} s]")
        if mode.startswith("combined"):
            print("   misses by field:", dict(Counter(field for _, field, _ in misses)))
            for name, field, detail in misses[:40]:
                print(f"     {name} {field}: got {detail[0]!r}, truth {detail[1]!r}")


def evaluate_dc() -> None:
    labels = json.load(open(DC_LABELS, encoding="utf-8"))
    print(f"\n## DC set: {sum(len(d['messages']) for d in labels)} labelled messages in {len(labels)} PDFs")
    found = expected = 0
    tally = {field: [0, 0] for field in ("sender", "sent_at", "subject", "to", "cc")}
    problems = []
    for document in labels:
        messages = split_messages(_layer_pages(os.path.join(DC, "pdfs", document["file_name"])))
        expected += len(document["messages"])
        found += min(len(messages), len(document["messages"]))
        if len(messages) != len(document["messages"]):
            problems.append(f"{document['file_name']}: {len(messages)} messages split, "
                            f"{len(document['messages'])} labelled")
        for label, message in zip(document["messages"], messages):
            checks = {
                "sender": same_name(message.sender.name if message.sender else None, label["sender_name"])
                or same_name(message.sender.email if message.sender else None, label["sender_email"]),
                "sent_at": (message.sent.value.isoformat(timespec="minutes") if message.sent.value else None)
                == (label["sent_at"][:16] if label["sent_at"] else None),
                "subject": same_subject(message.subject, label["subject"]) if label["subject"]
                else message.subject is None,
                "to": sorted(_norm(p.name or p.email) for p in message.recipients.get("to", []))
                == sorted(_norm(p["name"] or p["email"]) for p in label["to"]),
                "cc": sorted(_norm(p.name or p.email) for p in message.recipients.get("cc", []))
                == sorted(_norm(p["name"] or p["email"]) for p in label["cc"]),
            }
            for field, right in checks.items():
                tally[field][1] += 1
                tally[field][0] += right
                if not right:
                    problems.append(f"{document['file_name']} message {label['ordinal']} {field}")
    print(f"   messages split out: {found}/{expected}")
    print("   " + "  ".join(f"{field} {right / total:.3f} ({right}/{total})" for field, (right, total) in tally.items()
                           if total))
    for problem in problems[:40]:
        print(f"     {problem}")


def main() -> None:
    if not os.path.isdir(CORPUS):
        print(f"The corpus is not at {CORPUS}: nothing to evaluate.")
        return
    evaluate_dc()
    evaluate_state(os.cpu_count() or 1)


if __name__ == "__main__":
    main()
