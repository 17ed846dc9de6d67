"""Score the agencies found in the labelled list documents (eval/labels/list_document_agencies.jsonl).

Every agency printed on every page of two real data-sharing reports is labelled (eval/labels/README_list_documents.md).
Each document is read as the pipeline reads it (its text layer, read_document, analyze_document), and each page's
AGENCY mentions are paired with the page's labelled entries: a pair is the same name once case, punctuation, a
trailing state code and OCR's odd letter are set aside. Precision and recall, and the agreement of the state, are
printed for the development and the test split of the pages side by side (a page is in the test split by the hash
of its id, eval/splits.py). Run: make eval
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from eval.entity_documents import CORPUS  # noqa: E402
from eval.splits import SPLITS, split_of  # noqa: E402
from extractors.analysis.document import analyze_document  # noqa: E402
from extractors.analysis.entities import AnalyzerSettings, get_analyzer  # noqa: E402
from extractors.email.messages import PageReadings, read_document  # noqa: E402
from extractors.pages.pdf_text import open_pdf, read_text_layer  # noqa: E402

LABELS = os.path.join(ROOT, "eval", "labels", "list_document_agencies.jsonl")
SAME_NAME = 0.88  # similarity of two normalised names that differ only by OCR's odd letter


def _norm(name: str) -> str:
    name = re.sub(r"^LEARN_", "", " ".join(name.split()))
    name = re.sub(r"[\s,\-]*\(?\b[A-Z]{2}\)?\s*$", "", name)  # a trailing state code
    return re.sub(r"[^a-z0-9 ]", "", name.lower().replace("'s", "s")).strip()


def same_name(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= SAME_NAME)


def pair_names(gold: list[dict], predicted: list) -> list[tuple[dict, object]]:
    """Labelled entries and predicted mentions of one page, paired one to one, exact names first."""
    pairs, left = [], list(predicted)
    for exact in (True, False):
        for entry in [g for g in gold if not any(g is p for p, _ in pairs)]:
            match = next((m for m in left if (_norm(m.text) == _norm(entry["text"]) if exact else
                                              same_name(m.text, entry["text"]))), None)
            if match is not None:
                pairs.append((entry, match))
                left.remove(match)
    return pairs


def read_agencies(path: str, analyzer) -> dict[int, list]:
    """The AGENCY mentions the pipeline reads on each page of a PDF (by its text layer)."""
    with open_pdf(path) as document:
        layers = [read_text_layer(document, number) for number in range(1, len(document) + 1)]
    text = read_document([PageReadings(l.page_number, l.height_pt, l.words, "text_layer") for l in layers])
    found: dict[int, list] = {}
    for located in analyze_document(text.messages, analyzer, text.passages).mentions:
        if located.mention.label == "AGENCY" and located.page_number is not None and located.part != "header":
            found.setdefault(located.page_number, []).append(located.mention)
    return found


def main() -> None:
    if not os.path.isfile(LABELS):
        print(f"\n## Agencies in list documents: no labels at {LABELS}")
        return
    with open(LABELS, encoding="utf-8") as handle:
        pages = [json.loads(line) for line in handle if line.strip()]
    if not os.path.isdir(CORPUS):
        print(f"\n## Agencies in list documents: skipped, the corpus is not at {CORPUS}")
        return
    analyzer = get_analyzer(AnalyzerSettings())
    counts = {split: Counter() for split in ("development", "test")}
    misses: Counter = Counter()
    extras: Counter = Counter()
    by_file: dict[str, dict[int, list]] = {}
    for page in pages:
        path = os.path.join(CORPUS, page["corpus"], "pdfs", page["file"])
        if page["file"] not in by_file:
            by_file[page["file"]] = read_agencies(path, analyzer)
        predicted = by_file[page["file"]].get(page["page"], [])
        gold = page["entries"]
        pairs = pair_names(gold, predicted)
        split = split_of(page["id"])
        stated = [(entry, mention) for entry, mention in pairs if entry.get("state")]
        counts[split].update(tp=len(pairs), predicted=len(predicted), gold=len(gold), pages=1, stated=len(stated),
                             state_right=sum(entry["state"] == mention.state for entry, mention in stated))
        if split == "development":
            paired = {id(m) for _, m in pairs}
            misses.update(entry["text"] for entry in gold if not any(entry is g for g, _ in pairs))
            extras.update(m.text.replace("\n", " ") for m in predicted if id(m) not in paired)
    print(f"\n## Agencies in list documents ({len(pages)} labelled pages of {len(by_file)} documents)")
    print(f"     {'':<22}" + "".join(f"{split:<36}" for split in SPLITS))
    for name, cell in (("AGENCY", _scores), ("state of matched", _states)):
        print(f"       {name:<20}" + "".join(f"{cell(counts[split]):<36}" for split in SPLITS))
    print("     development misses (labelled, not found):", ", ".join(f"{t} ({n})" for t, n in misses.most_common(15)))
    print("     development extras (found, not labelled):", ", ".join(f"{t} ({n})" for t, n in extras.most_common(15)))


def _scores(c: Counter) -> str:
    precision = c["tp"] / c["predicted"] if c["predicted"] else 0.0
    recall = c["tp"] / c["gold"] if c["gold"] else 0.0
    return f"P {precision:.2f} R {recall:.2f} ({c['gold']} on {c['pages']} pages)"


def _states(c: Counter) -> str:
    return f"{c['state_right'] / c['stated']:.2f} ({c['state_right']}/{c['stated']})" if c["stated"] else "-"


if __name__ == "__main__":
    main()
