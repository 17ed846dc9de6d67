"""An event's place and participants: a place phrase after at / in / to, and the mentions in the trigger's clause."""

from __future__ import annotations

import re

from extractors.analysis.events.lexicon import MOTION_VERBS, PLACE_LABELS, PLACE_NOUNS, ROLE_OF_LABEL
from extractors.analysis.events.tokens import ancestors, lemma_of, norm
from extractors.analysis.events.triggers import Candidate
from models.records import Mention


DATE_LIKE = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$"
                        r"|^\d+$", re.IGNORECASE)


def event_location(cand: Candidate, sent, mention_tokens, trigger_ids: set[int]) -> str | None:
    head = cand.phrase_head
    chain = [head]
    for t in ancestors(head, 3):
        chain.append(t)
        if t.pos_ in ("VERB", "AUX"):
            break
    candidates = []
    for depth, t in enumerate(chain):
        for c in t.children:
            place = None
            if c.dep_ == "prep" and norm(c) in ("at", "in", "on", "to", "inside") and c.i != head.i:
                if norm(c) == "to" and not (lemma_of(t) in MOTION_VERBS or lemma_of(t) in ("visit", "trip", "travel")):
                    continue
                place = next((g for g in c.children if g.dep_ == "pobj"), None)
            elif c.dep_ in ("compound",) and lemma_of(t) == "visit" and mention_tokens.get(c.i) in (None, "GPE"):
                place = c if c.pos_ == "PROPN" else None
            elif c.dep_ == "dobj" and lemma_of(t) == "visit":
                place = c
            elif c.dep_ == "advmod" and norm(c) in ("here", "there") and lemma_of(t) in ("visit",):
                place = c
            if place is None or place.i in trigger_ids:
                continue
            label = mention_tokens.get(place.i)
            if label in ("DATE", "PERSON", "AGENCY", "VENDOR", "PRODUCT"):
                if label != "AGENCY" or not (lemma_of(place) in PLACE_NOUNS):
                    continue
            is_place = (label in PLACE_LABELS or (place.pos_ == "PROPN" and label is None)
                        or lemma_of(place) in PLACE_NOUNS or norm(place) in PLACE_NOUNS
                        or any(g.like_num and g.dep_ in ("nummod", "compound") for g in place.children))
            if not is_place or lemma_of(place) in ("time", "person", "advance", "preparation", "week", "morning") or \
                    DATE_LIKE.search(place.text):
                continue
            sub = [g for g in place.subtree if g.i not in trigger_ids]
            if not sub:
                continue
            left, right = sub[0].i, sub[-1].i
            for g in sub:  # stop before a trailing date ("office on Wednesday, April 17")
                if mention_tokens.get(g.i) == "DATE" or (g.dep_ == "prep" and norm(g) in ("on", "from", "for",
                                                                                           "with", "to")):
                    right = min(right, g.i - 1)
            span = sent.doc[left: right + 1]
            text = span.text.strip(" ,;:.")
            if text:
                candidates.append((depth, text))
    if not candidates:
        return None
    candidates.sort(key=lambda x: x[0])
    return candidates[0][1]


def clause_tokens(cand: Candidate, other_heads: set[int]):
    """Token ids of the trigger's clause: the governing verb's subtree without clauses holding other triggers."""
    head = cand.phrase_head
    top = head
    for t in ancestors(head, 6):
        top = t
        if t.pos_ in ("VERB", "AUX"):
            break
    ids = set()
    stack = [top]
    while stack:
        t = stack.pop()
        ids.add(t.i)
        for c in t.children:
            if c.dep_ in ("conj", "advcl", "ccomp", "relcl", "parataxis") and any(
                    g.i in other_heads for g in c.subtree) and not any(g.i == head.i for g in c.subtree):
                continue
            stack.append(c)
    return ids


def sentence_participants(doc, sent, cand, heads: set[int], mentions, message_people) -> list[tuple[str, Mention]]:
    """(role, mention) for the vendors, agencies, people and products in the trigger's clause, then the message's
    sender and recipients."""
    clause = clause_tokens(cand, heads - {cand.head.i, cand.phrase_head.i})
    participants, seen = [], set()
    for m in mentions:
        role = ROLE_OF_LABEL.get(m.label)
        if role is None or not (sent.start_char <= m.start < sent.end_char):
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not any(t.i in clause for t in span):
            continue
        if (role, m.text) not in seen:
            seen.add((role, m.text))
            participants.append((role, m.mention))
    for m in message_people:
        role = ROLE_OF_LABEL.get(m.label)
        if role and (role, m.text) not in seen:
            seen.add((role, m.text))
            participants.append((role, m))
    return participants
