"""Progress lines: documents and pages done, rate, time left."""

import io
import time

from flows.progress import Progress, format_duration


def test_progress_line_reports_counts_rate_and_time_left():
    stream = io.StringIO()
    progress = Progress(documents=4, pages=100, stream=stream, interactive=False, interval=60)
    progress.start()
    time.sleep(0.2)
    for _ in range(20):
        progress.page_done(ocr=True)
    progress.document_done()
    progress.stop()
    line = stream.getvalue().strip().splitlines()[-1]
    assert line.startswith("documents 1/4  pages 20/100 (20 OCR)")
    assert "pages/s" in line and "left" in line and "? left" not in line


def test_durations_read_naturally():
    assert format_duration(42) == "42s"
    assert format_duration(125) == "2m05s"
    assert format_duration(3 * 3600 + 60) == "3h01m"
