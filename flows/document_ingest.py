"""One document, start to finish: computed (flows/document_compute.py), then loaded in one transaction by the
run's single writer, then its attached files as documents of their own.

Called by the Prefect task (one task per document) on the local path; on a Dask cluster the computing happens on
a worker and the flow hands what comes back to finish_document here. Every failure becomes an IngestError naming
the file and page; nothing here lets an exception escape to stop the batch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from flows.document_compute import ComputedDocument, Workbench, compute_document, describe_failure
from flows.page_pool import PagePool
from flows.progress import Progress
from models import store
from models.records import DocumentRecord, IngestError, SourceFile
from models.settings import IngestSettings

log = logging.getLogger("foia.ingest")


@dataclass
class IngestContext:
    """Everything a document task needs that cannot travel as a Prefect parameter."""

    con: duckdb.DuckDBPyConnection
    db_lock: threading.Lock
    pool: PagePool | None  # None when documents are computed on a Dask cluster
    settings: IngestSettings
    progress: Progress
    release_id: int
    run_id: int
    documents: dict[str, tuple[SourceFile, DocumentRecord]] = field(default_factory=dict)
    work_dir: str | None = None  # where attachments are written to be ingested as documents (the run's temp folder)
    publish: Callable[[], None] = lambda: None  # called after each load, under db_lock (models/working_copy.py)

    @property
    def bench(self) -> Workbench:
        return Workbench(self.pool, self.settings, self.progress)

    def load(self, *rows) -> None:
        """One document's rows, in one transaction; then what is loaded is published for readers when due."""
        with self.db_lock:
            store.load_document(self.con, self.release_id, self.run_id, *rows)
            self.publish()


@dataclass
class DocumentOutcome:
    document_id: str
    loaded: bool
    pages: int = 0
    pages_ocr: int = 0
    errors: list[IngestError] = field(default_factory=list)


def _children(ctx: IngestContext, source: SourceFile, record: DocumentRecord,
              files: list[tuple[str, bytes, str | None]], depth: int, process) -> None:
    """The document's attachments and embedded files that are PDFs or emails, ingested as documents of their own
    (flows/children.py), each run by `process(ctx, document_id, depth)`; what cannot be opened is recorded on
    the parent."""
    from flows.children import ingest_children  # noqa: PLC0415

    errors = ingest_children(ctx, source, record, files, depth, process)
    if errors:
        with ctx.db_lock:
            store.record_errors(ctx.con, ctx.run_id, errors)


def finish_document(ctx: IngestContext, computed: ComputedDocument, depth: int = 0,
                    process: Callable | None = None) -> DocumentOutcome:
    """Load what compute_document made (or record why the document is not loaded), then hand its attached files
    to `process` (default: process_document, here and now) as documents of their own."""
    source, record = computed.source, computed.record
    try:
        if computed.failure is None:
            ctx.load(record, computed.pages, computed.errors, computed.messages, computed.analysis,
                     computed.passages, computed.redactions, computed.release_status)
            log.info("loaded %s (%d pages, %d messages)", source.display_path, len(computed.pages),
                     len(computed.messages))
            _children(ctx, source, record, computed.attached, depth, process or process_document)
            return DocumentOutcome(record.document_id, True, len(computed.pages),
                                   sum(page.method == "ocr" for page in computed.pages), computed.errors)
        failure = computed.failure
    except Exception as error:  # noqa: BLE001 - recorded on the document, never swallowed
        log.exception("document %s failed", source.display_path)
        failure = IngestError(source.display_path, "load", f"the document was not loaded: {describe_failure(error)}",
                              None, source.sha256)
    with ctx.db_lock:
        store.record_errors(ctx.con, ctx.run_id, [failure])
    return DocumentOutcome(record.document_id, False, errors=[failure])


def process_document(ctx: IngestContext, document_id: str, depth: int = 0) -> DocumentOutcome:
    """The local path: computed in this thread (its page work in the run's worker processes), then loaded."""
    source, record = ctx.documents[document_id]
    try:
        return finish_document(ctx, compute_document(ctx.bench, source, record), depth)
    finally:
        ctx.progress.document_done()
