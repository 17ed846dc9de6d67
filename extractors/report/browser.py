"""Headless Chromium, for looking at the report as a reader's browser shows it: a page's DOM after it has
loaded, and a screenshot. Used by the report's browser test and to make the README's screenshot.

Flags as a locked-down machine needs them: no sandbox (root in a container), no GPU, and none of Chromium's
background connections (updates, sync, safe browsing), which a closed network refuses; a new empty profile for
every call so nothing of an earlier run is reused.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
         "--disable-extensions", "--hide-scrollbars", "--allow-file-access-from-files")
TIMEOUT_SECONDS = 120


class BrowserError(RuntimeError):
    pass


def chromium() -> str | None:
    return next((path for name in ("chromium", "chromium-browser", "google-chrome")
                 if (path := shutil.which(name))), None)


def _run(arguments: list[str]) -> subprocess.CompletedProcess:
    binary = chromium()
    if binary is None:
        raise BrowserError("no Chromium found: sudo apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="foia-chromium-") as profile:
        try:
            done = subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *arguments], capture_output=True,
                                  text=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise BrowserError(f"Chromium did not finish in {TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        raise BrowserError(f"Chromium exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    return done


def dump_dom(url: str, wait_ms: int = 5000) -> str:
    """The document as the browser holds it once loaded (scripts run, with up to wait_ms of virtual time)."""
    return _run([f"--virtual-time-budget={wait_ms}", "--dump-dom", url]).stdout


def screenshot(url: str, png_path: str, width: int = 1200, height: int = 1600) -> None:
    _run([f"--window-size={width},{height}", f"--screenshot={png_path}", url])
