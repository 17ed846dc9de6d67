"""Score redactions against the labelled pages (eval/labels/redactions_pages.jsonl, README_redactions.md): 40 State
documents read from their page images and every page of the DC PDFs.

Prints, for the development and the test split of the documents (eval/splits.py's hash rule applied to the file
name) side by side: exemption-code marks outside the release stamp (a mark matches a labelled one on the same page
naming the same codes at about the same height), release stamps (decision and codes), and boxes on born-digital
and on scanned pages (a box matches a labelled one on the same page at about the same place). Everything is read
as the pipeline reads it (extractors/redactions/document_redactions.py), once from the agency's text layer and
once from our OCR of the same pages. Then every State document's release stamp read from our OCR of its first
page is set against the stamp read from the agency's layer (which matches every labelled stamp), and our failed
redactions beside x-ray's.
Run: make eval
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from eval.splits import SPLITS, split_of  # noqa: E402
from eval.xray_baseline import xray_findings  # noqa: E402
from extractors.pages.ocr import ocr_pdf_page  # noqa: E402
from extractors.pages.pdf_text import open_pdf, read_text_layers  # noqa: E402
from extractors.redactions.boxes import page_vector_shapes, vector_boxes  # noqa: E402
from extractors.redactions.codes import release_stamp  # noqa: E402
from extractors.redactions.image_boxes import drawn_on_paper, render_grey  # noqa: E402
from extractors.redactions.document_redactions import SCANNED, read_document_redactions  # noqa
from extractors.redactions.page_redactions import code_marks, document_release_status  # noqa: E402
from models.records import OcrPage  # noqa: E402
from models.settings import IngestSettings  # noqa: E402
from sample_docs.redaction_pages import failed_redaction_letter, redacted_header_printout, scan_with_drawn_box  # noqa

CORPUS = os.path.join(ROOT, "..", "shared", "corpus")
LABELS = os.path.join(ROOT, "eval", "labels", "redactions_pages.jsonl")
HEIGHT_TOLERANCE = 0.03  # of the page height: labelled positions are by eye, about +-0.02
WIDTH_TOLERANCE = 0.08


class Scores:
    def __init__(self):
        self.counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, predicted, gold

    def add(self, split: str, kind: str, tp: int, predicted: int, gold: int) -> None:
        row = self.counts[split, kind]
        row[0] += tp
        row[1] += predicted
        row[2] += gold

    def cell(self, split: str, kind: str) -> str:
        tp, predicted, gold = self.counts[split, kind]
        precision = f"{tp / predicted:.2f}" if predicted else "  - "
        recall = f"{tp / gold:.2f}" if gold else "  - "
        return f"P {precision} R {recall} ({gold} labelled)"


def _match(gold: list[tuple], found: list[tuple], same) -> int:
    left, hits = list(found), 0
    for g in gold:
        hit = next((f for f in left if same(g, f)), None)
        if hit is not None:
            left.remove(hit)
            hits += 1
    return hits


def _ocr_page(path: str, number: int) -> OcrPage:
    return ocr_pdf_page(path, number, IngestSettings(workers=1), scan_boxes=True)


def _our_ocr(jobs: list[tuple[str, int]]) -> dict[tuple[str, int], OcrPage]:
    """Our OCR (Tesseract at the pipeline's settings) of every labelled page, one process a core, with the boxes
    found in the same render as the pipeline finds a scan's boxes when it OCRs the scan."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(jobs, pool.map(_ocr_page, *zip(*jobs))))


def _score(by_file: dict[tuple[str, str], list[dict]], ocr: dict[tuple[str, int], OcrPage] | None) -> Scores:
    """Codes, stamps and boxes of the labelled pages read from the agency's layer, or from our OCR."""
    scores = Scores()
    for (corpus, name), labelled in sorted(by_file.items()):
        path = os.path.join(CORPUS, corpus, "pdfs", name)
        numbers = [page["page"] for page in labelled]
        layers = read_text_layers(path, numbers)
        words = {layer.page_number: (layer.words if ocr is None else ocr[path, layer.page_number].words)
                 for layer in layers if hasattr(layer, "words")}
        readings = [(layer.page_number, words[layer.page_number], ocr is None, layer.image_coverage >= SCANNED)
                    for layer in layers if hasattr(layer, "words")]
        found = {} if ocr is None else {number: ocr[path, number].boxes for number in words}
        redactions, stamp = read_document_redactions(path, readings, scan_boxes=found)
        split = split_of(name)
        for page, layer in zip(sorted(labelled, key=lambda p: p["page"]), layers):
            height, width = getattr(layer, "height_pt", 792.0) or 792.0, getattr(layer, "width_pt", 612.0) or 612.0
            gold_marks = [(tuple(c["codes"]), c["y_fraction"]) for c in page["codes"] if not c["in_stamp"]]
            found_marks = [(mark.codes, (y0 + y1) / 2 / height) for mark, (x0, y0, x1, y1), alone
                           in code_marks(words.get(page["page"], [])) if alone]
            tp = _match(gold_marks, found_marks, lambda g, f: set(g[0]) == set(f[0])
                        and abs(g[1] - f[1]) <= HEIGHT_TOLERANCE)
            scores.add(split, "exemption-code marks", tp, len(found_marks), len(gold_marks))
            kind = "boxes, scanned pages" if getattr(layer, "image_coverage", 0.0) >= SCANNED else \
                "boxes, born-digital pages"
            gold_boxes = [(b["x_fraction"], b["y_fraction"]) for b in page["boxes"]]
            found_boxes = [((r.x0 + r.x1) / 2 / width, (r.y0 + r.y1) / 2 / height) for r in redactions
                           if r.kind == "box" and r.page_number == page["page"]]
            tp = _match(gold_boxes, found_boxes, lambda g, f: abs(g[0] - f[0]) <= WIDTH_TOLERANCE
                        and abs(g[1] - f[1]) <= HEIGHT_TOLERANCE)
            scores.add(split, kind, tp, len(found_boxes), len(gold_boxes))
        gold_stamp = next((release_stamp(p["release_stamp"]) for p in labelled if p["release_stamp"]), None)
        if gold_stamp is not None or stamp is not None:
            right = gold_stamp is not None and stamp is not None and (gold_stamp.decision, set(gold_stamp.codes)) \
                == (stamp.decision, set(stamp.codes))
            scores.add(split, "release stamps", int(right), int(stamp is not None), int(gold_stamp is not None))
    return scores


def main() -> None:
    if not os.path.isdir(CORPUS):
        print(f"\n## Redactions: skipped, the corpus is not at {CORPUS}")
        return
    with open(LABELS, encoding="utf-8") as handle:
        pages = [json.loads(line) for line in handle if line.strip()]
    by_file: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for page in pages:
        by_file[page["corpus"], page["file"]].append(page)
    jobs = [(os.path.join(CORPUS, page["corpus"], "pdfs", page["file"]), page["page"]) for page in pages]
    start = time.perf_counter()
    ocr = _our_ocr(jobs)
    took = time.perf_counter() - start
    for reading, scores in (("the agency's text layer", _score(by_file, None)),
                            (f"our OCR ({took:.0f} s for the pages)", _score(by_file, ocr))):
        print(f"\n## Redactions: {len(pages)} labelled pages of {len(by_file)} documents "
              f"(eval/labels/redactions_pages.jsonl), read from {reading}")
        print(f"     {'':<34}" + "".join(f"{split:<32}" for split in SPLITS))
        for kind in ("exemption-code marks", "release stamps", "boxes, born-digital pages", "boxes, scanned pages"):
            print(f"       {kind:<32}" + "".join(f"{scores.cell(split, kind):<32}" for split in SPLITS))
    stamps_of_every_state_document(ocr)


def stamps_of_every_state_document(ocr: dict[tuple[str, int], OcrPage]) -> None:
    """Every State document's release stamp read from our OCR of its first page, against the stamp read from the
    agency's text layer (1.00 on the labelled documents): many more stamps than the labels hold."""
    folder = os.path.join(CORPUS, "state-clinton-F-2015-04841", "pdfs")
    paths = sorted(os.path.join(folder, name) for name in os.listdir(folder)
                   if name.endswith(".pdf") and split_of(name) in SPLITS)
    missing = [(path, 1) for path in paths if (path, 1) not in ocr]
    ocr = {**ocr, **(_our_ocr(missing) if missing else {})}
    agree: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    differ = []
    for path in paths:
        layer = read_text_layers(path, [1])[0]
        theirs = document_release_status([(1, layer.words)])
        ours = document_release_status([(1, ocr[path, 1].words)])
        same = (theirs is None and ours is None) or (theirs is not None and ours is not None and (
            theirs.decision, sorted(theirs.codes)) == (ours.decision, sorted(ours.codes)))
        split = split_of(os.path.basename(path))
        agree[split][0] += same
        agree[split][1] += 1
        if not same:
            differ.append(f"{split}: {os.path.basename(path)} agency layer "
                          f"{theirs and (theirs.decision, theirs.codes)}, ours {ours and (ours.decision, ours.codes)}")
    print(f"\n## Release stamps of every State document ({len(paths)} first pages) read from our OCR, against the "
          "stamp read from the agency's layer")
    print(f"     {'':<34}" + "".join(f"{split:<32}" for split in SPLITS))
    print(f"       {'same decision and codes':<32}" + "".join(
        f"{f'{agree[split][0] / agree[split][1]:.2f} ({agree[split][0]} of {agree[split][1]})':<32}"
        if agree[split][1] else f"{'-':<32}" for split in SPLITS))
    for line in differ:
        print(f"       differs, {line}")


def _our_failed_boxes(path: str) -> list[tuple[int, tuple[float, float, float, float], int]]:
    """Our failed redactions in a file, read as the pipeline reads it with the agency's layer: (page, box,
    characters under it)."""
    with open_pdf(path) as document:
        numbers = list(range(1, len(document) + 1))
    readings = [(layer.page_number, layer.words, True, layer.image_coverage >= SCANNED)
                for layer in read_text_layers(path, numbers) if hasattr(layer, "words")]
    redactions, _ = read_document_redactions(path, readings)
    return [(r.page_number, (r.x0, r.y0, r.x1, r.y1), r.uncovered_chars) for r in redactions
            if r.kind == "box" and r.uncovered_chars > 0]


def _same_box(a, b) -> bool:
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return smaller > 0 and width * height >= 0.5 * smaller


def _why_no_box(path: str, page: int, bbox) -> str:
    """Why we count no failed redaction where x-ray flags one."""
    with open_pdf(path) as document:
        shapes = page_vector_shapes(document, [page])[page]
    drawn = [box for box in vector_boxes(*shapes) if _same_box((box.x0, box.top, box.x1, box.bottom), bbox)]
    if not drawn:
        return "no shape there we count as a box (smaller than a line of text, not a rectangle, or a pale fill)"
    if not drawn_on_paper(render_grey(path, page), drawn[0]):
        return "a filled shape inside a picture printed on the page, not a box on its paper"
    return "a box, but no word's middle lies under it"


def failed_redactions_beside_xray(generated_dir: str) -> None:
    """Our failed redactions beside x-ray's on every corpus PDF and on the generated pages: each box either flags,
    matched by place, and where we differ, why."""
    generated = [make(generated_dir) for make in (failed_redaction_letter, redacted_header_printout,
                                                   scan_with_drawn_box)]
    corpus = sorted(os.path.join(root, name) for root, _, names in os.walk(CORPUS) for name in names
                    if name.lower().endswith(".pdf") and os.path.basename(root) == "pdfs")
    paths = generated + corpus
    print(f"\n## Failed redactions (a box over text still in the file) beside x-ray, on {len(corpus)} corpus PDFs "
          f"and {len(generated)} generated pages")
    theirs = xray_findings(paths)
    if isinstance(theirs, str):
        print(f"     x-ray baseline skipped: {theirs}")
        theirs = None
    both = ours_only = theirs_only = 0
    notes = []
    for path in paths:
        name = os.path.relpath(path, CORPUS) if path in corpus else "generated/" + os.path.basename(path)
        ours = _our_failed_boxes(path)
        found = [] if theirs is None else [f for f in theirs.get(path, []) if "error" not in f]
        errors = [] if theirs is None else [f["error"] for f in theirs.get(path, []) if "error" in f]
        notes += [f"       x-ray failed on {name}: {error}" for error in errors]
        left = list(found)
        for page, box, chars in ours:
            match = next((f for f in left if f["page"] == page and _same_box(box, f["bbox"])), None)
            if match is not None:
                left.remove(match)
                both += 1
                notes.append(f"       both  {name} p{page}: {chars} characters under the box")
            else:
                ours_only += 1
                notes.append(f"       ours  {name} p{page} {[round(v) for v in box]}: {chars} characters under it")
        for f in left:
            theirs_only += 1
            notes.append(f"       x-ray {name} p{f['page']} {[round(v) for v in f['bbox']]}: {len(f['text'])} "
                         f"characters ({f['text'][:24]!r}); ours: {_why_no_box(path, f['page'], f['bbox'])}")
    if theirs is not None:
        print(f"     flagged by both: {both}; by x-ray only: {theirs_only}; by us only: {ours_only}")
    else:
        print(f"     flagged by us: {ours_only}")
    print("\n".join(notes))


if __name__ == "__main__":
    main()
    with tempfile.TemporaryDirectory() as folder:
        failed_redactions_beside_xray(folder)
