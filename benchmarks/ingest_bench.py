"""Ingest throughput, printed as figures with same-run baselines (this machine is noisy).

1. Text layer with word boxes (ours) against PDFium's plain page text (baseline), one core.
2. OCR pages per second with 1 worker process and with --workers (default: all cores).
3. `foia ingest` first run against a re-run with nothing new (the re-run must not start Prefect).
4. Splitting text-layer documents into messages with parsed headers, one core (target: 50 pages/s or
   more), against reading the same text layers in the same run.
5. The OCR cache: the same page images OCR'd again, against their first OCR.
6. A 2-page document: seconds to loaded from the command's start, without a Prefect server and with
   `foia server` running (target: under 4).

Uses ../shared/corpus when present, else sample_docs/.
Run: make bench   (or .venv/bin/python benchmarks/ingest_bench.py [--ocr-pages N])
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import pypdfium2 as pdfium  # noqa: E402

from extractors.email.messages import PageReadings, read_messages  # noqa: E402
from extractors.pages.ocr import ocr_pdf_page  # noqa: E402
from extractors.pages.pdf_text import open_pdf, read_text_layer  # noqa: E402
from flows.page_pool import PagePool  # noqa: E402
from models.settings import IngestSettings  # noqa: E402

CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
STATE = os.path.join(CORPUS, "state-clinton-F-2015-04841", "pdfs")
DC = os.path.join(CORPUS, "dc-bega-2018-03-13", "pdfs")


def text_layer_figures(files: list[str]) -> None:
    start = time.perf_counter()
    pages = 0
    for path in files:
        document = pdfium.PdfDocument(path)
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        document.close()
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    words = 0
    for path in files:
        with open_pdf(path) as document:
            for number in range(1, len(document) + 1):
                words += len(read_text_layer(document, number).words)
    ours = time.perf_counter() - start
    print(f"text layer, {pages} pages, one core:")
    print(f"  PDFium plain text (baseline): {pages / baseline:8.1f} pages/s")
    print(f"  text + word boxes + page facts: {pages / ours:6.1f} pages/s ({words:,} words), "
          f"{ours / baseline:.1f}x the baseline's time")


def split_figures(files: list[str], label: str) -> None:
    start = time.perf_counter()
    documents = []
    for path in files:
        with open_pdf(path) as document:
            layers = [read_text_layer(document, number) for number in range(1, len(document) + 1)]
        documents.append([PageReadings(layer.page_number, layer.height_pt, layer.words, "text_layer")
                          for layer in layers])
    reading = time.perf_counter() - start
    pages = sum(len(document) for document in documents)
    start = time.perf_counter()
    messages = sum(len(read_messages(document)) for document in documents)
    splitting = time.perf_counter() - start
    print(f"message splitting, {label}, {len(documents)} documents, {pages} pages, one core:")
    print(f"  reading their text layers (baseline): {pages / reading:7.1f} pages/s")
    print(f"  splitting and parsing {messages} messages: {pages / splitting:7.1f} pages/s (target 50), "
          f"{splitting / reading:.2f}x the baseline's time")


def ocr_figures(pages: list[tuple[str, int]], workers: int) -> None:
    settings = IngestSettings(workers=workers)
    results = {}
    for count in sorted({1, workers}):
        pool = PagePool(count)
        try:
            pool.call(os.getpid)  # workers up before the clock starts
            start = time.perf_counter()
            outcomes = list(pool.run_all(ocr_pdf_page, [(path, number, settings) for path, number in pages]))
            elapsed = time.perf_counter() - start
        finally:
            pool.shutdown()
        failed = [o for _, o in outcomes if isinstance(o, BaseException)]
        results[count] = elapsed
        print(f"OCR at 300 dpi, {len(pages)} pages, {count} worker(s): {len(pages) / elapsed:.2f} pages/s, "
              f"{elapsed / len(pages):.2f} s a page" + (f", {len(failed)} failed" if failed else ""))
    if workers > 1:
        print(f"  speed-up with {workers} workers over 1 (same run): {results[1] / results[workers]:.2f}x")


def box_figures(pages: list[tuple[str, int]]) -> None:
    """Redaction boxes in scans against OCR of the same pages, one core, in this run (target: under 5%): a scan
    that is OCR'd has its boxes found in the image rendered for OCR; one that is not (its agency layer kept) is
    rendered at 100 dpi for them."""
    from extractors.pages.ocr import render_for_ocr
    from extractors.redactions.image_boxes import boxes_in_render, image_boxes, render_grey

    settings = IngestSettings(workers=1)
    image_boxes(render_grey(*pages[0]))  # scipy's import, paid once by a worker, is no page's cost
    start = time.process_time()
    for path, number in pages:
        image_boxes(render_grey(path, number))
    alone = time.process_time() - start
    renders = []
    for path, number in pages:
        with open_pdf(path) as document:
            renders.append(render_for_ocr(document, number, settings))
    start = time.process_time()
    for image in renders:
        boxes_in_render(image, settings.ocr_dpi)
    shared = time.process_time() - start
    for image in renders:
        image.close()
    ocr_pdf_page(*pages[0], settings)  # so is Tesseract's start
    start = time.process_time()
    for path, number in pages:
        ocr_pdf_page(path, number, settings)
    ocr = time.process_time() - start
    count = len(pages)
    print(f"redaction boxes in scans, {count} pages, one core: {shared / count * 1000:.0f} ms a page in the image "
          f"rendered for OCR against OCR's {ocr / count:.2f} s: {shared / ocr:.1%} of it (target under 5%); "
          f"a scan not OCR'd, rendered at 100 dpi for its boxes: {alone / count * 1000:.0f} ms a page")


def cache_figures(pages: list[tuple[str, int]]) -> None:
    """OCR of pages whose images were read before (the OCR cache hit: a render and a hash) against OCR of the
    same pages the first time, one core, this run."""
    with tempfile.TemporaryDirectory() as cache:
        settings = IngestSettings(workers=1, ocr_cache_dir=cache)
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            for path, number in pages:
                ocr_pdf_page(path, number, settings)
            timings.append(time.perf_counter() - start)
        size = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(cache) for name in names)
    first, again = timings
    print(f"OCR cache, {len(pages)} pages, one core: first reading {first / len(pages):.2f} s a page, the same "
          f"images again {again / len(pages):.3f} s a page ({again / first:.3f} of it); "
          f"{size / len(pages) / 1024:.1f} KB an entry")


def first_document_figures(pdf: str) -> None:
    """Seconds from `foia ingest`'s start to its one document loaded (its log's line), without a Prefect server
    and with `foia server` running, this run."""
    from foia_runs import FOIA, first_loaded_after, running_foia_server

    pages = len(pdfium.PdfDocument(pdf))

    def loaded_after(env: dict, db: str) -> tuple[float, float]:
        start = time.time()
        subprocess.run([FOIA, "ingest", pdf, "--db", db], env=env, capture_output=True, check=False)
        ended = time.time() - start
        first = first_loaded_after(db, start)
        return (float("nan") if first is None else first), ended

    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "PREFECT_HOME": os.path.join(scratch, "prefect")}
        env.pop("PREFECT_API_URL", None)
        new_home = loaded_after(env, os.path.join(scratch, "new-home.duckdb"))  # Prefect makes its database first
        alone = loaded_after(env, os.path.join(scratch, "alone.duckdb"))
        with running_foia_server(env, 4377):
            warm = loaded_after(env, os.path.join(scratch, "warm.duckdb"))
    print(f"a {pages}-page document, seconds from the command's start to loaded (command end): no server "
          f"{alone[0]:.2f} ({alone[1]:.2f}; the first run with a new PREFECT_HOME {new_home[0]:.2f}), with foia "
          f"server running {warm[0]:.2f} ({warm[1]:.2f}); target under 4")


def rerun_figures(folder: str) -> None:
    foia = os.path.join(os.path.dirname(sys.executable), "foia")
    with tempfile.TemporaryDirectory() as scratch:
        db = os.path.join(scratch, "bench.duckdb")
        env = {**os.environ, "PREFECT_HOME": os.path.join(scratch, "prefect")}
        timings = []
        for _ in range(2):
            start = time.perf_counter()
            subprocess.run([foia, "ingest", folder, "--db", db], env=env, capture_output=True, check=False)
            timings.append(time.perf_counter() - start)
    first, again = timings
    print(f"foia ingest {folder}: first run {first:.1f} s, re-run with nothing new {again:.2f} s "
          f"({again / first:.3f} of the first)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ocr-pages", type=int, default=12)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if os.path.isdir(STATE):
        files = sorted(glob.glob(os.path.join(STATE, "*.pdf")))
        source = "State set (agency OCR layer)"
    else:
        files = sorted(glob.glob(os.path.join(ROOT, "sample_docs", "*.pdf")))
        source = "sample_docs (corpus absent)"
    print(f"# benchmark inputs: {source}, {len(files)} files; {os.cpu_count()} cores")
    text_layer_figures(files)
    split_figures(files, source)
    if os.path.isdir(DC):
        split_figures(sorted(glob.glob(os.path.join(DC, "*.pdf")) + glob.glob(os.path.join(DC, "*.PDF"))),
                      "DC set (born-digital)")
    ocr_pages = []
    for path in files:
        with open_pdf(path) as document:
            ocr_pages += [(path, n) for n in range(1, len(document) + 1)]
        if len(ocr_pages) >= args.ocr_pages:
            break
    ocr_figures(ocr_pages[: args.ocr_pages], args.workers)
    box_figures(ocr_pages[: args.ocr_pages])
    cache_figures(ocr_pages[: args.ocr_pages])
    first_document_figures(os.path.join(ROOT, "sample_docs", "PHPD-000101_FaceQuill_demo_invitation.pdf"))
    rerun_figures(DC if os.path.isdir(DC) else os.path.join(ROOT, "sample_docs"))
    shutil.rmtree(os.path.join(ROOT, "benchmarks", "__pycache__"), ignore_errors=True)


if __name__ == "__main__":
    main()
