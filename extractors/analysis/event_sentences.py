"""Which sentences of a text can report an event, found without a parse.

The dependency parse that event detection needs costs as much as the NER itself, and most sentences of a
release name no event word at all. `event_sentences(text)` splits the text into sentences with a cheap rule
(end punctuation, then a capital, a digit or a quote; never after a title or an initial) and keeps those
that hold an inflected form of a trigger word from the event lexicons in extractors/analysis/events/ (a verb of
conversation included). Only they are parsed. The test is a superset of the lexicon lookup: a sentence it drops
has no word a trigger could be.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.analysis.events import CONVERSE, MULTIWORD, NOUNS, SEEING, VERBS

# Past forms _inflections cannot make: "met" (meet), "bought" (buy), "spoke", "spoken" (speak), "saw", "seen".
_IRREGULAR = ("met", "bought", "spoke", "spoken", "saw", "seen")
# Words a sentence may end with without ending there: titles, initials, "U.S.", "a.m.", "No.", months.
_NOT_AN_END = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|st|jr|sr|no|nos|inc|co|corp|ltd|gov|sen|rep|gen|col|lt|sgt|capt|cmdr|adm|amb|pres|"
    r"dept|div|approx|est|vs|etc|fig|vol|ext|tel|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"|\b[a-z]|\b(?:[a-z]\.)+[a-z])\.$", re.IGNORECASE)
_CANDIDATE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])|\n[ \t]*\n")


def _inflections(word: str) -> set[str]:
    """The forms a lemma is printed in: plural and third person, past, gerund, doubled final consonants."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", word):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


_SEPARATOR = None  # stands for the optional space or hyphen between the parts of a form, in the trie below


def _alternation(forms) -> str:
    """One regular expression for all the forms, as a trie ("meet|meeting|meetings" -> "meet(?:ing(?:s)?)?"): Python
    tries the branches of a flat alternation one by one at every position, a trie only along the letters read.
    Hyphens inside a word are optional ("walk-through", "check-in"), and so is the space of a multiword term."""
    trie: dict = {}
    for form in forms:
        node = trie
        for number, part in enumerate(re.split(r"[\s-]+", form.lower())):
            for symbol in ([_SEPARATOR] if number else []) + list(part):
                node = node.setdefault(symbol, {})
        node[""] = {}  # a form ends here
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [(r"[\s-]*" if symbol is _SEPARATOR else re.escape(symbol)) + _trie_pattern(child)
                for symbol, child in sorted(node.items(), key=lambda item: item[0] or " ") if symbol != ""]
    if not branches:
        return ""
    if len(branches) > 1 or (ends and len(branches[0]) > 1):
        body = "(?:" + "|".join(branches) + ")"
    else:
        body = branches[0]
    return body + "?" if ends else body  # a greedy "?": the longest form first, as the flat alternation had it


def _trigger_pattern() -> re.Pattern:
    words = {form for word in list(NOUNS) + list(VERBS) + list(CONVERSE) + list(SEEING) for form in _inflections(word)}
    words |= set(_IRREGULAR) | {" ".join(words) for words in MULTIWORD}
    # a dash or a letter glued in front ("--call") is no other word; one glued behind is ("democracy")
    return re.compile(r"(?<![a-z])(?:" + _alternation(words) + r")(?![a-z])", re.IGNORECASE)


_TRIGGER = _trigger_pattern()


def split_sentences(text: str, breaks: Iterable[int] = ()) -> list[tuple[int, int]]:
    """(start, end) character spans covering the text's sentences, whitespace between them left out. `breaks`:
    further offsets where a unit of reading ends (a line that does not run on, a column gap; TextMap.breaks)."""
    ends = []
    start = 0
    for match in _CANDIDATE_END.finditer(text):
        end = match.end()
        if match.group().startswith((".",)) and _NOT_AN_END.search(text[max(start, end - 12):end]):
            continue
        ends.append(end)
        start = end
    spans, start = [], 0
    for end in sorted(set(ends) | {b for b in breaks if 0 < b < len(text)}):
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    out = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def event_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences (character spans) that hold a word an event trigger could be."""
    return [(start, end) for start, end in split_sentences(text) if holds_event_word(text, start, end)]


def holds_event_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a word an event trigger could be."""
    return bool(_TRIGGER.search(text, start, end))
