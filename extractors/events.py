"""Events a sentence reports: demo, training, pilot, meeting, purchase, conference, with evidence.

`detect_events(doc, mentions, sent_at)` reads a parsed message body (a spaCy Doc) sentence by sentence:

1. Triggers come from a lexicon per type (lemmas, and multiword terms such as "proof of concept",
   "purchase order", "conference call", "trade show"), used as a noun or a verb that names an event.
2. Each trigger must pass sense rules that use the parse, not particular sentences: a trigger that only
   modifies another noun ("training data", "demo account", "conference room", "meeting agenda") is no
   event unless that noun is itself an event word ("pilot program", "training course"); idioms ("meeting of
   the minds", "Meet the Press"); naming and demanding senses of "call" ("call it X", "call on X to",
   "call in"); "meet" with requirements; a "demonstration" or "trial" with no product or vendor in sight
   (a protest, a court trial); an aircraft "pilot"; a "press conference".
3. Negated events ("does not have a contract", "no trial is planned"), hypothetical ones ("may be called",
   "if ... a hearing is set") and generic ones ("meets monthly", "each meeting") are dropped: negation is
   not a status.
4. Status from cues on the path from the trigger up to the sentence's root, nearest first: cancelled and
   declined anywhere on that path, then proposed (offer, invite, would like, could you, a quote), scheduled
   (will, scheduled, confirmed, agenda), held (past tense, thank you for, attended), then the event's date
   against sent_at.
5. Date: the DATE mention nearest the trigger in the parse tree (each DATE goes to one trigger), read by
   `extractors.mention_dates.normalize_date` with the clause's tense. Location: a place after at / in / to
   (a GPE mention, a proper name, a place noun, a street address). Participants: the mentions in the
   trigger's clause, plus the message's sender and recipients.

`detect_calendar_event(fields, sent_at)` reads a calendar-invite printout's fields.
Pure functions: no database, no model loading (the caller parses).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from extractors.mention_dates import normalize_date
from models.records import EventRecord, Mention

EVENT_TYPES = ("demo", "training", "pilot", "meeting", "purchase", "conference")

# Single-word triggers: lower-case lemma -> type. Nouns and verbs apart: "meet" the verb, "meeting" the noun.
NOUNS = {
    "demo": "demo", "demonstration": "demo", "walkthrough": "demo", "walk-through": "demo",
    "training": "training", "trainings": "training", "course": "training", "workshop": "training",
    "seminar": "training", "class": "training", "bootcamp": "training",
    "pilot": "pilot", "trial": "pilot", "evaluation": "pilot", "test": "pilot", "poc": "pilot",
    "meeting": "meeting", "mtg": "meeting", "call": "meeting", "teleconference": "meeting", "telecon": "meeting",
    "svtc": "meeting", "vtc": "meeting", "videoconference": "meeting", "briefing": "meeting",
    "session": "meeting", "visit": "meeting", "consultation": "meeting", "hearing": "meeting",
    "roundtable": "meeting", "conversation": "meeting", "appointment": "meeting", "check-in": "meeting",
    "conference": "conference", "webinar": "conference", "summit": "conference", "expo": "conference",
    "symposium": "conference", "convention": "conference", "tradeshow": "conference", "fair": "conference",
    "purchase": "purchase", "quote": "purchase", "quotation": "purchase", "contract": "purchase",
    "agreement": "purchase", "license": "purchase", "licence": "purchase", "renewal": "purchase",
    "po": "purchase", "pricing": "purchase", "procurement": "purchase", "subscription": "purchase",
}
VERBS = {
    "demo": "demo", "demonstrate": "demo",
    "train": "training",
    "pilot": "pilot", "trial": "pilot", "test": "pilot",
    "meet": "meeting", "call": "meeting", "brief": "meeting", "visit": "meeting", "teleconference": "meeting",
    "purchase": "purchase", "buy": "purchase", "procure": "purchase",
}
# Multiword triggers (lower-case words, hyphens ignored) -> type; matched before single words.
MULTIWORD = {
    ("proof", "of", "concept"): "pilot", ("field", "test"): "pilot", ("beta", "test"): "pilot",
    ("test", "drive"): "pilot", ("pilot", "test"): "pilot",
    ("purchase", "order"): "purchase", ("sole", "source", "contract"): "purchase", ("price", "quote"): "purchase",
    ("conference", "call"): "meeting", ("phone", "call"): "meeting", ("video", "call"): "meeting",
    ("check", "in", "call"): "meeting", ("round", "table"): "meeting", ("site", "visit"): "meeting",
    ("get", "together"): "meeting", ("see", "you"): "meeting", ("sit", "down"): "meeting",
    ("trade", "show"): "conference", ("user", "conference"): "conference", ("user", "group"): "conference",
}
# A word that names an event and nothing else: never a person's name ("executed this Contract PO-060").
EVENT_WORDS = set(NOUNS) | set(VERBS)
_MULTI_FIRST = {}
for _words, _type in MULTIWORD.items():
    _MULTI_FIRST.setdefault(_words[0], []).append((_words, _type))
for _first in _MULTI_FIRST:
    _MULTI_FIRST[_first].sort(key=lambda item: -len(item[0]))
# Proposal verbs that make "talk", "speak", "discuss" a meeting ("would like to speak with you").
CONVERSE = {"talk", "speak", "discuss", "chat", "connect"}
CONVERSE_PROPOSAL = {"like", "love", "welcome", "time", "minute", "opportunity", "free", "available", "want",
                     "glad", "happy", "chance", "moment"}

# A trigger that modifies one of these nouns still names an event: "pilot program", "training session".
EVENT_HEADS = {"program", "programme", "project", "session", "course", "class", "event", "day", "workshop",
               "period", "phase", "study", "exercise", "deployment", "run", "series", "meeting", "call", "visit",
               "briefing", "webinar", "conference", "seminar", "training", "demo", "demonstration", "trial",
               "pilot", "evaluation", "certification"}
# Event heads that, in the plural and undated, name standing programmes rather than events.
STANDING_HEADS = {"program", "programme", "project", "course", "class"}
# Punctuation that ends a leading label ("Training - identify ...", "Term of Contract: This Contract ...").
LABEL_ENDS = {"-", "\u2013", "\u2014", ":"}
# Nouns that place something: "at your Reston office", "in Room 412", "on the Route 9 corridor".
PLACE_NOUNS = {"office", "headquarters", "hq", "room", "center", "centre", "building", "hall", "site", "jail",
               "facility", "campus", "hotel", "embassy", "consulate", "station", "precinct", "corridor",
               "courthouse", "library", "school", "academy", "auditorium", "suite", "floor", "lab", "laboratory",
               "warehouse", "annex", "city", "county", "street", "avenue", "road", "plaza", "booth", "venue",
               "chamber", "chambers", "hospital", "base", "capitol", "here", "there"}
SENDING_VERBS = {"send", "travel", "go", "fly", "head", "drive", "bring", "come"}
SELECTING_VERBS = {"select", "choose", "nominate", "register", "enroll", "enrol", "slate", "book", "sign"}
LOOKING_BACK = {"thank", "thanks", "appreciate", "enjoy", "recap", "follow"}
MOTION_VERBS = {"travel", "go", "come", "fly", "send", "head", "return", "drive", "bring", "invite", "host",
                "welcome", "make", "take"}
# Words that show a product or a vendor's offering nearby (a demo, a trial, an evaluation of something).
PRODUCT_WORDS = {"system", "software", "platform", "tool", "app", "application", "product", "device", "camera",
                 "cameras", "solution", "kiosk", "dashboard", "feature", "features", "technology", "module",
                 "reader", "database", "portal", "suite", "service", "services", "license", "licence",
                 "sensor", "drone", "unit", "upgrade", "version", "analytics", "subscription", "equipment"}
OFFERING_MODIFIERS = {"live", "web", "online", "virtual", "onsite", "on-site", "remote", "product", "free",
                      "no-cost", "vendor", "sales", "hands-on", "demo", "pilot", "field", "beta", "trial"}

# Status cues: lemmas on the path from the trigger to the root (nearest first decides).
CANCEL_LEMMAS = {"cancel", "scrap", "scrub", "abandon", "terminate", "cancelled", "canceled", "cancellation"}
DECLINE_LEMMAS = {"decline", "reject", "refuse", "turn", "pass", "forgo", "deny"}
PROPOSE_LEMMAS = {"offer", "invite", "propose", "request", "ask", "suggest", "want", "like", "love", "welcome",
                  "hope", "recommend", "seek", "encourage", "consider", "promise", "interest", "arrange", "try",
                  "explore", "invitation", "proposal", "opportunity", "need", "wonder", "glad", "happy",
                  "willing", "free", "available", "open", "let", "please", "appreciate", "prefer", "discuss",
                  "pitch", "solicit", "quote", "await", "vote"}
SCHEDULE_LEMMAS = {"schedule", "set", "confirm", "plan", "book", "slate", "reschedule", "calendar", "agenda",
                   "expect", "upcoming", "tentatively", "finalize", "lock"}
HELD_LEMMAS = {"attend", "complete", "finish", "conclude", "sign", "execute", "approve", "award", "thank",
               "thanks", "enjoy", "appreciate", "follow", "recap", "readout", "debrief", "run", "extend",
               "renew", "end", "currently", "ongoing", "underway"}
INHERENTLY_PROPOSED = {"quote", "quotation", "pricing", "proposal"}
GENERIC_ADVERBS = {"monthly", "weekly", "daily", "annually", "yearly", "quarterly", "regularly", "usually",
                   "often", "routinely", "typically", "generally", "sometimes", "biweekly", "always"}
HYPOTHETICAL_MARKS = {"if", "unless", "once", "whenever"}
HYPOTHETICAL_MODALS = {"may", "might"}
NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}
ROLE_OF_LABEL = {"VENDOR": "vendor", "AGENCY": "agency", "PERSON": "person", "PRODUCT": "product"}
PLACE_LABELS = {"GPE", "FAC", "LOC"}


# ---------------------------------------------------------------------------------------------------------
# Trigger finding


def _norm(tok) -> str:
    return tok.lower_.replace("\u2019", "'")


def _lemma(tok) -> str:
    return tok.lemma_.lower()


def _is_noun(tok) -> bool:
    if tok.pos_ in ("NOUN", "PROPN") or tok.tag_ in ("NN", "NNS", "NNP", "NNPS"):
        return True
    # Tagged a verb but used as a noun: "the Vigilant Solutions quote" (attr with a determiner).
    return tok.dep_ in ("attr", "dobj", "pobj", "nsubj", "nsubjpass", "conj", "appos") and any(
        c.dep_ in ("det", "poss") for c in tok.children)


def _is_verb(tok) -> bool:
    return tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT")


def _multiword_at(sent, i: int):
    """A multiword trigger starting at token i (hyphens between its words skipped): (tokens, type)."""
    options = _MULTI_FIRST.get(_norm(sent[i]))
    if not options:
        return None
    for words, etype in options:
        tokens, j = [], i
        for word in words:
            while j < len(sent) and sent[j].text in ("-", "\u2010", "\u2013"):
                j += 1
            if j >= len(sent) or (_norm(sent[j]) != word and _lemma(sent[j]) != word):
                break
            tokens.append(sent[j])
            j += 1
        else:
            return tokens, etype
    return None


def _span_head(tokens):
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[-1]


class _Candidate:
    __slots__ = ("tokens", "head", "etype", "kind", "phrase_head", "anaphor")

    def __init__(self, tokens, head, etype, kind):
        self.tokens = tokens  # the trigger's words
        self.head = head  # its syntactic head token
        self.etype = etype
        self.kind = kind  # noun | verb
        self.phrase_head = head  # the event noun the trigger names ("program" in "pilot program")
        self.anaphor = None  # a later "the meeting" in the same sentence that refers back to this event


def _candidates(sent):
    out, used = [], set()
    i, n = 0, len(sent)
    while i < n:
        tok = sent[i]
        multi = _multiword_at(sent, i)
        if multi:
            tokens, etype = multi
            head = _span_head(tokens)
            kind = "verb" if _is_verb(head) and tokens[0].lower_ in ("get", "see", "sit") else "noun"
            if tokens[0].lower_ == "see" and tokens[0].pos_ != "VERB":
                i += 1
                continue
            out.append(_Candidate(tokens, head, etype, kind))
            used.update(t.i for t in tokens)
            i = tokens[-1].i - sent.start + 1
            continue
        if tok.i in used:
            i += 1
            continue
        low, lemma = _norm(tok), _lemma(tok)
        bare = low.lstrip("-\u2013\u2014\u2022*>")
        if bare != low and bare in NOUNS:  # "--call w King": OCR glued a dash to the word
            out.append(_Candidate([tok], tok, NOUNS[bare], "noun"))
        elif low == "hearing" and tok.tag_ == "VBG" and tok.dep_ in ("pcomp", "pobj") and not any(
                c.dep_ == "dobj" for c in tok.children):
            out.append(_Candidate([tok], tok, "meeting", "noun"))  # "noticed for hearing on Nov. 2"
        elif low == "fair" and tok.i > sent.start and _lemma(tok.nbor(-1)) in FAIR_KINDS:
            out.append(_Candidate([tok], tok, "conference", "noun"))  # "public school fair" (tagged JJ)
        elif _is_noun(tok) and (low in NOUNS or lemma in NOUNS):
            out.append(_Candidate([tok], tok, NOUNS.get(lemma) or NOUNS[low], "noun"))
        elif _is_verb(tok) and lemma in VERBS:
            out.append(_Candidate([tok], tok, VERBS[lemma], "verb"))
        elif tok.pos_ == "VERB" and lemma in CONVERSE and _converse_is_proposal(tok):
            out.append(_Candidate([tok], tok, "meeting", "verb"))
        i += 1
    return out


def _converse_is_proposal(tok) -> bool:
    """"would like to speak with you", "a few minutes to talk today", "welcome the opportunity to discuss"."""
    if not any(c.dep_ == "prep" and c.lower_ == "with" for c in tok.children) and _lemma(tok) == "discuss":
        if not any(_lemma(a) in ("welcome", "opportunity") for a in _ancestors(tok, 3)):
            return False
    for anc in [tok] + _ancestors(tok, 3):
        if _lemma(anc) in CONVERSE_PROPOSAL and anc.i != tok.i:
            return True
    return False


def _ancestors(tok, limit: int = 12):
    out = []
    while tok.head.i != tok.i and len(out) < limit:
        tok = tok.head
        out.append(tok)
    return out


# ---------------------------------------------------------------------------------------------------------
# Sense rules


def _phrase_head(cand: _Candidate, trigger_heads: set[int]):
    """Follow compound-modifier links up: "pilot" -> "program" (an event noun) keeps the event; "training" ->
    "data" drops it; "webinar" -> "training" (another trigger) defers to that trigger. Returns the event
    noun, None to drop, or False to defer."""
    tok = cand.head
    if cand.kind != "noun":
        return tok
    while tok.dep_ in ("compound", "amod", "nmod") and _is_noun(tok.head) and tok.head.i > tok.i:
        head = tok.head
        if head.i in trigger_heads:
            return False
        if _lemma(head) in EVENT_HEADS or _norm(head) in EVENT_HEADS:
            tok = head
            continue
        if re.search(r"\d", head.text):
            return tok  # "Contract PO-060-12013648", "Purchase order 18-0442": the head is its number
        return None
    return tok


def _has_product_context(cand: _Candidate, sent, mention_tokens: dict[int, str]) -> bool:
    """A product, a vendor or an offering word near the trigger (not a protest, a court case, a quiz)."""
    head = cand.phrase_head
    near = list(head.subtree) + [head.head] + list(head.head.children)
    for t in near:
        if mention_tokens.get(t.i) in ("PRODUCT", "VENDOR"):
            return True
        if _lemma(t) in PRODUCT_WORDS or _norm(t) in PRODUCT_WORDS:
            return True
    left = sent.doc[head.left_edge.i: head.i].text.lower()
    if re.search(r"\d+\s*-?\s*(day|week|month)|no\s*-?\s*cost|\bfree\b", left):
        return True  # "a no-cost 90-day pilot"
    for child in list(cand.head.children) + list(head.children):
        if child.dep_ in ("amod", "compound", "nummod") and (
                _norm(child) in OFFERING_MODIFIERS or re.search(r"\d+-(day|week|month)", child.text.lower())):
            return True
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            return True
    if any(mention_tokens.get(t.i) in ("PRODUCT", "VENDOR") for t in sent):
        # A vendor in the sentence and nothing that says protest.
        return cand.etype in ("demo", "pilot")
    return False


AIRCRAFT = {"helicopter", "airline", "aircraft", "plane", "fighter", "jet", "air", "chopper", "co", "bush",
            "commercial", "navy", "marine", "army", "helo", "airplane", "drone", "boat", "test"}
PROTEST = {"peaceful", "violent", "large", "mass", "street", "angry", "anti", "protest", "student", "public",
           "spontaneous"}
COURT = {"murder", "jury", "criminal", "court", "civil", "bench", "mock", "speedy", "show", "clinical", "rape",
         "capital"}
SATISFY_OBJECTS = {"requirement", "need", "deadline", "responsibility", "request", "standard", "goal", "target",
                   "expectation", "criterion", "criteria", "obligation", "demand", "threshold", "press", "end",
                   "condition", "qualification", "specification", "challenge", "quota", "budget"}
NOT_A_CALL_PARTICLES = {"on", "in", "off", "out", "up", "for"}
FAIR_KINDS = {"school", "job", "career", "trade", "vendor", "technology", "resource", "county", "expo", "health",
              "safety", "information"}
NOT_VISITED = {"booth", "website", "site", "page", "link", "url", "webpage", "portal", "http", "https"}


def _sense_ok(cand: _Candidate, sent, mention_tokens) -> bool:
    tok, head = cand.head, cand.phrase_head
    low, lemma = _norm(tok), _lemma(tok)
    kids = list(tok.children)
    kid_lemmas = {_lemma(c) for c in kids}
    mods = {_norm(c) for c in kids if c.dep_ in ("compound", "amod", "nmod", "npadvmod")}
    if len(cand.tokens) > 1:
        words = tuple(_norm(t) for t in cand.tokens)
        if words[0] == "see" and not (tok.pos_ == "VERB" or cand.tokens[0].pos_ == "VERB"):
            return False
        if words[0] == "see":
            # "we'll see you on October 20", "try to see you before the hearing" (not "see you soon" alone)
            return any(c.dep_ in ("aux",) and _lemma(c) in ("will", "'ll", "shall") for c in cand.tokens[0].children) \
                or _lemma(cand.tokens[0].head) in ("try", "want", "like", "hope", "suggest", "able") \
                or any(c.dep_ in ("prep", "npadvmod") for c in cand.tokens[0].children)
        return True
    # Idioms and set phrases.
    nxt = tok.nbor(1) if tok.i + 1 < sent.end else None
    if lemma == "meeting" or low == "meeting":
        if nxt is not None and nxt.lower_ == "of" and tok.i + 3 < sent.end and tok.nbor(3).lower_ == "minds":
            return False
    if cand.kind == "verb":
        dobjs = [c for c in kids if c.dep_ in ("dobj", "attr")]
        if any(c.dep_ in ("oprd", "ccomp") and mention_tokens.get(c.i) != "DATE" and not c.like_num
               and not re.match(r"\d", c.text) for c in kids) and lemma == "call":
            return False  # "call him X", "call it a red line"
        if lemma == "call":
            if any(c.dep_ == "prt" and _norm(c) in NOT_A_CALL_PARTICLES for c in kids):
                return False  # call off / call in / call out
            if any(c.dep_ == "prep" and _norm(c) in ("on", "for") for c in kids):
                return False  # "called on governments to ...", "calls for"
            if any(c.dep_ == "nsubjpass" for c in kids):
                return False  # "a meeting may be called": convening, not a call
            if any(c.dep_ == "xcomp" for c in kids) and dobjs:
                return False  # "call him a liar"
            if tok.head.lemma_ == "feel" or any(_lemma(a) == "feel" for a in _ancestors(tok, 2)):
                return False  # "feel free to call": an open offer, no occurrence
            if dobjs and all(c.pos_ == "NOUN" and c.tag_ == "NN" and not any(d.dep_ == "det" for d in c.children)
                             and _lemma(c) not in ("office", "staff") for c in dobjs):
                return False  # "call dispatch", "call 911"-like instructions
        if lemma == "meet":
            if any(_lemma(c) in SATISFY_OBJECTS for c in dobjs):
                return False
            if low.startswith("meet") and tok.i + 2 < sent.end and tok.nbor(1).lower_ == "the" \
                    and tok.nbor(2).lower_ == "press":
                return False
        if lemma == "visit":
            if any(_lemma(c) in NOT_VISITED or c.like_url for c in dobjs):
                return False
            if any(t.like_url for t in tok.subtree) or (nxt is not None and nxt.text == ":"):
                return False
        if lemma == "demonstrate":
            if any(c.dep_ in ("ccomp",) or (c.dep_ == "mark") for c in kids):
                return False  # "demonstrated that ..." = showed
            return _has_product_context(cand, sent, mention_tokens)
        if lemma in ("test", "trial", "pilot"):
            return any(mention_tokens.get(c.i) in ("PRODUCT", "VENDOR") or _lemma(c) in PRODUCT_WORDS
                       for d in dobjs for c in d.subtree)
        if lemma in ("purchase", "buy", "procure"):
            return _government_buyer_or_product(tok, mention_tokens)
        if lemma == "brief" and tok.tag_ not in ("VB", "VBD", "VBN", "VBG", "VBZ", "VBP"):
            return False
        if lemma == "train":
            return not any(c.dep_ == "prep" and _norm(c) == "on" for c in kids) or True
        return True
    # Nouns.
    if lemma == "call" or low in ("call", "calls"):
        if any(c.dep_ in ("acl", "relcl") and c.tag_ == "VB" for c in kids) or \
                any(c.dep_ == "prep" and _norm(c) in ("for", "to") and any(g.pos_ == "VERB" for g in c.children)
                    for c in kids):
            return False  # "a call to double down", "a call for proposals"
        after = [t for t in sent.doc[tok.i + 1: min(tok.i + 4, sent.end)] if not t.is_quote]
        if len(after) >= 2 and after[0].lower_ == "to" and after[1].pos_ == "VERB":
            return False  # "a call \u201cto double down\u201d": an appeal
        if mods & {"roll", "sick", "close", "judgment", "judgement", "wake-up", "margin", "service"}:
            return False  # roll call (a shift muster), a close call, a judgment call
        if tok.head.lemma_ == "give" and any(_lemma(a) == "feel" for a in _ancestors(tok, 4)):
            return False
    if lemma == "conference" or low == "conference":
        if mods & {"press", "news", "media"}:
            return False
    if lemma == "hearing":
        if any(c.dep_ == "prep" and _norm(c) in ("from", "about", "back") for c in kids) or tok.tag_ == "VBG":
            return False
        if mods & {"aid", "loss", "impaired"}:
            return False
    if lemma == "course":
        if not (mods - {"the", "this"}) and not (head is not tok):
            return False  # "of course", "the course of": only a named kind of course is a training
        if mods & {"golf", "due", "main", "race", "obstacle", "first", "second", "collision"}:
            return False
    if lemma == "class":
        if not (mods & {"training", "certification", "online", "user", "operator", "refresher"}):
            return False
    if lemma == "session":
        if mods & {"closed", "executive", "legislative", "plenary"} and any(
                a.lower_ in HYPOTHETICAL_MARKS for t in _ancestors(tok, 4) for a in t.children):
            return False
        if mods & {"legislative", "lame-duck"}:
            return False
    if lemma == "fair":
        if not (mods & FAIR_KINDS) and not (tok.i > sent.start and _lemma(tok.nbor(-1)) in FAIR_KINDS):
            return False
    if lemma == "convention":
        if not (mods & {"annual", "national", "state", "user"}) and not any(
                mention_tokens.get(c.i) for c in tok.subtree):
            return False
    if lemma == "pilot" or low == "pilot":
        if mods & AIRCRAFT or tok.dep_ in ("nsubj",) and _lemma(tok.head) in ("say", "report", "fly", "land", "sit",
                                                                               "tell", "radio", "announce"):
            return False
        if any(c.dep_ in ("acl", "relcl") for c in kids):
            return False  # "a pilot just sitting in the next room"
        if any(d.dep_ == "det" and _norm(d) in ("a", "an") for d in kids) and not (
                _has_product_context(cand, sent, mention_tokens)):
            return False
    if lemma in ("trial", "test", "evaluation"):
        if mods & COURT:
            return False
        if tok.dep_ == "pobj" and tok.head.lower_ == "on" and lemma == "trial":
            return False
        if not _has_product_context(cand, sent, mention_tokens):
            return False
    if lemma in ("demo", "demonstration"):
        if mods & PROTEST:
            return False
        for c in kids:
            if c.dep_ == "prep" and _norm(c) in ("of", "against", "by") and any(
                    _lemma(g) in ("people", "person", "protester", "protestor", "support", "solidarity", "force",
                                  "resolve", "commitment", "student", "resident", "worker")
                    for g in c.children):
                return False
        if not _has_product_context(cand, sent, mention_tokens):
            return False
    if lemma == "agreement":
        if mods & {"sharing", "data-sharing", "share", "nondisclosure", "non-disclosure", "confidentiality",
                   "settlement", "peace", "plea", "ceasefire", "cease-fire", "trade"} or any(
                "shar" in _norm(c) for c in kids if c.dep_ in ("compound", "amod")):
            return False
        if tok.head.lemma_ in ("reach", "come") or (tok.dep_ == "pobj" and tok.head.lower_ == "in"):
            return False  # "in agreement", "reached agreement"
    if lemma == "contract":
        pass
    if lemma in ("purchase", "procurement") and tok.dep_ == "pobj" and _norm(tok.head) == "for" and \
            _lemma(tok.head.head) in ("rebate", "voucher", "grant", "fund"):
        return False
    if lemma == "visit":
        if any(c.like_url for c in tok.subtree):
            return False
    if lemma == "quote":
        if tok.head.lemma_ in ("say",) or any(c.dep_ == "punct" and c.text in '"\u201c' for c in kids):
            return False
    return True


BUYER_WORDS = {"we", "i", "you", "us", "agency", "department", "county", "city", "office", "sheriff", "police",
               "district", "state", "council", "board", "division", "unit", "bureau", "government", "town"}


def _government_buyer_or_product(tok, mention_tokens) -> bool:
    """A purchase verb counts when a government body (or we / you in agency mail) buys, or, with no buyer
    printed, when a product is bought. "AQIM operatives ... purchase the equipment" is no procurement."""
    t = tok
    subj = None
    for _ in range(5):  # up through "and", "to", "able": "operatives were able to meet ... and purchase X"
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.dep_ != "nsubjpass"), None)
        if subj is not None or t.dep_ not in ("conj", "xcomp", "relcl", "acomp"):
            break
        t = t.head
    if tok.dep_ == "relcl" and subj is not None and _norm(subj) in ("that", "which"):
        subj = None
    if subj is not None:
        return mention_tokens.get(subj.i) == "AGENCY" or _lemma(subj) in BUYER_WORDS or any(
            _lemma(g) in BUYER_WORDS for g in subj.subtree)
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    if tok.dep_ == "relcl":
        objs.append(tok.head)
    return any(mention_tokens.get(g.i) in ("PRODUCT", "VENDOR") or _lemma(g) in PRODUCT_WORDS
               for o in objs for g in o.subtree)


def _negated(cand: _Candidate) -> bool:
    """The trigger, or the verb it is the subject or object of, is negated ("does not have a contract",
    "no trial is planned", "doesn't want a visit")."""
    tok, head = cand.head, cand.phrase_head
    for t in {tok, head}:
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and _norm(c) in ("no", "neither")):
                return True
    gov = head
    if head.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") or cand.kind == "verb":
        gov = head.head if cand.kind == "noun" else head
        if any(c.dep_ == "neg" for c in gov.children):
            return True
        # "declined not to ..." aside, a negated verb one step up by xcomp ("does not want to meet").
        if gov.dep_ == "xcomp" and any(c.dep_ == "neg" for c in gov.head.children):
            return _lemma(gov.head) not in ("hesitate",)
    return False


def _hypothetical_or_generic(cand: _Candidate, sent, mention_tokens) -> bool:
    tok, head = cand.head, cand.phrase_head
    for t in {tok, head} | ({head.head} if head.dep_ == "conj" else set()):
        for c in t.children:
            if c.dep_ == "det" and _norm(c) in ("each", "any"):
                return True
            if c.dep_ == "advmod" and _norm(c) in GENERIC_ADVERBS:
                return True
    if cand.kind == "noun" and head.tag_ in ("NNS", "NNPS") and not any(True for _ in head.children):
        return True  # a bare plural: "moving only for meetings as required"
    if cand.kind == "noun" and head is not tok and head.tag_ in ("NNS", "NNPS") and \
            _lemma(head) in STANDING_HEADS and not any(
                c.dep_ == "nummod" or mention_tokens.get(c.i) == "DATE" for c in head.subtree):
        return True  # "investing in our workforce training programs": programmes that exist, not an event
    if cand.kind == "noun" and any(c.dep_ == "det" and _norm(c) in ("that", "those") for c in head.children) and \
            not any(c.dep_ in ("compound", "amod", "prep", "relcl", "acl", "nummod") for c in head.children):
        return True  # "that meeting", "I returned that call": a reference back to an event told before
    chain = [head] + _ancestors(head, 6)
    for t in chain:  # rule text: "Each meeting notice shall include ..."
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and _norm(c) in ("shall", "must") for c in t.children):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and any(c.dep_ == "det" and _norm(c) in ("each", "every", "any", "all")
                                        for c in subj.children):
                return True
    if cand.kind == "verb":
        verb0 = head
        if verb0.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and _norm(c) == "to" for c in verb0.children):
            gov = verb0.head
            if (gov.tag_ == "VB" or gov.dep_ == "ROOT") and not any(c.dep_ in ("nsubj", "aux") for c in gov.children) and \
                    verb0.i < gov.i:
                return True  # "To get trained in CPR, visit ...": a purpose clause of an instruction
        if verb0.dep_ == "relcl":
            ante = verb0.head
            if mention_tokens.get(ante.i) is None and _lemma(ante) not in BUYER_WORDS and ante.pos_ in ("NOUN",) \
                    and any(_norm(c) in ("that", "which") for c in verb0.children if c.dep_ == "nsubj"):
                return True  # "a facility that will train students": what a thing does, not an event
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None:
        for c in verb.children:
            if c.dep_ == "advmod" and _norm(c) in GENERIC_ADVERBS:
                return True
            if c.dep_ == "aux" and _norm(c) in HYPOTHETICAL_MODALS:
                return True
        # A clause introduced by "if" / "once" / "unless" holding the trigger.
        for t in chain[: chain.index(verb) + 3] if verb in chain else chain[:3]:
            if any(c.dep_ == "mark" and _norm(c) in HYPOTHETICAL_MARKS for c in t.children) and not (
                    t.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and _norm(c) in ("was", "were", "had", "did")
                                           for c in t.children)):
                return True
            if t.dep_ in ("ROOT",):
                break
        # Generic subject: a bare plural noun with "should" or "must" ("Officers should call dispatch").
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        modal = {_norm(c) for c in verb.children if c.dep_ == "aux"}
        if subj is not None and subj.tag_ == "NNS" and not any(c.dep_ in ("det", "poss", "nummod")
                                                                for c in subj.children) and modal & {"should", "must"}:
            return True
        if (subj is not None and subj.i == head.i) and _lemma(verb) in ("require", "mandate") and \
                verb.tag_ in ("VBN",):
            return True  # "training ... is required before any detective operates the device"
    return False


# ---------------------------------------------------------------------------------------------------------
# Status, date, location, participants


def _tense(tok) -> str | None:
    """past | future | present | None for the nearest verb governing tok."""
    for t in [tok] + _ancestors(tok, 6):
        if t.pos_ not in ("VERB", "AUX"):
            continue
        aux = {_norm(c) for c in t.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"will", "'ll", "shall", "wo"} or (t.tag_ == "VBG" and any(
                _norm(c) == "going" for c in t.children)):
            return "future"
        if t.tag_ == "VBD" or aux & {"had", "did", "was", "were", "has", "have", "'ve"} and t.tag_ == "VBN":
            return "past"
        if aux & {"was", "were", "did", "had"}:
            return "past"
        if t.tag_ in ("VBZ", "VBP") or aux & {"is", "are", "am", "'s", "'re", "'m"}:
            return "present"
        if t.tag_ == "VBN" and t.dep_ in ("ROOT", "conj", "acl", "relcl", "advcl"):
            return "past"
    return None


TEMPORAL_PREPS = {"after", "before", "following", "since", "during", "until", "till", "prior"}
CLAUSE_DEPS = {"ccomp", "advcl", "relcl", "parataxis", "acl"}
SATELLITE_DEPS = {"acl", "relcl", "amod", "advmod", "aux", "auxpass", "prt", "neg", "acomp", "npadvmod"}


def _status_path(head) -> list:
    """The trigger and the tokens above it up to the head of its own clause, nearest first. Climbing stops
    at a clause with its own subject, at a subordinate clause, and at a temporal preposition ("after the
    community meeting, the office cancelled the trial": the cancelling is not the meeting's)."""
    path, t = [head], head
    while t.head.i != t.i and len(path) < 12:
        if t is not head and t.pos_ in ("VERB", "AUX") and (t.dep_ in CLAUSE_DEPS or (
                t.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children))):
            break
        if t.dep_ == "prep" and _norm(t) in TEMPORAL_PREPS:
            break
        if t is head and t.dep_ in ("ccomp", "advcl", "parataxis") and t.pos_ in ("VERB", "AUX"):
            break
        t = t.head
        path.append(t)
    return path


def _satellites(t, path_ids):
    out = []
    for c in t.children:
        if c.dep_ in SATELLITE_DEPS and c.i not in path_ids:
            out.append(c)
            if c.dep_ in ("acl", "relcl"):
                out.extend(g for g in c.children if g.dep_ in ("advmod", "aux", "auxpass", "prt"))
    return out


def _status(cand: _Candidate, sent, date_start, date_end, sent_at) -> tuple[str | None, bool]:
    """(status, explicit?). An event dated after the message was sent cannot have been held yet, whatever the
    tense of the clause ("has agreed to a pilot starting in May")."""
    status, explicit = _status_from_cues(cand, sent, date_start, date_end, sent_at)
    if status == "held" and date_start is not None and sent_at is not None and date_start.date() > sent_at.date():
        return "scheduled", explicit
    if status == "held" and _destination_of_a_plan(cand.phrase_head):
        return "scheduled", explicit
    return status, explicit


def _destination_of_a_plan(head) -> bool:
    """The event is where someone is still to go: "approved sending four detectives to the operator course",
    "plans to travel to the summit" (a sending verb not in a finite past form governs "to <event>"), or what
    someone was picked for: "you have been selected for the operator training"."""
    prep = head.head
    if head.dep_ != "pobj" or _norm(prep) not in ("to", "for"):
        return False
    verb = prep.head
    if any(_lemma(a) in LOOKING_BACK for a in [verb] + _ancestors(verb, 4)):
        return False  # "thank you for coming to the training" is over: thanks and the like look back
    if _norm(prep) == "to":
        return _lemma(verb) in SENDING_VERBS and verb.tag_ in ("VB", "VBG")
    return _lemma(verb) in SELECTING_VERBS  # "you have been selected for the operator training"


def _status_from_cues(cand: _Candidate, sent, date_start, date_end, sent_at) -> tuple[str | None, bool]:
    """(status, explicit?) from cues nearest the trigger, then the date against sent_at, then tense."""
    head = cand.phrase_head
    path = _status_path(head)
    path_ids = {t.i for t in path}
    near = []
    for t in path:
        near.append(t)
        near.extend(_satellites(t, path_ids))
    # Cancelled / declined anywhere in the trigger's clause.
    for t in near:
        lemma = _lemma(t)
        if lemma in CANCEL_LEMMAS or (lemma == "call" and any(_norm(c) == "off" for c in t.children)):
            return "cancelled", True
        if lemma == "postpone":
            rest = " ".join(c.text.lower() for c in t.subtree)
            if "further notice" in rest or "indefinitely" in rest or not re.search(
                    r"\b(to|until|till)\b.*(\d|monday|tuesday|wednesday|thursday|friday|next|january|february|march|"
                    r"april|may|june|july|august|september|october|november|december)", rest):
                return "cancelled", True
            return "scheduled", True
        if lemma in DECLINE_LEMMAS and t.pos_ == "VERB" and t.i != cand.head.i:
            if lemma == "turn" and not any(_norm(c) == "down" for c in t.children):
                continue
            if lemma == "pass" and not any(_norm(c) == "on" for c in t.children):
                continue
            return "declined", True
    if re.search(r"\bnot interested\b|\bwe(?:'ll| will) pass\b", sent.text.lower()):
        return "declined", True
    is_question = sent.text.rstrip().endswith("?")
    for t in path:
        lemma = _lemma(t)
        sats = _satellites(t, path_ids)
        if t.i == cand.head.i or t.i == head.i:
            if lemma in INHERENTLY_PROPOSED or _norm(t) in INHERENTLY_PROPOSED:
                if any(_lemma(x) in ("approve", "accept", "sign", "execute", "award") for x in path[1:5]):
                    return "held", True
                return "proposed", True
        else:
            cue = _lexical_cue(t)
            if cue:
                return cue, True
        for s_ in sats:
            cue = _lexical_cue(s_)
            if cue:
                return cue, True
        if t.pos_ in ("VERB", "AUX"):
            aux = {_norm(c) for c in t.children if c.dep_ in ("aux", "auxpass")}
            if aux & {"can", "could", "would", "should", "'d", "might"}:
                return "proposed", True
            if is_question and t.i == sent.root.i and (aux & {"will", "do", "does", "are", "is"} or any(
                    _norm(c) == "you" for c in t.children)):
                return "proposed", True
            if aux & {"will", "'ll", "shall", "wo"}:
                return "scheduled", True
            if t.tag_ == "VBD" or (t.tag_ == "VBN" and aux & {"has", "have", "had", "'ve", "was", "were", "'d"}):
                return "held", True
            if t.tag_ == "VBG" and any(_norm(c) == "going" for c in t.children):
                return "scheduled", True
            if t.tag_ in ("VBZ", "VBP") or aux & {"is", "are", "am", "'s", "'re", "'m"}:
                break  # present tense: the date decides, else it holds now
            if t.tag_ == "VBN" and t.dep_ in ("ROOT", "conj") and not aux:
                return "held", True
    if is_question and any(_norm(t) == "you" for t in sent):
        return "proposed", True
    if date_start is not None and sent_at is not None:
        end = date_end or date_start
        if end.date() < sent_at.date():
            return "held", False
        if date_start.date() > sent_at.date():
            return "scheduled", False
        return ("held" if date_start <= sent_at or not (date_start.hour or date_start.minute) else "scheduled"), False
    tense = _tense(head)
    if tense == "future":
        return "scheduled", False
    if tense in ("past", "present"):
        return "held", False
    return None, False


def _lexical_cue(t) -> str | None:
    lemma = _lemma(t)
    if lemma in ("thank", "thanks"):
        return "held"
    if lemma == "appreciate":
        return None if any(_norm(c) in ("would", "'d") for c in t.children) else "held"
    if lemma in PROPOSE_LEMMAS:
        if lemma in ("need", "try", "discuss", "open", "free", "available", "interest") and t.pos_ not in (
                "ADJ", "VERB", "AUX"):
            return None
        if lemma == "let" and not any(_norm(c) in ("'s", "us") for c in t.children):
            return None
        return "proposed"
    if lemma in SCHEDULE_LEMMAS:
        if lemma == "set" and t.pos_ == "VERB" and not any(c.dep_ == "prep" and _norm(c) in ("for", "to")
                                                           for c in t.children) and t.tag_ != "VBN":
            return None
        return "scheduled"
    if lemma in HELD_LEMMAS and (t.pos_ in ("VERB", "ADV", "ADJ") or lemma in ("thanks", "readout")):
        if lemma == "follow" and not any(_norm(c) == "up" for c in t.children):
            return None
        if any(_norm(c) in ("will", "'ll", "shall") for c in t.children if c.dep_ == "aux"):
            return "scheduled"
        return "held"
    return None


def _tree_distance(a, b) -> int:
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


def _date_preference(date_root, trigger) -> str | None:
    """"scheduled for Friday", "offered ... on Friday": the next one, whatever the main verb's tense."""
    if date_root is None:
        return None
    for t in [date_root] + _ancestors(date_root, 4):
        if _lemma(t) in SCHEDULE_LEMMAS or _lemma(t) in ("offer", "invite", "propose", "postpone", "move"):
            return "future"
        if t.i == trigger.i:
            break
    return None


def _other_clause(date_root, trigger) -> bool:
    """The date sits in a clause with its own subject that the trigger is not in ("the visit ... since he'd
    assumed the post in May")."""
    trigger_line = {trigger.i} | {t.i for t in _ancestors(trigger, 20)}
    t = date_root
    while t.i not in trigger_line:
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _mention_root(doc, mention: Mention):
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


_DATE_LIKE = re.compile(r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$"
                        r"|^\d+$", re.IGNORECASE)


def _location(cand: _Candidate, sent, mention_tokens, trigger_ids: set[int]) -> str | None:
    head = cand.phrase_head
    chain = [head]
    for t in _ancestors(head, 3):
        chain.append(t)
        if t.pos_ in ("VERB", "AUX"):
            break
    candidates = []
    for depth, t in enumerate(chain):
        for c in t.children:
            place = None
            if c.dep_ == "prep" and _norm(c) in ("at", "in", "on", "to", "inside") and c.i != head.i:
                if _norm(c) == "to" and not (_lemma(t) in MOTION_VERBS or _lemma(t) in ("visit", "trip", "travel")):
                    continue
                place = next((g for g in c.children if g.dep_ == "pobj"), None)
            elif c.dep_ in ("compound",) and _lemma(t) == "visit" and mention_tokens.get(c.i) in (None, "GPE"):
                place = c if c.pos_ == "PROPN" else None
            elif c.dep_ == "dobj" and _lemma(t) == "visit":
                place = c
            elif c.dep_ == "advmod" and _norm(c) in ("here", "there") and _lemma(t) in ("visit",):
                place = c
            if place is None or place.i in trigger_ids:
                continue
            label = mention_tokens.get(place.i)
            if label in ("DATE", "PERSON", "AGENCY", "VENDOR", "PRODUCT"):
                if label != "AGENCY" or not (_lemma(place) in PLACE_NOUNS):
                    continue
            is_place = (label in PLACE_LABELS or (place.pos_ == "PROPN" and label is None)
                        or _lemma(place) in PLACE_NOUNS or _norm(place) in PLACE_NOUNS
                        or any(g.like_num and g.dep_ in ("nummod", "compound") for g in place.children))
            if not is_place or _lemma(place) in ("time", "person", "advance", "preparation", "week", "morning") or \
                    _DATE_LIKE.search(place.text):
                continue
            sub = [g for g in place.subtree if g.i not in trigger_ids]
            if not sub:
                continue
            left, right = sub[0].i, sub[-1].i
            for g in sub:  # stop before a trailing date ("office on Wednesday, April 17")
                if mention_tokens.get(g.i) == "DATE" or (g.dep_ == "prep" and _norm(g) in ("on", "from", "for",
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


def _clause_tokens(cand: _Candidate, other_heads: set[int]):
    """Token ids of the trigger's clause: the governing verb's subtree without clauses holding other triggers."""
    head = cand.phrase_head
    top = head
    for t in _ancestors(head, 6):
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


# ---------------------------------------------------------------------------------------------------------
# Public API


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
        cands = _candidates(sent)
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


def _in_leading_label(cand: _Candidate, sent, cands) -> bool:
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
        if _in_leading_label(cand, sent, cands):
            continue
        ph = _phrase_head(cand, trigger_heads)
        if ph is False or ph is None:
            continue
        cand.phrase_head = ph
        if not _sense_ok(cand, sent, mention_tokens):
            continue
        if _negated(cand) or _hypothetical_or_generic(cand, sent, mention_tokens):
            continue
        kept.append(cand)
    kept = _merge_purchases(_dedupe(kept))
    if not kept:
        return []
    trigger_ids = {t.i for c in kept for t in c.tokens}
    # Dates: each DATE mention in the sentence goes to its nearest trigger in the tree.
    dates = [m for m in mentions if m.label == "DATE" and sent.start_char <= m.start < sent.end_char]
    assigned: dict[int, list[tuple[int, Mention]]] = {}
    for m in dates:
        root = _mention_root(doc, m)
        if root is None:
            continue
        options = [c for c in kept if not _other_clause(root, c.phrase_head)]
        if root.dep_ == "poss":  # "after yesterday's demonstration ... the course": the day is its noun phrase's
            options = [c for c in options if root.head.is_ancestor(c.phrase_head) or root.head.i == c.phrase_head.i]
        if not options:
            continue
        best = min(options, key=lambda c: (_tree_distance(root, c.phrase_head), abs(root.i - c.head.i)))
        dist = _tree_distance(root, best.phrase_head)
        if dist <= 6:
            time_only = normalize_date(m.text, sent_at)[0] is None
            assigned.setdefault(best.head.i, []).append((time_only * 1000 + dist * 100 + abs(root.i - best.head.i),
                                                         m))
    out = []
    heads = {c.phrase_head.i for c in kept} | {c.head.i for c in kept}
    for cand in kept:
        date_text = date_start = date_end = None
        tense = _tense(cand.phrase_head)
        prefer = {"past": "past", "future": "future"}.get(tense)
        if cand.head.i in assigned:
            picks = sorted(assigned[cand.head.i], key=lambda x: x[0])
            chosen = picks[0][1]
            date_text = chosen.text
            prefer = _date_preference(_mention_root(doc, chosen), cand.phrase_head) or prefer
            date_start, date_end = normalize_date(chosen.text, sent_at, prefer)
            for _, other in picks[1:]:  # a time printed apart from its day ("next Monday ... a 2:00 p.m. meeting")
                if date_start is None or date_start.hour or date_start.minute:
                    break
                o_start, _ = normalize_date(other.text, sent_at, prefer)
                if o_start is None and re.search(r"\d:\d\d|\d\s*[ap]\.?m", other.text, re.I):
                    hm = re.search(r"(\d{1,2})(?::(\d\d))?\s*([ap])?", other.text, re.I)
                    hour = int(hm.group(1)) + (12 if (hm.group(3) or "").lower() == "p" and int(hm.group(1)) < 12
                                               else 0)
                    if hour < 24:
                        date_start = date_start.replace(hour=hour, minute=int(hm.group(2) or 0))
                    break
        status, explicit = _status(cand, sent, date_start, date_end, sent_at)
        if cand.anaphor is not None:
            later, later_explicit = _status(cand.anaphor, sent, None, None, sent_at)
            if later in ("cancelled", "declined") and later_explicit:
                status, explicit = later, True
        location = _location(cand, sent, mention_tokens, trigger_ids)
        clause = _clause_tokens(cand, heads - {cand.head.i, cand.phrase_head.i})
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
            elif cand.kind == "noun" and any(c.dep_ == "det" and _norm(c) in ("the", "that", "this")
                                             for c in cand.head.children) and \
                    not any(c.dep_ in ("compound", "amod", "prep", "poss") for c in cand.head.children) and \
                    cand.head.i > prev.head.i and _same_family(prev, cand):
                prev.anaphor = cand  # the earlier mention stays the trigger; the later one may say its status
                dup = True
            if dup:
                break
        if not dup:
            out.append(cand)
    return out


PURCHASE_RANK = ("purchase order", "po", "quote", "quotation", "pricing", "purchase", "buy", "procure", "contract",
                 "agreement", "renewal", "license", "licence", "subscription", "procurement")


def _purchase_rank(cand) -> int:
    words = " ".join(_norm(t) for t in cand.tokens)
    lemma = _lemma(cand.head)
    for i, w in enumerate(PURCHASE_RANK):
        if words == w or lemma == w:
            return i
    return len(PURCHASE_RANK)


def _merge_purchases(cands):
    """One purchase per phrase: "a Contract for the one-time purchase", "the quote for ... a subscription"."""
    out = []
    for cand in cands:
        twin = next((p for p in out if p.etype == "purchase" == cand.etype
                     and _tree_distance(p.phrase_head, cand.phrase_head) <= 4), None)
        if twin is None:
            out.append(cand)
        elif _purchase_rank(cand) < _purchase_rank(twin):
            out[out.index(twin)] = cand
    return out


def _same_family(prev, cand) -> bool:
    return prev.etype == cand.etype


# ---------------------------------------------------------------------------------------------------------
# Calendar printouts

_SUBJECT_PREFIX = re.compile(r"^\s*((re|fw|fwd|canceled|cancelled|updated|accepted|tentative|declined)\s*:\s*)+",
                             re.IGNORECASE)
_TYPE_ORDER = ("demo", "training", "pilot", "conference", "purchase", "meeting")


def _subject_type(subject: str) -> tuple[str, str]:
    words = re.findall(r"[a-z][a-z-]*", subject.lower())
    found: dict[str, str] = {}
    for i, w in enumerate(words):
        for multi, etype in MULTIWORD.items():
            if tuple(words[i:i + len(multi)]) == multi:
                found.setdefault(etype, " ".join(multi))
        base = w[:-1] if w.endswith("s") and w[:-1] in NOUNS else w
        etype = NOUNS.get(base) or VERBS.get(base) or {"demonstrations": "demo", "trainings": "training"}.get(w)
        if etype:
            found.setdefault(etype, w)
    for etype in _TYPE_ORDER:
        if etype in found:
            return etype, found[etype]
    return "meeting", ""


def _names(value: str) -> list[str]:
    out = []
    for part in re.split(r";", value or ""):
        part = re.sub(r"<[^>]*>", "", part).strip().strip('"').strip()
        if part and not re.fullmatch(r"\(?b\)?\s*\(.*", part):
            out.append(part)
    return out


def detect_calendar_event(fields: dict[str, str], sent_at: datetime | None) -> EventRecord | None:
    """A calendar-invite printout's fields (lower-case keys: subject, when / start / end, where / location,
    organizer, required attendees, optional attendees, meeting status) -> one event, or None without a
    subject or a date."""
    f = {k.lower().strip(): (v or "").strip() for k, v in fields.items()}
    subject = f.get("subject", "")
    when = f.get("when") or f.get("start") or ""
    if not subject and not when:
        return None
    etype, trigger = _subject_type(subject)
    date_start = date_end = None
    date_text = None
    if f.get("start"):
        date_text = f["start"] + (" - " + f["end"] if f.get("end") else "")
        date_start, _ = normalize_date(f["start"], sent_at)
        date_end = normalize_date(f["end"], sent_at)[1] if f.get("end") else None
        date_end = date_end or date_start
    elif when:
        date_text = when
        date_start, date_end = normalize_date(re.sub(r"\(.*?\)", "", when), sent_at)
    text = " ".join(f.values()).lower()
    status = "scheduled"
    if re.search(r"\bcancel+ed\b|\bcancellation\b", subject.lower() + " " + f.get("meeting status", "").lower()):
        status = "cancelled"
    elif re.search(r"\bdeclined\b", f.get("meeting status", "").lower()):
        status = "declined"
    location = f.get("where") or f.get("location") or None
    participants = []
    for key, label in (("organizer", "PERSON"), ("required attendees", "PERSON"), ("optional attendees", "PERSON")):
        for name in _names(f.get(key, "")):
            participants.append(("person", Mention(-1, -1, name, label, "header")))
    del text
    return EventRecord(
        event_type=etype, trigger=trigger or subject, sentence=subject, sentence_start=-1, sentence_end=-1,
        status=status, date_text=date_text, date_start=date_start, date_end=date_end, location=location,
        participants=participants, confidence=0.9 if trigger else 0.7)
