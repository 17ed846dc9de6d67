"""The Prefect 3 flow: one task per group of documents (a task run costs Prefect's server about 37 ms of CPU here,
so 200 page-sized tasks cost seconds; small documents share a task, PAGES_PER_TASK).

Parameters stay small and JSON-friendly (a run id, document ids); the database connection, process pool
and progress live in an IngestContext registered for the run. Runs ephemerally (no server needed) or
against a Prefect server when PREFECT_API_URL is set.

With a Dask scheduler's address (settings.dask_address) the documents are computed on the cluster instead, a task
a group through prefect-dask's DaskTaskRunner, and loaded here as they come back (flows/cluster.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.document_ingest import IngestContext, outcome_summary, process_documents

if TYPE_CHECKING:
    from flows.cluster import DocumentJob

_CONTEXTS: dict[int, IngestContext] = {}


def _context(run_id: int) -> IngestContext:
    """The run's context. The flows and tasks reach _CONTEXTS only through this plain function: prefect-dask
    pickles them by value into each task's run context, and a by-value function takes the globals it names (the
    database connection, in _CONTEXTS) along, where a plain module function travels as its name."""
    return _CONTEXTS[run_id]


# Documents share a task up to this many pages between them (a longer document has one of its own): Prefect's
# server spends about 37 ms of CPU on each task run, which for a release of 625 one- and two-page files was 23 s
# of the run's 95 CPU seconds on 2 cores.
PAGES_PER_TASK = 32


def task_groups(context: IngestContext, document_ids: list[str]) -> list[list[str]]:
    """The documents, in their order, cut into runs of at most PAGES_PER_TASK pages (or one longer document), and
    into as many runs as documents are computed at once where there are few pages: a run's documents are computed
    one after another, so a small release in one task would keep one core busy."""
    counts = [max(context.documents[document_id][1].page_count, 1) for document_id in document_ids]
    pages_per_task = min(PAGES_PER_TASK, max(1, -(-sum(counts) // context.settings.concurrent_documents)))
    groups: list[list[str]] = []
    pages = 0
    for document_id, count in zip(document_ids, counts):
        if not groups or pages + count > pages_per_task:
            groups.append([])
            pages = 0
        groups[-1].append(document_id)
        pages += count
    return groups


def task_run_name(context: IngestContext, verb: str, group: list[str]) -> str:
    first = context.documents[group[0]][0].file_name
    return f"{verb} {first}" + (f" and {len(group) - 1} more" if len(group) > 1 else "")


@task(name="ingest-documents", cache_policy=NO_CACHE, persist_result=False, retries=0)
def ingest_documents(run_id: int, document_ids: list[str]) -> list[dict]:
    context = _context(run_id)
    return [outcome_summary(outcome) for outcome in process_documents(context, document_ids)]


@flow(name="foia-ingest", persist_result=False, log_prints=False, validate_parameters=False)
def ingest_release(run_id: int, document_ids: list[str]) -> list[dict]:
    context = _context(run_id)
    futures = [ingest_documents.with_options(task_run_name=task_run_name(context, "ingest", group))
               .submit(run_id, group) for group in task_groups(context, document_ids)]
    return [outcome for future in futures for outcome in future.result()]


@task(name="compute-documents", cache_policy=NO_CACHE, persist_result=False, retries=0)
def compute_documents_on_cluster(jobs: list[DocumentJob]):
    from flows.cluster import compute_on_worker  # noqa: PLC0415 - imported on the Dask worker

    return [compute_on_worker(job) for job in jobs]


@flow(name="foia-ingest-cluster", persist_result=False, log_prints=False, validate_parameters=False)
def ingest_release_on_cluster(run_id: int, document_ids: list[str]) -> list[dict]:
    from flows.cluster import load_as_computed  # noqa: PLC0415

    context = _context(run_id)
    return load_as_computed(context, task_groups(context, document_ids), lambda jobs, group: (
        compute_documents_on_cluster.with_options(task_run_name=task_run_name(context, "compute", group))
        .submit(jobs)))


def run_flow(context: IngestContext, document_ids: list[str]) -> list[dict]:
    _CONTEXTS[context.run_id] = context
    name = f"ingest run {context.run_id}"
    try:
        if context.settings.dask_address:
            from prefect_dask import DaskTaskRunner  # noqa: PLC0415 - only on the cluster path

            runner = DaskTaskRunner(address=context.settings.dask_address)
            return ingest_release_on_cluster.with_options(task_runner=runner, flow_run_name=name)(
                context.run_id, document_ids)
        runner = ThreadPoolTaskRunner(max_workers=context.settings.concurrent_documents)
        return ingest_release.with_options(task_runner=runner, flow_run_name=name)(context.run_id, document_ids)
    finally:
        _CONTEXTS.pop(context.run_id, None)
