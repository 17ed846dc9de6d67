"""One document computed, start to finish, with no database: text layers, the per-page OCR decision, OCR, messages
and passages, entities and events, redactions. compute_document returns plain, picklable records (a
ComputedDocument) that only the writer loads (flows/document_ingest.py), so the same call runs in this process's
threads beside the writer, or on a Dask worker (flows/cluster.py) whose results stream back to it.

Every failure becomes an IngestError naming the file and page; nothing here lets an exception escape.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace

from extractors.email.messages import DocumentText, PageReadings, read_document
from extractors.native.email_file import NATIVE_EXTENSIONS, read_native_file
from extractors.native.messages import native_document
from extractors.pages.decision import decide_page_method, decide_second_reading
from extractors.pages.furniture import find_bates
from extractors.pages.ocr import check_renderable
from extractors.pages.page_text import blank_layer, build_page_record
from extractors.pages.pdf_text import PdfReadError, UnloadablePage, embedded_files, read_text_layers
from extractors.pages.second_reading import read_page_by_ocr
from extractors.redactions.codes import releasing_agency
from extractors.redactions.document_redactions import SCANNED, read_document_redactions
from extractors.redactions.links import link_redactions, words_by_layer
from flows.analysis_step import analyze_text
from flows.page_pool import (ANALYSIS_ATTEMPTS, MAX_ATTEMPTS, DocumentTimedOut, MemoryLimitExceeded,
                             WorkerCrashed)
from models.records import (DocumentRecord, IngestError, OcrPage, PageDecision, PageRecord, RedactionRecord,
                            ReleaseStatusRecord, SourceFile, TextLayerPage)
from models.settings import IngestSettings
from models.store import AnalysisRows, DocumentRows, message_id_for

log = logging.getLogger("foia.ingest")

TEXT_LAYER_CHUNK = 32  # pages per worker call: big documents spread over both cores, results stay small


class NoProgress:
    """Progress where nobody watches (a Dask worker): the writer counts the pages when the document comes back."""

    def page_done(self, ocr: bool) -> None:
        pass


@dataclass
class Workbench:
    """What computing a document needs: a pool of worker processes (flows/page_pool.py: run_all, call), the
    run's settings, and where finished pages are counted."""

    pool: object
    settings: IngestSettings
    progress: object = field(default_factory=NoProgress)


@dataclass
class ComputedDocument:
    """A document's rows as the writer loads them, or why it is not loaded (failure); `attached` are the files it
    carries (name, bytes, the message they hang from), ingested as documents of their own after it."""

    source: SourceFile
    rows: DocumentRows
    attached: list[tuple[str, bytes, str | None]] = field(default_factory=list)
    failure: IngestError | None = None
    seconds: float = 0.0  # how long computing it took, wherever it ran

    @classmethod
    def not_loaded(cls, source: SourceFile, record: DocumentRecord, stage: str, reason: str) -> ComputedDocument:
        return cls(source, DocumentRows(record, [], []), failure=IngestError(
            source.display_path, stage, f"the document was not loaded: {reason}", None, source.sha256))


def describe_failure(error: BaseException) -> str:
    if isinstance(error, PdfReadError):
        return error.reason
    message = str(error) or type(error).__name__
    plain = ("OcrError", "WorkerCrashed", "CallTimedOut", "MemoryLimitExceeded", "DocumentTimedOut")
    return message if type(error).__name__ in plain else f"{type(error).__name__}: {message}"


def _within(deadline: float) -> None:
    if time.time() >= deadline:
        raise DocumentTimedOut("ran past its time limit")


def _read_layers(bench: Workbench, source: SourceFile, page_count: int, errors: list[IngestError],
                 deadline: float) -> tuple[list[TextLayerPage], dict[int, str]]:
    """Each page's text layer (a blank one where it could not be read), and the pages PDFium could not even
    load or whose reading took its worker down (the memory limit, a crash), with why: rendering them for OCR or
    for redaction boxes would fail the same way, so they are not tried (one error for the page, not three)."""
    numbers = list(range(1, page_count + 1))
    unloadable: dict[int, str] = {}
    chunks = [numbers[i:i + TEXT_LAYER_CHUNK] for i in range(0, page_count, TEXT_LAYER_CHUNK)]
    by_page: dict[int, TextLayerPage] = {}
    for index, outcome in bench.pool.run_all(read_text_layers, [(source.path, chunk) for chunk in chunks],
                                             deadline=deadline):
        if isinstance(outcome, DocumentTimedOut):
            raise outcome
        results = outcome if isinstance(outcome, list) else [outcome] * len(chunks[index])
        for page_number, result in zip(chunks[index], results):
            if isinstance(result, TextLayerPage):
                by_page[page_number] = result
            else:
                reason = describe_failure(result)
                errors.append(IngestError(source.display_path, "text_layer", reason, page_number, source.sha256))
                by_page[page_number] = blank_layer(page_number)
                if isinstance(result, UnloadablePage):
                    unloadable[page_number] = "the page could not be loaded: not read"
                elif isinstance(result, (MemoryLimitExceeded, WorkerCrashed)):  # so would its rendering
                    unloadable[page_number] = "reading the page's text stopped its worker: not read further"
    return [by_page[n] for n in numbers], unloadable


def _ocr_pages(bench: Workbench, source: SourceFile, wanted: list[TextLayerPage], second: set[int],
               errors: list[IngestError], deadline: float) -> tuple[dict[int, OcrPage], dict[int, str]]:
    results: dict[int, OcrPage] = {}
    failures: dict[int, str] = {}
    renderable = []
    for layer in wanted:
        refusal = check_renderable(layer.width_pt, layer.height_pt, bench.settings) if layer.width_pt else None
        if refusal:
            failures[layer.page_number] = refusal
            errors.append(IngestError(source.display_path, "render", refusal, layer.page_number, source.sha256))
            bench.progress.page_done(ocr=False)
        else:
            renderable.append(layer.page_number)
    scans = {layer.page_number for layer in wanted if layer.image_coverage >= SCANNED}
    calls = [(source.path, number, bench.settings, number in second, number in scans) for number in renderable]
    timed_out = None
    for index, outcome in bench.pool.run_all(read_page_by_ocr, calls, timeout=bench.settings.page_timeout_seconds,
                                             deadline=deadline):
        page_number = renderable[index]
        if isinstance(outcome, DocumentTimedOut):
            timed_out = outcome  # the other pages' calls are ended too; the document is one error, not a page's
        elif isinstance(outcome, OcrPage):
            results[page_number] = outcome
        else:
            reason = describe_failure(outcome)
            failures[page_number] = reason
            errors.append(IngestError(source.display_path, "ocr", reason, page_number, source.sha256))
            log.warning("OCR failed on %s page %s: %s", source.display_path, page_number, reason)
        bench.progress.page_done(ocr=True)
    if timed_out is not None:
        raise timed_out
    return results, failures


def _readings(pages: list[PageRecord]) -> list[PageReadings]:
    """The pages as the message parser and the redaction links read them."""
    return [PageReadings(page.page_number, page.height_pt, page.words, page.layer,
                         page.second_reading.words if page.second_reading is not None else None)
            for page in pages]


def _document_text(source: SourceFile, readings: list[PageReadings], errors: list[IngestError]) -> DocumentText:
    """The document's messages and passages; a parser failure costs them, never the pages."""
    try:
        return read_document(readings)
    except Exception as error:  # noqa: BLE001 - recorded on the document
        log.exception("message splitting failed on %s", source.display_path)
        errors.append(IngestError(source.display_path, "messages",
                                  f"messages and passages were not split: {describe_failure(error)}", None,
                                  source.sha256))
        return DocumentText([], [])


def _in_worker(bench: Workbench, source: SourceFile, errors: list[IngestError], stage: str, why, fallback, fn,
               *args, attempts: int = MAX_ATTEMPTS, deadline: float):
    """fn(*args) in a worker process; a failure is recorded on the document (why(reason) says what it cost) and
    gives the fallback, so a later stage's failure never costs the pages or messages."""
    try:
        return bench.pool.call(fn, *args, attempts=attempts, deadline=deadline)
    except DocumentTimedOut:
        raise
    except Exception as error:  # noqa: BLE001 - recorded on the document
        log.exception("%s failed on %s", stage, source.display_path)
        errors.append(IngestError(source.display_path, stage, why(describe_failure(error)), None, source.sha256))
        return fallback


def _analysis(bench: Workbench, source: SourceFile, text: DocumentText, errors: list[IngestError],
              deadline: float) -> AnalysisRows | None:
    """Entities and events, in a worker process (the NER is CPU-bound: documents are analysed on every core)."""
    return _in_worker(bench, source, errors, "analysis", lambda reason: f"entities and events were not extracted: "
                      f"{reason}", None, analyze_text, bench.settings, text.messages, text.passages,
                      attempts=ANALYSIS_ATTEMPTS, deadline=deadline)


def _redactions(bench: Workbench, source: SourceFile, pages: list[PageRecord], ocr_results: dict[int, OcrPage],
                errors: list[IngestError], deadline: float) -> tuple[list[RedactionRecord], ReleaseStatusRecord | None]:
    """Boxes, codes and the release stamp, in a worker. A scan's boxes come with its OCR where it was OCR'd."""
    readings = [(page.page_number, page.words, page.method == "text_layer", page.image_coverage >= SCANNED)
                for page in pages]
    found = {number: result.boxes for number, result in ocr_results.items() if result.boxes is not None}
    return _in_worker(bench, source, errors, "redactions", lambda reason: "redactions were not read: the file's "
                      f"drawing could not be parsed ({reason}); its pages and messages are loaded", ([], None),
                      read_document_redactions, source.path, readings, bench.settings.keep_uncovered, found,
                      deadline=deadline)


def _compute_native(bench: Workbench, source: SourceFile, record: DocumentRecord, deadline: float
                    ) -> ComputedDocument:
    """A native email file: its messages read from the file (no pages, no OCR, no redaction boxes), then the
    same analysis as a printout's."""
    errors: list[IngestError] = []
    emails = read_native_file(source.path)
    for number, email in enumerate(emails, 1):
        for defect in email.defects:
            where = f"message {number}: " if len(emails) > 1 else ""
            errors.append(IngestError(source.display_path, "native", f"{where}{defect}", None, source.sha256))
    messages = native_document(emails)
    analysis = _analysis(bench, source, DocumentText(messages, []), errors, deadline)
    _within(deadline)
    tops = [message.ordinal for message in messages if message.depth == 0]
    attached = [(attachment.file_name, attachment.data, message_id_for(record.document_id, top))
                for top, email in zip(tops, emails) for attachment in email.attachments]
    return ComputedDocument(source, DocumentRows(record, [], errors, messages, analysis), attached)


def _embedded(source: SourceFile) -> list[tuple[str, bytes, str | None]]:
    try:
        return [(name, data, None) for name, data in embedded_files(source.path)]
    except Exception:  # noqa: BLE001 - the document is loaded; its embedded files are a bonus
        log.exception("embedded files of %s could not be read", source.display_path)
        return []


def _compute_pdf(bench: Workbench, source: SourceFile, record: DocumentRecord, deadline: float
                 ) -> ComputedDocument:
    errors: list[IngestError] = []
    layers, unloadable = _read_layers(bench, source, record.page_count, errors, deadline)
    decisions: list[PageDecision] = [decide_page_method(layer, bench.settings.force_ocr) for layer in layers]
    second_reasons = {layer.page_number: reason for layer, decision in zip(layers, decisions)
                      if (reason := decide_second_reading(layer, decision, bench.settings.reocr_hidden_layer))}
    wanted = [layer for layer, decision in zip(layers, decisions) if layer.page_number not in unloadable
              and (decision.method == "ocr" or layer.page_number in second_reasons)]
    for _ in range(len(layers) - len(wanted)):
        bench.progress.page_done(ocr=False)
    ocr_results, ocr_failures = _ocr_pages(bench, source, wanted, set(second_reasons), errors, deadline)
    pages: list[PageRecord] = []
    for layer, decision in zip(layers, decisions):
        number = layer.page_number
        if number in second_reasons:
            page = build_page_record(layer, decision)
            page.second_reading = ocr_results.get(number)
            page.second_reading_reason = second_reasons[number] if page.second_reading is not None else None
        elif number in unloadable:
            page = replace(build_page_record(layer, decision), method="none", decision_reason=unloadable[number])
        else:
            page = build_page_record(layer, decision, ocr_results.get(number), ocr_failures.get(number))
        pages.append(page)
    for page in pages:
        page.bates = find_bates(page.words, page.height_pt)
    record.agency = releasing_agency(page.text for page in pages)
    readings = _readings(pages)
    text = _document_text(source, readings, errors)
    _within(deadline)
    analysis = _analysis(bench, source, text, errors, deadline)
    redactions, release_status = _redactions(bench, source, [page for page in pages
                                                             if page.page_number not in unloadable],
                                             ocr_results, errors, deadline)
    link_redactions(redactions, words_by_layer(readings), text.messages, text.passages)
    _within(deadline)
    return ComputedDocument(source, DocumentRows(record, pages, errors, text.messages, analysis, text.passages,
                                                 redactions, release_status), _embedded(source))


def compute_document(bench: Workbench, source: SourceFile, record: DocumentRecord) -> ComputedDocument:
    """The document's rows, or, when it cannot be loaded (it ran past its time limit, or failed outright), one
    error saying why (`failure`): never an exception."""
    started = time.time()
    deadline = started + bench.settings.document_timeout_seconds
    try:
        compute = _compute_native if record.kind in NATIVE_EXTENSIONS.values() else _compute_pdf
        computed = compute(bench, source, record, deadline)
        computed.seconds = time.time() - started
        return computed
    except Exception as error:  # noqa: BLE001 - recorded on the document, never swallowed
        if isinstance(error, DocumentTimedOut):
            limit = bench.settings.document_timeout_seconds
            log.warning("document %s ran past its time limit of %g s", source.display_path, limit)
            stage, reason = "limit", (f"it ran past the document time limit of {limit:g} s (--document-timeout) "
                                      "and was stopped")
        else:
            log.exception("document %s failed", source.display_path)
            stage, reason = "load", describe_failure(error)
        return ComputedDocument.not_loaded(source, record, stage, reason)
