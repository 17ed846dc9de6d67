"""An event's status from the words on the path from its trigger to its clause's head, then its date against the
message's sent time, then tense."""

from __future__ import annotations

import re

from extractors.analysis.events.lexicon import (CANCEL_LEMMAS, DECLINE_LEMMAS, HELD_LEMMAS, INHERENTLY_PROPOSED,
                                                LOOKING_BACK, PROPOSE_LEMMAS, SCHEDULE_LEMMAS, SELECTING_VERBS,
                                                SENDING_VERBS)
from extractors.analysis.events.tokens import ancestors, clause_verb, lemma_of, norm
from extractors.analysis.events.triggers import Candidate


def clause_tense(tok) -> str | None:
    """past | future | present | None for the nearest verb governing tok."""
    for t in [tok] + ancestors(tok, 6):
        if t.pos_ not in ("VERB", "AUX"):
            continue
        aux = {norm(c) for c in t.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"will", "'ll", "shall", "wo"} or (t.tag_ == "VBG" and any(
                norm(c) == "going" for c in t.children)):
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


def status_path(head) -> list:
    """The trigger and the tokens above it up to the head of its own clause, nearest first. Climbing stops
    at a clause with its own subject, at a subordinate clause, and at a temporal preposition ("after the
    community meeting, the office cancelled the trial": the cancelling is not the meeting's)."""
    path, t = [head], head
    while t.head.i != t.i and len(path) < 12:
        if t is not head and t.pos_ in ("VERB", "AUX") and (t.dep_ in CLAUSE_DEPS and not frames(t) and not (
                infinitive_relative(t)) or (
                t.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children))):
            break
        if t.dep_ == "prep" and norm(t) in TEMPORAL_PREPS:
            break
        if t is head and t.dep_ in ("ccomp", "advcl", "parataxis") and t.pos_ in ("VERB", "AUX") \
                and not frames(t) and not when_clause(t) and not for_to_clause(t):
            break
        t = t.head
        path.append(t)
    return path


def for_to_clause(verb) -> bool:
    """"It may be good for us to talk tomorrow": an infinitive with its own "for" subject, under a clause that a
    modal weighs; that clause's mood is the event's."""
    return any(c.dep_ == "aux" and norm(c) == "to" for c in verb.children) and any(
        c.dep_ == "mark" and norm(c) == "for" for c in verb.children) and any(
        c.dep_ == "aux" and norm(c) in ASKING_MODALS for c in verb.head.children)


def infinitive_relative(verb) -> bool:
    """"possible windows to move the meeting", "an opportunity to meet": the noun the infinitive describes says
    how sure the event is, so the climb goes on to it."""
    return verb.dep_ in ("acl", "relcl") and verb.tag_ == "VB" and any(c.dep_ == "aux" and norm(c) == "to"
                                                            for c in verb.children)


# Verbs and adjectives whose complement clause is what they propose, plan or ask: the status of an event in the
# complement is theirs ("Want me to call?", "Let us discuss tomorrow", "I hope we can meet").
FRAMING = PROPOSE_LEMMAS | SCHEDULE_LEMMAS | {"let", "able", "ready"}


def when_clause(verb) -> bool:
    """A present-tense clause of time ("which I can explain when we talk"): its event is as sure as the main
    clause's."""
    return verb.dep_ == "advcl" and verb.tag_ in ("VBP", "VBZ") and any(
        c.dep_ == "advmod" and norm(c) in ("when", "once") or c.dep_ == "mark" and norm(c) in ("when", "once", "after",
                                                                                        "before")
        for c in verb.children)


def frames(complement) -> bool:
    """Is `complement` (a verb) the ccomp of a proposing or planning word?"""
    return complement.dep_ == "ccomp" and lemma_of(complement.head) in FRAMING


def satellites(t, path_ids):
    out = []
    for c in t.children:
        if c.dep_ == "parataxis" and c.pos_ == "VERB" and lemma_of(c) in PROPOSE_LEMMAS and any(
                g.dep_ == "nsubj" for g in c.children):
            out.append(c)  # a hedge set inside the clause: "what – we hope – will be a committee hearing"
        if c.dep_ in SATELLITE_DEPS and c.i not in path_ids:
            out.append(c)
            if c.dep_ in ("acl", "relcl"):
                out.extend(g for g in c.children if g.dep_ in ("advmod", "aux", "auxpass", "prt"))
    return out


def event_status(cand: Candidate, sent, date_start, date_end, sent_at) -> tuple[str | None, bool]:
    """(status, explicit?). An event dated after the message was sent cannot have been held yet, whatever the
    tense of the clause ("has agreed to a pilot starting in May")."""
    status, explicit = status_from_cues(cand, sent, date_start, date_end, sent_at)
    if status == "held" and date_start is not None and sent_at is not None and date_start.date() > sent_at.date() \
            and not told_in_the_past(cand.phrase_head):
        return "scheduled", explicit
    if status == "held" and destination_of_a_plan(cand.phrase_head):
        return "scheduled", explicit
    return status, explicit


def destination_of_a_plan(head) -> bool:
    """The event is where someone is still to go: "approved sending four detectives to the operator course",
    "plans to travel to the summit" (a sending verb not in a finite past form governs "to <event>"), or what
    someone was picked for: "you have been selected for the operator training"."""
    prep = head.head
    if head.dep_ != "pobj" or norm(prep) not in ("to", "for"):
        return False
    verb = prep.head
    if any(lemma_of(a) in LOOKING_BACK for a in [verb] + ancestors(verb, 4)):
        return False  # "thank you for coming to the training" is over: thanks and the like look back
    if norm(prep) == "to":
        return lemma_of(verb) in SENDING_VERBS and verb.tag_ in ("VB", "VBG")
    return lemma_of(verb) in SELECTING_VERBS  # "you have been selected for the operator training"


def status_from_cues(cand: Candidate, sent, date_start, date_end, sent_at) -> tuple[str | None, bool]:
    """(status, explicit?) from cues nearest the trigger, then the date against sent_at, then tense."""
    head = cand.phrase_head
    path = status_path(head)
    path_ids = {t.i for t in path}
    near = []
    for t in path:
        near.append(t)
        near.extend(satellites(t, path_ids))
    # Cancelled / declined anywhere in the trigger's clause.
    for t in near:
        lemma = lemma_of(t)
        if lemma in CANCEL_LEMMAS or (lemma == "call" and any(norm(c) == "off" for c in t.children)):
            return "cancelled", True
        if lemma == "postpone":
            rest = " ".join(c.text.lower() for c in t.subtree)
            if "further notice" in rest or "indefinitely" in rest or not re.search(
                    r"\b(to|until|till)\b.*(\d|monday|tuesday|wednesday|thursday|friday|next|january|february|march|"
                    r"april|may|june|july|august|september|october|november|december)", rest):
                return "cancelled", True
            return "scheduled", True
        if lemma in DECLINE_LEMMAS and t.pos_ == "VERB" and t.i != cand.head.i:
            if lemma == "turn" and not any(norm(c) == "down" for c in t.children):
                continue
            if lemma == "pass" and not any(norm(c) == "on" for c in t.children):
                continue
            return "declined", True
    if re.search(r"\bnot interested\b|\bwe(?:'ll| will) pass\b", sent.text.lower()):
        return "declined", True
    is_question = sent.text.rstrip().endswith("?")
    if unrealised(path):
        return "missed", True
    own = own_time(head)
    if own:
        return own, True
    if head.tag_ == "VBN" and any(c.dep_ == "mark" and norm(c) == "as" for c in head.children):
        return "held", True  # "As discussed, attached is the bill": a clause of manner told after the fact
    cues = path_cues(cand, sent, path, path_ids, is_question)
    if [norm(t) for t in cand.tokens] == ["see", "you"] and clause_tense(cand.head) != "past":
        # "thanks and see you then", "see you in the morning": a meeting to come ("wants to see you": only wished)
        return ("proposed" if "proposed" in cues else "scheduled"), True
    if cues:
        first = cues[0]
        if first == "scheduled" and "proposed" in cues[1:]:
            return "proposed", True  # "we would like to schedule a planning call": a plan that is only wished
        return first, True
    if is_question and not (head.pos_ in ("NOUN", "PROPN") and when_clause(path[-1])) and (
            any(norm(t) == "you" for t in sent) or any(
            c.dep_ == "aux" and norm(c) in ASKING_MODALS for c in sent.root.children)):
        return "proposed", True  # "Are you free ...", "Can we get ShotSpotter to demonstrate ...?" (what a clause of
        # time names is not asked: "Could he come back after I finish my calls?" takes the calls as fixed)
    invited = imperative_status(head)
    if invited:
        return invited, True
    if date_start is not None and sent_at is not None:
        end = date_end or date_start
        if end.date() < sent_at.date():
            return "held", False
        if date_start.date() > sent_at.date():
            return "scheduled", False
        return ("held" if date_start <= sent_at or not (date_start.hour or date_start.minute) else "scheduled"), False
    if date_start is None and told_of(head):
        return "held", False  # "stories about the Mayor's visit", "a report on the meeting": texts tell what was
    if in_a_purpose_clause(path):
        return "proposed", False  # "are considering hiring firms to help train their forces": an aim, not a fact
    tense = clause_tense(head)
    if tense == "present" and under_a_future_clause(head):
        return "scheduled", False  # "Chen will attend the conference, where Vigilant is hosting a briefing"
    if tense == "future":
        return "scheduled", False
    if tense == "past":
        return "held", False
    if tense == "present":
        # "the initial meeting overlaps with our hearing", "we are hosting a webinar": an occurrence spoken of in
        # the present is fixed, not over; an arrangement (a contract, a running pilot) in the present is in force;
        # an event verb in the third person present is a timeline's ("Feb 26: she meets with Jibril")
        if cand.etype in ARRANGEMENTS or cand.kind == "verb" and head.tag_ == "VBZ" or progressive(head) or \
                there_for(head):
            return "held", False  # "troops are training the rebels", "Morsi is in Brussels for meetings": under way
        return "scheduled", False
    return None, False


# Events that last once made (a contract, a licence, a pilot under way), against occurrences (a meeting, a demo).
ARRANGEMENTS = {"purchase", "pilot"}


# An event noun that says which occurrence it is: "the next board meeting", "our last call".
NEXT_WORDS = {"next", "upcoming", "following", "coming", "forthcoming"}
LAST_WORDS = {"last", "previous", "past", "recent", "earlier", "prior"}
ADJUNCT_PREPS = {"at", "during", "before", "after", "until", "till", "by", "in", "following", "since", "ahead"}
# Phrases that place an occasion ahead as "before" does ("in time for the first session", "in advance of the WH
# meeting"), by their last word (the preposition) and the words before it.
AHEAD_OF = {"for": ("in", "time"), "of": ("in", "advance")}


def own_time(head) -> str | None:
    """The status an event noun gives itself where it only places another action ("We need to discuss these at
    the next board meeting", "as we agreed at our last call"): the verb's mood is not the meeting's."""
    if head.pos_ not in ("NOUN", "PROPN") or head.dep_ != "pobj":
        return None
    prep = head.head
    before_prep = AHEAD_OF.get(norm(prep))
    ahead_of = before_prep is not None and prep.i >= len(before_prep) and tuple(
        norm(t) for t in prep.doc[prep.i - len(before_prep): prep.i]) == before_prep
    if norm(prep) not in ADJUNCT_PREPS and not ahead_of:
        return None
    words = {norm(c) for c in head.children if c.dep_ in ("amod", "det", "compound", "nmod")}
    if words & NEXT_WORDS:
        return "scheduled"
    if words & LAST_WORDS:
        return "held"
    if (norm(prep) == "before" or ahead_of) and any(c.dep_ in ("det", "poss") for c in head.children) and \
            clause_tense(prep.head) != "past":
        return "scheduled"  # "a demo for council staff before the budget hearing", "racing to finish in time for
        # the first session": a known occasion still ahead
    return None


ASKING_MODALS = {"can", "could", "would", "should", "shall", "may", "might"}
# Verbs of taking part: an event the reader is told to join is one already fixed ("Attend a meeting on Dec 14",
# "Please join BEGA for our Holiday Meet and Greet"); anything else asked for is still to be arranged.
TAKING_PART = {"join", "attend", "come", "register", "rsvp", "participate", "watch", "tune", "visit"}


def imperative_status(head) -> str | None:
    """The status an imperative gives the event it governs: "Attend a meeting" (announced: scheduled), "Send us
    some times to get together" (asked to arrange: proposed)."""
    verb = clause_verb(head, 4)
    while verb is not None and verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.pos_ == "VERB":
        verb = verb.head
    if verb is None or verb.dep_ != "ROOT" or verb.tag_ != "VB" or any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "expl") for c in verb.children):
        return None
    opening = [t for t in verb.sent if not (t.is_punct or t.pos_ in ("INTJ", "SPACE") or norm(t) == "please" or (
        t.dep_ == "advmod" and t.head.i == verb.i and t.i < verb.i))]  # "Just call me", "So please call"
    if not opening or opening[0].i != verb.i:
        return None  # only a sentence that opens with its verb is an imperative ("we will: * identify ..." is not)
    if head is not verb and lemma_of(verb) in TAKING_PART and head.pos_ in ("NOUN", "PROPN"):
        return "scheduled"
    return "proposed"


# Texts that tell of something (a plan, an agenda or a notice announce; these report).
REPORTING_NOUNS = {"story", "stories", "report", "article", "coverage", "footage", "video", "photo", "recap",
                   "readout", "summary", "account", "minutes", "transcript"}


def told_of(head) -> bool:
    """The event is what a report tells of: "features stories about the Mayor's visit", "the minutes of the
    meeting"."""
    return head.dep_ == "pobj" and norm(head.head) in ("about", "on", "of", "from") and (
        lemma_of(head.head.head) in REPORTING_NOUNS or norm(head.head.head) in REPORTING_NOUNS)


def in_a_purpose_clause(path) -> bool:
    """The event's clause is the aim of another ("to help train", "in order to meet") whose own clause is not told
    in the past: what someone means to bring about, not yet arranged."""
    clause = path[-1]
    if clause.dep_ != "advcl" or clause.tag_ != "VB" or not any(c.dep_ == "aux" and norm(c) == "to"
                                                                 for c in clause.children):
        return False
    return clause_tense(clause.head) not in ("past", None)


def there_for(head) -> bool:
    """Someone is (present tense) at or away for the event: "who is in Brussels for meetings", "she is at a
    briefing". The event as the subject ("the meeting is on Friday") stays a date to come."""
    prep = head.head
    verb = prep.head
    return head.dep_ == "pobj" and norm(prep) in ("for", "at", "in") and lemma_of(verb) == "be" and \
        verb.tag_ in ("VBZ", "VBP")


def under_a_future_clause(tok) -> bool:
    """The nearest verb governing tok heads a relative or adverbial clause of a clause told in the future: a
    present tense there is the future's (the sequence of tenses)."""
    verb = clause_verb(tok)
    if verb is None or verb.dep_ not in ("relcl", "advcl"):
        return False
    main = clause_verb(verb.head, 5) if verb.head.i != verb.i else None
    return main is not None and clause_tense(main) == "future"


def progressive(tok) -> bool:
    """The nearest finite verb governing tok is in a progressive form ("are training", "besides meeting with
    Jalil, he is talking to ...")."""
    for verb in [tok] + ancestors(tok, 6):
        aux = [norm(c) for c in verb.children if c.dep_ == "aux"]
        if verb.pos_ in ("VERB", "AUX") and aux:
            return verb.tag_ == "VBG" and any(a in ("is", "are", "am", "'s", "'re", "'m") for a in aux)
    return False


def told_in_the_past(tok) -> bool:
    """The event's clause is told in the simple past ("Later that day, at the summit, I pledged"): a weekday or a
    month without a year read forward from the sent time does not make it a plan."""
    verb = clause_verb(tok)
    return verb is not None and verb.tag_ == "VBD"


def unrealised(path) -> bool:
    """A due event that did not happen: "was to have been conducted by January 15" (be + to + have + participle),
    "the training never took place", "the call did not happen"."""
    for t in path:
        if t.pos_ not in ("VERB", "AUX"):
            continue
        for verb in [t] + [c for c in t.children if c.dep_ == "xcomp"]:
            aux = [norm(c) for c in verb.children if c.dep_ in ("aux", "auxpass")]
            if verb.tag_ == "VBN" and "to" in aux and "have" in aux and lemma_of(verb.head) == "be" \
                    and verb.dep_ == "xcomp":
                return True
        negated = any(c.dep_ == "neg" for c in t.children)
        if negated and (lemma_of(t) in ("happen", "occur") or lemma_of(t) == "take" and any(
                norm(c) == "place" for c in t.children)):
            return True
        return False
    return False


def path_cues(cand: Candidate, sent, path, path_ids, is_question) -> list[str]:
    """The status cues on the path from the trigger up, nearest first (a cue a verb's own form gives ends the
    climb: the clause's tense is that verb's)."""
    head = cand.phrase_head
    cues: list[str] = []
    for t in path:
        lemma = lemma_of(t)
        sats = satellites(t, path_ids)
        if t.i == cand.head.i or t.i == head.i:
            if lemma in INHERENTLY_PROPOSED or norm(t) in INHERENTLY_PROPOSED:
                if any(lemma_of(x) in ("approve", "accept", "sign", "execute", "award") for x in path[1:5]):
                    return cues + ["held"]
                cues.append("proposed")
        else:
            cue = lexical_cue(t)
            if cue:
                cues.append(cue)
        own = [cue for cue in (lexical_cue(s_) for s_ in sats) if cue]
        if own and t.i == head.i and any(s_.dep_ in ("relcl", "acl") for s_ in sats):
            return cues + own[:1]  # "a second hearing, which I'm tentatively scheduling for November 2nd"
        cues += own
        if t.pos_ in ("VERB", "AUX"):
            aux = {norm(c) for c in t.children if c.dep_ in ("aux", "auxpass")}
            if aux & {"can", "could", "would", "should", "'d", "might", "may"}:
                cues.append("proposed")
            elif is_question and t.i == sent.root.i and (aux & {"will", "do", "does", "are", "is"} or any(
                    norm(c) == "you" for c in t.children)):
                cues.append("proposed")
            elif aux & {"will", "'ll", "shall", "wo"} or "to" in aux and t.dep_ == "xcomp" and \
                    lemma_of(t.head) == "be" and t.head.tag_ in ("VBZ", "VBP"):
                cues.append("scheduled")  # "will be held", "is to take place"
            elif t.tag_ == "VBD" or (t.tag_ == "VBN" and aux & {"has", "have", "had", "'ve", "was", "were", "'d"}):
                cues.append("held")
            elif t.tag_ == "VBG" and any(norm(c) == "going" for c in t.children):
                cues.append("scheduled")
            elif t.tag_ in ("VBZ", "VBP") or aux & {"is", "are", "am", "'s", "'re", "'m"}:
                if t.dep_ in ("xcomp", "ccomp") and frames_or_controls(t) or when_clause(t):
                    continue  # "let me suggest that we get together": the suggesting decides
                break  # present tense: the date decides
            elif t.tag_ == "VBN" and t.dep_ in ("ROOT", "conj") and not aux:
                cues.append("held")
            if cues and not (t.dep_ in ("xcomp", "ccomp") and frames_or_controls(t)):
                break
    return cues


def frames_or_controls(verb) -> bool:
    """Is the verb the complement of a word whose own status counts (a proposal, a plan, a wish)?"""
    return lemma_of(verb.head) in FRAMING or verb.head.pos_ == "ADJ"


def lexical_cue(t) -> str | None:
    lemma = lemma_of(t)
    if lemma in ("thank", "thanks"):
        return "held"
    if lemma == "appreciate":
        return None if any(norm(c) in ("would", "'d") for c in t.children) else "held"
    if lemma in PROPOSE_LEMMAS:
        if lemma in ("need", "try", "discuss", "open", "free", "available", "interest") and t.pos_ not in (
                "ADJ", "VERB", "AUX"):
            return None
        if lemma == "discuss" and t.tag_ == "VBD":
            return None  # "McCain discussed his visit": a talk told in the past proposes nothing; the tense decides
        if lemma == "open" and t.pos_ != "ADJ":
            return None  # "open to a call" proposes; "every meeting opened with condolences" does not
        if lemma == "let" and not (t.i + 1 < len(t.doc) and norm(t.nbor(1)) in ("'s", "us", "me")):
            return None
        return "proposed"
    if lemma in SCHEDULE_LEMMAS:
        if lemma == "set" and t.pos_ == "VERB" and not any(c.dep_ == "prep" and norm(c) in ("for", "to")
                                                           for c in t.children) and t.tag_ != "VBN":
            return None
        return "scheduled"
    if lemma in HELD_LEMMAS and t.pos_ == "VERB" and t.tag_ not in ("VBD", "VBN", "VBG") and lemma not in LOOKING_BACK:
        return None  # "happy to attend the next meeting": only a past or ongoing attending says it was held
    if lemma in HELD_LEMMAS and (t.pos_ in ("VERB", "ADV", "ADJ") or lemma in ("thanks", "readout")):
        if lemma == "follow" and not (any(norm(c) == "up" for c in t.children) or t.i + 2 < len(t.doc)
                                      and t.nbor(1).text == "-" and norm(t.nbor(2)) == "up"):
            return None  # "follow up on our meeting", "to follow-up on our meeting" look back at it
        if any(norm(c) in ("will", "'ll", "shall") for c in t.children if c.dep_ == "aux"):
            return "scheduled"
        return "held"
    return None
