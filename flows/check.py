"""`foia check --db FILE`: verify a database is whole (models/integrity.py); exit 1 with what is wrong."""

from __future__ import annotations

import argparse
from typing import TextIO

import duckdb

from models.integrity import CHECKS, check_database
from models.schema import open_for_reading


def add_check_parser(commands) -> argparse.ArgumentParser:
    check = commands.add_parser(
        "check", help="verify that a database is whole",
        description="Verify a database without changing it: no orphan rows, every message and passage on pages "
        "its document has, every citation pointing at words its page holds, every document with all its "
        "pages, each run's counts as the tables hold them. Exits 1 and lists what is wrong.")
    check.add_argument("--db", required=True, metavar="FILE")
    return check


def run_check_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    con = open_for_reading(args.db)  # DatabaseUnavailable: flows/cli.py says why, exit 2
    try:
        problems = check_database(con)
    except duckdb.Error as error:  # a table missing: a database of another schema version, or none at all
        stderr.write(f"foia: {args.db} could not be checked: {str(error).splitlines()[0]}\n")
        return 2
    finally:
        con.close()
    if not problems:
        stdout.write(f"{args.db}: all {len(CHECKS)} checks passed.\n")
        return 0
    stdout.write(f"{args.db}: {len(problems)} of {len(CHECKS)} checks failed:\n")
    for problem in problems:
        stdout.write(f"  {problem.check}: {problem.count} row(s), for example\n")
        for example in problem.examples:
            stdout.write(f"    {example}\n")
    return 1
