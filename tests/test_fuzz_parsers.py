"""Fuzzing the parsers that read untrusted text (hypothesis): they never raise, and never give a field that is
not in the text they read. CI runs a bounded number of examples; `make fuzz` runs many more
(HYPOTHESIS_PROFILE=fuzz)."""

from __future__ import annotations

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from extractors.email.headers import match_label, normalize_subject, parse_person, split_people
from extractors.email.sent_dates import parse_sent_date
from extractors.pages.decision import decide_page_method
from extractors.redactions.codes import find_codes, is_codes_only, release_stamp, withheld_notice
from models.records import TextLayerPage, Word

# Text as printouts and OCR give it: header-ish words, addresses, dates, codes, punctuation and noise
PIECES = st.sampled_from(["From:", "To:", "Cc:", "Sent:", "Date:", "Subject:", "Attachments:", "RE:", "FW:",
                          "(b)(6)", "B7(C)", "(b)(7)(C)", "b5", "<", ">", "@", ";", ",", ".", "[", "]", "\"",
                          "Monday,", "January", "3,", "2019", "10:42", "AM", "PM", "-0500", "GMT", "'", "|",
                          "Reed, Dana", "dana.reed@portdalen.gov", "mailto:", "RELEASE IN PART", "\n", "\t"])
TEXT = st.lists(st.one_of(PIECES, st.text(string.printable, max_size=8), st.text(max_size=4)),
                max_size=14).map(" ".join)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _within(part: str, whole: str) -> bool:
    """Whether part's characters appear in whole, in order (what is left after taking some away)."""
    rest = iter(whole)
    return all(char in rest for char in part)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@given(TEXT, st.booleans())
def test_a_header_label_is_read_from_the_line_itself(text, in_block):
    found = match_label(text, in_block)
    if found is not None:  # the label is its canonical name (OCR's "T0:" is "to"); the value is the line's own
        assert found.value.strip() in text


@given(TEXT)
def test_people_are_made_of_the_words_printed(text):
    for person in [parse_person(text), *split_people(text)]:
        if person is None:
            continue
        assert person.raw.strip() in text or _words(person.raw) <= _words(text)
        if person.name:
            assert _words(person.name) <= _words(text), person
        if person.email:  # cleaning only takes away (OCR's spaces, "mailto:", exemption codes), never adds
            assert _within(_letters(person.email), _letters(text)), person


@given(TEXT)
def test_a_sent_date_needs_digits_in_the_text(text):
    sent = parse_sent_date(text)
    assert sent.flag in ("ok", "missing", "unparsed", "implausible", "ocr_corrected")
    if sent.value is not None:
        assert re.search(r"\d", text), (text, sent)


@given(TEXT)
def test_exemption_codes_are_spans_of_the_text(text):
    for mark in find_codes(text):
        assert text[mark.start:mark.end] == mark.text and mark.codes
    is_codes_only(text)
    release_stamp(text)
    withheld_notice(text)
    subject = normalize_subject(text)
    assert subject is None or _words(subject) <= _words(text)


@given(st.lists(st.tuples(TEXT, st.floats(0, 600), st.floats(0, 800)), max_size=30),
       st.floats(0, 1), st.floats(0, 1), st.booleans())
def test_the_page_decision_always_decides(words, coverage, invisible, force):
    page_words = [Word(text or "x", x, y, x + 10, y + 10, number) for number, (text, x, y) in enumerate(words)]
    layer = TextLayerPage(1, 612.0, 792.0, 0, " ".join(w.text for w in page_words), page_words, coverage, invisible)
    decision = decide_page_method(layer, force)
    assert decision.method in ("text_layer", "ocr") and decision.reason
