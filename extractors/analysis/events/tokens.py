"""Small readings of a parsed token and of the parse tree, shared by the event rules."""

from __future__ import annotations

from models.records import Mention


def norm(tok) -> str:
    return tok.lower_.replace("\u2019", "'")


def lemma_of(tok) -> str:
    return tok.lemma_.lower()


def is_noun(tok) -> bool:
    if tok.pos_ in ("NOUN", "PROPN") or tok.tag_ in ("NN", "NNS", "NNP", "NNPS"):
        return True
    if tok.pos_ == "ADJ" and tok.dep_ == "amod" and tok.head.i < tok.i:
        return True  # "in a public oversight roundtable before": an adjective after its noun is a noun misread
    # Tagged a verb but used as a noun: "the Vigilant Solutions quote" (attr with a determiner).
    return tok.dep_ in ("attr", "dobj", "pobj", "nsubj", "nsubjpass", "conj", "appos") and any(
        c.dep_ in ("det", "poss") for c in tok.children)


def is_verb(tok) -> bool:
    return tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT")


def ancestors(tok, limit: int = 12):
    out = []
    while tok.head.i != tok.i and len(out) < limit:
        tok = tok.head
        out.append(tok)
    return out


def clause_verb(tok, limit: int = 6):
    """tok if it is a verb, else the nearest verb above it (within `limit` steps): the verb whose clause holds it."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    return next((t for t in ancestors(tok, limit) if t.pos_ in ("VERB", "AUX")), None)


def tree_distance(a, b) -> int:
    path = {}
    t, d = a, 0
    while True:
        path[t.i] = d
        if t.head.i == t.i:
            break
        t, d = t.head, d + 1
    t, d = b, 0
    while t.i not in path:
        if t.head.i == t.i:
            return 99
        t, d = t.head, d + 1
    return path[t.i] + d


def mention_root(doc, mention: Mention):
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root
