"""Sense rules: is a candidate trigger an event here (not "training data", a protest, a court trial, a plane's pilot),
and is it asserted (not negated, hypothetical, generic or rule text)?"""

from __future__ import annotations

import re

from extractors.analysis.events.lexicon import (FAIR_KINDS, GENERIC_ADVERBS, HYPOTHETICAL_MARKS, HYPOTHETICAL_MODALS,
                                                MEETING_MODIFIERS, OFFERING_MODIFIERS, PRODUCT_WORDS,
                                                PROPOSE_LEMMAS, RECURRING_MODIFIERS, STANDING_HEADS)
from extractors.analysis.events.status import told_in_the_past
from extractors.analysis.events.tokens import ancestors, lemma_of, norm
from extractors.analysis.events.triggers import Candidate


def has_product_context(cand: Candidate, sent, mention_tokens: dict[int, str]) -> bool:
    """A product, a vendor or an offering word near the trigger (not a protest, a court case, a quiz)."""
    head = cand.phrase_head
    near = list(head.subtree) + [head.head] + list(head.head.children)
    for t in near:
        if mention_tokens.get(t.i) in ("PRODUCT", "VENDOR"):
            return True
        if lemma_of(t) in PRODUCT_WORDS or norm(t) in PRODUCT_WORDS:
            return True
    left = sent.doc[head.left_edge.i: head.i].text.lower()
    if re.search(r"\d+\s*-?\s*(day|week|month)|no\s*-?\s*cost|\bfree\b", left):
        return True  # "a no-cost 90-day pilot"
    for child in list(cand.head.children) + list(head.children):
        if child.dep_ in ("amod", "compound", "nummod") and (
                norm(child) in OFFERING_MODIFIERS or re.search(r"\d+-(day|week|month)", child.text.lower())):
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


# Verbs that place a call ("give me a call to discuss"), and what one calls that is a service, not a person.
PLACING_A_CALL = {"give", "make", "have", "schedule", "set", "arrange", "get", "place", "return", "take"}
PHONE_LINES = {"hotline", "line", "number", "helpline", "tipline", "switchboard", "desk"}
# When "see you" names a meeting: "see you then", "see you there".
SEEING_WHEN = {"then", "there", "soon", "tomorrow", "tonight", "shortly", "later"}
SATISFY_OBJECTS = {"requirement", "need", "deadline", "responsibility", "request", "standard", "goal", "target",
                   "objective", "mandate", "mission", "commitment",
                   "expectation", "criterion", "criteria", "obligation", "demand", "threshold", "press", "end",
                   "condition", "qualification", "specification", "challenge", "quota", "budget"}


NOT_A_CALL_PARTICLES = {"on", "in", "off", "out", "up", "for"}




NOT_VISITED = {"booth", "website", "site", "page", "link", "url", "webpage", "portal", "http", "https"}


def _named_by_acronym(head, sent) -> bool:
    """A capitalised name that an acronym in brackets follows within its noun phrase."""
    doc = sent.doc
    for j in range(head.i + 1, min(head.i + 9, sent.end - 1)):
        if doc[j].text == "(":
            return bool(re.fullmatch(r"[A-Z][A-Z&]{1,7}", doc[j + 1].text))
        if doc[j].pos_ in ("VERB", "AUX") or doc[j].text in (",", ";", ":"):
            return False
    return False


def sense_ok(cand: Candidate, sent, mention_tokens) -> bool:
    tok, head = cand.head, cand.phrase_head
    low, lemma = norm(tok), lemma_of(tok)
    kids = list(tok.children)
    mods = {norm(c) for c in kids if c.dep_ in ("compound", "amod", "nmod", "npadvmod")}
    if len(cand.tokens) > 1:
        words = tuple(norm(t) for t in cand.tokens)
        if words[0] == "see" and not (tok.pos_ == "VERB" or cand.tokens[0].pos_ == "VERB"):
            return False
        if words[0] == "see":
            # "we'll see you on October 20", "try to see you before the hearing" (not "see you soon" alone)
            return any(c.dep_ in ("aux",) and lemma_of(c) in ("will", "'ll", "shall")
                       for c in cand.tokens[0].children) \
                or lemma_of(cand.tokens[0].head) in ("try", "want", "like", "hope", "suggest", "able") \
                or any(c.dep_ in ("prep", "npadvmod") or c.dep_ == "advmod" and norm(c) in SEEING_WHEN
                       for c in list(cand.tokens[0].children) + list(cand.tokens[-1].children))
        return True
    # Idioms and set phrases.
    nxt = tok.nbor(1) if tok.i + 1 < sent.end else None
    if lemma == "meeting" or low == "meeting":
        if nxt is not None and nxt.lower_ == "of" and tok.i + 3 < sent.end and tok.nbor(3).lower_ == "minds":
            return False
    if cand.kind == "verb" and tok.dep_ == "amod":
        return False  # "a trained and running police force": a participle describing a noun
    if cand.kind == "verb":
        dobjs = [c for c in kids if c.dep_ in ("dobj", "attr")]
        if not dobjs:
            # "meet or exceed graduation goals": verbs joined by "or"/"and" share the object the last one takes
            dobjs = [c for conj in kids if conj.dep_ == "conj" and conj.pos_ == "VERB"
                     for c in conj.children if c.dep_ == "dobj"]
        complements = [c for c in kids if c.dep_ in ("oprd", "ccomp")]
        if any(mention_tokens.get(c.i) != "DATE" and not c.like_num and not re.match(r"\d", c.text)
               for c in complements) and lemma == "call" and not all(
                named.tag_ in ("NNP", "NNPS") for named in (dobjs or complements)):
            return False  # "call him X", "call it a red line" ("called PM el-Keib" is a title and a name; with
            # no object, "called President Morsi" is the person called, however it was parsed)
        if lemma == "call":
            if any(c.dep_ == "prt" and norm(c) in NOT_A_CALL_PARTICLES for c in kids):
                return False  # call off / call in / call out
            if any(c.dep_ == "prep" and norm(c) in ("on", "for") for c in kids):
                return False  # "called on governments to ...", "calls for"
            if any(c.dep_ == "nsubjpass" for c in kids):
                return False  # "a meeting may be called": convening, not a call
            if any(c.dep_ == "xcomp" for c in kids) and dobjs:
                return False  # "call him a liar"
            if dobjs and all(c.pos_ == "NOUN" and c.tag_ == "NN" and not any(d.dep_ == "det" for d in c.children)
                             and lemma_of(c) not in ("office", "staff") for c in dobjs):
                return False  # "call dispatch", "call 911"-like instructions
            if any(lemma_of(c) in PHONE_LINES or re.search(r"\d{3}", c.text) for c in dobjs) or any(
                    re.search(r"\d{3}.?\d{4}", t.text) for t in tok.subtree):
                return False  # "call the Shelter Hotline", "please call 1-646-783-7100": a service's number
        if lemma == "meet":
            if any(lemma_of(c) in SATISFY_OBJECTS for c in dobjs):
                return False
            if low.startswith("meet") and tok.i + 2 < sent.end and tok.nbor(1).lower_ == "the" \
                    and tok.nbor(2).lower_ == "press":
                return False
        if lemma == "visit":
            if any(lemma_of(c) in NOT_VISITED or c.like_url for c in dobjs):
                return False
            if any(t.like_url for t in tok.subtree) or (nxt is not None and nxt.text == ":") or any(
                    t.like_url or t.text.startswith("<http") for t in sent.doc[tok.i + 1: min(tok.i + 7, sent.end)]):
                return False  # "visit our Contact Us <https://...> page": a web page, however the link was parsed
        if lemma == "demonstrate":
            if any(c.dep_ in ("ccomp",) or (c.dep_ == "mark") for c in kids):
                return False  # "demonstrated that ..." = showed
            return has_product_context(cand, sent, mention_tokens)
        if lemma in ("test", "trial", "pilot"):
            return any(mention_tokens.get(c.i) in ("PRODUCT", "VENDOR") or lemma_of(c) in PRODUCT_WORDS
                       for d in dobjs for c in d.subtree)
        if lemma in ("purchase", "buy", "procure"):
            return government_buyer_or_product(tok, mention_tokens)
        if lemma == "brief" and tok.tag_ not in ("VB", "VBD", "VBN", "VBG", "VBZ", "VBP"):
            return False
        if lemma == "train":
            return not any(c.dep_ == "prep" and norm(c) == "on" for c in kids) or True
        return True
    # Nouns.
    if head.dep_ == "pobj" and norm(head.head) in ("on", "in") and lemma_of(head.head.head) in ("serve", "sit"):
        return False  # "agreed to serve on the ARB panel": a body one is a member of, no gathering
    if tok.text[:1].isupper() and _named_by_acronym(head, sent):
        return False  # "the National Conference for the Libyan Opposition (NCLO)": a body by its name
    if lemma == "call" or low in ("call", "calls"):
        if any(c.dep_ in ("acl", "relcl") and c.tag_ == "VB" for c in kids) and \
                lemma_of(tok.head) not in PLACING_A_CALL or \
                any(c.dep_ == "prep" and norm(c) in ("for", "to") and any(g.pos_ == "VERB" for g in c.children)
                    for c in kids):
            return False  # "a call to double down", "a call for proposals to"
        if any(c.dep_ == "prep" and norm(c) == "for" and any(g.dep_ == "pobj" and g.tag_ == "NNS" for g in c.children)
               for c in kids):
            return False  # "a call for papers", "a call for nominations": a solicitation
        after = [t for t in sent.doc[tok.i + 1: min(tok.i + 4, sent.end)] if not t.is_quote]
        if len(after) >= 2 and after[0].lower_ == "to" and after[1].pos_ == "VERB" and \
                lemma_of(tok.head) not in PLACING_A_CALL:
            return False  # "a call \u201cto double down\u201d": an appeal ("give me a call to discuss" is a call)
        if mods & {"roll", "sick", "close", "judgment", "judgement", "wake-up", "margin", "service"}:
            return False  # roll call (a shift muster), a close call, a judgment call
    if lemma == "hearing":
        if any(c.dep_ == "prep" and norm(c) in ("from", "about", "back") for c in kids) or tok.tag_ == "VBG":
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
                a.lower_ in HYPOTHETICAL_MARKS for t in ancestors(tok, 4) for a in t.children):
            return False
        if mods & {"legislative", "lame-duck"}:
            return False
    if lemma == "fair":
        if not (mods & FAIR_KINDS) and not (tok.i > sent.start and lemma_of(tok.nbor(-1)) in FAIR_KINDS):
            return False
    if lemma == "convention":
        if not (mods & {"annual", "national", "state", "user"}) and not any(
                mention_tokens.get(c.i) for c in tok.subtree):
            return False
    if lemma == "pilot" or low == "pilot":
        if mods & AIRCRAFT or tok.dep_ in ("nsubj",) and lemma_of(tok.head) in ("say", "report", "fly", "land", "sit",
                                                                               "tell", "radio", "announce"):
            return False
        if any(c.dep_ in ("acl", "relcl") for c in kids):
            return False  # "a pilot just sitting in the next room"
        if any(d.dep_ == "det" and norm(d) in ("a", "an") for d in kids) and not (
                has_product_context(cand, sent, mention_tokens)):
            return False
    if lemma in ("trial", "test", "evaluation"):
        if mods & COURT:
            return False
        if tok.dep_ == "pobj" and tok.head.lower_ == "on" and lemma == "trial":
            return False
        if not has_product_context(cand, sent, mention_tokens):
            return False
    if lemma in ("demo", "demonstration"):
        if mods & PROTEST:
            return False
        for c in kids:
            if c.dep_ == "prep" and norm(c) in ("of", "against", "by") and any(
                    lemma_of(g) in ("people", "person", "protester", "protestor", "support", "solidarity", "force",
                                  "resolve", "commitment", "student", "resident", "worker")
                    for g in c.children):
                return False
        if low.startswith("demonstration") and not has_product_context(cand, sent, mention_tokens):
            return False  # "demonstration" is as often a protest; the short "demo" names a showing
    if lemma == "appointment" and not (mods & {"doctor", "dental", "medical", "follow-up"} or any(
            c.dep_ == "prep" and norm(c) in ("with", "at", "on", "for") for c in kids) or any(
                mention_tokens.get(t.i) == "DATE" for t in tok.subtree)):
        return False  # "offered me that same appointment": a post, not a meeting
    if cand.etype == "purchase" and cand.kind == "noun" and head.dep_ == "pobj" and (
            norm(head.head) in ("under", "pursuant", "per", "of", "by", "within") and any(
                norm(c) in ("this", "the", "such", "said") for c in head.children)):
        return False  # "services under this Contract", "the terms of the agreement": the text that governs, no deal
    if lemma == "agreement":
        if mods & {"sharing", "data-sharing", "share", "nondisclosure", "non-disclosure", "confidentiality",
                   "settlement", "peace", "plea", "ceasefire", "cease-fire", "trade"} or any(
                "shar" in norm(c) for c in kids if c.dep_ in ("compound", "amod")):
            return False
        if tok.head.lemma_ in ("reach", "come") or (tok.dep_ == "pobj" and tok.head.lower_ == "in"):
            return False  # "in agreement", "reached agreement"
        if tok.text[:1].isupper() and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in kids):
            return False  # "the Paris Agreement": an accord by its name, no purchase
    if lemma == "contract":
        pass
    if lemma in ("purchase", "procurement") and tok.dep_ == "pobj" and norm(tok.head) == "for" and \
            lemma_of(tok.head.head) in ("rebate", "voucher", "grant", "fund"):
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


def government_buyer_or_product(tok, mention_tokens) -> bool:
    """A purchase verb counts when a government body (or we / you in agency mail) buys, or, with no buyer
    printed, when a product is bought. "AQIM operatives ... purchase the equipment" is no procurement."""
    t = tok
    subj = None
    for _ in range(5):  # up through "and", "to", "able": "operatives were able to meet ... and purchase X"
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass") and c.dep_ != "nsubjpass"), None)
        if subj is not None or t.dep_ not in ("conj", "xcomp", "relcl", "acomp"):
            break
        t = t.head
    if tok.dep_ == "relcl" and subj is not None and norm(subj) in ("that", "which"):
        subj = None
    if subj is not None:
        return mention_tokens.get(subj.i) == "AGENCY" or lemma_of(subj) in BUYER_WORDS or any(
            lemma_of(g) in BUYER_WORDS for g in subj.subtree)
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    if tok.dep_ == "relcl":
        objs.append(tok.head)
    return any(mention_tokens.get(g.i) in ("PRODUCT", "VENDOR") or lemma_of(g) in PRODUCT_WORDS
               for o in objs for g in o.subtree)


def negated(cand: Candidate) -> bool:
    """The trigger, or the verb it is the subject or object of, is negated ("does not have a contract",
    "no trial is planned", "doesn't want a visit")."""
    tok, head = cand.head, cand.phrase_head
    for t in {tok, head}:
        for c in t.children:
            if c.dep_ == "neg" or (c.dep_ == "det" and norm(c) in ("no", "neither")):
                return True
        if t.dep_ == "pobj" and norm(t.head) == "without":
            return True  # "without consultation with anyone"
    verb = head if cand.kind == "verb" else _governing_verb(head)
    if verb is not None and any(c.dep_ in ("nsubj", "nsubjpass") and c.i != head.i and negative_subject(c)
                                for c in verb.children):
        return True  # "neither the French nor the British will provide training", "no one attended the demo"
    gov = head
    if head.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") or cand.kind == "verb":
        gov = head.head if cand.kind == "noun" else head
        if any(c.dep_ == "neg" for c in gov.children):
            # "the training never took place", "the call did not happen": a due event that did not happen is an
            # event whose status says so (status.unrealised), not no event
            return not (lemma_of(gov) in ("happen", "occur") or lemma_of(gov) == "take" and any(
                norm(c) == "place" for c in gov.children))
        # "declined not to ..." aside, a negated verb one step up by xcomp ("does not want to meet").
        if gov.dep_ == "xcomp" and any(c.dep_ == "neg" for c in gov.head.children):
            return lemma_of(gov.head) not in ("hesitate",)
    return False


REPEATED = re.compile(r"\b(?:over and over|again and again|time and (?:time )?again|time after time)\b", re.I)
TIME_MARKS = {"after", "before", "until", "till", "when", "once", "while", "as"}


def negative_subject(subject) -> bool:
    """A subject that denies its clause: "neither X nor Y", "no one", "nobody", "none of them"."""
    return norm(subject) in ("nobody", "none", "noone") or any(
        c.dep_ in ("preconj", "det") and norm(c) in ("neither", "no") for c in subject.children)


def _has_determiner(tok) -> bool:
    return any(c.dep_ in ("det", "poss", "nummod") for c in tok.children)


def _governing_verb(tok):
    return next((t for t in ancestors(tok, 6) if t.pos_ in ("VERB", "AUX")), None)


def recurring(cand: Candidate, mention_tokens) -> bool:
    """A recurring or habitual activity, no one occurrence: "calls with them every Friday", "each week", "annual
    training" and "our weekly meeting" with no date of their own, "we used to take training"."""
    head = cand.phrase_head
    verb = head if cand.kind == "verb" else _governing_verb(head)
    holders = [head, cand.head] + ([verb] if verb is not None else [])
    for t in holders:
        for c in t.children:
            if c.dep_ in ("npadvmod", "pobj", "prep") and any(
                    g.dep_ == "det" and norm(g) in ("every", "each") for g in c.subtree):
                return True  # "every Friday", "on each visit"
    dated = any(mention_tokens.get(t.i) == "DATE" for t in (verb.subtree if verb is not None else head.subtree))
    if verb is not None and not dated and REPEATED.search(verb.doc[verb.left_edge.i: verb.right_edge.i + 1].text):
        return True  # "over and over again they talked about ...", "time and again": a habit, no one occasion
    one = _has_determiner(head) or _has_determiner(cand.head)  # "our Annual Holiday Meet and Greet" is this year's
    if not dated and not one and any(c.dep_ in ("amod", "compound") and norm(c) in RECURRING_MODIFIERS
                                     for c in list(head.children) + list(cand.head.children)):
        return True
    return verb is not None and verb.dep_ == "xcomp" and lemma_of(verb.head) == "use" and any(
        norm(c) == "to" for c in verb.children)  # "used to take training"


QUANTITIES = {"many", "several", "numerous", "various", "multiple", "some", "countless", "frequent"}
QUANTITY_NOUNS = {"lot", "lots", "dozens", "hundreds", "number", "series"}


def many_unnamed(cand: Candidate, mention_tokens) -> bool:
    """A number of events none of them told ("we did a lot of internal meetings", "some tough conversations"),
    undated: an activity, not an occurrence. "A series of calls on February 26" is dated and stays."""
    head = cand.phrase_head
    if cand.kind != "noun" or head.tag_ not in ("NNS", "NNPS"):
        return False
    verb = _governing_verb(head)
    dates = [t for t in (verb.subtree if verb is not None else head.subtree) if mention_tokens.get(t.i) == "DATE"]
    if dates and not a_span_of_time(dates):
        return False
    if any(norm(c) in QUANTITIES for c in head.children if c.dep_ in ("amod", "det")):
        return True
    return head.dep_ == "pobj" and norm(head.head) == "of" and lemma_of(head.head.head) in QUANTITY_NOUNS \
        and lemma_of(head.head.head) != "series"


TIME_UNITS = {"week", "month", "year", "decade", "quarter", "days"}
SPAN_WORDS = {"the", "last", "past", "next", "recent", "few", "several", "couple", "of", "this", "these", "coming",
              "over", "a", "many", "some", "previous", "following", "and", "or"}


def a_span_of_time(date_tokens) -> bool:
    """The date words name a span, not a day ("the last three months", "recent weeks"): many events over it are
    still an activity. A month's or a weekday's name, or a day's number, picks one occasion out."""
    def unit(t) -> bool:
        return lemma_of(t) in TIME_UNITS or norm(t) in TIME_UNITS

    return any(unit(t) for t in date_tokens) and all(
        t.pos_ != "PROPN" and not re.search(r"\d", t.text) and (unit(t) or t.like_num or norm(t) in SPAN_WORDS)
        for t in date_tokens)


def standing_duty(cand: Candidate, mention_tokens) -> bool:
    """What someone is to do, with no date: a duty, not an event ("only the Office is to provide annual training
    of public bodies"). "The meeting is to take place on Friday" is dated: it is scheduled."""
    verb = cand.phrase_head if cand.kind == "verb" else _governing_verb(cand.phrase_head)
    if verb is None or verb.dep_ != "xcomp" or lemma_of(verb.head) != "be" or not any(
            norm(c) == "to" for c in verb.children):
        return False
    return not any(mention_tokens.get(t.i) == "DATE" for t in verb.head.subtree)


def contract_terms(cand: Candidate) -> bool:
    """A purchase word in what a contract binds its parties to ("Acceptance of this order shall constitute an
    agreement", "County has the right to terminate this Contract", "Contractor agrees to purchase insurance"):
    terms, not the transaction."""
    if cand.etype not in ("purchase", "meeting"):
        return False  # a contract's training and demos are its deliverables: scheduled, not terms
    for t in [cand.phrase_head] + ancestors(cand.phrase_head, 12):
        if any(c.dep_ == "aux" and norm(c) in ("shall", "must") for c in t.children):
            return True
        if lemma_of(t) == "right" and any(c.dep_ in ("acl", "relcl") for c in t.children):
            return True
        if any(lemma_of(a) in ("subject", "contingent", "conditional") and any(c.dep_ == "prep" for c in a.children)
               for a in [t] + [c for c in t.children if c.dep_ == "acomp"]):
            return True  # "This Contract is subject to and contingent upon budgetary appropriations"
        if lemma_of(t) == "agree" and any(c.dep_ == "xcomp" for c in t.children) and t.tag_ in ("VBZ", "VBP"):
            return True
    return False


def offered_on_condition(clause) -> bool:
    """A condition that is the reader's own wish or means ("if you want to discuss this further", "if you would like
    to meet", "call if you can"): an offer, whose event is proposed, not a hypothesis about the world."""
    if not any(c.dep_ == "nsubj" and norm(c) == "you" for c in clause.children):
        return False
    return lemma_of(clause) in PROPOSE_LEMMAS or any(
        c.dep_ == "aux" and norm(c) in ("can", "could") for c in clause.children) or any(
        c.dep_ == "acomp" and lemma_of(c) in PROPOSE_LEMMAS for c in clause.children)


def hypothetical_or_generic(cand: Candidate, sent, mention_tokens) -> bool:
    tok, head = cand.head, cand.phrase_head
    conjuncts = [head]
    while conjuncts[-1].dep_ == "conj" and len(conjuncts) < 6:
        conjuncts.append(conjuncts[-1].head)  # "any additional terms, conditions or supplemental contracts"
    for t in {tok, *conjuncts}:
        for c in t.children:
            if c.dep_ == "det" and (norm(c) in ("each", "any") or norm(c) == "all" and t.tag_ in (
                    "NNS", "NNPS") or norm(c) == "every" and not told_in_the_past(t)):
                return True  # "each meeting", "have to attend every meeting" ("every meeting started with ..." on
                # one trip is told: those meetings took place)
            if c.dep_ == "advmod" and norm(c) in GENERIC_ADVERBS:
                return True
    verb = _governing_verb(head) if cand.kind == "noun" else head
    dated = any(mention_tokens.get(t.i) == "DATE" for t in (verb.subtree if verb is not None else sent))
    if cand.kind == "noun" and head.tag_ in ("NNS", "NNPS") and not dated:
        if not any(c.dep_ not in ("cc", "conj", "punct") for c in head.children) and not (
                head.dep_ == "conj" and _has_determiner(head.head)):
            return True  # a bare plural: "moving only for meetings as required", "he's on meetings and calls"
        if verb is not None and verb.tag_ in ("VBZ", "VBP") and lemma_of(verb) != "be" and not any(
                c.dep_ in ("aux", "auxpass") or c.dep_ == "mark" and norm(c) in TIME_MARKS
                for c in verb.children) and not any(
                    c.dep_ == "nummod" or norm(c) in ("these", "those", "the") for c in head.children):
            return True  # "how many public bodies record their meetings": what is done, not what happened ("who
            # is in Brussels for meetings", "after I finish my calls" place one occasion)
    if recurring(cand, mention_tokens) or many_unnamed(cand, mention_tokens):
        return True
    if cand.kind == "noun" and head.dep_ == "nsubj" and verb is not None and lemma_of(verb) == "be" and \
            verb.tag_ in ("VBZ", "VBP") and not dated and not any(c.dep_ == "aux" for c in verb.children) and any(
                c.dep_ == "attr" and c.pos_ == "NOUN" for c in verb.children):
        return True  # "the discussion of personnel matters is an authorized reason for closure": what such a thing
        # is, no occasion ("the meeting is on Friday" places one)
    if cand.kind == "noun" and not dated and any(c.tag_ in ("NNS", "NNPS") and lemma_of(c) in STANDING_HEADS
                                                 for c in head.conjuncts):
        return True  # "create job training and apprenticeship programs", "trainings and programs": programmes
    if cand.kind == "noun" and head.dep_ == "nsubj" and verb is not None and verb.tag_ == "VBZ" and not dated and \
            any(c.dep_ == "det" and norm(c) in ("a", "an") for c in head.children) and not any(
                c.dep_ in ("aux", "auxpass") for c in verb.children):
        return True  # "until a session is at full capacity": any session, no one occasion
    if cand.kind == "noun" and head is not tok and head.tag_ in ("NNS", "NNPS") and \
            lemma_of(head) in STANDING_HEADS and not any(
                c.dep_ == "nummod" or mention_tokens.get(c.i) == "DATE" for c in head.subtree):
        return True  # "investing in our workforce training programs": programmes that exist, not an event
    if cand.kind == "noun" and any(c.dep_ == "det" and (norm(c) in ("that", "those", "these") or norm(c) == "this"
                                                        and told_in_the_past(head)) for c in head.children) and \
            not any(c.dep_ in ("compound", "amod", "prep", "relcl", "acl", "nummod") and norm(c) not in
                    MEETING_MODIFIERS for c in head.children):
        return True  # "that meeting", "I returned that call", "came away from this discussion" (told in the
        # past): a reference back to an event told before ("this meeting will be at 3" is the one being set)
    if standing_duty(cand, mention_tokens) or contract_terms(cand):
        return True
    if cand.kind == "noun" and head.dep_ == "pobj" and head.head.head.pos_ == "NOUN" and [
            norm(c) for c in head.children] == ["the"] and not dated:
        return True  # "at the time of the meeting", "a piece of the interview", "participants in the meeting": a
        # bare "the" event inside another noun's phrase points at an event told elsewhere, it does not tell one
    chain = [head] + ancestors(head, 6)
    for t in chain:  # rule text: "Each meeting notice shall include ..."
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and norm(c) in ("shall", "must") for c in t.children):
            subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and any(c.dep_ == "det" and norm(c) in ("each", "every", "any", "all")
                                        for c in subj.children):
                return True
    if cand.kind == "verb":
        verb0 = head
        if verb0.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and norm(c) == "to" for c in verb0.children):
            gov = verb0.head
            if (gov.tag_ == "VB" or gov.dep_ == "ROOT") and not any(c.dep_ in ("nsubj", "aux")
                                                                    for c in gov.children) and verb0.i < gov.i:
                return True  # "To get trained in CPR, visit ...": a purpose clause of an instruction
        if verb0.dep_ == "relcl":
            ante = verb0.head
            if mention_tokens.get(ante.i) is None and lemma_of(ante) not in BUYER_WORDS and ante.pos_ in ("NOUN",) \
                    and any(norm(c) in ("that", "which") for c in verb0.children if c.dep_ == "nsubj"):
                return True  # "a facility that will train students": what a thing does, not an event
    verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None:
        for c in verb.children:
            if c.dep_ == "advmod" and norm(c) in GENERIC_ADVERBS:
                return True
            if c.dep_ == "aux" and norm(c) in HYPOTHETICAL_MODALS:
                return True
        # A clause introduced by "if" / "once" / "unless" holding the trigger.
        for t in chain[: chain.index(verb) + 3] if verb in chain else chain[:3]:
            if any((c.dep_ == "mark" or c.dep_ == "advmod" and c.tag_ == "WRB") and norm(c) in HYPOTHETICAL_MARKS
                   for c in t.children) and not (
                    t.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and norm(c) in ("was", "were", "had", "did")
                                           for c in t.children)) and not offered_on_condition(t):
                return True
            if t.dep_ in ("ROOT",):
                break
        # Generic subject: a bare plural noun with "should" or "must" ("Officers should call dispatch").
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        modal = {norm(c) for c in verb.children if c.dep_ == "aux"}
        if subj is not None and subj.tag_ == "NNS" and not any(c.dep_ in ("det", "poss", "nummod")
                                                                for c in subj.children) and modal & {"should", "must"}:
            return True
        if (subj is not None and subj.i == head.i) and lemma_of(verb) in ("require", "mandate") and \
                verb.tag_ in ("VBN",):
            return True  # "training ... is required before any detective operates the device"
    return False
