"""A process pool for PDFium, Tesseract and spaCy work that survives a worker crashing.

PDFium is not thread-safe, and Tesseract and the NER are CPU-bound, so page work and each document's entity
and event analysis run in processes, one per core (each worker loads the spaCy model once, when it first
analyses a document).
A worker killed mid-page (a segfault in a native library, the out-of-memory killer) breaks a
ProcessPoolExecutor for good; this pool replaces it and retries the calls that were in flight once,
so one bad page costs one page, not the batch.

A call may also be given a wall-clock timeout, and a deadline (its document's). A hang inside Tesseract or PDFium
never returns to Python, so no signal handler or exception can stop it there: a watchdog thread in the worker
ends the whole process once the time is up, after leaving a mark under the pool's folder saying why, and the
parent, finding the pool broken and the mark there, records that call as timed out (not retried) and retries the
calls it took down with it.

Each worker's heap may be limited (RLIMIT_DATA, which counts what the process allocates, not the shared libraries
it maps). Python, PDFium's and Tesseract's bindings then raise MemoryError, which the call reports as the limit
met; a native library that aborts instead leaves the worker dead, and the mark its watchdog left when the heap
neared the limit says why.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass


MAX_ATTEMPTS = 3
# A document's analysis runs while other documents' pages are OCR'd in the same pool; a page that kills its
# worker on each of its MAX_ATTEMPTS breaks every call in flight, so the analysis gets more tries than that.
ANALYSIS_ATTEMPTS = 2 * MAX_ATTEMPTS + 1


class WorkerCrashed(RuntimeError):
    """A page made its worker process die on every attempt."""


class CallTimedOut(RuntimeError):
    """A call ran past its wall-clock timeout; its worker was ended."""


class DocumentTimedOut(RuntimeError):
    """The call's document ran past its own wall-clock limit: the call was stopped, or not started."""


class MemoryLimitExceeded(RuntimeError):
    """A call needed more memory than a worker may have; it was stopped, not retried."""


TIMED_OUT_EXIT = 70
POLL_SECONDS = 0.02  # how often a worker under a memory limit looks at its own size
# A worker whose heap grows past this share of its limit leaves a mark, so that its death soon after (a native
# library aborting when an allocation fails) is put down to the limit, not to a crash.
MEMORY_MARK_SHARE = 0.9
_TIMEOUT, _DEADLINE, _MEMORY = "timeout", "deadline", "memory"


@dataclass(frozen=True)
class Limits:
    """What one call may spend: seconds from its start, a wall-clock time (time.time()) by which its document must
    be done, and the worker's memory limit (the size of its heap, RLIMIT_DATA, set when the worker starts)."""

    timeout: float | None = None
    deadline: float | None = None
    memory_mb: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.timeout or self.deadline or self.memory_mb)


def memory_limit_met(memory_mb: int) -> MemoryLimitExceeded:
    return MemoryLimitExceeded(f"needed more than the worker memory limit of {memory_mb} MB; stopped")


def heap_bytes() -> int:
    """This process's data segment and anonymous memory: what RLIMIT_DATA counts (not shared libraries)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[5]) * os.sysconf("SC_PAGE_SIZE")


def _guarded(marks: str, token: str, limits: Limits, fn, *args):
    """fn(*args) in the worker, ended with its process if it runs past its time; a MemoryError (Python's, or
    PDFium's and Tesseract's, which raise it through their bindings) says which limit it met."""
    started = time.time()
    if limits.deadline is not None and started >= limits.deadline:
        raise DocumentTimedOut("not started: its document had already run past its time limit")
    ends = {reason: at for reason, at in ((_TIMEOUT, limits.timeout and started + limits.timeout),
                                          (_DEADLINE, limits.deadline)) if at}
    reason, end = min(ends.items(), key=lambda item: item[1]) if ends else (None, None)
    watch_memory = bool(limits.memory_mb) and os.path.exists("/proc/self/statm")
    threshold = MEMORY_MARK_SHARE * (limits.memory_mb or 0) * (1 << 20)
    mark = os.path.join(marks, token)
    finished = threading.Event()

    def leave_mark(why: str) -> None:
        with open(mark, "w") as file:
            file.write(why)

    def watchdog() -> None:
        marked = False
        while True:
            waits = [w for w in (POLL_SECONDS if watch_memory else None, end and max(end - time.time(), 0))
                     if w is not None]
            if finished.wait(min(waits) if waits else None):
                return
            if end is not None and time.time() >= end:
                leave_mark(reason)
                os._exit(TIMED_OUT_EXIT)  # from this thread: the main one may be stuck in native code
            if watch_memory and not marked and heap_bytes() > threshold:
                leave_mark(_MEMORY)
                marked = True

    if end is not None or watch_memory:
        threading.Thread(target=watchdog, daemon=True).start()
    try:
        return fn(*args)
    except MemoryError:
        if not limits.memory_mb:
            raise
        raise memory_limit_met(limits.memory_mb) from None
    finally:
        finished.set()
        if os.path.exists(mark):
            os.remove(mark)  # the process lived: the call's outcome says what happened


# Imported once in the fork server, so every worker (and every replacement) starts with them loaded.
WORKER_PRELOAD = ["extractors.pages.ocr", "extractors.pages.pdf_text", "extractors.pages.second_reading",
                  "flows.analysis_step"]


def _init_worker(memory_mb: int | None) -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # before Tesseract loads in this process
    if memory_mb:
        import resource  # noqa: PLC0415 - POSIX only; the limit is not set elsewhere

        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def _ready() -> int:
    return os.getpid()


class _Calls:
    """One call made through run_all."""

    def call(self, fn, *args, attempts: int = MAX_ATTEMPTS, deadline: float | None = None):
        """fn(*args) in a worker: its result, or the exception it raised."""
        for _, outcome in self.run_all(fn, [args], attempts, deadline=deadline):
            if isinstance(outcome, BaseException):
                raise outcome
            return outcome


class PagePool(_Calls):
    def __init__(self, workers: int, memory_mb: int | None = None):
        self.workers = workers
        self.memory_mb = memory_mb
        self._lock = threading.Lock()
        self._generation = 0
        self._marks = tempfile.mkdtemp(prefix="foia-pool-")  # where a timed-out call leaves its mark
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        os.environ["OMP_THREAD_LIMIT"] = "1"
        # forkserver, not fork: the parent runs threads (Prefect's), and forking a threaded process can deadlock.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(WORKER_PRELOAD)
        executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=_init_worker,
                                       initargs=(self.memory_mb,))
        for _ in range(self.workers):
            executor.submit(_ready)  # start the workers now, while the caller does other things
        return executor

    def start_in_each(self, fn, *args) -> None:
        """fn(*args) once a worker, started now and not waited for (what it loads is ready for the work that
        follows; a failure is the work's to report). Each call goes to a worker that is free, so while the calls
        take longer than a worker's start, each worker makes one."""
        for _ in range(self.workers):
            self._submit(fn, *args)

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

    def run_all(self, fn, arg_tuples: list[tuple], attempts: int = MAX_ATTEMPTS, timeout: float | None = None,
                deadline: float | None = None) -> Iterator[tuple[int, object]]:
        """Run fn(*args) for each tuple in workers; yield (index, result or exception) as each finishes.

        Calls in flight when a worker dies are retried (each at most `attempts` times in all), so a
        page that kills its worker every time ends as WorkerCrashed and the others complete. A call still
        running after `timeout` seconds ends as CallTimedOut, one running or waiting at `deadline` (time.time())
        as DocumentTimedOut, one that meets the worker memory limit as MemoryLimitExceeded; none is retried.
        """
        limits = Limits(timeout, deadline, self.memory_mb)
        pending: dict[Future, tuple[int, int, int, str]] = {}

        def submit(index: int, attempt: int) -> None:
            token = uuid.uuid4().hex
            args = arg_tuples[index]
            call = (_guarded, self._marks, token, limits, fn, *args) if limits.any else (fn, *args)
            future, generation = self._submit(*call)
            pending[future] = (index, attempt, generation, token)

        def stopped(token: str) -> Exception | None:
            """Why the call's worker ended it, from the mark it left; None if it left none (a crash)."""
            mark = os.path.join(self._marks, token)
            if not os.path.exists(mark):
                return None
            why = open(mark).read()
            os.remove(mark)
            if why == _TIMEOUT:
                return CallTimedOut(f"still running after its timeout of {timeout:g} s; stopped")
            if why == _DEADLINE:
                return DocumentTimedOut("still running when its document ran past its time limit; stopped")
            return memory_limit_met(self.memory_mb)

        for index in range(len(arg_tuples)):
            submit(index, 1)
        while pending:
            left = deadline - time.time() if deadline is not None else None
            done, _ = wait(pending, timeout=max(left, 0) if left is not None else None, return_when=FIRST_COMPLETED)
            if not done:  # the deadline passed: what has not started never will; what runs is ended by its worker
                for future in [future for future in pending if future.cancel()]:
                    index = pending.pop(future)[0]
                    yield index, DocumentTimedOut("not started: its document had run past its time limit")
                deadline = None  # the running calls end themselves at it
                continue
            for future in done:
                index, attempt, generation, token = pending.pop(future)
                try:
                    yield index, future.result()
                except BrokenProcessPool:
                    with self._lock:
                        self._replace(generation)
                    if (reason := stopped(token)) is not None:
                        yield index, reason
                    elif attempt >= attempts:
                        limit = (f"; it may have needed more than the worker memory limit of {self.memory_mb} MB"
                                 if self.memory_mb else "")
                        yield index, WorkerCrashed(
                            f"the worker process died while handling this page ({attempt} attempts{limit})")
                    else:
                        submit(index, attempt + 1)
                except Exception as error:  # noqa: BLE001 - the caller turns it into a recorded error
                    yield index, error

    def shutdown(self) -> None:
        with self._lock:
            self._executor.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._marks, ignore_errors=True)


class InlinePool(_Calls):
    """PagePool's calls made in this process, for a process that may not start others (a daemonic Dask worker):
    a failing call is its exception, as in the pool; the time limits are only checked between calls."""

    def run_all(self, fn, arg_tuples: list[tuple], attempts: int = MAX_ATTEMPTS, timeout: float | None = None,
                deadline: float | None = None) -> Iterator[tuple[int, object]]:
        for index, args in enumerate(arg_tuples):
            if deadline is not None and time.time() >= deadline:
                yield index, DocumentTimedOut("not started: its document had run past its time limit")
                continue
            try:
                yield index, fn(*args)
            except MemoryError:
                yield index, MemoryLimitExceeded("needed more memory than the Dask worker has; stopped")
            except Exception as error:  # noqa: BLE001 - the caller turns it into a recorded error
                yield index, error

    def shutdown(self) -> None:
        pass
