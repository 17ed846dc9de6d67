"""A document's messages -> entity mentions, canonical entities and events, each with its evidence.

Every mention and event points back to the message, the page and the page words it was read from, so an
analyst can cite document, page, Bates number and the exact words. Senders and recipients are mentions too
(source `header`), and their e-mail domains name their organisations (source `domain`) where the gazetteer
knows the domain. An event's participants come from its sentence; a vendor missing from the sentence is
taken from a product it names (the gazetteer knows whose product it is), and an agency missing from it from
the rest of the message or the domains of its sender and recipients (`via` says which).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from extractors.calendar_print import read_calendar_fields
from extractors.entities import DOMAIN_LABELS, EntityAnalyzer
from extractors.entity_links import entity_id_for, link_entities, person_key
from extractors.events import detect_calendar_event, detect_events_in
from extractors.mention_dates import normalize_date
from models.records import (EntityRecord, EventRecord, LocatedEvent, LocatedMention, Mention, MessageLine,
                            MessagePerson, MessageRecord)


@dataclass
class DocumentAnalysis:
    mentions: list[LocatedMention] = field(default_factory=list)
    events: list[LocatedEvent] = field(default_factory=list)
    entities: dict[str, EntityRecord] = field(default_factory=dict)


class TextMap:
    """Character offsets in text made of printed lines joined by newlines -> the page words they came from."""

    def __init__(self, lines: list[MessageLine]):
        self.lines = lines
        self.starts: list[int] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            offset += len(line.text) + 1
        self.text = "\n".join(line.text for line in lines)

    def evidence(self, start: int, end: int) -> tuple[int | None, str | None, tuple[int, ...]]:
        """(page, layer, word indices on that page) for the characters start..end."""
        if not self.lines or start < 0:
            return None, None, ()
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        page, layer = self.lines[first].page_number, self.lines[first].layer
        indices: list[int] = []
        for number in range(first, len(self.lines)):
            line_start = self.starts[number]
            if line_start >= end:
                break
            line = self.lines[number]
            if line.page_number != page:
                break
            # tokens of the line are its words, in order: which tokens does start..end touch?
            position = line_start
            for token, word_index in zip(line.text.split(" "), line.word_indices):
                token_end = position + len(token)
                if token_end > start and position < end:
                    indices.append(word_index)
                position = token_end + 1
        return page, layer, tuple(indices)


def _people(message: MessageRecord) -> list[MessagePerson]:
    return ([message.sender] if message.sender else []) + [person for _, person in message.recipients]


# Government mail directories print the person's agency after the name: "Grimaldi, John J. (BEGA)".
_DIRECTORY_CODE = re.compile(r"\((?P<code>[A-Z][A-Za-z&/.-]{1,11})\)\s*$")
# "the Board of Ethics and Government Accountability (BEGA)": an acronym defined right after a name.
_DEFINED_ACRONYM = re.compile(r"^\s*\((?P<acronym>[A-Z][A-Z&/]{1,9})\)")


def _header_mentions(message: MessageRecord, analyzer: EntityAnalyzer) -> list[Mention]:
    found = []
    for person in _people(message):
        if person.redacted and not (person.name or person.email_clean):
            continue
        code = _DIRECTORY_CODE.search(person.name or "")
        if code:
            entry = analyzer.gazetteer.lookup(code.group("code"))
            if entry is not None and entry.label == "AGENCY" or code.group("code").isupper():
                found.append(Mention(-1, -1, code.group("code"), "AGENCY", "header",
                                     entry.canonical if entry is not None else None))
        if person.name:
            found.append(Mention(-1, -1, person.name, "PERSON", "header"))
        elif person.email_clean:
            found.append(Mention(-1, -1, person.email_clean, "PERSON", "header"))
        entry = analyzer.gazetteer.by_domain(person.email_clean) if person.email_clean else None
        if entry is not None:
            found.append(Mention(-1, -1, entry.canonical, entry.label, "domain", entry.canonical))
    return found


def _addresses(messages: list[MessageRecord]) -> dict[str, str]:
    """Addresses printed together with a name in a header: the evidence that links the two."""
    linked: dict[str, str] = {}
    for message in messages:
        for person in _people(message):
            if person.name and person.email_clean:
                key = person_key(person.name)
                if key:
                    linked.setdefault(person.email_clean, key)
    return linked


MAX_CONTEXT_PARTIES = 3


def _with_document_acronyms(bodies: list[list[Mention]], texts: list[str],
                            header_codes: dict[str, Mention] | None = None) -> list[list[Mention]]:
    """Agencies a document names by an acronym it defines ("... Accountability (BEGA)") or prints as a
    directory code after a sender's or recipient's name ("Grimaldi, John J. (BEGA)"): every use of the acronym
    in the document's bodies is that agency too."""
    defined: dict[str, Mention] = dict(header_codes or {})
    for mentions, text in zip(bodies, texts):
        for mention in mentions:
            match = _DEFINED_ACRONYM.match(text[mention.end:mention.end + 14]) if mention.label == "AGENCY" else None
            if match and _abbreviates(match.group("acronym"), mention.text):
                defined.setdefault(match.group("acronym"), mention)
    if not defined:
        return bodies
    pattern = re.compile(r"\b(" + "|".join(re.escape(acronym) for acronym in defined) + r")\b")
    out = []
    def as_agency(start: int, end: int, acronym: str) -> Mention:
        return Mention(start, end, acronym, "AGENCY", "pattern", defined[acronym].canonical or defined[acronym].text)

    for mentions, text in zip(bodies, texts):
        # the model's own reading of the bare acronym (an ORG, a PERSON) gives way; a longer name keeps it
        kept = [as_agency(m.start, m.end, m.text) if m.text in defined and m.label not in DOMAIN_LABELS else m
                for m in mentions]
        taken = [(m.start, m.end) for m in kept]
        added = [as_agency(match.start(), match.end(), match.group()) for match in pattern.finditer(text)
                 if not any(start < match.end() and match.start() < end for start, end in taken)]
        out.append(sorted(kept + added, key=lambda m: m.start))
    return out


US_STATE_CODES = set(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR "
    "PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP".split())


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether the acronym's letters are the name's capitals, in order, first to first: "OCSD" for "Orange County
    Sheriff's Department", "DCRB" for "DC Retirement Board"; not "TX" after "Addison Police Department"."""
    if acronym in US_STATE_CODES:
        return False  # "Addison Police Department (TX)", "CA DOJ (CA)": where it is, not what it is called
    letters = [c for c in acronym if c.isalpha()]
    capitals = [c for c in name if c.isupper()]
    remaining = iter(capitals)  # `in` on an iterator consumes it: the letters must come in order
    return len(letters) >= 2 and capitals[:1] == letters[:1] and all(letter in remaining for letter in letters)


def _distinct(mentions: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for mention in mentions:
        key = (mention.canonical or mention.text).lower()
        if key not in seen:
            seen.add(key)
            out.append(mention)
    return out[:MAX_CONTEXT_PARTIES]


def _with_missing_parties(event: EventRecord, message_mentions: list[Mention], header: list[Mention],
                          analyzer: EntityAnalyzer, document_mentions: list[Mention] = ()
                          ) -> list[tuple[str, Mention, str]]:
    """The event's participants with how each was found: sentence, product (a named product's vendor),
    message (named elsewhere in the message), header (its sender's or recipients' domains), document (named
    elsewhere in the thread), the nearest context first."""
    parties = [(role, mention, "header" if mention.start < 0 else "sentence") for role, mention in event.participants]
    roles = {role for role, _, _ in parties}
    if "vendor" not in roles:
        for role, mention, _ in list(parties):
            entry = analyzer.gazetteer.lookup(mention.canonical or mention.text) if role == "product" else None
            if entry is not None and entry.vendor:
                vendor = analyzer.gazetteer.lookup(entry.vendor)
                parties.append(("vendor", Mention(mention.start, mention.end, entry.vendor, "VENDOR", "gazetteer",
                                                  vendor.canonical if vendor else entry.vendor), "product"))
                roles.add("vendor")
                break
    for role, label in (("agency", "AGENCY"), ("vendor", "VENDOR")):
        if role in roles:
            continue
        for via, pool in (("message", message_mentions), ("header", header), ("document", document_mentions)):
            found = _distinct([m for m in pool if m.label == label])
            if found:
                parties += [(role, mention, via) for mention in found]
                break
    return parties


def analyze_document(messages: list[MessageRecord], analyzer: EntityAnalyzer,
                     calendar_lines: list[MessageLine] | None = None) -> DocumentAnalysis:
    """Mentions, entities and events of one document's messages (and of a calendar printout, if it is one)."""
    result = DocumentAnalysis()
    addresses = _addresses(messages)
    maps = [TextMap([line for line in message.lines if line.part == "body"]) for message in messages]
    reads = analyzer.read([text_map.text for text_map in maps])
    located: list[tuple[LocatedMention, Mention]] = []
    parties_of: list[list[tuple[str, Mention, str]]] = []  # per event in result.events
    headers = [_header_mentions(message, analyzer) for message in messages]
    codes = {m.text: m for header in headers for m in header if m.source == "header" and m.label == "AGENCY"}
    bodies = _with_document_acronyms([read.mentions for read in reads], [m.text for m in maps], codes)
    document_mentions = [m for body in bodies for m in body if m.label in ("AGENCY", "VENDOR")]
    for message, text_map, read, body, header in zip(messages, maps, reads, bodies, headers):
        for mention in header:
            located.append((LocatedMention(mention, message.ordinal, "header", message.page_start, None, (), None),
                            mention))
        for mention in body:
            page, layer, words = text_map.evidence(mention.start, mention.end)
            start = end = None
            if mention.label == "DATE":
                start, end = normalize_date(mention.text, message.sent_at)
            located.append((LocatedMention(mention, message.ordinal, "body", page, layer, words, None, start, end),
                            mention))
        for event in detect_events_in(read.sentences, body, message.sent_at, header):
            page, layer, words = text_map.evidence(event.sentence_start, event.sentence_end)
            parties = _with_missing_parties(event, body, header, analyzer, document_mentions)
            result.events.append(LocatedEvent(event, message.ordinal, page, layer, words))
            parties_of.append(parties)
            # a vendor known only through its product is an entity (the event's party) but no mention: the
            # words do not name it
            located.extend((LocatedMention(mention, message.ordinal, "inferred", None, None, (), None), mention)
                           for _, mention, via in parties if via == "product")
    if calendar_lines:
        located.extend(_calendar(calendar_lines, analyzer, result, parties_of))
    ids, result.entities = link_entities([mention for _, mention in located], addresses)
    linked = {}
    for (item, mention), entity_id in zip(located, ids):
        item.entity_id = entity_id
        linked[id(mention)] = entity_id
        if item.part != "inferred":
            result.mentions.append(item)
    for event, parties in zip(result.events, parties_of):
        seen: set[tuple[str, str]] = set()
        event.participants = []
        for role, mention, via in parties:
            entity_id = linked.get(id(mention)) or entity_id_for(mention, addresses)
            name = mention.canonical or mention.text
            if (role, entity_id or name) not in seen:  # named in the sentence and by a header: once, nearest first
                seen.add((role, entity_id or name))
                event.participants.append((role, entity_id, name, via))
    return result


def _calendar(lines: list[MessageLine], analyzer: EntityAnalyzer, result: DocumentAnalysis,
              parties_of: list[list[tuple[str, Mention, str]]]) -> list[tuple[LocatedMention, Mention]]:
    fields = read_calendar_fields(lines)
    if fields is None:
        return []
    text_map = TextMap(lines)
    body = analyzer.read([text_map.text], events=False)[0].mentions  # its event comes from its fields
    event = detect_calendar_event(fields, None)
    located = [(LocatedMention(m, None, "calendar", *text_map.evidence(m.start, m.end), None), m) for m in body]
    if event is not None:
        page, layer, words = text_map.evidence(0, len(text_map.text))
        event.sentence, event.sentence_start, event.sentence_end = text_map.text, 0, len(text_map.text)
        result.events.append(LocatedEvent(event, None, page, layer, words))
        parties_of.append(_with_missing_parties(event, body, [], analyzer))
    return located
