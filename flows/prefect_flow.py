"""The Prefect 3 flow: one task per document (200 page-sized tasks cost ~40 ms each here; documents don't).

Parameters stay small and JSON-friendly (a run id, document ids); the database connection, process pool
and progress live in an IngestContext registered for the run. Runs ephemerally (no server needed) or
against a Prefect server when PREFECT_API_URL is set.
"""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.document_ingest import IngestContext, process_document

_CONTEXTS: dict[int, IngestContext] = {}


@task(name="ingest-document", cache_policy=NO_CACHE, persist_result=False, retries=0)
def ingest_document(run_id: int, document_id: str) -> dict:
    outcome = process_document(_CONTEXTS[run_id], document_id)
    return {"document_id": outcome.document_id, "loaded": outcome.loaded, "pages": outcome.pages,
            "pages_ocr": outcome.pages_ocr, "errors": len(outcome.errors)}


@flow(name="foia-ingest", persist_result=False, log_prints=False, validate_parameters=False)
def ingest_release(run_id: int, document_ids: list[str]) -> list[dict]:
    context = _CONTEXTS[run_id]
    futures = []
    for document_id in document_ids:
        source, _ = context.documents[document_id]
        futures.append(ingest_document.with_options(task_run_name=f"ingest {source.file_name}")
                       .submit(run_id, document_id))
    return [future.result() for future in futures]


def run_flow(context: IngestContext, document_ids: list[str], concurrent_documents: int) -> list[dict]:
    _CONTEXTS[context.run_id] = context
    try:
        runner = ThreadPoolTaskRunner(max_workers=concurrent_documents)
        return ingest_release.with_options(task_runner=runner, flow_run_name=f"ingest run {context.run_id}")(
            context.run_id, document_ids)
    finally:
        _CONTEXTS.pop(context.run_id, None)
