"""Attachments and embedded files as documents of their own (orchestration only).

A native email's attachments and the files a PDF embeds (a portfolio's documents, file attachments) that are
themselves PDFs, emails, Office documents or images are written to the run's work folder, identified by their
SHA-256 like any file, and ingested as child documents pointing at their parent (`documents.parent_document_id`,
`parent_message_id`), recursively up to MAX_DEPTH; Office documents and images are printed to PDF first
(extractors/native/to_pdf.py). A child already in the database is not loaded twice. Other attachments stay listed
in `attachments` with their type and size, and an ingest error says each was not opened.
"""

from __future__ import annotations

import hashlib
import os
import re

from extractors.native.email_file import native_kind
from extractors.native.outlook_msg import is_outlook_message
from extractors.native.to_pdf import convertible_kind
from extractors.pages.pdf_text import PDF_MAGIC, PdfReadError
from flows.plan import describe_document
from models import store
from models.records import DocumentRecord, IngestError, SourceFile

MAX_DEPTH = 3  # an attachment of an attachment of an attachment; deeper nesting is recorded, not opened


def _extension(name: str, data: bytes) -> str | None:
    """The extension the attachment is written under so that describe_document reads it as what it is (a PDF,
    an email, an Office document, an image), whatever it was named; None for a file of no kind it reads."""
    if PDF_MAGIC in data[:1024]:
        return ".pdf"
    if native_kind(name):
        return os.path.splitext(name)[1].lower()
    if is_outlook_message(data):  # an Outlook item attached as "attachment 1"
        return ".msg"
    converted = convertible_kind(name, data)
    return converted[1] if converted else None


def child_sources(work_dir: str, parent: SourceFile, files: list[tuple[str, bytes, str | None]]
                  ) -> tuple[list[tuple[SourceFile, str | None]], list[IngestError]]:
    """(source, parent message id) of each file that is a PDF, an email, an Office document or an image, written
    under work_dir with the extension describe_document reads it by (_extension); and an error for each file of
    no such kind, which stays listed in `attachments` only."""
    found, skipped = [], []
    folder = os.path.join(work_dir, "attached", parent.sha256[:16])
    for number, (name, data, message_id) in enumerate(files, 1):
        extension = _extension(name, data) if data else None
        if extension is None:
            skipped.append(IngestError(f"{parent.display_path}!{name}", "attachments",
                                       f"not opened: {len(data)} bytes that are no PDF, email, Office document or "
                                       "image", None, parent.sha256))
            continue
        safe = re.sub(r"[^\w.\- ]", "_", os.path.basename(name.replace("\\", "/"))) or f"file {number}"
        path = os.path.join(folder, f"{number}-{safe}")
        if os.path.splitext(path)[1].lower() != extension:  # "attachment 1", a PDF named like an email, ...
            path += extension
        os.makedirs(folder, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
        digest = hashlib.sha256(data).hexdigest()
        found.append((SourceFile(path, f"{parent.display_path}!{name}", digest, len(data), parent.modified_at),
                      message_id))
    return found, skipped


def ingest_children(ctx, parent: SourceFile, record: DocumentRecord, files: list[tuple[str, bytes, str | None]],
                    depth: int, process) -> list[IngestError]:
    """Ingest the parent's PDF and email attachments as documents of their own (`process(ctx, document_id,
    depth)` runs each); returns the errors that belong to the parent (a child that cannot be opened or is of
    no kind read)."""
    if not files or ctx.work_dir is None:
        return []
    children, errors = child_sources(ctx.work_dir, parent, files)
    if children and depth >= MAX_DEPTH:
        return errors + [IngestError(parent.display_path, "attachments", f"{len(children)} attached document(s) nested "
                            f"deeper than {MAX_DEPTH} levels were not opened", None, parent.sha256)]
    with ctx.db_lock:
        loaded = store.loaded_document_ids(ctx.con, [source.sha256 for source, _ in children])
    for source, message_id in children:
        if source.sha256 in loaded or source.sha256 in ctx.documents:
            continue
        try:
            source, child = describe_document(source, ctx.work_dir)
        except PdfReadError as error:
            errors.append(IngestError(source.display_path, "open", error.reason, None, source.sha256))
            continue
        child.parent_document_id, child.parent_message_id = record.document_id, message_id
        ctx.documents[source.sha256] = (source, child)
        process(ctx, source.sha256, depth + 1)
    return errors
