"""Text taken from a file (its name, its path, a zip member's name, its metadata, a header) made safe to store
and print: a name that is not valid UTF-8 arrives from the operating system with its bad bytes as lone
surrogates, which DuckDB and the terminal refuse, and a control character can rewrite a terminal line.

Bad bytes are kept reversibly as `\\xNN` escapes (Python's backslashreplace of the raw bytes), control
characters shown as `\\xNN` too, so the user sees which file it was and can find it again; a backslash already
in the name stays as it is (this is for reading, not a codec)."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NOT_A_BYTE = re.compile(r"[\ud800-\udc7f\udd00-\udfff]")  # surrogateescape carries bytes as U+DC80-U+DCFF only


def safe_text(text: str) -> str:
    """The text with undecodable bytes and control characters (tab and newline kept) written as \\xNN."""
    if _SURROGATE.search(text):
        text = _NOT_A_BYTE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def safe_name(text: str) -> str:
    """A file name or path: as safe_text, and a newline or tab shown too (a name holds none that is meant)."""
    return safe_text(text).replace("\n", "\\x0a").replace("\t", "\\x09")
