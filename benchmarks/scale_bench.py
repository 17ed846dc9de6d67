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
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "sample_docs"))

import pypdfium2 as pdfium  # noqa: E402

import generate  # noqa: E402
from foia_runs import FOIA, first_loaded_after, running_foia_server  # noqa: E402

from flows.reaper import TOKEN_VARIABLE, processes_carrying  # noqa: E402


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


def _resident_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(open(f"/proc/{pid}/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:  # gone meanwhile
            continue
    return total


def ingest_figures(folder: str, db: str, env: dict) -> dict:
    # The run's own token, set here, so that the run and everything it starts carry it (flows/reaper.py).
    token = uuid.uuid4().hex
    start = time.time()
    process = subprocess.Popen([FOIA, "ingest", folder, "--db", db, "--release", "bench"],
                               env={**env, TOKEN_VARIABLE: token}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _resident_bytes(processes_carrying(token)))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    elapsed = time.time() - start
    sampler.join()
    return {"seconds": elapsed, "first": first_loaded_after(db, start), "peak_mb": peak[0] / (1 << 20),
            "code": process.returncode}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50,200,1000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"# text path at scale: generated born-digital email releases; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "PREFECT_HOME": os.path.join(scratch, "prefect")}
        env.pop("PREFECT_API_URL", None)
        rows = []
        with running_foia_server(env, 4378):
            for size in sizes:
                folder = os.path.join(scratch, f"release-{size}")
                pages = write_release(folder, size)
                baseline, how = plain_text_seconds(folder)
                figures = ingest_figures(folder, os.path.join(scratch, f"bench-{size}.duckdb"), env)
                rows.append((pages, len(os.listdir(folder)), baseline, how, figures))
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
