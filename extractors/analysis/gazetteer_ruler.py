"""The spaCy component that tags gazetteer names: an EntityRuler with a second phrase matcher for exact names.

spaCy's EntityRuler matches phrase patterns on one attribute only; exact names ("DEA", "Flock") would have to
be token patterns, and its token Matcher tries every pattern at every token: with the shipped gazetteer's
500-odd acronyms that cost as much as the NER itself (10,000 words/s). A PhraseMatcher on ORTH finds them at
millions of words a second. The token patterns (state and local agencies) start with any capitalised word, so
the Matcher runs only on windows around their keywords ("Police", "Sheriff", "Department"), found by a third
phrase matcher; a keyword a pattern needs capitalised anchors a window only where it is. Matches of all three
are ranked together as the EntityRuler ranks them: longest first.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import EntityRuler

FACTORY = "foia_gazetteer_ruler"
# Words a token pattern holds that are too common to anchor a window; every pattern has another keyword.
_NOT_ANCHORS = {"of", "on", "the", "in", "and", "&"}
# How far a pattern reaches from one of its keywords: four name words and keywords to the left, keywords and a
# nine-word "X and Y" phrase to the right.
_LEFT, _RIGHT = 10, 14
# How extractors/analysis/gazetteer.py asks for a capitalised keyword ("Police", never "police").
CAPITALISED = {"REGEX": r"^[A-Z]"}


class GazetteerRuler(EntityRuler):
    def __init__(self, nlp: Language, name: str):
        super().__init__(nlp, name, phrase_matcher_attr="LOWER", overwrite_ents=True, validate=False)
        self.exact_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.anchor_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.any_case_anchors: set[int] = set()

    def add_patterns(self, patterns: list[dict]) -> None:
        """Patterns as extractors.analysis.gazetteer.Gazetteer.ruler_patterns writes them: a phrase with "attr" LOWER or
        ORTH and an "id", or a token pattern."""
        exact = [p for p in patterns if p.get("attr") == "ORTH"]
        super().add_patterns([{k: v for k, v in p.items() if k != "attr"} for p in patterns
                              if p.get("attr") != "ORTH"])
        anchors, any_case = set(), set()
        for pattern in patterns:
            if isinstance(pattern["pattern"], list):
                keywords = [(word, token.get("TEXT") == CAPITALISED) for token in pattern["pattern"]
                            if token.get("OP") not in ("?", "*") for word in _lower_values(token)
                            if word not in _NOT_ANCHORS]
                if not keywords:
                    raise ValueError(f"token pattern without a keyword to anchor it: {pattern['pattern']}")
                capitalised = {word for word, needs_capital in keywords if needs_capital}
                # a pattern that needs one of its keywords capitalised is anchored by that keyword capitalised
                anchors |= capitalised or {word for word, _ in keywords}
                any_case |= set() if capitalised else {word for word, _ in keywords}
        for word in sorted(anchors):
            self.anchor_matcher.add(word, [self.nlp.make_doc(word)])
        self.any_case_anchors = {self.nlp.vocab.strings[word] for word in any_case}
        for pattern in exact:
            key = self._create_label(pattern["label"], pattern["id"])
            self._ent_ids[self.matcher._normalize_key(key)] = (pattern["label"], pattern["id"])
            self.exact_matcher.add(key, [self.nlp.make_doc(pattern["pattern"])])

    def match(self, doc):
        found = list(self.phrase_matcher(doc)) + list(self.exact_matcher(doc))
        # "the department" anchors nothing: the patterns that hold "Department" need it capitalised
        anchors = [start for m_id, start, _ in self.anchor_matcher(doc)
                   if doc[start].text[:1].isupper() or m_id in self.any_case_anchors]
        for first, last in _windows(anchors, len(doc)):
            found += [(m_id, first + start, first + end) for m_id, start, end in self.matcher(doc[first:last])]
        matches = {(m_id, start, end) for m_id, start, end in found if start != end}
        return sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def __len__(self) -> int:
        return super().__len__() + len(self.exact_matcher)


def _lower_values(token: dict) -> list[str]:
    value = token.get("LOWER")
    if isinstance(value, str):
        return [value]
    return list(value.get("IN", ())) if isinstance(value, dict) else []


def _windows(anchors: list[int], length: int) -> list[tuple[int, int]]:
    """Token ranges around the anchors, overlapping ones merged."""
    out: list[tuple[int, int]] = []
    for i in sorted(anchors):
        first, last = max(0, i - _LEFT), min(length, i + _RIGHT)
        if out and first <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


@Language.factory(FACTORY)
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    return GazetteerRuler(nlp, name)
