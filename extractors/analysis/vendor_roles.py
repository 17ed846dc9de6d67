"""Vendors the gazetteer does not know, read from what the text says they are or do.

Releases name small vendors no list holds ("Stratavue ran a web demo of its heat maps", "a 90-day pilot of
Quillmark's cameras", "the Blue Mountain Group, a Wales-based contractor"). The model calls them ORG. An
organisation becomes a VENDOR here when its own words say so:

- apposition: "X, a Wales-based contractor", "the vendor X" (the nouns of VENDOR_NOUNS);
- what it gives: X is the subject of a demo, a training or a pilot it gives or offers ("X ran a web demo",
  "X has offered to give ... a demonstration"), or of a verb that sells or demonstrates;
- what it owns: X's product or offering ("Quillmark's license plate reader cameras", "the X demo", "the X user
  conference");
- whom a purchase is from: "a contract with X", "pricing from X".

Universities, associations, newspapers and the like are never read this way (NOT_COMMERCIAL): they train and
host conferences too. The roles that need grammar use the parse of the sentences that hold an event word
(extractors/analysis/event_sentences.py); apposition is read from the text. A name read as a vendor anywhere in a
text is a vendor everywhere in it, where the model read it as an organisation or a person.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.analysis.events import NOUNS
from extractors.analysis.events.tokens import lemma_of
from models.records import Mention

VENDOR_NOUNS = r"contractors?|vendors?|suppliers?|companies|company|firms?|providers?|manufacturers?|start-?ups?|" \
               r"integrators?|resellers?|distributors?"
# The apposition closes where the noun does: "Like the NOC, the new firm will ..." is no apposition.
_APPOSITION = re.compile(rf"^\s*,\s+(?:a|an|the|its|our|their)\s+(?:[\w'-]+\s+){{0,3}}?(?:{VENDOR_NOUNS})"
                         r"(?=\s*(?:[,;.)]|$))", re.IGNORECASE)
_NAMED_AFTER = re.compile(rf"\b(?:the|our|a|their)\s+(?:{VENDOR_NOUNS})\s*,?\s*$", re.IGNORECASE)
NOT_COMMERCIAL = re.compile(
    r"\b(university|college|school|institute|foundation|association|society|union|league|church|museum|academy|"
    r"news|times|post|journal|press|magazine|herald|tribune|network|council|committee|coalition)\b", re.IGNORECASE)

# What a vendor gives or offers, and the verbs that give it.
OFFERINGS = {word for word, kind in NOUNS.items() if kind in ("demo", "training", "pilot")}
DEMOS_AND_PILOTS = {word for word, kind in NOUNS.items() if kind in ("demo", "pilot")}
GIVING_VERBS = {"run", "give", "offer", "provide", "conduct", "deliver", "host", "present", "hold", "do", "lead",
                "schedule", "arrange", "set"}
SELLING_VERBS = {"demo", "demonstrate", "train", "pilot", "sell", "pitch", "market", "quote", "license", "lease"}
PURCHASES = {word for word, kind in NOUNS.items() if kind == "purchase"} | {"order"}
# Things a company makes and an owner's name shows ("Quillmark's cameras"); "system", "service" or "unit" follow
# an agency's name as often ("the NOC system").
PRODUCT_NOUNS = {"software", "platform", "tool", "app", "application", "product", "device", "camera", "cameras",
                 "solution", "kiosk", "dashboard", "technology", "reader", "readers", "sensor", "sensors", "drone",
                 "drones"}


def vendors_by_role(text: str, mentions: list[Mention], sentences: list[tuple[int, object]]) -> list[Mention]:
    """`mentions` of `text` with each unknown organisation that the text shows to be a vendor relabelled VENDOR
    (source `role`); `sentences` are the parsed event sentences of the text, (offset, Doc) as
    EntityAnalyzer.read gives them."""
    candidates = [m for m in mentions if m.label == "ORG" and m.canonical is None and not NOT_COMMERCIAL.search(m.text)]
    product_chars = [(m.start, m.end) for m in mentions if m.label == "PRODUCT"]
    unread = _unread_vendors(sentences, mentions, product_chars)
    if not candidates and not unread:
        return mentions
    vendors = {m.text for m in candidates if _apposed(text, m)}
    for offset, doc in sentences:
        end = offset + len(doc.text)  # Doc.text is built anew at each call
        for m in candidates:
            if m.text in vendors or not (offset <= m.start and m.end <= end):
                continue
            span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
            if span is not None and _plays_vendor(span.root, offset, product_chars):
                vendors.add(m.text)
    if not vendors and not unread:
        return mentions
    # the model may read the same name as a person elsewhere ("I have asked Stratavue for references")
    relabel = {id(m) for m in mentions if m.label in ("ORG", "PERSON") and m.canonical is None and m.text in vendors}
    out = [replace(m, label="VENDOR", source="role") if id(m) in relabel else m for m in mentions]
    return sorted(out + unread, key=lambda m: m.start) if unread else out


def _unread_vendors(sentences, mentions: list[Mention], product_chars) -> list[Mention]:
    """Names the model did not read at all, in the plainest vendor roles: "The Quillmark demo is confirmed",
    "Quillmark offered to train our analysts". A training is left out here: "the POST training", "CJIS
    training" name the agencies that set the course."""
    found = []
    taken = [(m.start, m.end) for m in mentions]
    for offset, doc in sentences:
        for token in doc:
            if token.pos_ != "PROPN" or not token.is_title or token.dep_ not in ("compound", "nsubj"):
                continue
            name = doc[min([token.i] + [c.i for c in token.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]):
                       token.i + 1]
            start, end = offset + name.start_char, offset + name.end_char
            if any(a < end and start < b for a, b in taken) or NOT_COMMERCIAL.search(name.text):
                continue
            head = token.head
            if token.dep_ == "compound":
                vendor = head.is_lower and lemma_of(head) in DEMOS_AND_PILOTS
            else:
                vendor = head.pos_ == "VERB" and _gives_offering(head, offset, product_chars, depth=2)
            if vendor:
                found.append(Mention(start, end, name.text, "VENDOR", "role"))
                taken.append((start, end))
    return found


def _apposed(text: str, m: Mention) -> bool:
    return bool(_APPOSITION.match(text[m.end:m.end + 80]) or _NAMED_AFTER.search(text[max(0, m.start - 30):m.start]))


def _plays_vendor(root, offset: int, product_chars: list[tuple[int, int]]) -> bool:
    head = root.head
    if root.dep_ in ("poss", "compound"):
        return _offering(head, offset, product_chars)
    if root.dep_ == "pobj" and head.lower_ in ("with", "from") and lemma_of(head.head) in PURCHASES:
        return True  # "a contract with X", "pricing from X"
    if root.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX"):
        return _gives_offering(head, offset, product_chars, depth=2)
    return False


def _gives_offering(verb, offset: int, product_chars, depth: int) -> bool:
    """"ran a web demo", "will demonstrate", "has offered to give ... a demonstration"."""
    lemma = lemma_of(verb)
    if lemma in SELLING_VERBS:
        return True
    if lemma not in GIVING_VERBS:
        return False
    for child in verb.children:
        if child.dep_ in ("dobj", "attr") and _offering(child, offset, product_chars, products=False):
            return True
        if child.dep_ == "xcomp" and depth > 0 and _gives_offering(child, offset, product_chars, depth - 1):
            return True
    return False


def _offering(token, offset: int, product_chars, products: bool = True) -> bool:
    """A demo, training or pilot noun, a vendor's user conference, or (with `products`) a product. A capitalised
    word is part of a longer name ("United States Forest Service"), not something the name owns."""
    start = token.idx + offset
    if any(a <= start < b for a, b in product_chars):
        return products
    if not token.is_lower:
        return False
    lemma = lemma_of(token)
    if lemma in OFFERINGS:
        return True
    if lemma == "conference" and any(c.lower_ == "user" for c in token.children):
        return True
    return products and lemma in PRODUCT_NOUNS

