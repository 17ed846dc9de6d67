"""The evidence report in a real headless Chromium (Debian's, which `make deps` installs): its charts are drawn,
every evidence image loads, and a screenshot is not blank. A page of our own loads the report's pages in frames
and writes what it finds into its DOM, which Chromium then dumps."""

from __future__ import annotations

import json
import os
import re

import duckdb
import pytest
from PIL import Image

from extractors.report import browser
from flows.evidence_report import build_report

pytestmark = pytest.mark.skipif(browser.chromium() is None, reason="Chromium is not installed (make deps installs "
                                "it with apt: sudo apt-get install chromium)")

PROBE = """<!DOCTYPE html><html><body><pre id="result">pending</pre>
<iframe id="index" src="{index}" style="width:1200px;height:6000px"></iframe>
<iframe id="events" src="{events}" style="width:1200px;height:40000px"></iframe>
<script>
var found = {{}}, pending = 2;
function done() {{ if (--pending === 0) document.getElementById('result').textContent = JSON.stringify(found); }}
document.getElementById('index').addEventListener('load', function () {{
  var svgs = Array.from(this.contentDocument.querySelectorAll('figure.chart svg'));
  found.charts = svgs.length;
  found.drawn = svgs.filter(function (s) {{ var b = s.getBBox(); return b.width > 50 && b.height > 50
    && s.querySelectorAll('path, rect').length > 5; }}).length;
  done();
}});
document.getElementById('events').addEventListener('load', function () {{
  var doc = this.contentDocument, images = Array.from(doc.querySelectorAll('article.card img'));
  (function wait() {{
    if (images.some(function (i) {{ return !i.complete; }})) return setTimeout(wait, 50);
    found.cards = doc.querySelectorAll('article.card').length;
    found.images = images.length;
    found.loaded = images.filter(function (i) {{ return i.naturalWidth > 100 && i.naturalHeight > 20; }}).length;
    done();
  }})();
}});
</script></body></html>"""


@pytest.fixture(scope="module")
def report(sample_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "report"
    con = duckdb.connect(sample_db, read_only=True)
    try:
        build_report(con, str(out))
    finally:
        con.close()
    return out


def test_charts_are_drawn_and_every_evidence_image_loads(report, tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text(PROBE.format(index=(report / "index.html").as_uri(),
                                  events=(report / "events" / "page-1.html").as_uri()), encoding="utf-8")
    dom = browser.dump_dom(probe.as_uri(), wait_ms=15000)
    found = json.loads(re.search(r'<pre id="result">(.*?)</pre>', dom, re.S).group(1))
    assert found["charts"] == 2 and found["drawn"] == 2, found
    assert found["cards"] > 0 and found["images"] == found["cards"] and found["loaded"] == found["images"], found


def test_a_screenshot_of_the_evidence_is_not_blank(report, tmp_path):
    shot = tmp_path / "events.png"
    browser.screenshot((report / "events" / "page-1.html").as_uri(), str(shot), 1200, 1600)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1200, 1600)
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 200  # text, page crops, borders: not one flat colour
    highlighted = sum(count for count, (r, g, b) in colours if r > 230 and 180 < g < 235 and b < 170)
    assert highlighted > 1000  # the cited words' highlight made it to the screen
    assert os.path.getsize(shot) > 20_000
