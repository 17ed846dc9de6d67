"""`foia serve --inbox DIR --db FILE`: a Prefect deployment (flow.serve) that ingests each release dropped into
the inbox, once it has stopped growing, as a release named after it (flows/inbox.py), then moves it to
DIR/processed/; a release that fails stays, with DIR/NAME.error.txt beside it.

Each release is ingested by `foia ingest` in a process of its own, so a crash in it never takes the server down
and its memory goes back when it ends. A server killed in the middle of a release leaves the release in the
inbox: the next scan ingests it again, which loads only what the killed run had not (documents are skipped by
content hash) and notes nothing twice, then moves it. --once does one pass and exits (for cron, or a test).
"""

from __future__ import annotations

import argparse
import ctypes
import fcntl
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import TextIO

from flows import inbox as inbox_files
from flows import terminal
from flows.reaper import TOKEN_VARIABLE

REPORT_TAIL_CHARS = 4000
PR_SET_PDEATHSIG = 1  # prctl(2)
# foia ingest stopped by Ctrl-C or SIGTERM (its exit status 130, or the signal's own): what stopping `foia serve`
# does to the ingest it is running. Any other status but 0 and 1 (some files failed: a release done) is a failure.
INTERRUPTED = (130, -signal.SIGINT, -signal.SIGTERM)


def add_serve_parser(commands) -> argparse.ArgumentParser:
    serve = commands.add_parser(
        "serve", help="watch an inbox folder and ingest each release dropped into it",
        description="Serve a Prefect deployment that scans DIR every --interval seconds. Each release folder or "
        ".zip archive dropped into DIR is ingested into FILE, once nothing in it has changed for --settle seconds, "
        "as a release named after it; then it is moved to DIR/processed/, and its summary is written beside the "
        "database. A release that fails stays in DIR with NAME.error.txt beside it, and is tried again once it "
        "changes. Runs show in the Prefect UI of a running `foia server` (or of PREFECT_API_URL).")
    serve.add_argument("--inbox", required=True, metavar="DIR", help="the folder releases are dropped into")
    serve.add_argument("--db", required=True, metavar="FILE", help="the DuckDB database to ingest into")
    serve.add_argument("--interval", type=float, default=30.0, metavar="S",
                       help="seconds between scans of the inbox (default: %(default)s)")
    serve.add_argument("--settle", type=float, default=60.0, metavar="S",
                       help="a release is taken once nothing in it changed for S seconds, and two scans saw it "
                       "the same (default: %(default)s)")
    serve.add_argument("--once", action="store_true",
                       help="wait until what is in the inbox has settled, ingest it, and exit")
    serve.add_argument("--agency", metavar="NAME", help="the releasing agency, for every release (foia ingest)")
    serve.add_argument("--gazetteer", action="append", default=[], metavar="CSV",
                       help="agency or vendor list for every ingest (repeatable; foia ingest --gazetteer)")
    serve.add_argument("--workers", type=int, metavar="N", help="worker processes per ingest (foia ingest)")
    return serve


def ingest_options(args: argparse.Namespace) -> list[str]:
    options = [item for path in args.gazetteer for item in ("--gazetteer", os.path.abspath(path))]
    if args.agency:
        options += ["--agency", args.agency]
    if args.workers:
        options += ["--workers", str(args.workers)]
    return options


def _tail(text: str) -> str:
    return text if len(text) <= REPORT_TAIL_CHARS else "...\n" + text[-REPORT_TAIL_CHARS:]


def _stop_with_parent() -> None:
    """In the ingest's process, before it runs: SIGTERM when the process that started it dies, killed or not (it
    then stops as on Ctrl-C, and its own watcher ends its workers). Linux; elsewhere a no-op."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _run_ingest(command: list[str]) -> tuple[int, str, str]:
    """Run `foia ingest` as a run of its own (its own token: flows/reaper.py), so that whatever it leaves when it
    is stopped is ended with it rather than living on until the server ends. Its output goes to files, not
    pipes: a pipe would wait for every process that inherited it, a stopped run's workers included."""
    env = {key: value for key, value in os.environ.items() if key != TOKEN_VARIABLE}
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as out, \
            tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as err:
        status = subprocess.run(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, check=False,
                                preexec_fn=_stop_with_parent).returncode  # noqa: PLW1509 - one prctl call
        out.seek(0)
        err.seek(0)
        return status, out.read(), err.read()


def ingest_entry(entry: inbox_files.InboxEntry, inbox: str, db: str, options: list[str]) -> str:
    """Ingest one release in a `foia ingest` process; move it to processed/ or leave an error report."""
    command = [sys.executable, "-m", "flows.cli", "ingest", entry.path, "--db", db, "--release", entry.name, *options]
    try:
        status, stdout, stderr = _run_ingest(command)
    except OSError as error:
        return f"failed: {inbox_files.mark_failed(entry, f'foia ingest could not start: {error}')}"
    if status in (0, 1) and os.path.exists(entry.path):
        return f"processed: {inbox_files.mark_processed(inbox, entry)}"
    if status in INTERRUPTED:  # stopped with the server: no error report, so the next scan takes it again
        return f"interrupted: {entry.path} stays in the inbox and is taken again"
    report = (f"foia ingest exited with status {status}: {' '.join(command)}\n\n"
              f"--- its output ---\n{_tail(stdout)}\n--- its errors ---\n{_tail(stderr)}")
    return f"failed: {inbox_files.mark_failed(entry, report)}"


def process_inbox(inbox: str, db: str, settle_seconds: float, options: list[str], log=print,
                  ingest=ingest_entry) -> list[str]:
    """Ingest each ready entry in the order they were dropped, one at a time (one process writes the database); a
    scan that finds another still at work returns at once."""
    with open(os.path.join(inbox, ".foia-inbox.lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log("another scan of this inbox is at work")
            return []
        outcomes = []
        for entry in inbox_files.ready_entries(inbox, settle_seconds):
            log(f"ingesting {entry.path} as release '{entry.name}'")
            outcomes.append(ingest(entry, inbox, db, options))
            log(outcomes[-1])
        return outcomes


def _prefect_flow():
    from prefect import flow, get_run_logger, task  # noqa: PLC0415 - Prefect loads only for serve
    from prefect.cache_policies import NO_CACHE  # noqa: PLC0415

    ingest_task = task(ingest_entry, name="ingest-release", cache_policy=NO_CACHE, persist_result=False)

    def ingest_in_task(entry, inbox, db, options):
        return ingest_task.with_options(task_run_name=f"ingest {entry.name}")(entry, inbox, db, options)

    @flow(name="foia-inbox", persist_result=False, validate_parameters=False)
    def watch_inbox(inbox: str, db: str, settle_seconds: float, options: list[str]) -> list[str]:
        return process_inbox(inbox, db, settle_seconds, options, get_run_logger().info, ingest_in_task)

    return watch_inbox


def run_serve_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    inbox, db = os.path.abspath(args.inbox), os.path.abspath(args.db)
    if not os.path.isdir(inbox):
        err.write(f"foia: no inbox folder at {args.inbox}\n")
        return 2
    if args.interval <= 0 or args.settle < 0:
        err.write("foia: --interval must be above 0 and --settle at least 0\n")
        return 2
    options = ingest_options(args)
    if args.once:
        return _serve_once(inbox, db, args, options, out)
    terminal.configure_prefect_environment()
    from flows.server import start_prefect_server, stop_prefect_server, use_warm_server  # noqa: PLC0415

    own_server = None
    api = use_warm_server()
    if api is None:  # Prefect's temporary server cannot schedule: a deployment needs a server of its own
        port = _free_port()
        own_server = start_prefect_server("127.0.0.1", port, err)
        if own_server is None:
            return 2
        api = os.environ["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"  # the ingests inherit it
    out.write(f"Watching {inbox} every {args.interval:g}s; releases go into {db}.\n"
              f"Runs show in the Prefect UI at {api.removesuffix('/api')}. Ctrl-C stops.\n")
    out.flush()
    try:
        _prefect_flow().serve(name="foia-inbox", interval=args.interval, limit=1, print_starting_message=False,
                              parameters={"inbox": inbox, "db": db, "settle_seconds": args.settle,
                                          "options": options})
    finally:
        if own_server is not None:
            stop_prefect_server(own_server)
    return 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_once(inbox: str, db: str, args: argparse.Namespace, options: list[str], out: TextIO) -> int:
    """Scan until every entry has settled (or failed as it is), ingest those, exit 1 if one failed."""
    outcomes: list[str] = []
    while True:
        outcomes += process_inbox(inbox, db, args.settle, options, log=lambda line: out.write(line + "\n"))
        waiting = [entry for entry in inbox_files.list_entries(inbox)
                   if inbox_files.failed_signature(entry) != entry.signature]
        if not waiting:
            break
        time.sleep(min(args.interval, max(args.settle, 0.5)))
    out.write(f"{len(outcomes)} release(s) taken from {inbox}.\n")
    return 1 if any(outcome.startswith("failed") for outcome in outcomes) else 0
