"""Running entity and event analysis for a document, in ingest and in reparse alike."""

from __future__ import annotations

import threading

from models.records import MessageRecord, PassageRecord
from models.settings import IngestSettings
from models.store import AnalysisRows

# One spaCy pipeline per process, shared by the document tasks' threads: its use is serialised (spaCy does
# not promise thread safety, and the work is CPU-bound under the GIL anyway).
_analysis_lock = threading.Lock()


def analyze_text(settings: IngestSettings, messages: list[MessageRecord],
                 passages: list[PassageRecord]) -> AnalysisRows:
    """A document's entities, mentions and events, from its messages and its passages."""
    from extractors.analysis.document import analyze_document  # noqa: PLC0415 - spaCy loads only when analysis runs
    from extractors.analysis.entities import AnalyzerSettings, get_analyzer

    with _analysis_lock:
        analyzer = get_analyzer(AnalyzerSettings(settings.spacy_model, tuple(settings.gazetteer_files)))
        result = analyze_document(messages, analyzer, passages)
    return AnalysisRows(result.mentions, result.events, result.entities)


def load_analyzer(settings: IngestSettings) -> None:
    """Load this process's spaCy pipeline and gazetteers now (about 1.4 s), so that its first document does not
    wait for them."""
    from extractors.analysis.entities import AnalyzerSettings, get_analyzer  # noqa: PLC0415

    with _analysis_lock:
        get_analyzer(AnalyzerSettings(settings.spacy_model, tuple(settings.gazetteer_files)))
