"""Score entity and event extraction against the labelled sentences (every eval/labels/*sentences*.jsonl).

Prints, for the development and the test split side by side (eval/splits.py: the test split is never tuned on),
precision and recall per entity type (items whose entities are labelled) and per event type, and the status
agreement on matched events; real corpus sentences and synthetic ones apart, and the spaCy model alone against
the model with the gazetteers. An entity counts as found when a predicted mention of the same type overlaps the
labelled span. An event counts as found when the sentence has a predicted event of the same type (as many as are
labelled); matched events are paired within a type by the words their triggers share, and their statuses
compared, the rules' and those of a text classifier trained on the development split (eval/status_classifier.py).
Run: make eval
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import Counter
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from eval.entity_documents import CORPUS, DocumentReader  # noqa: E402
from eval.splits import SPLITS, load_sentences, split_of  # noqa: E402
from eval.status_classifier import predict as predict_status, train as train_status  # noqa: E402
from extractors.analysis.entities import AnalyzerSettings, EntityAnalyzer  # noqa: E402
from extractors.analysis.events import detect_events_in  # noqa: E402

ENTITY_TYPES = ("AGENCY", "VENDOR", "PRODUCT", "PERSON", "DATE")
EVENT_TYPES = ("demo", "training", "pilot", "meeting", "purchase", "conference")
STATUS = "status"  # the tally row of status agreement: [agreeing, matched, matched]
ALL_TYPES = "events, all types"  # the tally row of one label file's events, every type together
TRAINED = "status (trained)"  # the same for eval/status_classifier.py's trained classifier


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def group_of(item: dict) -> str:
    return "synthetic" if item["synthetic"] else "real"


class Tally:
    def __init__(self):
        self.counts: dict[tuple[str, str, str], list[int]] = {}  # (split, group, type) -> [tp, predicted, gold]

    def add(self, item: dict, kind: str, true_positives: int, predicted: int, gold: int) -> None:
        split, group = split_of(item["id"]), group_of(item)
        keys = [(split, group, kind), (split, "all", kind)]
        if kind in EVENT_TYPES + (STATUS,):
            keys.append((split, item.get("file", "?"), ALL_TYPES if kind in EVENT_TYPES else kind))
        for key in keys:
            row = self.counts.setdefault(key, [0, 0, 0])
            row[0] += true_positives
            row[1] += predicted
            row[2] += gold

    def cell(self, split: str, group: str, kind: str) -> str:
        tp, predicted, gold = self.counts.get((split, group, kind), [0, 0, 0])
        if kind in (STATUS, TRAINED):
            return f"{tp / predicted:.2f} ({tp}/{predicted})" if predicted else "  -"
        precision = f"{tp / predicted:.2f}" if predicted else "  - "
        recall = f"{tp / gold:.2f}" if gold else "  - "
        return f"P {precision} R {recall} ({gold})"

    def table(self, title: str, group: str, kinds: tuple[str, ...]) -> str:
        lines = [f"     {title:<34}" + "".join(f"{split:<28}" for split in SPLITS)]
        for kind in kinds:
            lines.append(f"       {kind:<32}" + "".join(f"{self.cell(split, group, kind):<28}" for split in SPLITS))
        return "\n".join(lines)


def score_entities(items: list[dict], predictions: list[list], tally: Tally, org_as: tuple[str, ...] = ()) -> None:
    """`org_as`: for the model alone, let its ORG mentions stand for these types (it has no AGENCY/VENDOR)."""
    for item, mentions in zip(items, predictions):
        if item["entities"] is None:
            continue  # an event-only item: its entities are not labelled
        for kind in ENTITY_TYPES:
            gold = [(e["start"], e["end"]) for e in item["entities"] if e["type"] == kind]
            allowed = {kind} | ({"ORG"} if kind in org_as else set())
            predicted = [(m.start, m.end) for m in mentions if m.label in allowed]
            hits = sum(any(_overlaps(g, p) for p in predicted) for g in gold)
            correct = sum(any(_overlaps(p, g) for g in gold) for p in predicted)
            tally.add(item, kind, min(hits, correct), len(predicted), len(gold))


def _words(text: str) -> set[str]:
    return {word[:5] for word in re.findall(r"[a-z]+", (text or "").lower())}


def pair_events(gold: list[dict], predicted: list) -> list[tuple[dict, object]]:
    """Labelled and predicted events of one type in one sentence, paired: triggers that share a word first, then
    in reading order."""
    pairs, left = [], list(predicted)
    for event in list(gold):
        match = next((p for p in left if _words(event["trigger"]) & _words(p.trigger)), None)
        if match is not None:
            pairs.append((event, match))
            left.remove(match)
    paired = [g for g, _ in pairs]
    rest = [g for g in gold if not any(g is p for p in paired)]
    pairs += list(zip(rest, left))
    return pairs


def score_events(items: list[dict], predicted_events: list[list], tally: Tally, classifier=None) -> list[tuple]:
    """Per type P/R and the status agreement on matched events (and a trained classifier's, if given); returns
    the development split's misses."""
    misses = []
    for item, events in zip(items, predicted_events):
        for kind in EVENT_TYPES:
            gold = [e for e in item["events"] if e["type"] == kind]
            predicted = [e for e in events if e.event_type == kind]
            tally.add(item, kind, min(len(gold), len(predicted)), len(predicted), len(gold))
            pairs = pair_events(gold, predicted)
            agree = sum(g["status"] == p.status for g, p in pairs)
            tally.add(item, STATUS, agree, len(pairs), len(pairs))
            if classifier is not None:
                trained = sum(g["status"] == predict_status(classifier, item["text"], p.trigger, kind)
                              for g, p in pairs)
                tally.add(item, TRAINED, trained, len(pairs), len(pairs))
            if split_of(item["id"]) != "development":
                continue
            if len(gold) != len(predicted):
                misses.append((item["id"], kind, len(gold), len(predicted), item["text"][:110]))
            misses += [(item["id"], f"{kind} status", g["status"], p.status, item["text"][:110])
                       for g, p in pairs if g["status"] != p.status]
    return misses


def main() -> None:
    items = load_sentences()
    texts = [item["text"] for item in items]
    counts = Counter((split_of(item["id"]), group_of(item)) for item in items)
    print(f"\n## Entities and events: {len(items)} labelled sentences; development "
          f"{counts['development', 'real']} real + {counts['development', 'synthetic']} synthetic, test "
          f"{counts['test', 'real']} real + {counts['test', 'synthetic']} synthetic (eval/splits.py)")
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
        classifier = train_status([item for item in items if split_of(item["id"]) == "development"]) \
            if use_gazetteer else None
        misses = score_events(items, events, event_tally, classifier)
        print(f"\n   {name} ({words / seconds:,.0f} words/s on one core, parsing included)"
              + ("" if use_gazetteer else "; its ORG mentions are scored as AGENCY and VENDOR"))
        for group in ("real", "synthetic"):
            print(entity_tally.table(f"entities, {group}", group, ENTITY_TYPES))
        if not use_gazetteer:
            continue
        for group in ("real", "synthetic", "all"):
            print(event_tally.table(f"events, {group}", group, EVENT_TYPES + (STATUS, TRAINED)))
        for name in sorted({item["file"] for item in items}):
            print(event_tally.table(f"events in {name}", name, (ALL_TYPES, STATUS)))
        _print_in_documents(items, predictions, analyzer)
        print("     development split misses by kind:", dict(Counter(kind for _, kind, _, _, _ in misses)))
        for item_id, kind, gold, predicted, text in misses[:int(os.environ.get("FOIA_EVAL_MISSES", "40"))]:
            print(f"       {item_id} {kind}: labelled {gold}, found {predicted}: {text}")


def _print_in_documents(items: list[dict], alone: list[list], analyzer: EntityAnalyzer) -> None:
    """Entities of the real sentences as the pipeline finds them in their documents (eval/entity_documents.py);
    a sentence its document does not show keeps its reading alone."""
    if not os.path.isdir(CORPUS):
        print(f"     entities in their documents: skipped, the corpus is not at {CORPUS}")
        return
    reader = DocumentReader(analyzer)
    real = [(item, mentions) for item, mentions in zip(items, alone)
            if not item["synthetic"] and item["entities"] is not None]
    in_documents = [reader.mentions_in(item) for item, _ in real]
    tally = Tally()
    score_entities([item for item, _ in real], [found if found is not None else mentions
                                                for found, (_, mentions) in zip(in_documents, real)], tally)
    found = sum(mentions is not None for mentions in in_documents)
    print(tally.table(f"entities, real, in their documents ({found} of {len(real)} found there)", "real",
                      ENTITY_TYPES))


def _sent_at(item: dict) -> datetime | None:
    return datetime.fromisoformat(item["sent_at"]) if item.get("sent_at") else None


if __name__ == "__main__":
    main()
