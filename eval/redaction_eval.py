"""Score redactions against the labelled pages (eval/labels/redactions_pages.jsonl, README_redactions.md): 40 State
documents read from their page images and every page of the DC PDFs.

Prints, for the development and the test split of the documents (eval/splits.py's hash rule applied to the file
name) side by side: exemption-code marks outside the release stamp (a mark matches a labelled one on the same page
naming the same codes at about the same height), release stamps (decision and codes), and boxes on born-digital
and on scanned pages (a box matches a labelled one on the same page at about the same place). Everything is read
as the pipeline reads it (extractors/redactions/document_redactions.py, the agency's text layer).
Run: make eval
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from eval.splits import SPLITS, split_of  # noqa: E402
from extractors.pages.pdf_text import read_text_layers  # noqa: E402
from extractors.redactions.codes import release_stamp  # noqa: E402
from extractors.redactions.document_redactions import SCANNED, read_document_redactions  # noqa: E402
from extractors.redactions.page_redactions import code_marks  # noqa: E402

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


def main() -> None:
    if not os.path.isdir(CORPUS):
        print(f"\n## Redactions: skipped, the corpus is not at {CORPUS}")
        return
    with open(LABELS, encoding="utf-8") as handle:
        pages = [json.loads(line) for line in handle if line.strip()]
    by_file: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for page in pages:
        by_file[page["corpus"], page["file"]].append(page)
    scores = Scores()
    for (corpus, name), labelled in sorted(by_file.items()):
        path = os.path.join(CORPUS, corpus, "pdfs", name)
        numbers = [page["page"] for page in labelled]
        layers = read_text_layers(path, numbers)
        readings = [(layer.page_number, layer.words, True, layer.image_coverage >= SCANNED) for layer in layers
                    if hasattr(layer, "words")]
        redactions, stamp = read_document_redactions(path, readings)
        split = split_of(name)
        for page, layer in zip(sorted(labelled, key=lambda p: p["page"]), layers):
            height, width = getattr(layer, "height_pt", 792.0) or 792.0, getattr(layer, "width_pt", 612.0) or 612.0
            gold_marks = [(tuple(c["codes"]), c["y_fraction"]) for c in page["codes"] if not c["in_stamp"]]
            found_marks = [(mark.codes, (y0 + y1) / 2 / height) for mark, (x0, y0, x1, y1), alone
                           in code_marks(getattr(layer, "words", [])) if alone]
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
    print(f"\n## Redactions: {len(pages)} labelled pages of {len(by_file)} documents "
          "(eval/labels/redactions_pages.jsonl), the agency's text layer")
    print(f"     {'':<34}" + "".join(f"{split:<32}" for split in SPLITS))
    for kind in ("exemption-code marks", "release stamps", "boxes, born-digital pages", "boxes, scanned pages"):
        print(f"       {kind:<32}" + "".join(f"{scores.cell(split, kind):<32}" for split in SPLITS))


if __name__ == "__main__":
    main()
