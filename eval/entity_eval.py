"""Score entity and event extraction against the labelled sentences (eval/labels/entity_event_sentences.jsonl).

Prints precision and recall per entity type and per event type, for real corpus sentences and for the
synthetic ones apart, and for the spaCy model alone against the model with the gazetteers. An entity counts
as found when a predicted mention of the same type overlaps the labelled span; an event when the sentence
has a predicted event of the same type (as many as are labelled). Run: make eval
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from extractors.analysis.entities import AnalyzerSettings, EntityAnalyzer  # noqa: E402
from eval.entity_documents import CORPUS, DocumentReader  # noqa: E402
from extractors.analysis.events import detect_events_in  # noqa: E402

LABELS = os.path.join(ROOT, "eval", "labels", "entity_event_sentences.jsonl")
ENTITY_TYPES = ("AGENCY", "VENDOR", "PRODUCT", "PERSON", "DATE")
EVENT_TYPES = ("demo", "training", "pilot", "meeting", "purchase", "conference")


def load_items() -> list[dict]:
    with open(LABELS, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Tally:
    def __init__(self):
        self.counts: dict[tuple[str, str], list[int]] = {}  # (group, type) -> [true positives, predicted, gold]

    def add(self, group: str, kind: str, true_positives: int, predicted: int, gold: int) -> None:
        for key in ((group, kind), ("all", kind)):
            row = self.counts.setdefault(key, [0, 0, 0])
            row[0] += true_positives
            row[1] += predicted
            row[2] += gold

    def line(self, group: str, kinds: tuple[str, ...]) -> str:
        parts = []
        for kind in kinds:
            tp, predicted, gold = self.counts.get((group, kind), [0, 0, 0])
            precision = f"{tp / predicted:.2f}" if predicted else "  - "
            recall = f"{tp / gold:.2f}" if gold else "  - "
            parts.append(f"{kind} P {precision} R {recall} ({gold})")
        return "  ".join(parts)


def score_entities(items: list[dict], predictions: list[list], tally: Tally, org_as: tuple[str, ...] = ()) -> None:
    """`org_as`: for the model alone, let its ORG mentions stand for these types (it has no AGENCY/VENDOR)."""
    for item, mentions in zip(items, predictions):
        group = "synthetic" if item["synthetic"] else "real"
        for kind in ENTITY_TYPES:
            gold = [(e["start"], e["end"]) for e in item["entities"] if e["type"] == kind]
            allowed = {kind} | ({"ORG"} if kind in org_as else set())
            predicted = [(m.start, m.end) for m in mentions if m.label in allowed]
            hits = sum(any(_overlaps(g, p) for p in predicted) for g in gold)
            correct = sum(any(_overlaps(p, g) for g in gold) for p in predicted)
            tally.add(group, kind, min(hits, correct), len(predicted), len(gold))


def score_events(items: list[dict], predicted_events: list[list], tally: Tally) -> list[tuple]:
    misses = []
    for item, events in zip(items, predicted_events):
        group = "synthetic" if item["synthetic"] else "real"
        for kind in EVENT_TYPES:
            gold = sum(1 for e in item["events"] if e["type"] == kind)
            predicted = sum(1 for e in events if e.event_type == kind)
            tally.add(group, kind, min(gold, predicted), predicted, gold)
            if gold != predicted:
                misses.append((item["id"], kind, gold, predicted, item["text"][:110]))
    return misses


def main() -> None:
    items = load_items()
    texts = [item["text"] for item in items]
    real = sum(not item["synthetic"] for item in items)
    print(f"\n## Entities and events: {len(items)} labelled sentences ({real} real, {len(items) - real} synthetic)")
    for use_gazetteer in (False, True):
        analyzer = EntityAnalyzer(AnalyzerSettings(use_gazetteer=use_gazetteer))
        start = time.perf_counter()
        reads = analyzer.read(texts)
        predictions = [read.mentions for read in reads]
        events = [detect_events_in(read.sentences, read.mentions, _sent_at(item)) for read, item in zip(reads, items)]
        seconds = time.perf_counter() - start
        words = sum(len(text.split()) for text in texts)
        name = "model + gazetteers" if use_gazetteer else "model alone"
        entity_tally, event_tally = Tally(), Tally()
        score_entities(items, predictions, entity_tally, () if use_gazetteer else ("AGENCY", "VENDOR"))
        misses = score_events(items, events, event_tally)
        print(f"\n   {name} ({words / seconds:,.0f} words/s on one core, parsing included)"
              + ("" if use_gazetteer else "; its ORG mentions are scored as AGENCY and VENDOR"))
        for group in ("real", "synthetic"):
            print(f"     entities, {group:<9}: {entity_tally.line(group, ENTITY_TYPES)}")
        for group in ("real", "synthetic"):
            print(f"     events,   {group:<9}: {event_tally.line(group, EVENT_TYPES)}")
        if use_gazetteer:
            _print_in_documents(items, predictions, analyzer)
            print("     event misses by type:", dict(Counter(kind for _, kind, _, _, _ in misses)))
            for item_id, kind, gold, predicted, text in misses[:25]:
                print(f"       {item_id} {kind}: labelled {gold}, found {predicted}: {text}")


def _print_in_documents(items: list[dict], alone: list[list], analyzer: EntityAnalyzer) -> None:
    """Entities of the real sentences as the pipeline finds them in their documents (eval/entity_documents.py);
    a sentence its document does not show keeps its reading alone."""
    if not os.path.isdir(CORPUS):
        print(f"     entities in their documents: skipped, the corpus is not at {CORPUS}")
        return
    reader = DocumentReader(analyzer)
    real = [(item, mentions) for item, mentions in zip(items, alone) if not item["synthetic"]]
    in_documents = [reader.mentions_in(item) for item, _ in real]
    tally = Tally()
    score_entities([item for item, _ in real], [found if found is not None else mentions
                                                for found, (_, mentions) in zip(in_documents, real)], tally)
    found = sum(mentions is not None for mentions in in_documents)
    print(f"     entities, real, read in their documents ({found} of {len(real)} sentences found there): "
          f"{tally.line('real', ENTITY_TYPES)}")


def _sent_at(item: dict) -> datetime | None:
    return datetime.fromisoformat(item["sent_at"]) if item.get("sent_at") else None


if __name__ == "__main__":
    main()
