"""Events in parsed text: candidates (triggers.py) that pass the sense rules (senses.py), with their status,
date, place and participants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from extractors.analysis.events.dates import assign_dates, event_date
from extractors.analysis.events.lexicon import CONVERSE, EVENT_WORDS
from extractors.analysis.events.participants import event_location, sentence_participants
from extractors.analysis.events.senses import hypothetical_or_generic, negated, sense_ok
from extractors.analysis.events.status import event_status
from extractors.analysis.events.tokens import clause_verb, lemma_of, norm, tree_distance
from extractors.analysis.events.triggers import find_candidates, in_leading_label, phrase_head, type_in_context
from models.records import EventRecord, Mention


_STRONG = {"webinar", "demo", "demonstration", "teleconference", "svtc", "hearing", "roundtable", "briefing",
           "meeting", "conference", "training", "purchase order", "proof of concept", "trade show", "pilot",
           "contract", "quote"}


def detect_events(doc, mentions: Sequence[Mention], sent_at: datetime | None,
                  message_people: Iterable[Mention] = (), offset: int = 0) -> list[EventRecord]:
    """The events each sentence of doc reports, in reading order (see the module docstring). doc may be a piece
    of the text the mentions' offsets count in, starting at character `offset`; the events' sentence offsets
    count in that text too."""
    message_people = list(message_people)
    end = offset + len(doc.text)
    mentions = [_Local(m, m.start - offset, m.end - offset) for m in mentions if offset <= m.start and m.end <= end]
    mention_tokens: dict[int, str] = {}
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or (m.label == "PERSON" and len(span) == 1 and span[0].lower_ in EVENT_WORDS):
            continue  # "executed this Contract PO-060": the model took a capitalised event word for a name
        for t in span:
            mention_tokens.setdefault(t.i, m.label)
    events: list[EventRecord] = []
    for sent in doc.sents:
        cands = find_candidates(sent)
        if not cands:
            continue
        for event in _sentence_events(doc, sent, cands, mentions, mention_tokens, sent_at,
                                      message_people):
            event.sentence_start += offset
            event.sentence_end += offset
            events.append(event)
    return events


def detect_events_in(sentences: Iterable[tuple[int, object]], mentions: Sequence[Mention],
                     sent_at: datetime | None, message_people: Iterable[Mention] = ()) -> list[EventRecord]:
    """detect_events over the parsed sentences of one text ((offset, Doc) pairs, as EntityAnalyzer.read gives)."""
    message_people = list(message_people)
    return [event for offset, doc in sentences
            for event in detect_events(doc, mentions, sent_at, message_people, offset)]


@dataclass(frozen=True)
class _Local:
    """A mention with its offsets in the parsed piece; `mention` is the caller's object (events name it)."""
    mention: Mention
    start: int
    end: int

    @property
    def label(self) -> str:
        return self.mention.label

    @property
    def text(self) -> str:
        return self.mention.text


def _sentence_events(doc, sent, cands, mentions, mention_tokens, sent_at, message_people):
    trigger_heads = {c.head.i for c in cands}
    kept = []
    for cand in cands:
        if cand.head.i in mention_tokens and mention_tokens[cand.head.i] in ("AGENCY", "VENDOR", "PERSON", "DATE") \
                and cand.kind == "noun":
            continue  # a trigger word inside a name ("Imperial County Regional ALPR Program", "Meet the Press")
        first, last = cand.tokens[0], cand.tokens[-1]
        if first.i > sent.start and last.i + 1 < sent.end and first.nbor(-1).is_quote and last.nbor(1).is_quote:
            continue  # hereinafter referred to as \u201cContract\u201d: a defined term, not an event
        if in_leading_label(cand, sent, cands):
            continue
        ph = phrase_head(cand, trigger_heads)
        if ph is False or ph is None:
            continue
        cand.phrase_head = ph
        cand.etype = type_in_context(cand)
        if not sense_ok(cand, sent, mention_tokens):
            continue
        if negated(cand) or hypothetical_or_generic(cand, sent, mention_tokens):
            continue
        kept.append(cand)
    kept = _merge_purchases(_dedupe(kept))
    if not kept:
        return []
    trigger_ids = {t.i for c in kept for t in c.tokens}
    assigned = assign_dates(doc, sent, kept, mentions, sent_at)
    out = []
    heads = {c.phrase_head.i for c in kept} | {c.head.i for c in kept}
    for cand in kept:
        date_text, date_start, date_end = event_date(doc, cand, assigned.get(cand.head.i, []), sent_at)
        status, explicit = event_status(cand, sent, date_start, date_end, sent_at)
        if cand.anaphor is not None:
            later, later_explicit = event_status(cand.anaphor, sent, None, None, sent_at)
            if later in ("cancelled", "declined") and later_explicit:
                status, explicit = later, True
        location = event_location(cand, sent, mention_tokens, trigger_ids)
        participants = sentence_participants(doc, sent, cand, heads, mentions, message_people)
        trigger_tokens = cand.tokens
        if cand.phrase_head is not cand.head and cand.kind == "noun":
            trigger_tokens = doc[cand.tokens[0].i: cand.phrase_head.i + 1]
        trigger = doc[trigger_tokens[0].i: trigger_tokens[-1].i + 1].text
        confidence = 0.55 + (0.15 if trigger.lower() in _STRONG or cand.phrase_head is not cand.head else 0.0)
        confidence += 0.1 if explicit else 0.0
        confidence += 0.1 if date_text else 0.0
        confidence += 0.05 if participants else 0.0
        out.append(EventRecord(
            event_type=cand.etype, trigger=trigger, sentence=sent.text, sentence_start=sent.start_char,
            sentence_end=sent.end_char, status=status, date_text=date_text, date_start=date_start,
            date_end=date_end, location=location, participants=participants,
            confidence=round(min(confidence, 0.95), 2)))
    return out


def _dedupe(cands):
    """One event per trigger phrase; the same type named twice in one phrase counts once ("renewed the
    license", "evaluating ... in a trial"); a definite "the meeting" after a meeting in the same sentence
    is the same event."""
    out = []
    for cand in cands:
        dup = False
        for prev in out:
            if prev.etype != cand.etype:
                continue
            if cand.phrase_head.i == prev.phrase_head.i:
                dup = True
            elif cand.kind == "verb" and prev.kind == "noun" and prev.head.head.i == cand.head.i and \
                    prev.head.dep_ in ("dobj", "nsubjpass"):
                dup = True
            elif prev.kind == "verb" and cand.kind == "noun" and cand.head.head.i == prev.head.i and \
                    cand.head.dep_ in ("dobj", "nsubjpass"):
                out[out.index(prev)] = cand
                dup = True
            elif cand.kind == "noun" and any(c.dep_ == "det" and norm(c) in ("the", "that", "this")
                                             for c in cand.head.children) and \
                    not any(c.dep_ in ("compound", "amod", "prep", "poss") for c in cand.head.children) and \
                    cand.head.i > prev.head.i and _same_family(prev, cand):
                prev.anaphor = cand  # the earlier mention stays the trigger; the later one may say its status
                dup = True
            if dup:
                break
        if not dup:
            out.append(cand)
    # "get together ... to discuss the bills", "a call to discuss": the talking is the meeting's, not another
    meetings = [c for c in out if c.etype == "meeting" and lemma_of(c.head) not in CONVERSE]
    return [c for c in out if not (c.kind == "verb" and lemma_of(c.head) in CONVERSE and any(
        (tree_distance(c.head, m.phrase_head) <= 3 or _purpose_of(c, m)) and not _apart(c, m) for m in meetings))]


# Prepositions that set another occasion beside or around the talking ("at the meeting" is where it took place),
# and those that make the meeting what is talked about.
ANOTHER_OCCASION = {"besides", "after", "before", "following", "since", "beyond", "apart", "unlike", "until"}
TOPIC_PREPS = {"about", "on", "regarding"}


def _apart(talk, meeting) -> bool:
    """The talking is a conversation of its own, not the meeting's: the meeting is what is talked about ("McCain
    discussed his visit to Libya"), is set on another occasion ("Besides meeting with Jalil, Magariaf is talking to
    ...", "report to you before you talk to Rippe"), or the two are in clauses each with its own subject ("Cameron
    talked to the Amir, and they agreed on Apr 13 for the meeting")."""
    verb, noun = talk.head, meeting.phrase_head
    if any(c.dep_ in ("dobj", "nsubjpass") and noun in c.subtree for c in verb.children):
        return True
    if any(c.dep_ == "prep" and norm(c) in TOPIC_PREPS | ANOTHER_OCCASION and noun in c.subtree
           for c in verb.children):
        return True
    if any(c.dep_ == "mark" and norm(c) in ANOTHER_OCCASION for c in verb.children):
        return True
    other = clause_verb(noun, 8)
    return other is not None and other.dep_ == "conj" and other.head.i == verb.i and \
        any(c.dep_ == "nsubj" for c in other.children) and any(c.dep_ == "nsubj" for c in verb.children)


def _purpose_of(talk, meeting) -> bool:
    """"available to meet, say, any time after 3:00 to discuss the bill": an infinitive of talking a few words after
    a meeting is its purpose, however the parser attached it."""
    return 0 < talk.head.i - meeting.phrase_head.i <= 10 and any(
        c.dep_ == "aux" and norm(c) == "to" for c in talk.head.children)


PURCHASE_RANK = ("purchase order", "po", "quote", "quotation", "pricing", "purchase", "buy", "procure", "contract",
                 "agreement", "renewal", "license", "licence", "subscription", "procurement")


def _purchase_rank(cand) -> int:
    words = " ".join(norm(t) for t in cand.tokens)
    lemma = lemma_of(cand.head)
    for i, w in enumerate(PURCHASE_RANK):
        if words == w or lemma == w:
            return i
    return len(PURCHASE_RANK)


def _merge_purchases(cands):
    """One purchase per phrase: "a Contract for the one-time purchase", "the quote for ... a subscription"."""
    out = []
    for cand in cands:
        twin = next((p for p in out if p.etype == "purchase" == cand.etype
                     and tree_distance(p.phrase_head, cand.phrase_head) <= 4), None)
        if twin is None:
            out.append(cand)
        elif _purchase_rank(cand) < _purchase_rank(twin):
            out[out.index(twin)] = cand
    return out


def _same_family(prev, cand) -> bool:
    return prev.etype == cand.etype
