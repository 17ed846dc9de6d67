"""Running entity and event analysis for a document, in ingest and in reparse alike."""

from __future__ import annotations

import threading

from models.records import MessageRecord, Word
from models.settings import IngestSettings
from models.store import AnalysisRows

# One spaCy pipeline per process, shared by the document tasks' threads: its use is serialised (spaCy does
# not promise thread safety, and the work is CPU-bound under the GIL anyway).
_analysis_lock = threading.Lock()


def analyze_pages(settings: IngestSettings, pages: list[tuple[int, float, list[Word], str]],
                  messages: list[MessageRecord]) -> AnalysisRows:
    from extractors.analysis.document import analyze_document  # noqa: PLC0415 - spaCy loads only when analysis runs
    from extractors.email.calendar_print import calendar_lines
    from extractors.analysis.entities import AnalyzerSettings, get_analyzer

    calendar = calendar_lines(pages) if not messages else None
    with _analysis_lock:
        analyzer = get_analyzer(AnalyzerSettings(settings.spacy_model, tuple(settings.gazetteer_files)))
        result = analyze_document(messages, analyzer, calendar)
    return AnalysisRows(result.mentions, result.events, result.entities)
