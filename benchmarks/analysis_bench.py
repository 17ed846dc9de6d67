"""Entity and event extraction throughput, one core, with the spaCy model alone as the same-run baseline.

Texts: all the text of the DC, State and MuckRock sets (message bodies and passages, read from their text
layers), else the sample release.
Target: at least 5,000 words per second per core for the whole analysis (model, gazetteer ruler, linking,
events). Baselines from the same run: the whole spaCy pipeline on every word (how the analysis ran before it
parsed only event sentences), and the NER component alone, which every new sentence must go through. The
analysis reads a sentence it has read before only once (releases repeat forwarded text); the baselines read
every word, and the figure printed says how many words that spared. Run: make bench
"""

from __future__ import annotations

import glob
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from extractors.analysis.document import analyze_document  # noqa: E402
from extractors.analysis.entities import BATCH_SIZE, AnalyzerSettings, get_analyzer, squeeze_spaces  # noqa: E402
from extractors.analysis.event_sentences import event_sentences, split_sentences  # noqa: E402
from extractors.analysis.document import TextMap  # noqa: E402
from extractors.email.messages import PageReadings, read_document  # noqa: E402
from extractors.pages.pdf_text import open_pdf, read_text_layer  # noqa: E402

CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))


def documents() -> tuple[str, list]:
    folders = [os.path.join(CORPUS, name, "pdfs") for name in ("dc-bega-2018-03-13", "state-clinton-F-2015-04841",
                                                               "muckrock-oc-alpr")]
    files = [path for folder in folders for path in sorted(glob.glob(os.path.join(folder, "*.[pP][dD][fF]")))]
    label = "DC, State and MuckRock sets"
    if not files:
        files, label = sorted(glob.glob(os.path.join(ROOT, "sample_docs", "*.pdf"))), "sample_docs (corpus absent)"
    out = []
    for path in files:
        with open_pdf(path) as document:
            layers = [read_text_layer(document, number) for number in range(1, len(document) + 1)]
        out.append(read_document([PageReadings(l.page_number, l.height_pt, l.words, "text_layer") for l in layers]))
    return label, out


class ReadEverySentence:
    """Stands in for the analyzer's sentence caches: every sentence is read, as if none were repeated."""

    def read(self, sentences, read_new):
        return read_new(sentences)


class Speed:
    """Words per second of this process's CPU time ("per core"; steadier than the wall clock on a shared machine,
    and every thread counts, so a library using a second core would not look faster) and of the wall clock."""

    def __init__(self, words: int, run):
        cpu, wall = time.process_time(), time.perf_counter()
        run()
        self.cpu = words / (time.process_time() - cpu)
        self.wall = words / (time.perf_counter() - wall)

    def __str__(self) -> str:
        return f"{self.cpu:8,.0f} words/s ({self.wall:,.0f} by the wall clock)"


def main() -> None:
    label, docs = documents()
    bodies = [message.body for text in docs for message in text.messages] + [
        TextMap(passage.lines).text for text in docs for passage in text.passages]
    words = sum(len(body.split()) for body in bodies)
    analyzer = get_analyzer(AnalyzerSettings())
    nlp = analyzer.nlp
    analyzer.read(bodies[:5])  # warm up
    everything = Speed(words, lambda: list(nlp.pipe(bodies, batch_size=BATCH_SIZE)))
    ner_alone = Speed(words, lambda: list(nlp.pipe(
        bodies, batch_size=BATCH_SIZE, disable=[name for name in nlp.pipe_names if name != "ner"])))
    events = []
    ours = Speed(words, lambda: events.extend(
        event for text in docs for event in analyze_document(text.messages, analyzer, text.passages).events))
    spared = (analyzer._mentions_cache, analyzer._parse_cache)
    analyzer._mentions_cache = analyzer._parse_cache = ReadEverySentence()
    every_sentence = Speed(words, lambda: [analyze_document(text.messages, analyzer, text.passages) for text in docs])
    analyzer._mentions_cache, analyzer._parse_cache = spared
    parsed = sum(len(body[start:end].split()) for body in bodies for start, end in event_sentences(body))
    sentences = [squeeze_spaces(body[start:end]) for body in bodies for start, end in split_sentences(body)]
    repeated = words - sum(len(sentence.split()) for sentence in set(sentences))
    passages = sum(len(text.passages) for text in docs)
    print(f"entity and event analysis, {label}: {len(bodies) - passages} message bodies and {passages} passages, "
          f"{words:,} words, one core")
    print(f"  baseline, every component of the spaCy pipeline on every word: {everything}")
    print(f"  floor, the model's NER component alone:                        {ner_alone}")
    print(f"  whole analysis (ruler, NER, parse of {parsed / words:.0%} of the words in event sentences, linking, "
          f"dates, {len(events)} events): {ours} (target 5,000 per core)")
    print(f"  = {ours.cpu / everything.cpu:.2f}x the baseline's speed, {ours.cpu / ner_alone.cpu:.2f}x the NER-alone "
          f"floor's; {repeated / words:.0%} of the words are in sentences read earlier in the run, which the "
          "analysis does not read again (the baselines do)")
    print(f"  the same analysis reading every sentence, repeated ones too:  {every_sentence} "
          f"({every_sentence.cpu / ner_alone.cpu:.2f}x the floor)")

if __name__ == "__main__":
    main()
