"""The README's screenshots of the evidence report on the sample release, made by the same code a user runs
(`foia report`) and the same headless Chromium the browser test uses. Run: make screenshot (after make run)."""

from __future__ import annotations

import os
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from PIL import Image  # noqa: E402

from extractors.report import browser  # noqa: E402
from flows.cli import main  # noqa: E402

SHOTS = (("index.html", "report-overview.png", 1100), ("events/page-1.html", "report-evidence.png", 1300))


def make_screenshots(db: str) -> None:
    with tempfile.TemporaryDirectory(prefix="foia-report-") as folder:
        out = os.path.join(folder, "report")
        if main(["report", out, "--db", db]) != 0:
            raise SystemExit(1)
        for page, name, height in SHOTS:
            raw = os.path.join(folder, name)
            browser.screenshot("file://" + os.path.join(out, page), raw, 1100, height)
            target = os.path.join(ROOT, "docs", name)
            Image.open(raw).convert("RGB").quantize(colors=128).save(target, optimize=True)
            print(f"wrote {target}")


if __name__ == "__main__":
    make_screenshots(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "foia.duckdb"))
