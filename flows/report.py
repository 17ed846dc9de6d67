"""What the user reads on the terminal: the plan before a run, the summary after it, a database summary."""

from __future__ import annotations

from typing import TextIO

import duckdb

from flows.plan import IngestPlan

MAX_ERRORS_SHOWN = 25


def print_plan(plan: IngestPlan, release_name: str, out: TextIO) -> None:
    found = len(plan.discovery.sources)
    parts = [f"{found} file(s) found for release '{release_name}'"]
    if plan.already_loaded:
        parts.append(f"{len(plan.already_loaded)} already loaded")
    if plan.discovery.duplicates:
        parts.append(f"{len(plan.discovery.duplicates)} duplicate copies skipped")
    if plan.previously_failed:
        parts.append(f"{len(plan.previously_failed)} failed before (use --retry-failed to try again)")
    parts.append(f"{len(plan.to_load)} to ingest ({plan.total_pages} pages)")
    out.write(", ".join(parts) + ".\n")
    for source, reason in plan.previously_failed[:MAX_ERRORS_SHOWN]:
        out.write(f"  skipped, failed before: {source.display_path}: {reason}\n")
    out.flush()


def print_run_summary(con: duckdb.DuckDBPyConnection, run_id: int, db_path: str, log_file: str,
                      out: TextIO) -> int:
    """Print what one run loaded and every error it recorded; return the number of errors."""
    run = con.execute(
        """SELECT r.name, documents_loaded, pages_loaded, pages_ocr, errors,
                  epoch(finished_at - started_at) FROM ingest_runs JOIN releases r USING (release_id)
           WHERE run_id = ?""", [run_id]).fetchone()
    release, documents, pages, pages_ocr, errors, seconds = run
    methods = dict(con.execute(
        """SELECT method, count(*) FROM pages JOIN documents USING (document_id) WHERE run_id = ?
           GROUP BY method""", [run_id]).fetchall())
    words = con.execute("""SELECT coalesce(sum(word_count), 0) FROM pages JOIN documents USING (document_id)
                           WHERE run_id = ?""", [run_id]).fetchone()[0]
    messages, dated, second = con.execute(
        """SELECT count(m.message_id), count(m.sent_at),
                  (SELECT count(*) FROM pages p JOIN documents d USING (document_id)
                   WHERE d.run_id = ? AND p.second_reading IS NOT NULL)
           FROM messages m JOIN documents d USING (document_id) WHERE d.run_id = ?""", [run_id, run_id]).fetchone()
    rate = pages / seconds if seconds else 0.0
    out.write(f"\nIngest run {run_id} into {db_path} (release '{release}'): {documents} document(s), {pages} page(s) "
              f"loaded in {seconds:.1f}s ({rate:.1f} pages/s).\n")
    out.write(f"  pages by method: text layer {methods.get('text_layer', 0)}, OCR {methods.get('ocr', 0)}, "
              f"no text {methods.get('none', 0)}; {words:,} words with boxes.\n")
    if second:
        out.write(f"  {second} scanned page(s) with an agency OCR layer also read by our OCR.\n")
    out.write(f"  {messages} email message(s) split out, {dated} with a sent date.\n")
    passages, lists = con.execute(
        """SELECT count(*), count(*) FILTER (WHERE p.kind = 'list') FROM passages p
           JOIN documents d USING (document_id) WHERE d.run_id = ?""", [run_id]).fetchone()
    out.write(f"  {passages} passage(s) of other text read ({lists} of them lists).\n")
    events, entities = con.execute(
        """SELECT (SELECT count(*) FROM events e JOIN documents d USING (document_id) WHERE d.run_id = ?),
                  (SELECT count(DISTINCT entity_id) FROM mentions m JOIN documents d USING (document_id)
                   WHERE d.run_id = ?)""", [run_id, run_id]).fetchone()
    out.write(f"  {entities} entities named, {events} event(s) found.\n")
    boxes, failed, marks, stamps = con.execute(
        """SELECT count(*) FILTER (WHERE r.kind = 'box'), count(*) FILTER (WHERE uncovered_chars > 0),
                  count(*) FILTER (WHERE r.kind = 'code_only'),
                  (SELECT count(*) FROM document_release_status s JOIN documents d USING (document_id)
                   WHERE d.run_id = ?)
           FROM redactions r JOIN documents d USING (document_id) WHERE d.run_id = ?""", [run_id, run_id]).fetchone()
    out.write(f"  {boxes} redaction box(es), {failed} of them over text still in the file; {marks} exemption code(s) "
              f"with no box found; {stamps} release stamp(s) read.\n")
    if errors:
        out.write(f"  {errors} error(s):\n")
        rows = con.execute(
            """SELECT source_path, page_number, stage, reason FROM ingest_errors WHERE run_id = ?
               ORDER BY error_id LIMIT ?""", [run_id, MAX_ERRORS_SHOWN]).fetchall()
        for path, page, stage, reason in rows:
            where = f"{path}, page {page}" if page else path
            out.write(f"    {where} [{stage}]: {reason}\n")
        if errors > MAX_ERRORS_SHOWN:
            out.write(f"    ... and {errors - MAX_ERRORS_SHOWN} more (SELECT * FROM ingest_errors WHERE run_id = "
                      f"{run_id})\n")
        out.write(f"  Details: {log_file}\n")
    out.flush()
    return errors


def print_database_summary(con: duckdb.DuckDBPyConnection, out: TextIO) -> None:
    """What the database holds: per release, then each document with how its pages were read."""
    releases = con.execute(
        """SELECT r.name, count(d.document_id), coalesce(sum(d.page_count), 0), coalesce(sum(d.pages_ocr), 0)
           FROM releases r LEFT JOIN documents d USING (release_id) GROUP BY r.name ORDER BY r.name""").fetchall()
    if not releases:
        out.write("The database is empty.\n")
        return
    for name, documents, pages, pages_ocr in releases:
        out.write(f"Release '{name}': {documents} document(s), {pages} page(s), {pages_ocr} read by OCR.\n")
        rows = con.execute(
            """SELECT d.file_name, d.page_count, d.pages_ocr, sum(p.char_count), sum(p.word_count),
                      round(avg(p.ocr_confidence), 1),
                      (SELECT count(*) FROM messages m WHERE m.document_id = d.document_id),
                      (SELECT count(*) FROM passages x WHERE x.document_id = d.document_id)
               FROM documents d JOIN releases r USING (release_id) JOIN pages p USING (document_id)
               WHERE r.name = ? GROUP BY ALL ORDER BY d.file_name""", [name]).fetchall()
        width = max(len(row[0]) for row in rows) if rows else 10
        out.write(f"  {'file':<{width}}  pages  ocr  characters   words  ocr conf  messages  passages\n")
        for file_name, page_count, ocr, chars, words, confidence, messages, passages in rows:
            conf = f"{confidence:.1f}" if confidence is not None else "-"
            out.write(f"  {file_name:<{width}}  {page_count:>5}  {ocr:>3}  {chars:>10,}  {words:>6,}  {conf:>8}"
                      f"  {messages:>8}  {passages:>8}\n")
        _print_messages(con, name, out)
        _print_vendor_agency_events(con, name, out)
    errors = con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0]
    if errors:
        out.write(f"{errors} ingest error(s) recorded in all runs: SELECT * FROM ingest_errors.\n")
    out.flush()


def _print_messages(con: duckdb.DuckDBPyConnection, release: str, out: TextIO, limit: int = 40) -> None:
    """The release's messages in sent order: when, who, to whom, about what."""
    rows = con.execute(
        """SELECT m.sent_at, coalesce(m.sender_name, m.sender_email, m.sender_raw, '?'),
                  (SELECT count(*) FROM recipients r WHERE r.message_id = m.message_id),
                  coalesce(m.subject, ''), d.file_name, m.page_start
           FROM messages m JOIN documents d USING (document_id) JOIN releases USING (release_id)
           WHERE releases.name = ? ORDER BY m.sent_at NULLS LAST, d.file_name, m.ordinal LIMIT ?""",
        [release, limit]).fetchall()
    if not rows:
        return
    out.write("  messages (sent, from, recipients, subject, where):\n")
    for sent, sender, recipients, subject, file_name, page in rows:
        when = sent.strftime("%Y-%m-%d %H:%M") if sent else "no date        "
        out.write(f"    {when}  {sender[:32]:<32}  {recipients:>2} to  {subject[:48]:<48}  {file_name} p.{page}\n")


def _print_vendor_agency_events(con: duckdb.DuckDBPyConnection, release: str, out: TextIO, limit: int = 25) -> None:
    """Who met, demoed, trained, piloted or sold what to whom: the view analysts start from."""
    rows = con.execute(
        """SELECT v.date_start, v.event_type, v.status, v.vendor, v.agency, v.file_name, v.page_number, v.bates
           FROM vendor_agency_events v JOIN documents d USING (file_name) JOIN releases r USING (release_id)
           WHERE r.name = ? ORDER BY v.date_start NULLS LAST, v.file_name LIMIT ?""", [release, limit]).fetchall()
    if not rows:
        return
    out.write("  vendor and agency events (date, type, status, vendor -> agency, evidence):\n")
    for date, kind, status, vendor, agency, file_name, page, bates in rows:
        when = date.strftime("%Y-%m-%d") if date else "no date   "
        out.write(f"    {when}  {kind:<10} {(status or '-'):<9} {vendor[:28]} -> {agency[:32]}  "
                  f"{file_name} p.{page}{f' ({bates})' if bates else ''}\n")
