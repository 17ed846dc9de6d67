"""Decide what an ingest run has to do before any orchestration starts.

Prefect's temporary server costs about 8 s to start; a re-run with nothing new must answer in about a
second, so new files are found (by content hash) and checked here, in plain Python.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

import duckdb

from extractors.native.email_file import native_kind
from extractors.native.to_pdf import ConversionError, convert_to_pdf, convertible_kind
from extractors.pages.pdf_text import PdfReadError, inspect_pdf, looks_truncated
from extractors.pages.sources import Discovery, discover_sources
from models import store
from models.records import DocumentRecord, IngestError, SourceFile
from models.settings import IngestSettings


@dataclass
class IngestPlan:
    discovery: Discovery
    to_load: list[tuple[SourceFile, DocumentRecord]] = field(default_factory=list)
    already_loaded: list[SourceFile] = field(default_factory=list)
    previously_failed: list[tuple[SourceFile, str]] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)  # files that fail before any page is read

    @property
    def total_pages(self) -> int:
        return sum(record.page_count for _, record in self.to_load)

    @property
    def has_work(self) -> bool:
        return bool(self.to_load or self.errors)


def default_release_name(paths: list[str]) -> str:
    first = os.path.normpath(os.path.abspath(paths[0]))
    name = os.path.basename(first)
    return name[:-4] if name.lower().endswith(".zip") else name


def describe_document(source: SourceFile, work_dir: str) -> tuple[SourceFile, DocumentRecord]:
    """The document a file is: a native email file by its name (no pages); an Office file or an image, printed
    to a PDF under work_dir (the source returned reads that PDF; the document keeps the file's own identity);
    else a PDF, checked readable. Raises PdfReadError with a readable reason."""
    kind = native_kind(source.path)
    if kind is not None:
        return source, DocumentRecord(source.sha256, source.file_name, source.display_path, source.size_bytes, 0,
                                      source.modified_at, kind=kind)
    converted = convertible_kind(source.path)
    if converted is None:
        return source, inspect_pdf(source)
    kind = converted[0]
    try:
        pdf = convert_to_pdf(source.path, kind, os.path.join(work_dir, "converted", f"{source.sha256}.pdf"))
    except ConversionError as error:
        raise PdfReadError(f"{'the Office document' if kind == 'office' else 'the image'} could not be turned "
                           f"into pages: {error.reason}") from None
    printed = replace(source, path=pdf)
    record = inspect_pdf(printed)
    record.kind = kind
    return printed, record


def plan_ingest(con: duckdb.DuckDBPyConnection, paths: list[str], extract_dir: str,
                settings: IngestSettings) -> IngestPlan:
    discovery = discover_sources(paths, extract_dir, settings)
    plan = IngestPlan(discovery=discovery, errors=list(discovery.errors))
    ids = [source.sha256 for source in discovery.sources]
    loaded = store.loaded_document_ids(con, ids)
    redo = store.documents_with_page_errors(con, loaded) if settings.retry_failed else set()
    failed = {} if settings.retry_failed else store.failed_document_ids(con, ids)
    for source in discovery.sources:
        if source.sha256 in loaded and source.sha256 not in redo:
            plan.already_loaded.append(source)
        elif source.sha256 in failed:
            plan.previously_failed.append((source, failed[source.sha256]))
        else:
            try:
                source, record = describe_document(source, extract_dir)
            except PdfReadError as error:
                plan.errors.append(IngestError(source.display_path, "open", error.reason, None, source.sha256))
                continue
            plan.to_load.append((source, record))
            if record.kind == "pdf" and looks_truncated(source.path):
                plan.errors.append(IngestError(
                    source.display_path, "open", "the file appears truncated (no %%EOF end marker); loading the "
                    f"{record.page_count} page(s) PDFium could recover", None, source.sha256))
    return plan
