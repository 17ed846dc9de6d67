"""Release-wide passes that run once a release's documents are loaded (orchestration only)."""

from __future__ import annotations

import logging
from collections import Counter
from typing import TextIO

import duckdb

from models import store

log = logging.getLogger("foia.release")
MAX_LISTED = 12


def read_acronyms_across_releases(con: duckdb.DuckDBPyConnection, release_ids: list[int], out: TextIO) -> None:
    """Agency acronyms one document of a release explains, read as that agency in all of its documents
    (extractors/analysis/release_acronyms.py). A failure is reported and leaves the loaded documents as they are."""
    from extractors.analysis.release_acronyms import read_release_acronyms  # noqa: PLC0415 - keeps `foia` quick to start

    for release_id in release_ids:
        try:
            found = read_release_acronyms(store.release_documents(con, release_id))
            store.replace_body_mentions(con, found.removed, found.added, found.entities)
        except Exception as error:  # noqa: BLE001 - the documents are loaded; this pass only adds to them
            log.exception("release-wide acronym reading failed for release %s", release_id)
            out.write(f"Agency acronyms across the release: not read ({type(error).__name__}: {error}); "
                      "the documents are loaded as they were.\n")
            continue
        if found.added:
            counts = Counter(item.mention.text for _, item in found.added)
            listed = ", ".join(f"{acronym} {count}" for acronym, count in counts.most_common(MAX_LISTED))
            out.write(f"Agency acronyms read across the release: {len(found.added)} more mention(s) "
                      f"({listed}{', ...' if len(counts) > MAX_LISTED else ''}).\n")


def repair_headers_across_releases(con: duckdb.DuckDBPyConnection, release_ids: list[int], out: TextIO) -> None:
    """Each release's address book, and the OCR damage to addresses, names and subject codes it corrects
    (extractors/email/address_book.py). A failure is reported and leaves the loaded documents as they are."""
    from models.header_repair import repair_release_headers  # noqa: PLC0415 - keeps `foia` quick to start

    for release_id in release_ids:
        try:
            counts = repair_release_headers(con, release_id)
        except Exception as error:  # noqa: BLE001 - the documents are loaded; this pass only mends them
            log.exception("release-wide header repair failed for release %s", release_id)
            out.write(f"Address book: not built ({type(error).__name__}: {error}); the headers stay as read.\n")
            continue
        if counts.corrected_spellings:
            out.write(f"Address book: {counts.spellings} spelling(s) of addresses, names and codes; "
                      f"{counts.corrected_spellings} read as a frequent spelling OCR damaged, "
                      f"{counts.fields} header field(s) corrected (the readings are kept in *_raw).\n")


def link_emails_everywhere(con: duckdb.DuckDBPyConnection, out: TextIO) -> None:
    """Every message's email (its copies printed, native and quoted found to be one) and thread, across the whole
    database (extractors/email/identity.py). A failure is reported and leaves the documents as they are."""
    from models.email_links import link_emails  # noqa: PLC0415 - keeps `foia` quick to start

    try:
        counts = link_emails(con)
    except Exception as error:  # noqa: BLE001 - the documents are loaded; this pass only links them
        log.exception("linking the copies of each email failed")
        out.write(f"Emails: copies not linked ({type(error).__name__}: {error}); the messages are loaded.\n")
        return
    if counts.messages:
        out.write(f"Emails: {counts.messages} message(s) are {counts.emails} email(s) in {counts.threads} "
                  "thread(s) (copies printed, native and quoted linked; views emails, message_occurrences, "
                  "threads).\n")
