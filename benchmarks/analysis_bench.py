"""Entity and event extraction throughput, one core, with the spaCy model alone as the same-run baseline.

Texts: the message bodies of the DC and State sets (split from their text layers), else the sample release.
Target: at least 5,000 words per second per core for the whole analysis (model, gazetteer ruler, linking,
events). Run: make bench   (or .venv/bin/python benchmarks/analysis_bench.py)
"""

from __future__ import annotations

import glob
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from extractors.analysis import analyze_document  # noqa: E402
from extractors.entities import AnalyzerSettings, get_analyzer  # noqa: E402
from extractors.messages import PageReadings, read_messages  # noqa: E402
from extractors.pdf_text import open_pdf, read_text_layer  # noqa: E402

CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))


def documents() -> tuple[str, list[list]]:
    folders = [os.path.join(CORPUS, "dc-bega-2018-03-13", "pdfs"), os.path.join(CORPUS, "state-clinton-F-2015-04841",
                                                                                   "pdfs")]
    files = [path for folder in folders for path in sorted(glob.glob(os.path.join(folder, "*.[pP][dD][fF]")))]
    label = "DC and State sets"
    if not files:
        files, label = sorted(glob.glob(os.path.join(ROOT, "sample_docs", "*.pdf"))), "sample_docs (corpus absent)"
    out = []
    for path in files:
        with open_pdf(path) as document:
            layers = [read_text_layer(document, number) for number in range(1, len(document) + 1)]
        out.append(read_messages([PageReadings(l.page_number, l.height_pt, l.words, "text_layer") for l in layers]))
    return label, out


def main() -> None:
    label, docs = documents()
    bodies = [message.body for messages in docs for message in messages]
    words = sum(len(body.split()) for body in bodies)
    analyzer = get_analyzer(AnalyzerSettings())
    analyzer.parse(bodies[:5])  # warm up
    start = time.perf_counter()
    list(analyzer.nlp.pipe(bodies, batch_size=32))
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    events = sum(len(analyze_document(messages, analyzer).events) for messages in docs)
    ours = time.perf_counter() - start
    print(f"entity and event analysis, {label}: {len(bodies)} message bodies, {words:,} words, one core")
    print(f"  spaCy pipeline with the gazetteer ruler (baseline): {words / baseline:8,.0f} words/s")
    print(f"  whole analysis (+ linking, dates, {events} events): {words / ours:8,.0f} words/s (target 5,000), "
          f"{ours / baseline:.2f}x the baseline's time")


if __name__ == "__main__":
    main()
