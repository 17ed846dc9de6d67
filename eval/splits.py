"""The labelled sentences (every eval/labels/*sentences*.jsonl file) and their development and test splits.

A third of all labels is the test split, set aside before the rules were changed for issue 11 and never tuned
on: an item is in it when the SHA-256 of its id, read as a number, is divisible by 3
(eval/labels/README_entity_event_sentences.md). Tests and any trained component use the development split only.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os

LABELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "labels")
# FOIA_EVAL_SPLITS=development hides the test split's figures while rules are developed (make eval shows both).
SPLITS = tuple(os.environ.get("FOIA_EVAL_SPLITS", "development,test").split(","))


def split_of(item_id: str) -> str:
    """'test' or 'development'."""
    return "test" if int(hashlib.sha256(item_id.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "development"


def load_sentences(split: str | None = None) -> list[dict]:
    """Every labelled sentence, in file and line order, each with the name of its `file`; only those of `split`
    when given."""
    items = []
    for path in sorted(glob.glob(os.path.join(LABELS, "*sentences*.jsonl"))):
        with open(path, encoding="utf-8") as handle:
            items += [dict(json.loads(line), file=os.path.basename(path)) for line in handle if line.strip()]
    seen = set()
    for item in items:
        if item["id"] in seen:
            raise ValueError(f"label id {item['id']} is used twice in {LABELS}")
        seen.add(item["id"])
    return [item for item in items if split is None or split_of(item["id"]) == split]
