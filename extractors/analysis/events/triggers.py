"""Candidate triggers in a parsed sentence: lexicon words used as a noun or verb that names an event, and the
event noun each one names ("pilot" -> "program" in "pilot program")."""

from __future__ import annotations

import re

from extractors.analysis.events.lexicon import (CONFERENCE_PARTS, CONVERSE, CONVERSE_PROPOSAL, EVENT_HEADS,
                                                FAIR_KINDS, LABEL_ENDS, MEETING_MODIFIERS, MULTI_FIRST, NOUNS,
                                                SEEING, TEXT_NOUNS, TRAINING_MODIFIERS, VERBS)
from extractors.analysis.events.tokens import ancestors, is_noun, is_verb, lemma_of, norm


def multiword_at(sent, i: int):
    """A multiword trigger starting at token i (hyphens between its words skipped): (tokens, type)."""
    options = MULTI_FIRST.get(norm(sent[i]))
    if not options:
        return None
    for words, etype in options:
        tokens, j = [], i
        for word in words:
            while j < len(sent) and sent[j].text in ("-", "\u2010", "\u2013"):
                j += 1
            if j >= len(sent) or (norm(sent[j]) != word and lemma_of(sent[j]) != word):
                break
            tokens.append(sent[j])
            j += 1
        else:
            return tokens, etype
    return None


def span_head(tokens):
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[-1]


class Candidate:
    __slots__ = ("tokens", "head", "etype", "kind", "phrase_head", "anaphor")

    def __init__(self, tokens, head, etype, kind):
        self.tokens = tokens  # the trigger's words
        self.head = head  # its syntactic head token
        self.etype = etype
        self.kind = kind  # noun | verb
        self.phrase_head = head  # the event noun the trigger names ("program" in "pilot program")
        self.anaphor = None  # a later "the meeting" in the same sentence that refers back to this event


def find_candidates(sent):
    out, used = [], set()
    i, n = 0, len(sent)
    while i < n:
        tok = sent[i]
        multi = multiword_at(sent, i)
        if multi:
            tokens, etype = multi
            head = span_head(tokens)
            kind = "verb" if is_verb(head) and tokens[0].lower_ in ("get", "see", "sit", "touch", "check", "come",
                                                                     "stop") else "noun"
            if tokens[0].lower_ == "see" and tokens[0].pos_ != "VERB":
                i += 1
                continue
            out.append(Candidate(tokens, head, etype, kind))
            used.update(t.i for t in tokens)
            i = tokens[-1].i - sent.start + 1
            continue
        if tok.i in used:
            i += 1
            continue
        low, lemma = norm(tok), lemma_of(tok)
        bare = low.lstrip("-\u2013\u2014\u2022*>")
        if bare != low and bare in NOUNS:  # "--call w King": OCR glued a dash to the word
            out.append(Candidate([tok], tok, NOUNS[bare], "noun"))
        elif low == "hearing" and tok.tag_ == "VBG" and tok.dep_ in ("pcomp", "pobj") and not any(
                c.dep_ == "dobj" for c in tok.children):
            out.append(Candidate([tok], tok, "meeting", "noun"))  # "noticed for hearing on Nov. 2"
        elif low == "fair" and tok.i > sent.start and lemma_of(tok.nbor(-1)) in FAIR_KINDS:
            out.append(Candidate([tok], tok, "conference", "noun"))  # "public school fair" (tagged JJ)
        elif is_noun(tok) and (low in NOUNS or lemma in NOUNS):
            out.append(Candidate([tok], tok, NOUNS.get(lemma) or NOUNS[low], "noun"))
        elif is_verb(tok) and lemma in VERBS:
            out.append(Candidate([tok], tok, VERBS[lemma], "verb"))
        elif tok.pos_ == "VERB" and lemma in CONVERSE and (converse_is_proposal(tok) or people_converse(tok)):
            out.append(Candidate([tok], tok, "meeting", "verb"))
        elif tok.pos_ == "VERB" and lemma in SEEING and sees_someone(tok):
            out.append(Candidate([tok], tok, "meeting", "verb"))
        i += 1
    return out


PEOPLE_PRONOUNS = {"you", "him", "her", "them", "us", "me"}


def sees_someone(tok) -> bool:
    """To see a person is to meet them: "Laurene Jobs has asked to see you on Monday", "I'd like to see Molho and
    Laurene" (a person by name or pronoun as the object; "see the report", "see that ..." are not)."""
    if tok.i == tok.sent.start and not any(c.dep_ == "nsubj" for c in tok.children):
        return False  # "See CYAC v. City of National City", "See Attachment A": a reference, not a visit
    if tok.dep_ == "relcl" and any(c.dep_ in ("dobj", "dep") and norm(c) in ("who", "whom") for c in tok.children):
        return True  # "Minister Fawzi, who I saw the other day": "who" is a person
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    return bool(objects) and all(norm(o) in PEOPLE_PRONOUNS or o.tag_ == "NNP" for o in objects) and not any(
        c.dep_ in ("ccomp", "xcomp", "oprd") for c in tok.children)


def people_converse(tok) -> bool:
    """A conversation that people or bodies had or will have: "Brian and I spoke yesterday", "when we talk", "I
    spoke with the Director", "the vendor would talk to the board", "As discussed, attached is the bill"; never a
    text that discusses something ("the report discusses"), nor a passive ("the bill was discussed")."""
    if tok.tag_ == "VBN" and any(c.dep_ == "mark" and norm(c) == "as" for c in tok.children):
        return lemma_of(tok) == "discuss"  # "As discussed (in London), ...": the writer's past conversation
    if any(c.dep_ == "auxpass" for c in tok.children):
        return False
    partner = any(c.dep_ == "prep" and norm(c) in ("with", "to") for c in tok.children)
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    if not subjects and tok.dep_ == "conj":
        subjects = [c for c in tok.head.children if c.dep_ == "nsubj"]  # "Obama picked up the phone and talked to"
    if not subjects:
        if tok.dep_ == "ROOT" and tok.tag_ == "VB" and tok.i == tok.sent.start:
            return True  # "Talk when you get a chance": asked for, an imperative
        if tok.dep_ == "ROOT" and tok.tag_ == "VBD" and partner:
            return True  # "discussed this with Bill Burns today": the subject blacked out or left off a note
        # "thanks for speaking with me yesterday", "after talking to the vendor"; a participle that sets the scene
        # of another clause ("Speaking to voters in Richmond, Romney chastised ...") is an address, not a talk
        return partner and tok.tag_ == "VBG" and tok.dep_ != "advcl"
    if not partner and lemma_of(tok) in ("talk", "speak") and (norm(subjects[0]) == "you" and any(
            c.dep_ == "aux" and norm(c) in ("can", "could") for c in tok.children) or any(
            c.dep_ == "prep" and norm(c) == "at" and any(g.like_num for g in c.subtree) for c in tok.children)):
        return True  # "Can you talk?", "He can speak at 7pm": the writer's own call, asked for or set
    people = [t for subject in subjects for t in [subject] + [c for c in subject.children if c.dep_ == "conj"]]
    if any(lemma_of(t) in TEXT_NOUNS for t in people):
        return False  # "the report discusses the bill"
    several = len(people) > 1 or norm(people[0]) in ("we", "they", "us", "them")  # "good for us to talk"
    if lemma_of(tok) == "discuss" and not partner:
        # "we discussed the bill": a conversation only among several people, or when it is one's own plan
        return several and not any(c.dep_ == "dobj" and NOUNS.get(lemma_of(c)) for c in tok.children)
    return partner or several


def converse_is_proposal(tok) -> bool:
    """"would like to speak with you", "a few minutes to talk today", "welcome the opportunity to discuss"."""
    if not any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children) and lemma_of(tok) == "discuss":
        if not any(lemma_of(a) in CONVERSE_PROPOSAL for a in ancestors(tok, 3)):
            return False  # "we'd like to discuss the draft", "happy to discuss": a conversation asked for
    for anc in [tok] + ancestors(tok, 3):
        if lemma_of(anc) in CONVERSE_PROPOSAL and anc.i != tok.i:
            return True
    return False


PHRASE_STOPS = {",", ";", ":", "<", ">", "(", ")", "[", "]", "!", "?", ".", "\u2014", "\u2013"}


def phrase_head(cand: Candidate, trigger_heads: set[int]):
    """Follow compound-modifier links up: "pilot" -> "program" (an event noun) keeps the event; "training" ->
    "data" drops it; "webinar" -> "training" (another trigger) defers to that trigger. Returns the event
    noun, None to drop, or False to defer."""
    tok = cand.head
    if cand.kind != "noun":
        return tok
    while tok.dep_ in ("compound", "amod", "nmod") and is_noun(tok.head) and tok.head.i > tok.i:
        head = tok.head
        if any(t.like_url or t.text in PHRASE_STOPS for t in tok.doc[tok.i + 1: head.i]):
            return tok  # "Community Meeting<https://...> Join neighbors": no noun phrase runs over a link or a stop
        if head.i in trigger_heads:
            return False
        if lemma_of(head) in EVENT_HEADS or norm(head) in EVENT_HEADS:
            tok = head
            continue
        if re.search(r"\d", head.text):
            return tok  # "Contract PO-060-12013648", "Purchase order 18-0442": the head is its number
        return None
    return tok


def in_leading_label(cand: Candidate, sent, cands) -> bool:
    """A trigger in a label that opens the sentence ("Term of Contract: This Contract is for the one-time
    purchase", "Training - identify all training obligations"): the label names a topic. It is no event of its
    own when the sentence after it reports one of the same type, or is an instruction (a to-do item)."""
    end = next((t.i for t in sent[:6] if t.text in LABEL_ENDS), None)
    if end is None or cand.head.i >= end or any(t.is_punct for t in sent[:end - sent.start]):
        return False
    if any(other.etype == cand.etype and other.head.i > end for other in cands):
        return True
    rest = [t for t in sent[end - sent.start + 1:] if not t.is_punct]
    return bool(rest) and rest[0].tag_ == "VB" and rest[0].dep_ == "ROOT" and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux") for c in rest[0].children)


def type_in_context(cand: Candidate) -> str:
    """The candidate's type as the words modifying its event noun say: "press conference" and "video
    conference" are meetings, an "Opening Plenary Session" or a session of a conference is a conference's,
    "training workshop" is a training (the lexicon gives the bare word's type)."""
    if cand.kind != "noun":
        return cand.etype
    head = cand.phrase_head
    mods = {norm(c) for c in head.children if c.dep_ in ("compound", "amod", "nmod")}
    mods |= {norm(c) for c in cand.head.children if c.dep_ in ("compound", "amod", "nmod")}
    words = {norm(t) for t in cand.tokens}
    if "conference" in words | {lemma_of(head)} and mods & MEETING_MODIFIERS:
        return "meeting"
    if lemma_of(head) in ("workshop", "session") and mods & TRAINING_MODIFIERS:
        return "training"  # "a training workshop", "hands-on session"
    if lemma_of(head) == "session":
        of = [g for c in head.children if c.dep_ == "prep" and norm(c) in ("of", "at")
              for g in c.children if g.dep_ == "pobj"]
        if mods & CONFERENCE_PARTS or any(NOUNS.get(lemma_of(g)) == "conference" for g in of):
            return "conference"
    return cand.etype
