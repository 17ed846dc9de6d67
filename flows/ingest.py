"""`foia ingest`: plan (no orchestration), then run the Prefect flow over what is new, then report."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import TextIO

from flows import report, terminal
from flows.plan import IngestPlan, default_release_name, plan_ingest
from flows.progress import Progress
from flows.release_summary import write_run_summary
from flows.release_step import (link_emails_everywhere, read_acronyms_across_releases,
                                repair_headers_across_releases)
from flows.search import refresh_index_after_run
from flows.server import use_warm_server
from models import store
from models.settings import IngestSettings
from models.working_copy import WorkingCopy

log = logging.getLogger("foia.ingest")

EXIT_OK, EXIT_SOME_FAILED, EXIT_FATAL = 0, 1, 2


def tool_version() -> str:
    try:
        return version("foia-evidence")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class IngestRequest:
    paths: list[str]
    db_path: str
    settings: IngestSettings
    release: str | None = None
    agency: str | None = None  # the releasing agency, given by the user (releases.agency)
    quiet_prefect: bool = True  # divert Prefect's output to the log file (the CLI's behaviour)


def log_path_for(db_path: str) -> str:
    return db_path + ".log"


def _setup_logging(path: str) -> None:
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("foia")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False


def run_ingest(request: IngestRequest, out: TextIO, err: TextIO) -> int:
    settings = request.settings
    log_file = log_path_for(request.db_path)
    _setup_logging(log_file)
    if settings.dask_address and (refusal := _cluster_refusal(settings.dask_address)):
        err.write(f"foia: {refusal}\n")
        return EXIT_FATAL
    release_name = request.release or default_release_name(request.paths)
    with (WorkingCopy(request.db_path, settings.publish_every_seconds, notify=err.write) as database,
          tempfile.TemporaryDirectory(prefix="foia-zip-") as extract_dir):
        plan = None
        if (published := database.published()) is not None:  # nothing new: answered without copying the file
            try:
                plan = plan_ingest(published, request.paths, extract_dir, settings)
                if not _needs_run(published, plan, release_name):
                    return _nothing_new(plan, release_name, request.db_path, out, err)
            finally:
                published.close()
        con = database.open()
        if store.mark_interrupted_runs(con):
            err.write("An earlier run was interrupted: its documents are kept, and what it had not loaded is "
                      "loaded now.\n")
        if plan is None:
            plan = plan_ingest(con, request.paths, extract_dir, settings)
            if not _needs_run(con, plan, release_name):
                return _nothing_new(plan, release_name, request.db_path, out, err)
        report.print_plan(plan, release_name, err)
        release_id = store.ensure_release(con, release_name, request.agency)
        run_id = store.start_run(con, release_id, [os.path.abspath(p) for p in request.paths],
                                 settings.as_dict(), tool_version(), len(plan.discovery.sources))
        store.record_errors(con, run_id, plan.errors)
        store.record_release_documents(con, release_id, run_id,
                                       [source for source, _ in plan.to_load] + plan.already_loaded)
        status = "ok"
        try:
            if plan.to_load:
                out, err = _run_documents(con, plan, settings, release_id, run_id, request, log_file, out, err,
                                          extract_dir, database.publish_if_due)
                read_acronyms_across_releases(con, [release_id], out)
                repair_headers_across_releases(con, [release_id], out)
                link_emails_everywhere(con, out)
                refresh_index_after_run(con, out)
        except BaseException:
            status = "crashed"
            raise
        finally:
            store.finish_run(con, run_id, status)
        failed = report.print_run_summary(con, run_id, request.db_path, log_file, out)
        try:
            out.write(f"  What this release brought: {write_run_summary(con, run_id, request.db_path)} (and .html)\n")
        except OSError as error:  # the release is loaded: a summary that cannot be written is only said
            out.write(f"  The run summary could not be written beside the database: {error}\n")
        return EXIT_SOME_FAILED if failed or plan.previously_failed else EXIT_OK


def _cluster_refusal(address: str) -> str | None:
    """Why the documents cannot be computed on the Dask cluster at `address`, or None (flows/cluster.py)."""
    from flows.cluster import check_cluster  # noqa: PLC0415 - Dask and Prefect load only on this path

    terminal.configure_prefect_environment()
    from prefect.settings import get_current_settings  # noqa: PLC0415

    return check_cluster(address, use_warm_server() or get_current_settings().api.url)


def _needs_run(con, plan: IngestPlan, release_name: str) -> bool:
    """Files to load or errors to record; or files loaded before that this release sends again (a rolling release
    re-sending a document), noted as the release's without reading them again. A release dropped again unchanged
    has none of these: it adds nothing."""
    return plan.has_work or store.release_lacks_documents(con, release_name,
                                                          [source.sha256 for source in plan.already_loaded])


def _nothing_new(plan: IngestPlan, release_name: str, db_path: str, out: TextIO, err: TextIO) -> int:
    report.print_plan(plan, release_name, err)
    out.write(f"Nothing new to ingest into {db_path}: {len(plan.already_loaded)} document(s) already loaded.\n")
    return EXIT_SOME_FAILED if plan.previously_failed else EXIT_OK


def _run_documents(con, plan: IngestPlan, settings: IngestSettings, release_id: int, run_id: int,
                   request: IngestRequest, log_file: str, out: TextIO, err: TextIO,
                   work_dir: str | None = None, publish=lambda: None) -> tuple[TextIO, TextIO]:
    """Run the flow; returns the streams that still reach the terminal afterwards."""
    from flows.page_pool import PagePool  # noqa: PLC0415 - keeps `foia` fast when nothing is new

    pool = None if settings.dask_address else PagePool(settings.workers, settings.worker_memory_mb)
    try:
        if pool is not None:  # the workers start and load the models (1.4 s) while Prefect starts the flow
            from flows.analysis_step import load_analyzer  # noqa: PLC0415

            pool.start_in_each(load_analyzer, settings)
        terminal.configure_prefect_environment()
        server = use_warm_server()  # a `foia server` running here: no temporary server to start (~5.5 s)
        log.info("Prefect API: %s", server or "a temporary server of this run's own")
        if request.quiet_prefect:
            out, err = terminal.divert_output_to(log_file)
        from flows.document_ingest import IngestContext  # noqa: PLC0415
        from flows.prefect_flow import run_flow

        progress = Progress(len(plan.to_load), plan.total_pages, err)
        context = IngestContext(con=con, db_lock=threading.Lock(), pool=pool, settings=settings, progress=progress,
                                release_id=release_id, run_id=run_id,
                                documents={source.sha256: (source, record) for source, record in plan.to_load},
                                work_dir=work_dir, publish=publish)
        # Biggest first keeps both cores busy to the end instead of finishing on one long document.
        ordered = sorted(context.documents, key=lambda key: -context.documents[key][1].page_count)
        progress.start()
        # The writer's statements are small and many: DuckDB's own threads would only contend with the workers.
        con.execute("SET threads = 1")
        try:
            run_flow(context, ordered)
        finally:
            con.execute("RESET threads")
            progress.stop()
    finally:
        if pool is not None:
            pool.shutdown()
    return out, err
