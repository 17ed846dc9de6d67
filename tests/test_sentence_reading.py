"""How the analyzer reads a text's sentences (extractors/analysis/entities.py): whitespace squeezed for the model,
offsets and words kept as printed, and a sentence read before (however its lines were wrapped) not read again."""

from __future__ import annotations

from extractors.analysis.entities import AnalyzerSettings, EntityAnalyzer, squeeze_spaces


def test_a_name_wrapped_over_two_lines_keeps_its_printed_words_and_offsets(analyzer):
    text = "Issa Abu Harroura worked for Libya's Zueitina Oil\nCompany as well as in the oil sector."
    reading = analyzer.read([text], events=False)[0]
    company = next(m for m in reading.mentions if m.label == "VENDOR")
    assert company.text == "Zueitina Oil\nCompany" == text[company.start:company.end]
    assert all(text[m.start:m.end] == m.text for m in reading.mentions)


def test_a_rewrapped_quote_is_read_once_and_found_alike():
    analyzer = EntityAnalyzer(AnalyzerSettings())  # a fresh cache
    first = "We will meet the Drug Enforcement Administration in Reston on Monday, said Cheryl Mills."
    quoted = "We will meet the Drug Enforcement\n  Administration in Reston on\nMonday, said Cheryl Mills."
    pieces_read = []
    read_new = analyzer._mentions_cache.read
    analyzer._mentions_cache.read = lambda sentences, reader: read_new(
        sentences, lambda new: pieces_read.extend(new) or reader(new))
    one, two = analyzer.read([first, quoted], events=False)
    assert pieces_read == [first]
    assert [(m.label, squeeze_spaces(m.text)) for m in one.mentions] == \
        [(m.label, squeeze_spaces(m.text)) for m in two.mentions]
    assert all(quoted[m.start:m.end] == m.text for m in two.mentions)
