"""`foia search QUERY --db FILE`: ranked full-text search over messages and passages (models/search_index.py),
and the refresh of the search index that ends every ingest and reparse."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
from typing import TextIO

import duckdb

from models.search_index import MARKS, SearchError, SearchHit, refresh_search_index, search

log = logging.getLogger("foia.search")

EXIT_OK, EXIT_ERROR = 0, 2


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def add_search_parser(commands) -> argparse.ArgumentParser:
    """`foia search` on the `foia` command's subparsers."""
    parser = commands.add_parser(
        "search", help="full-text search of the messages and passages, best matches first",
        description='Search every message (subject and body) and passage, ranked by BM25. Words match any form '
                    '(training, trained); "quoted words" match as a phrase; subject:word and subject:"a phrase" '
                    f"must be in the subject. Matches in the snippet are marked {MARKS[0]}like this{MARKS[1]}.")
    parser.add_argument("query", metavar="QUERY", help='words, "a phrase", subject:word (quote QUERY for the shell)')
    parser.add_argument("--db", required=True, metavar="FILE")
    parser.add_argument("--release", metavar="NAME", help="only this release (default: all)")
    parser.add_argument("--limit", type=_positive_int, default=20, metavar="N",
                        help="show the N best matches (default: %(default)s)")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="a numbered list to read (table) or one JSON array (json); default: %(default)s")
    return parser


def run_search_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Open the database read-only, search, print; 2 with one `foia: ...` line when the search cannot run."""
    from models import schema  # noqa: PLC0415 - keeps `foia --help` quick

    if not os.path.exists(args.db):
        stderr.write(f"foia: no database at {args.db}\n")
        return EXIT_ERROR
    try:
        con = schema.connect(args.db, read_only=True)
    except (schema.SchemaError, duckdb.Error) as error:
        stderr.write(f"foia: {schema.busy_reason(error, args.db) or f'cannot open {args.db}: {_one_line(error)}'}\n")
        return EXIT_ERROR
    try:
        hits = search(con, args.query, release=args.release, limit=args.limit)
    except SearchError as error:
        stderr.write(f"foia: {str(error).replace('--db FILE', f'--db {args.db}')}\n")
        return EXIT_ERROR
    except duckdb.Error as error:
        stderr.write(f"foia: search failed: {_one_line(error)}\n")
        return EXIT_ERROR
    finally:
        con.close()
    if args.format == "json":
        stdout.write(json.dumps([dataclasses.asdict(hit) for hit in hits], ensure_ascii=False, indent=2) + "\n")
    else:
        print_hits(hits, args.query, stdout)
    return EXIT_OK


def print_hits(hits: list[SearchHit], query: str, out: TextIO) -> None:
    if not hits:
        out.write(f"No matches for {query}.\n")
        return
    width = len(str(len(hits)))
    for number, hit in enumerate(hits, 1):
        page = "-" if hit.page_number is None else hit.page_number
        out.write(f"{number:>{width}}. {hit.score:.2f}  {hit.file_name}  page {page}  Bates {hit.bates or '-'}  "
                  f"{hit.kind}\n")
        indent = " " * (width + 2)
        if hit.subject:
            out.write(f"{indent}Subject: {hit.subject}\n")
        if hit.snippet:
            out.write(f"{indent}{hit.snippet}\n")
    out.write(f"{len(hits)} match(es) for {query}.\n")


def refresh_index_after_run(con: duckdb.DuckDBPyConnection, out: TextIO) -> None:
    """The end of `foia ingest` and `foia reparse`: rebuild the search index. A failure is reported and leaves
    the documents, and the previous index, as they were."""
    try:
        refresh_search_index(con)
    except Exception as error:  # noqa: BLE001 - the documents are loaded; the index is derived from them
        log.exception("the search index was not rebuilt")
        out.write(f"Search index: not rebuilt ({type(error).__name__}: {_one_line(error)}); `foia search` reads "
                  "the previous one until the next ingest or reparse.\n")


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())
