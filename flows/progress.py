"""Progress on the terminal: documents and pages done, pages per second, time left."""

from __future__ import annotations

import threading
import time
from typing import TextIO


def format_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Progress:
    """Thread-safe counters, printed by a ticker thread: in place on a terminal, as log lines elsewhere."""

    def __init__(self, documents: int, pages: int, stream: TextIO, interactive: bool | None = None,
                 interval: float | None = None):
        self.total_documents = documents
        self.total_pages = pages
        self.documents = 0
        self.pages = 0
        self.pages_ocr = 0
        self._stream = stream
        self._interactive = stream.isatty() if interactive is None else interactive
        self._interval = interval if interval is not None else (0.5 if self._interactive else 15.0)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._started = time.monotonic()
        self._thread: threading.Thread | None = None

    def page_done(self, ocr: bool) -> None:
        with self._lock:
            self.pages += 1
            if ocr:
                self.pages_ocr += 1

    def document_done(self) -> None:
        with self._lock:
            self.documents += 1

    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def line(self) -> str:
        with self._lock:
            documents, pages, pages_ocr = self.documents, self.pages, self.pages_ocr
        elapsed = self.elapsed()
        rate = pages / elapsed if elapsed > 0 else 0.0
        left = self.total_pages - pages
        eta = format_duration(left / rate) if rate > 0 and pages else "?"
        return (f"documents {documents}/{self.total_documents}  pages {pages}/{self.total_pages} "
                f"({pages_ocr} OCR)  {rate:.1f} pages/s  {format_duration(elapsed)} elapsed, {eta} left")

    def _tick(self) -> None:
        while not self._stop.wait(self._interval):
            self._write()

    def _write(self, final: bool = False) -> None:
        text = self.line()
        if self._interactive:
            self._stream.write("\r\033[K" + text + ("\n" if final else ""))
        else:
            self._stream.write(text + "\n")
        self._stream.flush()

    def start(self) -> None:
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._tick, name="progress", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self._write(final=True)
