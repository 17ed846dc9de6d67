"""The file a writer works on, apart from the file readers open, so that a query during an ingest answers.

DuckDB lets one process open a database file while it writes it, and no other, not even to read. So an ingest or
a reparse never writes the published file FILE itself. It takes FILE.lock (one writer at a time; the second is
told which process has it), works on FILE.working (a copy of FILE made when it starts, or the one a killed run
left, which holds what that run had loaded), and publishes it over FILE with an atomic rename: between
documents every `publish_every` seconds, and when it ends. A reader that opens FILE gets the last published
state, whole; one that has it open goes on reading the state it opened (a rename leaves an open file alone).

An analyst's own session that has FILE open for writing (`duckdb FILE` opens it so) would lose its changes if
FILE were replaced under it: the run refuses to start while one does, and waits for it to close before it
publishes.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable

import duckdb

from models import schema

WORKING_SUFFIX = ".working"
LOCK_SUFFIX = ".lock"
WAIT_SECONDS = 2.0  # between looks at a session that holds FILE for writing, before the last publication
# A publication copies the whole file: the next one waits at least this many times as long as the last took, so
# publishing costs a run at most a tenth of its time however large the database grows.
PUBLISH_SPACING = 10


class DatabaseBusy(RuntimeError):
    """Another process writes the database: the message says which, and what to do."""


def working_path(path: str) -> str:
    return path + WORKING_SUFFIX


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _copy_over(source: str, target: str) -> None:
    """source copied to target, whole or not at all (a copy cut short by a kill is left as *.partial)."""
    partial = f"{target}.partial"
    shutil.copyfile(source, partial)
    with open(partial, "rb+") as file:
        os.fsync(file.fileno())
    os.replace(partial, target)


def _fsync_folder(path: str) -> None:
    folder = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def writing_holder(path: str) -> str | None:
    """The process that has FILE open for writing ("process N (program)"), which a rename would cut off from it;
    None when nobody has, or only readers have."""
    if not os.path.exists(path):
        return None
    try:
        duckdb.connect(path, read_only=True).close()
    except duckdb.Error as error:
        if (who := schema.lock_holder(error)) is not None:
            return who
        raise
    return None


class WorkingCopy:
    """`with WorkingCopy(FILE) as copy:` the writer's lock; `copy.open()` its connection, on FILE.working; FILE
    holds its work when the block ends."""

    def __init__(self, path: str, publish_every: float | None = None,
                 notify: Callable[[str], None] = lambda message: None):
        self.path = path
        self.working = working_path(path)
        self.publish_every = publish_every
        self.notify = notify
        self.con: duckdb.DuckDBPyConnection | None = None
        self.resumed = False
        self._lock_file = None
        self._published_at = time.monotonic()

    def __enter__(self) -> WorkingCopy:
        self._take_lock()
        try:
            if (who := writing_holder(self.path)) is not None:
                raise DatabaseBusy(schema.busy_message(self.path, who))
        except BaseException:
            self._release_lock()
            raise
        self.resumed = os.path.exists(self.working)
        return self

    def published(self) -> duckdb.DuckDBPyConnection | None:
        """FILE read-only, to find out whether there is work at all before copying it: None where FILE is not
        what the run will work on (a killed run's working copy is, a new database, or one of an older schema)."""
        if self.resumed or not os.path.exists(self.path):
            return None
        try:
            return schema.connect(self.path, read_only=True)
        except schema.SchemaError:
            return None

    def open(self) -> duckdb.DuckDBPyConnection:
        """The connection to write with: on a killed run's working copy, or on a fresh copy of FILE."""
        if not self.resumed:
            _remove(self.working + ".wal")  # a log without its file: from a copy cut short, not applicable
            if os.path.exists(self.path):
                self._fold_in_log(self.path)
                _copy_over(self.path, self.working)
        self.con = schema.connect(self.working)
        self._published_at = time.monotonic()
        return self.con

    def __exit__(self, *exc) -> None:
        try:
            if self.con is not None:
                self.con.execute("CHECKPOINT")
                self.con.close()
                self.con = None
                self._wait_for_writers()
                os.replace(self.working, self.path)
                _fsync_folder(self.path)
        finally:
            self._release_lock()

    def publish_if_due(self) -> None:
        """Between documents: FILE replaced by what is loaded so far, if it is time (and nobody holds FILE for
        writing; then it waits for the next time)."""
        if self.publish_every is None or time.monotonic() - self._published_at < self.publish_every:
            return
        self._published_at = time.monotonic()
        if writing_holder(self.path) is not None:
            return
        self.con.execute("CHECKPOINT")  # the file alone is then the whole database: its log is empty
        _copy_over(self.working, self.path)
        _fsync_folder(self.path)
        took = time.monotonic() - self._published_at
        self._published_at += max(PUBLISH_SPACING * took - self.publish_every, 0)

    def _fold_in_log(self, path: str) -> None:
        """A write-ahead log beside FILE (a session of someone's that ended without its checkpoint) belongs to
        FILE: written into it before FILE is copied, so the copy holds it and no stale log outlives the rename."""
        if os.path.exists(path + ".wal"):
            duckdb.connect(path).close()

    def _wait_for_writers(self) -> None:
        told = False
        while (holder := writing_holder(self.path)) is not None:
            if not told:
                self.notify(f"Waiting for {holder}, which has {self.path} open for writing, to close it: the "
                            f"run's work is in {self.working} until then.\n")
                told = True
            time.sleep(WAIT_SECONDS)

    def _take_lock(self) -> None:
        lock = open(self.path + LOCK_SUFFIX, "a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            lock.close()
            raise DatabaseBusy(f"{self.path} is in use by process {holder}, an ingest or reparse writing it: one "
                               "process writes a database at a time; run this again when that one has finished "
                               "(readers need not wait)") from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        self._lock_file = lock

    def _release_lock(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None
