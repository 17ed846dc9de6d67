"""OCR path (issue 17): `foia ingest` of generated scanned email releases against raw Tesseract on the same pages
and against the OCRmyPDF pipeline, in the same run.

- Raw Tesseract: the `tesseract` command on the pages already rendered at the ingest's OCR resolution (300 dpi,
  grey PNG; rendering is not timed), one process a core at a time, `OMP_THREAD_LIMIT=1`. This is the floor of
  any pipeline built on Tesseract: `foia ingest` also renders, splits, analyses and loads.
- OCRmyPDF: `ocrmypdf -j <cores> --force-ocr` on each file, then `pdftotext` on its output: the usual way to make
  a scanned release searchable. OCRmyPDF lives in a venv of its own (`make bench` makes .venv-bench), so that
  its dependencies never meet the project's; without it that column is left out.

The releases are the sample generator's born-digital printouts, under new Bates numbers, turned into image-only
scans (rendered at 200 dpi, rotated, speckled, JPEG: generate.scan_pdf). `foia ingest` runs with a `foia server`
it starts, so Prefect's start is not counted (benchmarks/ingest_bench.py measures that apart). Only 50 pages by
default: each column OCRs every page, about a second a page a core here, and `make bench` must stay under ten
minutes; pass --sizes 50,200,1000 for the scaling rows.
Run: make bench   (or .venv/bin/python benchmarks/ocr_bench.py [--sizes 50] [--ocrmypdf PATH])
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "sample_docs"))

import generate  # noqa: E402
from foia_runs import running_foia_server  # noqa: E402
from scale_bench import ingest_figures, write_release  # noqa: E402

from extractors.pages.ocr import render_for_ocr  # noqa: E402
from extractors.pages.pdf_text import open_pdf  # noqa: E402
from models.settings import IngestSettings  # noqa: E402

OCRMYPDF = os.path.join(ROOT, ".venv-bench", "bin", "ocrmypdf")


def write_scanned_release(folder: str, pages_wanted: int) -> int:
    """The born-digital release of write_release, every file scanned into an image-only PDF of the same name."""
    clean = folder + "-clean"
    pages = write_release(clean, pages_wanted, prefix="SCN")
    os.makedirs(folder, exist_ok=True)
    for seed, name in enumerate(sorted(os.listdir(clean))):
        generate.scan_pdf(os.path.join(clean, name), os.path.join(folder, name), seed=seed,
                          angle=(-0.6, 0.4, 0.9)[seed % 3])
    shutil.rmtree(clean)
    return pages


def render_pages(folder: str, images: str, settings: IngestSettings) -> list[str]:
    """Every page of the release as a grey PNG, rendered as the ingest renders a page for OCR (before cleaning)."""
    os.makedirs(images, exist_ok=True)
    paths = []
    for name in sorted(os.listdir(folder)):
        with open_pdf(os.path.join(folder, name)) as document:
            for number in range(1, len(document) + 1):
                path = os.path.join(images, f"{name}-{number:04d}.png")
                render_for_ocr(document, number, settings).save(path)
                paths.append(path)
    return paths


def tesseract_seconds(images: list[str], cores: int) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def read(path: str) -> None:
        subprocess.run(["tesseract", path, "stdout"], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(cores) as pool:
        list(pool.map(read, images))
    return time.perf_counter() - start


def ocrmypdf_seconds(folder: str, out: str, cores: int, ocrmypdf: str) -> tuple[float, int]:
    """OCRmyPDF then pdftotext on every file; the seconds and how many files failed."""
    os.makedirs(out, exist_ok=True)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    failed = 0
    start = time.perf_counter()
    for name in sorted(os.listdir(folder)):
        target = os.path.join(out, name)
        done = subprocess.run([ocrmypdf, "-q", "-j", str(cores), "--force-ocr", os.path.join(folder, name), target],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            failed += 1
            continue
        subprocess.run(["pdftotext", "-q", target, os.devnull], check=False)
    return time.perf_counter() - start, failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50")
    parser.add_argument("--ocrmypdf", default=OCRMYPDF, help="the ocrmypdf command (default: .venv-bench's)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    settings = IngestSettings()
    have_ocrmypdf = os.path.exists(args.ocrmypdf) or shutil.which(args.ocrmypdf) is not None
    print(f"# OCR path: generated scanned email releases; {cores} cores; OCR at {settings.ocr_dpi} dpi")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "PREFECT_HOME": os.path.join(scratch, "prefect"), "OMP_THREAD_LIMIT": "1"}
        env.pop("PREFECT_API_URL", None)
        with running_foia_server(env, 4379):
            for size in (int(size) for size in args.sizes.split(",")):
                folder = os.path.join(scratch, f"scanned-{size}")
                pages = write_scanned_release(folder, size)
                images = render_pages(folder, os.path.join(scratch, f"images-{size}"), settings)
                raw = tesseract_seconds(images, cores)
                shutil.rmtree(os.path.dirname(images[0]))
                figures = ingest_figures(folder, os.path.join(scratch, f"scanned-{size}.duckdb"), env)
                pipeline = (ocrmypdf_seconds(folder, os.path.join(scratch, f"ocrmypdf-{size}"), cores,
                                             args.ocrmypdf) if have_ocrmypdf else None)
                rows.append((pages, len(os.listdir(folder)), raw, figures, pipeline))
    print("| pages | files | foia ingest s | pages/s | peak RSS of the tree MB | raw tesseract s | foia / raw "
          "(speed) | ocrmypdf + pdftotext s | foia / ocrmypdf (speed) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for pages, files, raw, figures, pipeline in rows:
        seconds = figures["seconds"]
        against = "not installed | -" if pipeline is None else (
            f"{pipeline[0]:.1f}{f' ({pipeline[1]} failed)' if pipeline[1] else ''} | {pipeline[0] / seconds:.2f}x")
        print(f"| {pages} | {files} | {seconds:.1f} | {pages / seconds:.2f} | {figures['peak_mb']:.0f} | {raw:.1f} "
              f"| {raw / seconds:.2f}x | {against} |" + ("" if figures["code"] == 0 else f" exit {figures['code']}"))
    print("  targets: foia at least 1.1x raw Tesseract's speed and 1.5x OCRmyPDF's"
          + ("" if have_ocrmypdf else f"; OCRmyPDF not found at {args.ocrmypdf} (make bench installs it)"))


if __name__ == "__main__":
    main()
