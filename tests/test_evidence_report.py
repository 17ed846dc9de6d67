"""`foia report` (flows/evidence_report.py) on the sample release: what it shows, that each crop shows the words
it cites (read back by OCR), the page cache, the fallback when a file is gone, paging, and that nothing in it
reaches beyond its folder."""

from __future__ import annotations

import glob
import os
import re

import duckdb
import pytest
from PIL import Image

from flows import evidence_report
from flows.cli import build_parser, main
from models.settings import IngestSettings
from tests.conftest import altered_copy


def _report(db: str, out: str, release: str | None = None):
    con = duckdb.connect(db, read_only=True)
    try:
        return evidence_report.build_report(con, out, release)
    finally:
        con.close()


@pytest.fixture(scope="module")
def built(sample_db, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("report") / "report")
    return out, _report(sample_db, out)


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _cards(out: str) -> list[str]:
    pages = sorted(glob.glob(os.path.join(out, "events", "page-*.html")))
    return [card for page in pages for card in re.findall(r"<article class=\"card.*?</article>", _read(page), re.S)]


def _ocr(path: str) -> str:
    from tesserocr import PyTessBaseAPI

    tessdata = IngestSettings().resolved_tessdata_dir()
    with PyTessBaseAPI(path=tessdata.rstrip("/") + "/", lang="eng") as api:
        image = Image.open(path)
        api.SetImage(image.convert("L").resize((image.width * 2, image.height * 2)))
        return api.GetUTF8Text()


def _words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[A-Za-z]{4,}", text)}


def test_the_overview_timeline_matrix_correspondents_and_redactions_are_shown(built, sample_db):
    out, result = built
    index = _read(os.path.join(out, "index.html"))
    (events,), = duckdb.connect(sample_db, read_only=True).execute("SELECT count(*) FROM events").fetchall()
    assert result.cards == events and len(_cards(out)) == events
    assert index.count("<svg") == 2  # the timeline and the redactions chart
    assert "Quillmark Biometrics, Inc." in index and "Port Halden Police Department" in index
    assert re.search(r'<a href="pairs/pair-\d+-1.html"[^>]*>\d+</a>', index)  # the matrix links to the pair's cards
    assert "mteague@quillmark-biometrics.example" in index  # a top correspondent
    assert "b7(c)" in index and "withheld pages" in index


def test_the_vendors_demo_pilot_and_training_have_crops_that_show_the_cited_words(built):
    """The target: each crop is read back by OCR and holds most words of the sentence it cites."""
    out, _ = built
    seen = set()
    for card in _cards(out):
        kind = re.search(r"<article class=\"card (\w+)\"", card).group(1)
        if kind not in ("demo", "pilot", "training") or "Quillmark" not in card:
            continue
        crop = re.search(r'<img src="\.\./(crops/[0-9a-f]+\.png)"', card)
        assert crop, card[:300]
        sentence = re.sub(r"<[^>]+>", "", re.search(r"<blockquote>(.*?)</blockquote>", card, re.S).group(1))
        sentence = sentence.replace("&#x27;", "'").replace("&amp;", "&")
        wanted, read = _words(sentence), _words(_ocr(os.path.join(out, crop.group(1))))
        assert len(wanted & read) >= 0.7 * len(wanted), (sentence, sorted(wanted - read))
        pixels = Image.open(os.path.join(out, crop.group(1))).convert("RGB").get_flattened_data()
        assert sum(1 for r, g, b in pixels if r > 230 and 180 < g < 235 and b < 170) > 200  # the highlight
        seen.add(kind)
    assert seen == {"demo", "pilot", "training"}


def test_pages_are_rendered_once_and_a_second_build_reads_them_from_the_cache(built, sample_db):
    out, first = built
    second = _report(sample_db, out)
    assert first.pages_rendered > 0 and first.pages_from_cache == 0
    assert second.pages_rendered == 0 and second.pages_from_cache == first.pages_rendered
    assert second.html_pages == first.html_pages and second.crops == first.crops


def test_a_page_whose_file_is_gone_is_drawn_from_its_stored_words(sample_db, tmp_path):
    db = altered_copy(sample_db, tmp_path, "UPDATE documents SET source_path = '/nowhere/' || file_name")
    out = str(tmp_path / "report")
    result = _report(db, out)
    assert result.pages_rendered == 0 and result.pages_from_words > 0 and result.crops > 0
    assert any("drawn from the words stored for the page" in card for card in _cards(out))


def test_events_are_paged_and_an_unknown_release_is_refused(sample_db, tmp_path, monkeypatch):
    monkeypatch.setattr(evidence_report, "PAGE_SIZE", 10)
    out = str(tmp_path / "paged")
    result = _report(sample_db, out, "sample")
    pages = sorted(glob.glob(os.path.join(out, "events", "page-*.html")))
    assert len(pages) == -(-result.cards // 10) and 'href="page-2.html"' in _read(pages[0])
    with pytest.raises(ValueError, match="no release named 'nope'.*sample"):
        _report(sample_db, str(tmp_path / "none"), "nope")


def test_the_report_fetches_nothing_from_outside_its_folder(built):
    out, _ = built
    for path in glob.glob(os.path.join(out, "**", "*.html"), recursive=True):
        text = _read(path)
        assert "<script" not in text and "<link" not in text, path
        assert not re.search(r'(src|href)="(https?:)?//', text), path
        for target in re.findall(r'(?:src|href)="([^"#]+)"', text):
            assert os.path.exists(os.path.normpath(os.path.join(os.path.dirname(path), target))), (path, target)


def test_foia_report_from_the_command_line(sample_db, tmp_path, capsys):
    out = str(tmp_path / "cli")
    assert main(["report", out, "--db", sample_db]) == 0
    assert "evidence card(s)" in capsys.readouterr().out and os.path.exists(os.path.join(out, "index.html"))
    assert main(["report", out, "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "report" in build_parser().format_help()
