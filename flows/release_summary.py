"""The run summary written beside the database after each ingest that did work: DB.summaries/RELEASE-run-N.md and
.html (and latest.md, latest.html), what the release brought as release_novelty has it."""

from __future__ import annotations

import os
import re

import duckdb

from extractors.report import run_summary as render
from models.release_changes import run_summary


def summaries_dir(db_path: str) -> str:
    return db_path + ".summaries"


def summary_stem(release: str, run_id: int) -> str:
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '_', release).strip('._') or 'release'}-run-{run_id}"


def write_run_summary(con: duckdb.DuckDBPyConnection, run_id: int, db_path: str) -> str:
    """Write the run's summary in both formats; returns the Markdown file's path."""
    summary = run_summary(con, run_id)
    folder = summaries_dir(db_path)
    os.makedirs(folder, exist_ok=True)
    stem = os.path.join(folder, summary_stem(summary.release, run_id))
    texts = {".md": render.to_markdown(summary), ".html": render.to_html(summary)}
    for suffix, text in texts.items():
        for path in (stem + suffix, os.path.join(folder, "latest" + suffix)):
            with open(path + ".part", "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(path + ".part", path)
    return stem + ".md"
