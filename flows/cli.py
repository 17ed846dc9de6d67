"""The `foia` command line."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from models import schema
from models.settings import DESPECKLE_MODES, SECOND_READING_MODES, IngestSettings, SettingsError
from models.working_copy import DatabaseBusy


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="foia", description="Turn FOIA email releases into a cited DuckDB "
                                     "evidence database.")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="ingest PDFs, native email (.eml, .mbox, .msg), Office documents, "
                                 "images, folders and .zip archives into a database",
                                 description="Ingest PDFs, native email (.eml, .mbox, .msg), Office documents, "
                                 "images, folders (recursively) and .zip archives. Files already "
                                 "in the database (same SHA-256) are skipped without work.")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="a PDF, a folder, or a .zip archive")
    ingest.add_argument("--db", required=True, metavar="FILE", help="DuckDB database file (created if missing)")
    ingest.add_argument("--release", metavar="NAME", help="release name (default: the first path's name)")
    ingest.add_argument("--agency", metavar="NAME",
                        help="the agency that released it, for documents that print none (\"U.S. Department of "
                             "State Case No. ...\" names it); kept on the release")
    ingest.add_argument("--force-ocr", action="store_true",
                        help="OCR every page, ignoring text layers (for releases with a bad agency OCR layer)")
    ingest.add_argument("--workers", type=_positive_int, default=os.cpu_count() or 1, metavar="N",
                        help="worker processes for text extraction and OCR (default: CPU cores, %(default)s here)")
    ingest.add_argument("--retry-failed", action="store_true",
                        help="try again files that failed in earlier runs, and documents with page errors")
    ingest.add_argument("--max-page-megapixels", type=float, default=IngestSettings.max_page_megapixels,
                        metavar="MP", help="largest page image to render for OCR (default: %(default)s)")
    ingest.add_argument("--page-timeout", type=float, default=IngestSettings.page_timeout_seconds, metavar="S",
                        help="seconds one page's OCR may take before it is stopped and recorded as an error "
                        "(default: %(default)s)")
    ingest.add_argument("--document-timeout", type=float, default=IngestSettings.document_timeout_seconds,
                        metavar="S", help="seconds one document may take, from its start to its load, before it is "
                        "stopped and recorded as an error (default: %(default)s, 4 hours)")
    ingest.add_argument("--worker-memory", type=int, default=IngestSettings.worker_memory_mb, metavar="MB",
                        help="memory each worker process may allocate; a page or document that needs more is "
                        "stopped and recorded as an error (default: %(default)s)")
    ingest.add_argument("--publish-every", type=float, default=IngestSettings.publish_every_seconds, metavar="S",
                        help="while the run goes on, publish what it has loaded for readers this often "
                        "(default: %(default)s)")
    ingest.add_argument("--ocr-cache", metavar="DIR", help="keep each page image's OCR reading here and reuse it "
                        "when the same image comes again (default: FILE.ocr-cache beside the database)")
    ingest.add_argument("--no-ocr-cache", action="store_true", help="OCR every page that needs it, keeping nothing")
    ingest.add_argument("--reocr-hidden-layer", choices=SECOND_READING_MODES,
                        default=IngestSettings.reocr_hidden_layer,
                        help="scanned pages with an agency OCR layer: also OCR the email header blocks of pages that "
                        "show one and combine the two readings (headers), OCR those pages whole (pages) or every "
                        "such page whole (all), or keep the agency layer alone (never); default: %(default)s")

    ingest.add_argument("--despeckle", choices=DESPECKLE_MODES, default=IngestSettings.despeckle,
                        help="pages read by OCR: clean grey noise off the image first (a 3x3 median filter) where "
                        "the page's background is noisy (auto), on every page (always), or never; "
                        "default: %(default)s")
    ingest.add_argument("--dask-address", metavar="tcp://HOST:PORT",
                        help="compute the documents on the Dask cluster whose scheduler is here (its workers need "
                        "this package, Tesseract and the spaCy model, and the release at the same path); this "
                        "process loads them. Needs a Prefect server: `foia server` or PREFECT_API_URL")
    ingest.add_argument("--keep-uncovered", action="store_true",
                        help="store the text found under a redaction box (a failed redaction) in "
                        "redactions.uncovered_text; by default only its length and place are stored")

    reparse = commands.add_parser("reparse", help="split messages again from the words already in a database",
                                  description="Split every document's messages again from the page words stored "
                                  "in the database (no PDF is read, no OCR is run): for databases made by an older "
                                  "version and after the parser improves.")
    reparse.add_argument("--db", required=True, metavar="FILE")
    for command in (ingest, reparse):
        command.add_argument("--gazetteer", action="append", default=[], metavar="FILE",
                             help="your own agencies, vendors and products (CSV or JSONL, see "
                             "extractors/analysis/gazetteer_data/README.md); repeat for several files")
        command.add_argument("--spacy-model", default=IngestSettings.spacy_model, metavar="NAME",
                             help="installed spaCy model package to load (default: %(default)s)")

    from flows.check import add_check_parser
    from flows.diff import add_diff_parser
    from flows.evidence_report import add_report_parser
    from flows.export import add_export_parser
    from flows.search import add_search_parser
    from flows.serve import add_serve_parser
    from flows.server import add_server_parser
    from flows.sql import add_sql_parser

    add_export_parser(commands)
    add_search_parser(commands)
    add_sql_parser(commands)
    add_report_parser(commands)
    add_check_parser(commands)
    add_server_parser(commands)
    add_diff_parser(commands)
    add_serve_parser(commands)

    summary = commands.add_parser("summary", help="print what a database holds")
    summary.add_argument("--db", required=True, metavar="FILE")
    return parser


def _ingest(args: argparse.Namespace) -> int:
    from flows.ingest import IngestRequest, run_ingest
    from flows.reaper import guard_run

    guard_run()  # workers, their fork server and Prefect's server end with this process, however it ends

    settings = IngestSettings(force_ocr=args.force_ocr, workers=args.workers, retry_failed=args.retry_failed,
                              max_page_megapixels=args.max_page_megapixels, page_timeout_seconds=args.page_timeout,
                              document_timeout_seconds=args.document_timeout, worker_memory_mb=args.worker_memory,
                              publish_every_seconds=args.publish_every, dask_address=args.dask_address,
                              ocr_cache_dir=None if args.no_ocr_cache else args.ocr_cache or f"{args.db}.ocr-cache",
                              reocr_hidden_layer=args.reocr_hidden_layer, despeckle=args.despeckle,
                              keep_uncovered=args.keep_uncovered, spacy_model=args.spacy_model,
                              gazetteer_files=tuple(args.gazetteer))
    request = IngestRequest(paths=args.paths, db_path=args.db, settings=settings, release=args.release,
                            agency=args.agency)
    return run_ingest(request, sys.stdout, sys.stderr)


def _summary(args: argparse.Namespace) -> int:
    from flows.report import print_database_summary
    from models import schema

    if not os.path.exists(args.db):
        print(f"foia: no database at {args.db}", file=sys.stderr)
        return 2
    con = schema.connect(args.db, read_only=True)
    try:
        print_database_summary(con, sys.stdout)
    finally:
        con.close()
    return 0


def _reparse(args: argparse.Namespace) -> int:
    from flows.reparse import reparse_database
    from models.working_copy import WorkingCopy

    if not os.path.exists(args.db):
        print(f"foia: no database at {args.db}", file=sys.stderr)
        return 2
    settings = IngestSettings(spacy_model=args.spacy_model, gazetteer_files=tuple(args.gazetteer))
    with WorkingCopy(args.db, notify=sys.stderr.write) as database:
        return 1 if reparse_database(database.open(), sys.stdout, settings) else 0


def _export(args: argparse.Namespace) -> int:
    from flows.export import run_export_command

    return run_export_command(args, sys.stdout, sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from flows.check import run_check_command

    return run_check_command(args, sys.stdout, sys.stderr)


def _search(args: argparse.Namespace) -> int:
    from flows.search import run_search_command

    return run_search_command(args, sys.stdout, sys.stderr)


def _sql(args: argparse.Namespace) -> int:
    from flows.sql import run_sql_command

    return run_sql_command(args, sys.stdin, sys.stdout, sys.stderr)


def _server(args: argparse.Namespace) -> int:
    from flows.reaper import guard_run
    from flows.server import run_server_command

    guard_run()  # the Prefect server ends with this command, however it ends
    return run_server_command(args, sys.stdout, sys.stderr)


def _diff(args: argparse.Namespace) -> int:
    from flows.diff import run_diff_command

    return run_diff_command(args, sys.stdout, sys.stderr)


def _serve(args: argparse.Namespace) -> int:
    from flows.reaper import guard_run
    from flows.serve import run_serve_command

    guard_run()  # the ingests it starts end with it, however it ends
    return run_serve_command(args, sys.stdout, sys.stderr)


def _report(args: argparse.Namespace) -> int:
    from flows.evidence_report import run_report_command

    return run_report_command(args, sys.stdout, sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"ingest": _ingest, "summary": _summary, "reparse": _reparse, "export": _export, "report": _report,
                "sql": _sql, "search": _search,
                "check": _check, "server": _server, "diff": _diff, "serve": _serve}
    # The terminal may have been diverted to the log by then: write failures to the original stderr.
    terminal_err = os.fdopen(os.dup(2), "w", buffering=1)
    try:
        return handlers[args.command](args)
    except (SettingsError, DatabaseBusy, schema.DatabaseUnavailable) as error:
        terminal_err.write(f"foia: {error}\n")
        return 2
    except KeyboardInterrupt:
        terminal_err.write("\nfoia: interrupted; documents already loaded are kept, re-run to continue.\n")
        return 130
    except Exception as error:  # noqa: BLE001 - one readable line, the traceback goes to the log
        if getattr(args, "db", None) and (busy := schema.busy_reason(error, args.db)) is not None:
            terminal_err.write(f"foia: {busy}\n")
            return 2
        logging.getLogger("foia").exception("foia %s failed", args.command)
        name = type(error).__name__
        hint = f" (details in {args.db}.log)" if args.command == "ingest" else ""
        terminal_err.write(f"foia: {args.command} failed: {name}: {error}{hint}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
