"""Find the input files of a release: files, folders (recursively) and .zip archives (extracted safely)."""

from __future__ import annotations

import hashlib
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from extractors.pages.pdf_text import file_modified_at
from extractors.pages.safe_text import safe_name
from models.records import IngestError, SourceFile
from models.settings import IngestSettings

_HASH_CHUNK = 1 << 20
_MB = 1024 * 1024


@dataclass
class Discovery:
    sources: list[SourceFile] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (display path, first seen as)


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def is_zip_path(path: str) -> bool:
    return path.lower().endswith(".zip")


def discover_sources(paths: list[str], extract_dir: str, settings: IngestSettings) -> Discovery:
    """Every regular file under the given paths, hashed, zips expanded, duplicates (same bytes) listed once."""
    found = Discovery()
    seen: dict[str, str] = {}

    def add(path: str, display: str) -> None:
        try:
            digest = sha256_file(path)
            size = os.path.getsize(path)
        except OSError as error:
            found.errors.append(IngestError(display, "discover", f"the file could not be read ({error.strerror})"))
            return
        if digest in seen:
            found.duplicates.append((display, seen[digest]))
            return
        seen[digest] = display
        found.sources.append(SourceFile(path, display, digest, size, file_modified_at(path)))

    def visit(path: str, display: str) -> None:
        if is_zip_path(path):
            for inner_path, inner_display in _expand_zip(path, display, extract_dir, settings, found):
                add(inner_path, inner_display)
        else:
            add(path, display)

    for given in paths:
        if not os.path.exists(given):
            found.errors.append(IngestError(safe_name(given), "discover", "no such file or folder"))
        elif os.path.isdir(given):
            for root, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    full = os.path.join(root, name)
                    if name.startswith(".") or not stat.S_ISREG(os.stat(full).st_mode):
                        continue  # hidden files (.DS_Store) and sockets, fifos
                    visit(full, safe_name(full))
        else:
            visit(given, safe_name(given))
    return found


def _safe_member_path(name: str) -> str | None:
    """The member's relative path if it stays inside the extraction folder, else None."""
    normalized = name.replace("\\", "/")
    parts = PurePosixPath(normalized).parts
    if not parts or normalized.startswith("/") or ":" in parts[0] or any(p == ".." for p in parts):
        return None
    return "/".join(p for p in parts if p not in ("", "."))


def _expand_zip(path: str, display: str, extract_dir: str, settings: IngestSettings,
                found: Discovery) -> list[tuple[str, str]]:
    """Extract a zip's files under extract_dir; refuse traversal, links, bombs. Nested zips are expanded."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        found.errors.append(IngestError(display, "discover", f"not a readable zip archive ({error})"))
        return []
    extracted: list[tuple[str, str]] = []
    target_root = os.path.join(extract_dir, hashlib.sha256(display.encode()).hexdigest()[:16])
    total = 0
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > settings.max_zip_members:
            found.errors.append(IngestError(display, "discover", f"zip has {len(members):,} files, over the "
                                            f"limit of {settings.max_zip_members:,}; not extracted"))
            return []
        for member in members:
            member_display = f"{display}!{safe_name(member.filename)}"
            relative = _safe_member_path(member.filename)
            is_link = stat.S_ISLNK(member.external_attr >> 16)
            if relative is None or is_link:
                why = "a symbolic link" if is_link else "a path that leaves the archive's folder"
                found.errors.append(IngestError(member_display, "discover", f"zip member skipped: {why}"))
                continue
            if os.path.basename(relative).startswith("."):
                continue
            if member.flag_bits & 0x1:
                found.errors.append(IngestError(member_display, "discover", "zip member is encrypted; not extracted"))
                continue
            limit = min(settings.max_zip_member_mb * _MB, settings.max_zip_total_mb * _MB - total)
            destination = os.path.join(target_root, relative)
            try:
                written = _extract_bounded(archive, member, destination, limit)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                found.errors.append(IngestError(member_display, "discover", f"zip member is damaged ({error})"))
                continue
            if written is None:
                found.errors.append(IngestError(
                    member_display, "discover",
                    f"zip member is larger than the limit ({settings.max_zip_member_mb:g} MB a file, "
                    f"{settings.max_zip_total_mb:g} MB an archive); not extracted"))
                continue
            total += written
            if is_zip_path(relative):
                extracted.extend(_expand_zip(destination, member_display, extract_dir, settings, found))
            else:
                extracted.append((destination, member_display))
    return extracted


def _extract_bounded(archive: zipfile.ZipFile, member: zipfile.ZipInfo, destination: str, limit: float) -> int | None:
    """Copy a member out, counting real bytes (declared sizes can lie). None when over the limit."""
    if member.file_size > limit:
        return None
    os.makedirs(os.path.dirname(destination), exist_ok=True)
    written = 0
    try:
        with archive.open(member) as source, open(destination, "wb") as target:
            while chunk := source.read(_HASH_CHUNK):
                written += len(chunk)
                if written > limit:
                    break
                target.write(chunk)
    except Exception:
        if os.path.exists(destination):
            os.remove(destination)
        raise
    if written > limit:
        os.remove(destination)
        return None
    return written
