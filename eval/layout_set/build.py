"""Build the layout test set: the real DC .eml messages printed in six mail clients' layouts, with exact labels.

Deterministic from a seed: `build(folder, seed)` writes `<layout>-NN.pdf` files and `labels.json` (for every
file, its layout, whether it is a scan, and every printed message in reading order with its sender, send time,
subject and To/Cc people as printed). Variations come from the seeded random source: reply chains of one to
four messages, long recipient lists and subjects, redaction codes standing in for people, page breaks inside a
header, and a third of the files turned into noisy image-only scans. The PDFs are built by `make eval` and the
tests, never committed.

Run: .venv/bin/python -m eval.layout_set.build OUT_FOLDER [--seed N] [--per-layout N]
"""

from __future__ import annotations

import argparse
import json
import os
import random

from eval.layout_set.mail import Mail, read_threads
from eval.layout_set.render import LAYOUTS, RENDER, Sheet, Variation
from sample_docs.generate import scan_pdf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DC_EML = os.path.join(ROOT, "..", "shared", "corpus", "dc-bega-2018-03-13", "eml")


def chains(threads: list[list[Mail]], rng: random.Random, count: int) -> list[list[Mail]]:
    """`count` chains (newest message first) of one to four consecutive messages of a thread; threads with
    replies are picked twice as often as single messages."""
    weighted = [thread for thread in threads for _ in range(2 if len(thread) > 1 else 1)]
    out = []
    for _ in range(count):
        thread = rng.choice(weighted)
        length = min(len(thread), rng.choice((1, 2, 2, 3, 4)))
        end = rng.randint(length, len(thread))
        out.append(list(reversed(thread[end - length:end])))
    return out


def variation(rng: random.Random) -> Variation:
    return Variation(redact=rng.choice((0.0, 0.0, 0.15)), break_in_header=rng.random() < 0.3)


def write_file(path: str, layout: str, chain: list[Mail], rng: random.Random, bates: int,
               extra_subject: str | None) -> list[dict]:
    sheet = Sheet(path, "DCLAYOUT", bates)
    labels = RENDER[layout](sheet, chain, rng, variation(rng), extra_subject)
    sheet.save()
    return labels


def build(folder: str, seed: int = 11, per_layout: int = 10, eml_folder: str = DC_EML,
          scan_share: float = 1 / 3) -> dict:
    """Write the set into `folder`; returns (and writes as labels.json) the labels."""
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(seed)
    threads = read_threads(eml_folder)
    subjects = sorted({mail.subject for thread in threads for mail in thread})
    files, bates = [], 1
    for layout in LAYOUTS:
        for number, chain in enumerate(chains(threads, rng, per_layout), 1):
            name = f"{layout}-{number:02d}.pdf"
            path = os.path.join(folder, name)
            extra = rng.choice(subjects) if rng.random() < 0.3 else None
            scanned = rng.random() < scan_share
            target = path + ".text.pdf" if scanned else path
            messages = write_file(target, layout, chain, rng, bates, extra)
            if scanned:
                scan_pdf(target, path, seed=rng.randrange(1 << 30), angle=rng.uniform(-0.8, 0.8))
                os.remove(target)
            bates += 20
            files.append({"file_name": name, "layout": layout, "scanned": scanned, "messages": messages})
    labels = {"seed": seed, "per_layout": per_layout, "files": files}
    with open(os.path.join(folder, "labels.json"), "w", encoding="utf-8") as handle:
        json.dump(labels, handle, indent=1)
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--per-layout", type=int, default=10)
    args = parser.parse_args()
    labels = build(args.folder, args.seed, args.per_layout)
    count = sum(len(f["messages"]) for f in labels["files"])
    print(f"{len(labels['files'])} files, {count} messages in {args.folder}")


if __name__ == "__main__":
    main()
