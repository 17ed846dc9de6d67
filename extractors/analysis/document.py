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
from dataclasses import dataclass, field

from extractors.analysis.agency_acronyms import DIRECTORY_CODE, acronyms_in_document, with_known_acronyms
from extractors.email.calendar_print import read_calendar_fields
from extractors.analysis.entities import EntityAnalyzer
from extractors.analysis.entity_links import entity_id_for, link_entities, person_key
from extractors.analysis.events import detect_calendar_event, detect_events_in
from extractors.analysis.mention_dates import normalize_date
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


def _header_mentions(message: MessageRecord, analyzer: EntityAnalyzer) -> list[Mention]:
    found = []
    for person in _people(message):
        if person.redacted and not (person.name or person.email_clean):
            continue
        code = DIRECTORY_CODE.search(person.name or "")
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
    codes = [m for header in headers for m in header if m.source == "header" and m.label == "AGENCY"]
    texts = [text_map.text for text_map in maps]
    known = acronyms_in_document([read.mentions for read in reads], texts, codes)
    bodies = [with_known_acronyms(read.mentions, text, known) for read, text in zip(reads, texts)]
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
