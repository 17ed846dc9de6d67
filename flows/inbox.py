"""The watched inbox of `foia serve`: which entries (release folders and .zip archives) are ready, and where each
goes once done. Plain file-system work, no Prefect.

An entry is ready once it has stopped growing: its signature (every file's path, size and modification time) is
the one the previous scan saw, and nothing in it changed for `settle` seconds. Scans remember signatures in
INBOX/.foia-inbox.json, so a restarted server goes on where it was. A processed entry moves to INBOX/processed/;
one that failed stays, with NAME.error.txt beside it, and is tried again only once it changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass

from flows.plan import default_release_name

PROCESSED = "processed"
STATE_FILE = ".foia-inbox.json"
ERROR_SUFFIX = ".error.txt"


@dataclass(frozen=True)
class InboxEntry:
    path: str
    name: str  # the release name: the folder's name, or the archive's without .zip
    signature: str
    newest_mtime: float


def error_file_of(entry: InboxEntry) -> str:
    return entry.path.rstrip(os.sep) + ERROR_SUFFIX


def _files(path: str):
    if os.path.isfile(path):
        yield path
        return
    for root, dirs, names in os.walk(path):
        dirs.sort()
        for name in sorted(names):
            yield os.path.join(root, name)


def describe_entry(path: str) -> InboxEntry:
    digest, newest = hashlib.sha256(), 0.0
    for file in _files(path):
        try:
            stat = os.stat(file)
        except FileNotFoundError:  # moved away while we looked: the next scan sees a new signature
            continue
        digest.update(f"{os.path.relpath(file, path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        newest = max(newest, stat.st_mtime)
    if os.path.isdir(path):
        newest = max(newest, os.stat(path).st_mtime)  # a file removed or renamed inside
    return InboxEntry(path, default_release_name([path]), digest.hexdigest(), newest)


def list_entries(inbox: str) -> list[InboxEntry]:
    """Release folders and .zip archives in the inbox, oldest first (the order they were dropped in)."""
    entries = []
    for name in sorted(os.listdir(inbox)):
        path = os.path.join(inbox, name)
        if name.startswith(".") or name == PROCESSED or name.endswith(ERROR_SUFFIX):
            continue
        if os.path.isdir(path) or (os.path.isfile(path) and name.lower().endswith(".zip")):
            entries.append(describe_entry(path))
    return sorted(entries, key=lambda entry: (entry.newest_mtime, entry.name))


def _load_state(inbox: str) -> dict:
    try:
        with open(os.path.join(inbox, STATE_FILE), encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError):
        return {}


def _save_state(inbox: str, state: dict) -> None:
    path = os.path.join(inbox, STATE_FILE)
    with open(path + ".part", "w", encoding="utf-8") as file:
        json.dump(state, file, indent=1, sort_keys=True)
    os.replace(path + ".part", path)


def failed_signature(entry: InboxEntry) -> str | None:
    """The signature the entry had when it last failed (first line of its error file), or None."""
    try:
        with open(error_file_of(entry), encoding="utf-8") as file:
            first = file.readline().strip()
    except OSError:
        return None
    return first.removeprefix("signature: ") if first.startswith("signature: ") else ""


def ready_entries(inbox: str, settle_seconds: float) -> list[InboxEntry]:
    """The entries that have stopped growing and did not fail as they are now; remembers this scan's signatures."""
    now = time.time()
    seen = _load_state(inbox)
    entries = list_entries(inbox)
    _save_state(inbox, {entry.name: entry.signature for entry in entries})
    return [entry for entry in entries
            if seen.get(entry.name) == entry.signature and now - entry.newest_mtime >= settle_seconds
            and failed_signature(entry) != entry.signature]


def _free_path(folder: str, name: str) -> str:
    target = os.path.join(folder, name)
    stem, suffix = (name[:-4], name[-4:]) if name.lower().endswith(".zip") else (name, "")
    number = 2
    while os.path.exists(target):
        target = os.path.join(folder, f"{stem}-{number}{suffix}")
        number += 1
    return target


def mark_processed(inbox: str, entry: InboxEntry) -> str:
    """Move the entry to INBOX/processed/ (NAME-2 and so on when a release of that name was processed before) and
    drop its error file; returns where it went."""
    folder = os.path.join(inbox, PROCESSED)
    os.makedirs(folder, exist_ok=True)
    target = _free_path(folder, os.path.basename(os.path.normpath(entry.path)))
    shutil.move(entry.path, target)
    try:
        os.remove(error_file_of(entry))
    except FileNotFoundError:
        pass
    return target


def mark_failed(entry: InboxEntry, report: str) -> str:
    """Leave the entry where it is with NAME.error.txt beside it: the signature it failed with, then the report."""
    path = error_file_of(entry)
    with open(path, "w", encoding="utf-8") as file:
        file.write(f"signature: {entry.signature}\n")
        file.write(f"failed: {time.strftime('%Y-%m-%d %H:%M:%S')}\n{report.rstrip()}\n")
    return path
