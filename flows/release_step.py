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
