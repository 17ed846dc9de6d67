"""An event's date: the DATE mentions of its sentence, each given to its nearest trigger in the parse tree, read in the
tense of the trigger's clause."""

from __future__ import annotations

import re

from extractors.analysis.events.lexicon import SCHEDULE_LEMMAS
from extractors.analysis.events.status import clause_tense
from extractors.analysis.events.tokens import ancestors, lemma_of, mention_root, tree_distance
from extractors.analysis.mention_dates import normalize_date
from models.records import Mention


def date_preference(date_root, trigger) -> str | None:
    """"scheduled for Friday", "offered ... on Friday": the next one, whatever the main verb's tense."""
    if date_root is None:
        return None
    for t in [date_root] + ancestors(date_root, 4):
        if lemma_of(t) in SCHEDULE_LEMMAS or lemma_of(t) in ("offer", "invite", "propose", "postpone", "move"):
            return "future"
        if t.i == trigger.i:
            break
    return None


def other_clause(date_root, trigger) -> bool:
    """The date sits in a clause with its own subject that the trigger is not in ("the visit ... since he'd
    assumed the post in May")."""
    trigger_line = {trigger.i} | {t.i for t in ancestors(trigger, 20)}
    t = date_root
    while t.i not in trigger_line:
        if t.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def assign_dates(doc, sent, kept, mentions, sent_at) -> dict[int, list[tuple[int, Mention]]]:
    """Each DATE mention of the sentence goes to its nearest trigger in the tree: {trigger head index: [(rank,
    mention)]}, the lower rank the better (a day before a bare time, nearer in the tree, nearer in the text)."""
    dates = [m for m in mentions if m.label == "DATE" and sent.start_char <= m.start < sent.end_char]
    assigned: dict[int, list[tuple[int, Mention]]] = {}
    for m in dates:
        root = mention_root(doc, m)
        if root is None:
            continue
        options = [c for c in kept if not other_clause(root, c.phrase_head)]
        if root.dep_ == "poss":  # "after yesterday's demonstration ... the course": the day is its noun phrase's
            options = [c for c in options if root.head.is_ancestor(c.phrase_head) or root.head.i == c.phrase_head.i]
        if not options:
            continue
        best = min(options, key=lambda c: (tree_distance(root, c.phrase_head), abs(root.i - c.head.i)))
        dist = tree_distance(root, best.phrase_head)
        if dist <= 6:
            time_only = normalize_date(m.text, sent_at)[0] is None
            assigned.setdefault(best.head.i, []).append((time_only * 1000 + dist * 100 + abs(root.i - best.head.i),
                                                         m))
    return assigned


def event_date(doc, cand, picks: list[tuple[int, Mention]], sent_at):
    """(date_text, date_start, date_end) of an event from the DATE mentions assigned to it, read in the tense of
    its clause."""
    date_text = date_start = date_end = None
    tense = clause_tense(cand.phrase_head)
    prefer = {"past": "past", "future": "future"}.get(tense)
    if picks:
        picks = sorted(picks, key=lambda x: x[0])
        chosen = picks[0][1]
        date_text = chosen.text
        prefer = date_preference(mention_root(doc, chosen), cand.phrase_head) or prefer
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
    return date_text, date_start, date_end
