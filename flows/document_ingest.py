"""One document, start to finish: computed (flows/document_compute.py), then loaded in one transaction by the
run's single writer, then its attached files as documents of their own.

Called by the Prefect tasks (a task per group of documents) on the local path; on a Dask cluster the computing
happens on a worker and the flow hands what comes back to the writer here (finish_documents). Every failure becomes
an IngestError naming the file and page; nothing here lets an exception escape to stop the batch.
"""

from __future__ import annotations

import logging
import threading
import time
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
    _queue: list = field(default_factory=list, init=False, repr=False)  # documents waiting for the writer
    _queue_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    @property
    def bench(self) -> Workbench:
        return Workbench(self.pool, self.settings, self.progress)

    def submit(self, rows: store.DocumentRows, about: str) -> _Waiting:
        """Hand a document's rows to the writer without waiting for them to be written; wait() for that.

        Group commit: whoever gets the writer writes every document waiting for it in one transaction (a statement
        costs about the same for one document's rows as for ten). A document handed over while the writer is busy
        waits for the next batch, and its task goes on computing the next document meanwhile, so the batches grow
        as long as the writer is the slower side. A batch that fails is written again one document at a time, so
        that a bad document costs only itself. `about` is what the log says of the document once it is loaded."""
        waiting = _Waiting(rows, about)
        with self._queue_lock:
            self._queue.append(waiting)
        while self._queue and self.db_lock.acquire(blocking=False):
            # looked at again after each release: a document handed over while this thread wrote is not left behind
            try:
                self._write_waiting()
            finally:
                self.db_lock.release()
        return waiting

    def wait(self, waiting: _Waiting) -> None:
        """Block until the document's rows are committed (written here, with every document waiting, if nobody
        has yet); raises why they were not."""
        with self.db_lock:
            if not waiting.done:
                self._write_waiting()
        if waiting.error is not None:
            raise waiting.error

    def _write_waiting(self) -> None:
        """Under db_lock: every document waiting, in one batch; then what is loaded is published for readers when
        due."""
        with self._queue_lock:
            batch, self._queue[:] = list(self._queue), []
        if batch:
            self._write(batch)
            self.publish()

    def _write(self, batch: list[_Waiting]) -> None:
        started = time.perf_counter()
        try:
            store.load_documents(self.con, self.release_id, self.run_id, [waiting.rows for waiting in batch])
        except Exception as error:  # noqa: BLE001 - each document's own load says which failed
            if len(batch) == 1:
                batch[0].done, batch[0].error = True, error
                return
            for waiting in batch:
                self._write([waiting])
            return
        share = (time.perf_counter() - started) / len(batch)
        log.info("wrote %d document(s) in %.3f s", len(batch), share * len(batch))
        for waiting in batch:
            waiting.done = True
            log.info("loaded %s, written in %.3f s", waiting.about, share)


@dataclass
class _Waiting:
    """A document's rows waiting for the writer, and what became of them."""

    rows: store.DocumentRows
    about: str
    done: bool = False
    error: Exception | None = None


@dataclass
class DocumentOutcome:
    document_id: str
    loaded: bool
    pages: int = 0
    pages_ocr: int = 0
    errors: list[IngestError] = field(default_factory=list)


def outcome_summary(outcome: DocumentOutcome) -> dict:
    """What a task returns about a document (JSON-friendly, for Prefect)."""
    return {"document_id": outcome.document_id, "loaded": outcome.loaded, "pages": outcome.pages,
            "pages_ocr": outcome.pages_ocr, "errors": len(outcome.errors)}


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


def hand_to_writer(ctx: IngestContext, computed: ComputedDocument) -> tuple[ComputedDocument, _Waiting | None]:
    """The document's rows handed to the writer (not yet written: finish_documents waits), unless it failed."""
    if computed.failure is not None:
        return computed, None
    rows = computed.rows
    return computed, ctx.submit(rows, f"{computed.source.display_path} ({len(rows.pages)} pages, "
                                      f"{len(rows.messages or [])} messages): computed in {computed.seconds:.3f} s")


def finish_documents(ctx: IngestContext, handed: list[tuple[ComputedDocument, _Waiting | None]], depth: int = 0,
                     process: Callable | None = None) -> list[DocumentOutcome]:
    """Wait for each document handed to the writer to be loaded (or record why it is not), then hand its attached
    files to `process` (default: process_document, here and now) as documents of their own."""
    return [_finish_document(ctx, computed, waiting, depth, process or process_document)
            for computed, waiting in handed]


def _finish_document(ctx: IngestContext, computed: ComputedDocument, waiting: _Waiting | None, depth: int,
                     process: Callable) -> DocumentOutcome:
    source, rows = computed.source, computed.rows
    try:
        if waiting is not None:
            ctx.wait(waiting)
            _children(ctx, source, rows.document, computed.attached, depth, process)
            return DocumentOutcome(rows.document.document_id, True, len(rows.pages),
                                   sum(page.method == "ocr" for page in rows.pages), rows.errors)
        failure = computed.failure
    except Exception as error:  # noqa: BLE001 - recorded on the document, never swallowed
        log.exception("document %s failed", source.display_path)
        failure = IngestError(source.display_path, "load", f"the document was not loaded: {describe_failure(error)}",
                              None, source.sha256)
    finally:
        ctx.progress.document_done()
    with ctx.db_lock:
        store.record_errors(ctx.con, ctx.run_id, [failure])
    return DocumentOutcome(rows.document.document_id, False, errors=[failure])


def process_documents(ctx: IngestContext, document_ids: list[str], depth: int = 0) -> list[DocumentOutcome]:
    """The local path: each document computed in this thread (its page work in the run's worker processes) and
    handed to the writer, the next computed while it is written; then each one's outcome once it is loaded."""
    handed = []
    try:
        for document_id in document_ids:
            source, record = ctx.documents[document_id]
            handed.append(hand_to_writer(ctx, compute_document(ctx.bench, source, record)))
    finally:  # (compute_document does not raise; a KeyboardInterrupt may) what was handed over is still written
        outcomes = finish_documents(ctx, handed, depth)
    return outcomes


def process_document(ctx: IngestContext, document_id: str, depth: int = 0) -> DocumentOutcome:
    """process_documents of one document (an attachment, on the local path)."""
    return process_documents(ctx, [document_id], depth)[0]
