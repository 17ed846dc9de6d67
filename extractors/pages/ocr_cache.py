"""OCR results kept by page image, so a page seen before is not OCR'd again.

A release re-sends documents already produced, often with a page or two changed (a redaction added or lifted).
The file is new, so it is read again, but most of its page images are the same pixels: the engine's reading of an
image is kept under the SHA-256 of the exact image it read (after cleaning) together with what else decides that
reading (engine, language, resolution, Tesseract's version, this module's format), and found again by it. A
changed page is a changed image, so it is read again; nothing else is. Entries are small gzip'd JSON files, written
whole or not at all, so workers share the folder without locks; a damaged entry is read as a miss.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from functools import lru_cache

from PIL import Image

from models.records import Word
from models.settings import IngestSettings

FORMAT = 1  # bump when what an entry holds, or how the engine's words are re-read after it, changes


@lru_cache(maxsize=1)
def _engine_version(engine: str) -> str:
    if engine != "tesseract":
        return engine
    import tesserocr  # noqa: PLC0415

    return tesserocr.tesseract_version().splitlines()[0]


def image_key(image: Image.Image, settings: IngestSettings) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([FORMAT, image.mode, image.size, settings.ocr_engine, _engine_version(settings.ocr_engine),
                              settings.ocr_language, settings.ocr_dpi]).encode())
    digest.update(image.tobytes())
    return digest.hexdigest()


def _entry_path(folder: str, key: str) -> str:
    return os.path.join(folder, key[:2], f"{key}.json.gz")


def cached_reading(folder: str, key: str) -> tuple[list[Word], float | None] | None:
    try:
        with gzip.open(_entry_path(folder, key), "rt", encoding="utf-8") as file:
            entry = json.load(file)
        return [Word(*fields) for fields in entry["words"]], entry["mean_confidence"]
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None


def keep_reading(folder: str, key: str, words: list[Word], mean_confidence: float | None) -> None:
    """Kept for next time; a folder that cannot be written (full, read-only) costs the cache, never the reading."""
    path = _entry_path(folder, key)
    entry = {"words": [[w.text, w.x0, w.y0, w.x1, w.y1, w.line, w.confidence] for w in words],
             "mean_confidence": mean_confidence}
    partial = None
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".partial")
        with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3) as file:
            file.write(json.dumps(entry, separators=(",", ":")).encode("utf-8"))
        os.chmod(partial, 0o644)  # as a file written plainly would be: mkstemp's is the owner's alone
        os.replace(partial, path)
    except OSError:
        if partial and os.path.exists(partial):
            os.remove(partial)
