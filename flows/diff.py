"""`foia diff --db FILE RELEASE_A RELEASE_B`: what release B holds that A does not, what A held that B does not,
and the documents both sent with different content (models/release_changes.py)."""

from __future__ import annotations

import argparse
from typing import TextIO

import duckdb

from models.release_changes import PLURALS, UnknownRelease, diff_releases
from models.schema import SCHEMA_VERSION, current_version, open_for_reading


def add_diff_parser(commands) -> argparse.ArgumentParser:
    diff = commands.add_parser(
        "diff", help="what one release has that another has not",
        description="Compare two releases item by item: documents (by file name), pages, emails (by identity, so an "
        "email re-released in another copy is the same email), named entities, events and redactions. Prints the "
        "counts, then what is only in RELEASE_B, what is only in RELEASE_A, and the documents both sent with "
        "different content.")
    diff.add_argument("--db", required=True, metavar="FILE")
    diff.add_argument("release_a", metavar="RELEASE_A", help="the earlier release (releases.name)")
    diff.add_argument("release_b", metavar="RELEASE_B", help="the later release")
    diff.add_argument("--limit", type=int, default=200, metavar="N",
                      help="list at most N items of each kind each way (default: %(default)s; the counts are always "
                      "whole)")
    return diff


def _item(row: tuple) -> str:
    kind, label, detail, file_name, page, bates = row
    where = f"{file_name} p.{page}" + (f" ({bates})" if bates else "") if file_name else ""
    text = " ".join(str(detail or "").split())
    return f"  {kind:<9} {label}" + (f": {text[:90]}" if text and kind != "document" else "") + f"  [{where}]"


def run_diff_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    con = open_for_reading(args.db)  # DatabaseUnavailable: flows/cli.py says why, exit 2
    try:
        diff = diff_releases(con, args.release_a, args.release_b, args.limit)
    except UnknownRelease as error:
        stderr.write(f"foia: {error}\n")
        return 2
    except duckdb.CatalogException:  # no release_items: a database no ingest of this version has opened yet
        stderr.write(f"foia: {args.db} predates release comparison (schema version {current_version(con)}, this "
                     f"tool's is {SCHEMA_VERSION}): any foia ingest or reparse into it brings it up to date\n")
        return 2
    finally:
        con.close()
    a, b = diff.release_a, diff.release_b
    stdout.write(f"{'':<10} {'in ' + a:>14} {'in ' + b:>14} {'only in ' + b:>16} {'only in ' + a:>16}\n")
    for kind, in_a, in_b, only_b, only_a in diff.counts:
        stdout.write(f"{PLURALS[kind]:<10} {in_a:>14} {in_b:>14} {only_b:>16} {only_a:>16}\n")
    for title, rows, total in ((f"Only in {b}", diff.only_in_b, sum(c[3] for c in diff.counts)),
                               (f"Only in {a}", diff.only_in_a, sum(c[4] for c in diff.counts))):
        stdout.write(f"\n{title} ({total}):\n")
        stdout.writelines(_item(row) + "\n" for row in rows)
        if total > len(rows):
            stdout.write(f"  ... and {total - len(rows)} more (--limit {args.limit} a kind)\n")
    stdout.write(f"\nSent by both with different content ({len(diff.changed_documents)}):\n")
    for lineage, file_a, file_b in diff.changed_documents:
        stdout.write(f"  {lineage}: {file_a} in {a}, {file_b} in {b}\n")
    return 0
