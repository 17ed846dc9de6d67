"""Text path at scale (issue 17): `foia ingest` of generated born-digital email releases of about 50, 200 and
1,000 pages, against plain text extraction of the same files in the same run, with time to the first loaded
document and the peak resident memory of the whole process tree.

The releases are the sample generator's born-digital printouts written again and again under new Bates numbers
(each copy a distinct file). Plain text extraction is `pdftotext` where poppler-utils is installed, else PDFium's
own page text in one process. Runs with a `foia server` it starts, so Prefect's start is not counted against the
text path (benchmarks/ingest_bench.py measures that apart).
Run: make bench   (or .venv/bin/python benchmarks/scale_bench.py [--sizes 50,200,1000])
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "sample_docs"))

import pypdfium2 as pdfium  # noqa: E402

import generate  # noqa: E402

FOIA = os.path.join(os.path.dirname(sys.executable), "foia")


def write_release(folder: str, pages_wanted: int) -> int:
    """Copies of the born-digital printouts, each under Bates numbers of its own, until pages_wanted are written."""
    os.makedirs(folder, exist_ok=True)
    pages, copy = 0, 0
    while pages < pages_wanted:
        for job in generate.BORN_DIGITAL:
            copy += 1
            path = os.path.join(folder, f"REL-{copy:05d}_{job.file_name}")
            generate.write_printout(replace(job, bates_prefix="REL", first_bates=copy * 10), path)
            pages += len(pdfium.PdfDocument(path))
            if pages >= pages_wanted:
                break
    return pages


def plain_text_seconds(folder: str) -> tuple[float, str]:
    files = sorted(os.path.join(folder, name) for name in os.listdir(folder))
    start = time.perf_counter()
    if shutil.which("pdftotext"):
        for path in files:
            subprocess.run(["pdftotext", "-q", path, os.devnull], check=False)
        return time.perf_counter() - start, "pdftotext"
    for path in files:
        document = pdfium.PdfDocument(path)
        for page in document:
            page.get_textpage().get_text_range()
        document.close()
    return time.perf_counter() - start, "PDFium plain text (pdftotext not installed)"


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree)


def ingest_figures(folder: str, db: str, env: dict) -> dict:
    start = time.time()
    process = subprocess.Popen([FOIA, "ingest", folder, "--db", db, "--release", "bench"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    elapsed = time.time() - start
    sampler.join()
    first = None
    for line in open(db + ".log", encoding="utf-8", errors="replace"):
        if " loaded " in line:
            first = datetime.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp() - start
            break
    return {"seconds": elapsed, "first": first, "peak_mb": peak[0] / (1 << 20), "code": process.returncode}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50,200,1000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"# text path at scale: generated born-digital email releases; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "PREFECT_HOME": os.path.join(scratch, "prefect")}
        env.pop("PREFECT_API_URL", None)
        server = subprocess.Popen([FOIA, "server", "--port", "4378"], env=env, stdout=subprocess.PIPE, text=True)
        try:
            server.stdout.readline()
            rows = []
            for size in sizes:
                folder = os.path.join(scratch, f"release-{size}")
                pages = write_release(folder, size)
                baseline, how = plain_text_seconds(folder)
                figures = ingest_figures(folder, os.path.join(scratch, f"bench-{size}.duckdb"), env)
                rows.append((pages, len(os.listdir(folder)), baseline, how, figures))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    print("| pages | files | foia ingest s | pages/s | first document loaded s | peak RSS of the tree MB "
          "| plain text s (baseline) | ingest / baseline |")
    print("|---|---|---|---|---|---|---|---|")
    for pages, files, baseline, how, figures in rows:
        first = f"{figures['first']:.2f}" if figures["first"] is not None else "-"
        print(f"| {pages} | {files} | {figures['seconds']:.1f} | {pages / figures['seconds']:.1f} | {first} "
              f"| {figures['peak_mb']:.0f} | {baseline:.2f} | {figures['seconds'] / baseline:.0f}x |"
              + ("" if figures["code"] == 0 else f" exit {figures['code']}"))
    print(f"  baseline: {rows[0][3]}; target: 40 pages/s or more at 1,000 pages")
    if len(rows) > 1:
        (small, *_, small_fig), (large, *_, large_fig) = rows[0], rows[-1]
        print(f"  scaling: {large / small:.0f}x the pages took {large_fig['seconds'] / small_fig['seconds']:.1f}x "
              "the time")


if __name__ == "__main__":
    main()
