"""Documents computed on a Dask cluster (`foia ingest --dask-address tcp://HOST:PORT`), loaded by one writer here.

Each group of documents (flows/prefect_flow.py task_groups) is one Prefect task run on a Dask worker through
prefect-dask's DaskTaskRunner: the worker reads, OCRs, splits and analyses them (compute_document, as on the local
path) and sends back plain records; the flow, in this process, loads each group as it comes back (the
run's single writer), and sends the files it carries back to the cluster as documents of their own.

Workers read a document at its path, so the release must be at the same path on every worker (a shared file
system); files that exist only here (zip members, attachments, both in the run's temp folder) travel with their
task. Each Dask worker keeps one process pool of its own (flows/page_pool.py) for page work, so a page that
crashes or hangs costs that page as on the local path; a Dask worker started as a daemon (Dask's default) may not
start processes, and computes in its own process instead, without the page time limit
(DASK_DISTRIBUTED__WORKER__DAEMON=False lifts that).
"""

from __future__ import annotations

import contextvars
import logging
import multiprocessing
import os
import socket
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from distributed import Client, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from flows.document_compute import ComputedDocument, Workbench, compute_document
from flows.document_ingest import IngestContext, finish_documents, hand_to_writer, outcome_summary
from flows.page_pool import InlinePool, PagePool
from flows.reaper import reap_with_this_process
from models.records import DocumentRecord, SourceFile
from models.settings import IngestSettings

log = logging.getLogger("foia.ingest")


@dataclass
class DocumentJob:
    """What a Dask worker needs to compute one document; `data` is the file itself when only the writer has it."""

    source: SourceFile
    record: DocumentRecord
    settings: IngestSettings
    data: bytes | None = None


_POOLS: dict[int, object] = {}  # this Dask worker's process pool, by memory limit (one per worker process)


def _worker_pool(settings: IngestSettings):
    if settings.worker_memory_mb not in _POOLS:
        if multiprocessing.current_process().daemon:  # Dask's default: no child processes allowed
            log.warning("this Dask worker is a daemon process: pages are computed in it, with no page time limit")
            _POOLS[settings.worker_memory_mb] = InlinePool()
        else:
            if not _POOLS:
                reap_with_this_process()  # the pool's processes end with this Dask worker, however it ends
            _POOLS[settings.worker_memory_mb] = PagePool(1, settings.worker_memory_mb)
    return _POOLS[settings.worker_memory_mb]


def compute_on_worker(job: DocumentJob) -> ComputedDocument:
    """compute_document on this worker, reading the file at its path or from the bytes the job carries."""
    source, record = job.source, job.record
    with tempfile.TemporaryDirectory(prefix="foia-job-") as folder:
        readable = source
        if job.data is not None:
            readable = replace(source, path=os.path.join(folder, os.path.basename(source.path)))
            with open(readable.path, "wb") as file:
                file.write(job.data)
        elif not os.path.isfile(source.path):
            return ComputedDocument.not_loaded(source, record, "load", f"{source.path} cannot be read on the Dask "
                                               f"worker {socket.gethostname()} (every worker must see the release at "
                                               "the same path)")
        computed = compute_document(Workbench(_worker_pool(job.settings), job.settings), readable, record)
    computed.source = source  # the writer's own path, as the database records it
    return computed


def _inside(path: str, folder: str | None) -> bool:
    return folder is not None and os.path.realpath(path).startswith(os.path.realpath(folder) + os.sep)


def job_for(ctx: IngestContext, document_id: str) -> DocumentJob:
    source, record = ctx.documents[document_id]
    data = None
    if _inside(source.path, ctx.work_dir):  # a zip member or an attachment: only this machine has it
        with open(source.path, "rb") as file:
            data = file.read()
    return DocumentJob(source, record, ctx.settings, data)


LOADERS = 4  # threads handing what comes back to the writer: documents waiting together are written together


def load_as_computed(ctx: IngestContext, groups: list[list[str]], submit) -> list[dict]:
    """Send each group of documents to the cluster (`submit(jobs, group)` returns a PrefectDaskFuture of their
    ComputedDocuments), load each document as its group comes back, and send the documents it carries after it
    (a group each); returns each document's outcome."""
    sent: dict[object, tuple[list[str], int, object]] = {}  # Dask future -> (document ids, depth, Prefect future)
    waiting = None  # made with the first futures' client (without one it looks for a default client, and finds none)
    lock = threading.Lock()

    def send(group: list[str], depth: int) -> None:
        future = submit([job_for(ctx, document_id) for document_id in group], group)
        with lock:
            sent[future.wrapped_future] = (group, depth, future)
            if waiting is not None:
                waiting.add(future.wrapped_future)

    def computed_group(done) -> tuple[list[ComputedDocument], int]:
        with lock:
            group, depth, future = sent.pop(done)
        try:
            return future.result(), depth
        except Exception as error:  # noqa: BLE001 - the cluster lost the task (a worker died on it every time)
            log.error("%d document(s) were not computed on the cluster: %s", len(group), error)
            return [ComputedDocument.not_loaded(source, record, "load", "the Dask cluster could not compute it "
                                                f"({type(error).__name__}: {error})")
                    for source, record in (ctx.documents[document_id] for document_id in group)], depth

    def finish(done) -> list[dict]:
        """A group that came back: its documents handed to the writer together, then each one's outcome."""
        computed, depth = computed_group(done)
        for page in (page for document in computed for page in document.rows.pages):
            ctx.progress.page_done(ocr=page.method == "ocr" or page.second_reading is not None)
        handed = [hand_to_writer(ctx, document) for document in computed]
        return [outcome_summary(outcome) for outcome in finish_documents(
            ctx, handed, depth, process=lambda _ctx, document_id, deeper: send([document_id], deeper))]

    for group in groups:
        send(group, 0)
    if not sent:
        return []
    waiting = as_completed(list(sent), loop=next(iter(sent)).client.loop)
    loads = []
    with ThreadPoolExecutor(LOADERS, thread_name_prefix="foia-loader") as loaders:
        while True:
            # each in a copy of the flow run's context: a document sends what it carries as tasks of this flow
            loads += [loaders.submit(contextvars.copy_context().run, finish, done)
                      for batch in waiting.batches() for done in batch]
            for load in loads:
                load.exception()  # wait: a document being loaded may still send the ones it carries
            with lock:
                if not sent:
                    break
    return [outcome for load in loads for outcome in load.result()]


class PrefectApiOnWorkers(WorkerPlugin):
    """A Dask worker plugin: the workers, and those that join later, report their task runs to this run's Prefect
    server. Prefect reads its API's address when it is first imported in a process, which on a worker is when the
    first task arrives, after this; without it each worker starts a temporary server of its own (43 s here)."""

    def __init__(self, api_url: str):
        self.api_url = api_url

    def setup(self, worker) -> None:
        os.environ["PREFECT_API_URL"] = self.api_url


def check_cluster(address: str, api_url: str | None) -> str | None:
    """Why a run on the cluster at `address` cannot start (no Prefect server its workers can report to, or no
    scheduler answering there), or None; the workers are told where the Prefect server is."""
    if not api_url:
        return ("--dask-address needs a Prefect server the Dask workers can reach: start one with `foia server` "
                "(on a cluster, `foia server --host 0.0.0.0` and PREFECT_API_URL=http://THIS-HOST:4200/api) or set "
                "PREFECT_API_URL to yours")
    try:
        with Client(address, timeout=15) as client:
            if not client.scheduler_info().get("workers"):
                return f"the Dask scheduler at {address} has no workers"
            client.register_plugin(PrefectApiOnWorkers(api_url), name="foia-prefect-api")
    except (OSError, TimeoutError) as error:
        return f"no Dask scheduler answers at {address}: {error}"
    return None
