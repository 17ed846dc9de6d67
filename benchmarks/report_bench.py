"""The analyst's surface on the corpus: how long `foia report` takes and how fast `foia search` answers.

The State and DC releases are ingested once into benchmarks/.work/corpus.duckdb (two releases; not timed).
Figures, with same-run baselines (this machine is noisy):
1. The report for each release and for both, from an empty folder (every cited page rendered) and again from
   its cache, per 500 pages (target: under 30 s for 500 pages), against rendering the cited pages alone.
2. Search: median and slowest answer of a set of queries on the whole database (target: under 0.2 s), against a
   plain case-insensitive substring scan of the same text.
Uses ../shared/corpus; without it, the sample release. Run: make bench
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import duckdb  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402

from extractors.report.crops import RENDER_DPI  # noqa: E402
from flows.evidence_report import build_report  # noqa: E402

CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
FOIA = os.path.join(ROOT, ".venv", "bin", "foia")
WORK = os.path.join(ROOT, "benchmarks", ".work")
QUERIES = ("meeting", "facial recognition", '"public hearing"', "subject:ethics", "schedule call tomorrow",
           "Benghazi", "lobbying disclosure bill", "subject:\"oversight hearing\" agenda")


def releases() -> list[tuple[str, str]]:
    found = [(name, os.path.join(CORPUS, folder)) for name, folder in
             (("state", "state-clinton-F-2015-04841/pdfs"), ("dc", "dc-bega-2018-03-13"))
             if os.path.isdir(os.path.join(CORPUS, folder))]
    return found or [("sample", os.path.join(ROOT, "sample_docs"))]


def corpus_db() -> str:
    os.makedirs(WORK, exist_ok=True)
    db = os.path.join(WORK, "corpus.duckdb")
    for name, folder in releases():
        print(f"  ingesting {name} from {folder} into {db} (not timed; a no-op when loaded)", flush=True)
        extra = ["--gazetteer", os.path.join(ROOT, "sample_docs", "gazetteer.csv")] if name == "sample" else []
        subprocess.run([FOIA, "ingest", folder, "--db", db, "--release", name, *extra], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return db


def render_cited_pages(con: duckdb.DuckDBPyConnection, release: str | None) -> tuple[int, float]:
    """The baseline: render every page an event cites, as the report does, and nothing else."""
    where = "TRUE" if release is None else "d.release_id = (SELECT release_id FROM releases WHERE name = ?)"
    rows = con.execute(f"""SELECT DISTINCT d.source_path, e.page_number FROM events e JOIN documents d
                           USING (document_id) WHERE e.page_number IS NOT NULL AND d.kind = 'pdf' AND {where}
                           ORDER BY 1, 2""", [] if release is None else [release]).fetchall()
    start = time.perf_counter()
    for path, page_number in rows:
        if os.path.isfile(path):
            document = pdfium.PdfDocument(path)
            document[page_number - 1].render(scale=RENDER_DPI / 72.0, grayscale=True).to_pil()
            document.close()
    return len(rows), time.perf_counter() - start


def report_figures(db: str) -> None:
    con = duckdb.connect(db, read_only=True)
    try:
        names = [row[0] for row in con.execute("SELECT name FROM releases ORDER BY name").fetchall()]
        print("\n## foia report (target: under 30 s for 500 pages)")
        for release in [*names, None]:
            pages = con.execute(
                "SELECT coalesce(sum(page_count), 0) FROM documents d" + (
                    "" if release is None else " WHERE d.release_id = (SELECT release_id FROM releases "
                    "WHERE name = ?)"), [] if release is None else [release]).fetchone()[0]
            out = tempfile.mkdtemp(prefix="foia-report-bench-")
            try:
                cold = build_report(con, out, release)
                warm = build_report(con, out, release)
            finally:
                shutil.rmtree(out, ignore_errors=True)
            cited, render_seconds = render_cited_pages(con, release)
            per_500 = cold.seconds * 500 / pages if pages else 0.0
            label = release or "both releases"
            print(f"  {label}: {pages} pages, {cold.cards} events, {cold.html_pages} HTML pages, {cold.crops} crops")
            print(f"    cold {cold.seconds:.1f} s ({per_500:.1f} s per 500 pages; {cold.pages_rendered} pages rendered"
                  f", {cold.pages_from_words} drawn from words); from the cache {warm.seconds:.1f} s")
            print(f"    baseline, rendering the {cited} cited pages alone: {render_seconds:.1f} s "
                  f"(the report costs {cold.seconds / render_seconds if render_seconds else 0:.1f}x that)")
    finally:
        con.close()


def search_figures(db: str) -> None:
    try:
        from models.search_index import refresh_search_index, search  # noqa: PLC0415
    except ImportError:
        print("\n## foia search: not built")
        return
    scratch = os.path.join(WORK, "search.duckdb")
    shutil.copy(db, scratch)
    con = duckdb.connect(scratch)
    try:
        start = time.perf_counter()
        refresh_search_index(con)
        index_seconds = time.perf_counter() - start
        units = con.execute("SELECT count(*) FROM search_units").fetchone()[0]
        timings, hits = [], {}
        for _ in range(5):
            for query in QUERIES:
                start = time.perf_counter()
                hits[query] = len(search(con, query, limit=20))
                timings.append(time.perf_counter() - start)
        words = [q for q in QUERIES if ":" not in q and '"' not in q]
        scans = []
        for _ in range(5):
            for query in words:
                start = time.perf_counter()
                con.execute("SELECT count(*) FROM search_units WHERE body ILIKE ? OR subject ILIKE ?",
                            [f"%{query}%"] * 2).fetchone()
                scans.append(time.perf_counter() - start)
    finally:
        con.close()
    print(f"\n## foia search on the whole database ({units} units; index built in {index_seconds:.2f} s)")
    print(f"  median {statistics.median(timings) * 1000:.0f} ms, slowest {max(timings) * 1000:.0f} ms over "
          f"{len(timings)} searches (target: under 200 ms)")
    print(f"  baseline, a substring scan of the same text: median {statistics.median(scans) * 1000:.0f} ms")
    print("  hits (of 20 at most): " + ", ".join(f"{query} {count}" for query, count in hits.items()))


def main() -> None:
    db = corpus_db()
    report_figures(db)
    search_figures(db)


if __name__ == "__main__":
    main()
