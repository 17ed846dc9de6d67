"""Baseline: Free Law Project's x-ray (PyPI `x-ray`, import `xray`) on our PDFs, to compare with our own detection of
bad redactions (boxes drawn over text that is still in the text layer).

x-ray depends on PyMuPDF, which is AGPL, so it is kept out of the project's dependencies and out of .venv: it lives
in its own virtualenv, .venv-xray (`make xray-deps`), used for evaluation only, and is run in a subprocess of that
venv's Python; nothing here imports it. Results come back as JSON lines over stdout.
Run: .venv/bin/python eval/xray_baseline.py FILE.pdf ...   (prints one JSON line per file)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XRAY_VENV = os.path.join(ROOT, ".venv-xray")
XRAY_PY = os.path.join(XRAY_VENV, "bin", "python")
NOT_INSTALLED = "x-ray is not installed: run make xray-deps"

# Runs inside .venv-xray. Reads a JSON list of paths on stdin, writes {"path", "findings"|"error"} per file as it goes.
# xray.inspect (0.4.0) is async and returns {page (1-based int): [{"bbox": (x0, y0, x1, y1), "text": str}]}, the bbox
# being the box's (not the text's), in PyMuPDF page space: points, origin at the top-left of the CropBox, y downward.
_SCRIPT = r"""
import asyncio, json, os, sys
out = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)  # anything else written to stdout (MuPDF included) goes to stderr
try:
    import xray
except Exception as exc:
    print(json.dumps({"fatal": f"{type(exc).__name__}: {exc}"}), file=out, flush=True)
    sys.exit(0)
for path in json.load(sys.stdin):
    try:
        pages = asyncio.run(xray.inspect(path))
        row = {"path": path, "findings": [{"page": int(n), "bbox": [round(v, 2) for v in r["bbox"]], "text": r["text"]}
                                          for n, rs in sorted(pages.items()) for r in rs]}
    except Exception as exc:
        row = {"path": path, "error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(row), file=out, flush=True)
"""


def xray_findings(paths: list[str]) -> dict[str, list[dict]] | str:
    """x-ray's bad redactions for each path: {path: [{"page", "bbox", "text"}, ...]} ([] when it finds none).

    page is 1-based; bbox is [x0, top, x1, bottom] of the box x-ray flagged, in PDF points with the origin at the
    TOP-left of the page (PyMuPDF's page space, which x-ray returns as is: relative to the CropBox, y growing
    downward, the unrotated page); text is the text-layer text x-ray found under the box.
    A file x-ray fails on (an exception, or its process dying) gets [{"error": "<reason>"}] and the others go on.
    Returns a string giving the reason instead when .venv-xray or x-ray is missing or the subprocess cannot run.
    """
    if not os.path.exists(XRAY_PY):
        return f"{NOT_INSTALLED} (no {XRAY_PY})"
    results: dict[str, list[dict]] = {}
    todo = list(paths)
    while todo:
        try:
            proc = subprocess.run(
                [XRAY_PY, "-c", _SCRIPT], input=json.dumps(todo), capture_output=True, text=True, check=False
            )
        except OSError as exc:
            return f"x-ray could not be run: {exc}"
        done = 0
        for line in proc.stdout.splitlines():
            row = json.loads(line)
            if "fatal" in row:
                return f"{NOT_INSTALLED} ({row['fatal']})"
            results[row["path"]] = [{"error": row["error"]}] if "error" in row else row["findings"]
            done += 1
        todo = todo[done:]
        if todo:  # the process died on todo[0]: record it, go on with the rest
            if proc.returncode == 0:
                return f"x-ray stopped early without an error: {proc.stderr.strip()[-500:]}"
            tail = proc.stderr.strip().splitlines()[-1:] or [""]
            results[todo.pop(0)] = [{"error": f"x-ray process died (exit {proc.returncode}) {tail[0]}".strip()}]
    return results


def main(argv: list[str]) -> int:
    found = xray_findings(argv)
    if isinstance(found, str):
        print(found, file=sys.stderr)
        return 1
    for path, findings in found.items():
        print(json.dumps({"path": path, "findings": findings}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
