"""Text path at scale (issue 17): `foia ingest` of generated born-digital email releases of about 50, 200 and
1,000 pages, against plain text extraction of the same files in the same run, with time to the first loaded
document, the peak resident memory of the whole process tree, the single writer's time (its log's "wrote" lines)
and Prefect's (its server's CPU seconds, its task runs). On the largest release: a re-run with nothing new and one
with 1% new files, as fractions of the first run, and the same release computed on a local Dask cluster of two
worker processes (`--dask-address`) against the local path.

The releases are the sample generator's born-digital printouts written again and again under new Bates numbers
(each copy a distinct file). Plain text extraction is `pdftotext` where poppler-utils is installed, else PDFium's
own page text in one process. Runs with a `foia server` it starts, so Prefect's start is not counted against the
text path (benchmarks/ingest_bench.py measures that apart).
Run: make bench   (or .venv/bin/python benchmarks/scale_bench.py [--sizes 50,200,1000])
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from types import SimpleNamespace

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "sample_docs"))

import pypdfium2 as pdfium  # noqa: E402

import generate  # noqa: E402
from foia_runs import FOIA, first_loaded_after, running_foia_server  # noqa: E402

from flows.reaper import TOKEN_VARIABLE, processes_carrying  # noqa: E402


def write_release(folder: str, pages_wanted: int, prefix: str = "REL") -> int:
    """Copies of the born-digital printouts, each under Bates numbers of its own, until pages_wanted are written."""
    os.makedirs(folder, exist_ok=True)
    pages, copy = 0, 0
    while pages < pages_wanted:
        for job in generate.BORN_DIGITAL:
            copy += 1
            path = os.path.join(folder, f"{prefix}-{copy:05d}_{job.file_name}")
            generate.write_printout(replace(job, bates_prefix=prefix, first_bates=copy * 10), path)
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


def _cpu_seconds(match: str) -> float:
    """CPU seconds so far of the processes whose command line holds `match`."""
    total = 0.0
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and match in open(f"/proc/{entry}/cmdline").read().replace("\0", " "):
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return total


def _writer_seconds(db: str) -> float:
    written = re.findall(r"wrote \d+ document\(s\) in ([\d.]+) s", open(db + ".log", encoding="utf-8").read())
    return sum(float(seconds) for seconds in written)


def _task_runs(db: str) -> int:
    """How many task runs flows/prefect_flow.task_groups made of the release's documents."""
    import duckdb  # noqa: PLC0415

    from flows.prefect_flow import task_groups  # noqa: PLC0415
    from models.settings import IngestSettings  # noqa: PLC0415

    con = duckdb.connect(db, read_only=True)
    try:
        counts = con.execute("SELECT document_id, page_count FROM documents WHERE parent_document_id IS NULL "
                             "ORDER BY page_count DESC").fetchall()
    finally:
        con.close()
    documents = {document_id: (None, SimpleNamespace(page_count=pages)) for document_id, pages in counts}
    return len(task_groups(SimpleNamespace(documents=documents, settings=IngestSettings()), list(documents)))


def ingest_figures(folder: str, db: str, env: dict, *extra: str) -> dict:
    # The run's own token, set here, so that the run and everything it starts carry it (flows/reaper.py).
    token = uuid.uuid4().hex
    prefect_before = _cpu_seconds("prefect server start")
    start = time.time()
    process = subprocess.Popen([FOIA, "ingest", folder, "--db", db, "--release", "bench", *extra],
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
            "code": process.returncode, "prefect_cpu": _cpu_seconds("prefect server start") - prefect_before}


def repeat_figures(folder: str, db: str, env: dict, first: float) -> None:
    """A re-run with nothing new, then with 1% new files, as fractions of the first run."""
    unchanged = ingest_figures(folder, db, env)["seconds"]
    existing = len(os.listdir(folder))
    extra = os.path.join(folder, "..", "one-percent")
    write_release(extra, max(1, existing // 100), prefix="NEW")
    for name in os.listdir(extra):
        shutil.move(os.path.join(extra, name), folder)
    grown = ingest_figures(folder, db, env)["seconds"]
    print(f"  re-run, nothing new: {unchanged:.2f} s ({unchanged / first:.1%} of the first run; target under 3%)")
    print(f"  re-run with {len(os.listdir(folder)) - existing} new files (1%): {grown:.2f} s "
          f"({grown / first:.1%} of the first run; target under 5%)")


def dask_figures(folder: str, scratch: str, env: dict, local: dict) -> None:
    """The same release computed on a local Dask cluster of two single-threaded worker processes."""
    import dask  # noqa: PLC0415
    from distributed import LocalCluster  # noqa: PLC0415

    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        figures = ingest_figures(folder, os.path.join(scratch, "bench-dask.duckdb"), env, "--dask-address",
                                 cluster.scheduler_address)
    print(f"  on a local Dask cluster (2 worker processes): {figures['seconds']:.1f} s against "
          f"{local['seconds']:.1f} s on the local path ({local['seconds'] / figures['seconds']:.2f}x)"
          + ("" if figures["code"] == 0 else f", exit {figures['code']}"))


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
                db = os.path.join(scratch, f"bench-{size}.duckdb")
                figures = ingest_figures(folder, db, env)
                figures.update(writer=_writer_seconds(db), tasks=_task_runs(db))
                rows.append((pages, len(os.listdir(folder)), baseline, how, figures))
            print("| pages | files | foia ingest s | pages/s | first document loaded s | peak RSS of the tree MB "
                  "| writer s | Prefect server CPU s (task runs) | plain text s (baseline) | ingest / baseline |")
            print("|---|---|---|---|---|---|---|---|---|---|")
            for pages, files, baseline, how, figures in rows:
                first = f"{figures['first']:.2f}" if figures["first"] is not None else "-"
                print(f"| {pages} | {files} | {figures['seconds']:.1f} | {pages / figures['seconds']:.1f} | {first} "
                      f"| {figures['peak_mb']:.0f} | {figures['writer']:.1f} | {figures['prefect_cpu']:.1f} "
                      f"({figures['tasks']}) | {baseline:.2f} | {figures['seconds'] / baseline:.0f}x |"
                      + ("" if figures["code"] == 0 else f" exit {figures['code']}"))
            print(f"  baseline: {rows[0][3]}; target: 40 pages/s or more at 1,000 pages")
            if len(rows) > 1:
                (small, *_, small_fig), (large, *_, large_fig) = rows[0], rows[-1]
                print(f"  scaling: {large / small:.0f}x the pages took "
                      f"{large_fig['seconds'] / small_fig['seconds']:.1f}x the time")
            largest, folder = rows[-1][4], os.path.join(scratch, f"release-{sizes[-1]}")
            print(f"On the {rows[-1][0]}-page release:")
            dask_figures(folder, scratch, env, largest)
            repeat_figures(folder, os.path.join(scratch, f"bench-{sizes[-1]}.duckdb"), env, largest["seconds"])


if __name__ == "__main__":
    main()
