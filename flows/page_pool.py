"""A process pool for PDFium, Tesseract and spaCy work that survives a worker crashing.

PDFium is not thread-safe, and Tesseract and the NER are CPU-bound, so page work and each document's entity
and event analysis run in processes, one per core (each worker loads the spaCy model once, when it first
analyses a document).
A worker killed mid-page (a segfault in a native library, the out-of-memory killer) breaks a
ProcessPoolExecutor for good; this pool replaces it and retries the calls that were in flight once,
so one bad page costs one page, not the batch.

A call may also be given a wall-clock timeout. A hang inside Tesseract or PDFium never returns to Python, so no
signal handler or exception can stop it there: a watchdog thread in the worker ends the whole process once the
time is up, after leaving a mark under the pool's folder, and the parent, finding the pool broken and the mark
there, records that call as timed out (not retried) and retries the calls it took down with it.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool


MAX_ATTEMPTS = 3
# A document's analysis runs while other documents' pages are OCR'd in the same pool; a page that kills its
# worker on each of its MAX_ATTEMPTS breaks every call in flight, so the analysis gets more tries than that.
ANALYSIS_ATTEMPTS = 2 * MAX_ATTEMPTS + 1


class WorkerCrashed(RuntimeError):
    """A page made its worker process die on every attempt."""


class CallTimedOut(RuntimeError):
    """A call ran past its wall-clock timeout; its worker was ended."""


TIMED_OUT_EXIT = 70


def _guarded(marks: str, token: str, timeout: float, fn, *args):
    """fn(*args) in the worker, ended with its process if it runs past `timeout` seconds."""
    finished = threading.Event()

    def watchdog() -> None:
        if not finished.wait(timeout):
            with open(os.path.join(marks, token), "w"):
                pass
            os._exit(TIMED_OUT_EXIT)  # from this thread: the main one may be stuck in native code

    threading.Thread(target=watchdog, daemon=True).start()
    try:
        return fn(*args)
    finally:
        finished.set()


# Imported once in the fork server, so every worker (and every replacement) starts with them loaded.
WORKER_PRELOAD = ["extractors.pages.ocr", "extractors.pages.pdf_text", "extractors.pages.second_reading",
                  "flows.analysis_step"]


def _init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # before Tesseract loads in this process


def _ready() -> int:
    return os.getpid()


class PagePool:
    def __init__(self, workers: int):
        self.workers = workers
        self._lock = threading.Lock()
        self._generation = 0
        self._marks = tempfile.mkdtemp(prefix="foia-pool-")  # where a timed-out call leaves its mark
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        os.environ["OMP_THREAD_LIMIT"] = "1"
        # forkserver, not fork: the parent runs threads (Prefect's), and forking a threaded process can deadlock.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(WORKER_PRELOAD)
        executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=_init_worker)
        for _ in range(self.workers):
            executor.submit(_ready)  # start the workers now, while the caller does other things
        return executor

    def _submit(self, fn, *args) -> tuple[Future, int]:
        with self._lock:
            try:
                return self._executor.submit(fn, *args), self._generation
            except BrokenProcessPool:
                self._replace(self._generation)
                return self._executor.submit(fn, *args), self._generation

    def _replace(self, broken_generation: int) -> None:
        """Swap in a fresh executor, unless another thread already did (caller holds the lock)."""
        if broken_generation != self._generation:
            return
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._new_executor()
        self._generation += 1

    def run_all(self, fn, arg_tuples: list[tuple], attempts: int = MAX_ATTEMPTS,
                timeout: float | None = None) -> Iterator[tuple[int, object]]:
        """Run fn(*args) for each tuple in workers; yield (index, result or exception) as each finishes.

        Calls in flight when a worker dies are retried (each at most `attempts` times in all), so a
        page that kills its worker every time ends as WorkerCrashed and the others complete. A call still
        running after `timeout` seconds ends as CallTimedOut, not retried.
        """
        pending: dict[Future, tuple[int, int, int, str]] = {}

        def submit(index: int, attempt: int) -> None:
            token = uuid.uuid4().hex
            args = arg_tuples[index]
            call = (_guarded, self._marks, token, timeout, fn, *args) if timeout else (fn, *args)
            future, generation = self._submit(*call)
            pending[future] = (index, attempt, generation, token)

        for index in range(len(arg_tuples)):
            submit(index, 1)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index, attempt, generation, token = pending.pop(future)
                try:
                    yield index, future.result()
                except BrokenProcessPool:
                    with self._lock:
                        self._replace(generation)
                    mark = os.path.join(self._marks, token)
                    if timeout and os.path.exists(mark):
                        os.remove(mark)
                        yield index, CallTimedOut(f"still running after its timeout of {timeout:g} s; stopped")
                    elif attempt >= attempts:
                        yield index, WorkerCrashed(
                            f"the worker process died while handling this page ({attempt} attempts)")
                    else:
                        submit(index, attempt + 1)
                except Exception as error:  # noqa: BLE001 - the caller turns it into a recorded error
                    yield index, error

    def call(self, fn, *args, attempts: int = MAX_ATTEMPTS):
        """fn(*args) in a worker: its result, or the exception it raised."""
        for _, outcome in self.run_all(fn, [args], attempts):
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome

    def shutdown(self) -> None:
        with self._lock:
            self._executor.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._marks, ignore_errors=True)
