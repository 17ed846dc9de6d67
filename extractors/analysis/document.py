"""A document's messages and passages -> entity mentions, canonical entities and events, each with its evidence.

Message bodies and passages (a document's text outside its messages: letters, lists, reports, attachments) are
read alike. Every mention and event points back to the message or passage, the page and the page words it was
read from, so an analyst can cite document, page, Bates number and the exact words. Senders and recipients are
mentions too (source `header`), and their e-mail domains name their organisations (source `domain`) where the gazetteer
knows the domain. An event's participants come from its sentence; a vendor missing from the sentence is
taken from a product it names (the gazetteer knows whose product it is), and an agency missing from it from
the rest of the message (or passage), the domains of its sender and recipients, or the rest of the document
(`via` says which). Relative dates in a passage count from the message it is printed after, or from the date a
letter prints alone on a line near its top.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import datetime

from extractors.analysis.agency_acronyms import DIRECTORY_CODE, acronyms_in_document, with_known_acronyms
from extractors.email.calendar_print import read_calendar_fields
from extractors.analysis.entities import EntityAnalyzer
from extractors.analysis.entity_links import entity_id_for, link_entities, one_line, person_key
from extractors.analysis.events import detect_calendar_event, detect_events_in
from extractors.analysis.lists import read_list, with_states
from extractors.analysis.mention_dates import normalize_date
from models.records import (EntityRecord, EventRecord, LocatedEvent, LocatedMention, Mention, MessageLine,
                            MessagePerson, MessageRecord, PassageRecord)


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

    @property
    def breaks(self) -> list[int]:
        """Offsets in `text` where a unit of reading ends although no sentence punctuation says so: the end of each
        line that does not run on into the next (MessageLine.unit_end)."""
        return [start + len(line.text) for start, line in zip(self.starts, self.lines) if line.unit_end]

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


def _with_missing_parties(event: EventRecord, text_mentions: list[Mention], header: list[Mention],
                          analyzer: EntityAnalyzer, document_mentions: list[Mention] = (), here: str = "message"
                          ) -> list[tuple[str, Mention, str]]:
    """The event's participants with how each was found: sentence, product (a named product's vendor),
    message or passage (named elsewhere in the text it is read in: `here`), header (its sender's or recipients'
    domains), document (named elsewhere in the document), the nearest context first."""
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
        for via, pool in ((here, text_mentions), ("header", header), ("document", document_mentions)):
            found = _distinct([m for m in pool if m.label == label])
            if found:
                parties += [(role, mention, via) for mention in found]
                break
    return parties


@dataclass
class _Text:
    """One text a document's analysis reads: a message's body or a passage."""
    text_map: TextMap
    message: MessageRecord | None = None
    passage: PassageRecord | None = None
    header: list[Mention] = field(default_factory=list)
    reference: datetime | None = None  # what relative dates count from: the message's sent time, a letter's date

    @property
    def where(self) -> dict:
        """The keyword arguments that say which text a LocatedMention or LocatedEvent is read in."""
        if self.message is not None:
            return {"message_ordinal": self.message.ordinal, "passage_ordinal": None}
        return {"message_ordinal": None, "passage_ordinal": self.passage.ordinal}


def _texts(messages: list[MessageRecord], passages: list[PassageRecord], analyzer: EntityAnalyzer) -> list[_Text]:
    texts = [_Text(TextMap([line for line in m.lines if line.part == "body"]), message=m,
                   header=_header_mentions(m, analyzer), reference=m.sent_at) for m in messages]
    sent = {m.ordinal: m.sent_at for m in messages}
    for passage in passages:
        if passage.kind != "calendar":
            reference = sent.get(passage.follows_ordinal) if passage.follows_ordinal is not None else None
            texts.append(_Text(TextMap(passage.lines), passage=passage, reference=reference or _dated(passage)))
    return texts


# A letter's or a memo's date printed alone on a line near its top ("November 14, 2022", "2/22/2018").
_DATE_LINE = re.compile(r"^(?:[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})$")
DATE_LINE_SEARCH = 10


def _dated(passage: PassageRecord) -> datetime | None:
    for line in passage.lines[:DATE_LINE_SEARCH]:
        if _DATE_LINE.match(line.text.strip()):
            start, end = normalize_date(line.text.strip(), None)
            if start is not None and start == end:
                return start
    return None


def analyze_document(messages: list[MessageRecord], analyzer: EntityAnalyzer,
                     passages: list[PassageRecord] = ()) -> DocumentAnalysis:
    """Mentions, entities and events of one document: its messages' bodies and headers, and its passages (a
    calendar printout's event comes from its fields)."""
    result = DocumentAnalysis()
    addresses = _addresses(messages)
    texts = _texts(messages, list(passages), analyzer)
    reads = analyzer.read([t.text_map.text for t in texts], breaks=[t.text_map.breaks for t in texts])
    located: list[tuple[LocatedMention, Mention]] = []
    parties_of: list[list[tuple[str, Mention, str]]] = []  # per event in result.events
    codes = [m for t in texts for m in t.header if m.source == "header" and m.label == "AGENCY"]
    plain = [t.text_map.text for t in texts]
    known = acronyms_in_document([read.mentions for read in reads], plain, codes)
    found = [with_states(text, with_known_acronyms(read.mentions, text, known)) for read, text in zip(reads, plain)]
    found = [read_list(t.passage, t.text_map.text, t.text_map.starts, mentions) if t.passage is not None else mentions
             for t, mentions in zip(texts, found)]
    document_mentions = [m for mentions in found for m in mentions if m.label in ("AGENCY", "VENDOR")]
    for t, read, mentions in zip(texts, reads, found):
        part = "body" if t.message is not None else "passage"
        for mention in t.header:
            located.append((LocatedMention(mention, t.message.ordinal, "header", t.message.page_start, None, (),
                                           None), mention))
        for mention in mentions:
            page, layer, words = t.text_map.evidence(mention.start, mention.end)
            start = end = None
            if mention.label == "DATE":
                start, end = normalize_date(mention.text, t.reference)
            located.append((LocatedMention(mention, part=part, page_number=page, layer=layer, word_indices=words,
                                           entity_id=None, date_start=start, date_end=end, **t.where), mention))
        for event in detect_events_in(read.sentences, mentions, t.reference, t.header):
            page, layer, words = t.text_map.evidence(event.sentence_start, event.sentence_end)
            parties = _with_missing_parties(event, mentions, t.header, analyzer, document_mentions,
                                            "message" if t.message is not None else "passage")
            result.events.append(LocatedEvent(event, page_number=page, layer=layer, word_indices=words, **t.where))
            parties_of.append(parties)
            # a vendor known only through its product is an entity (the event's party) but no mention: the
            # words do not name it
            located.extend((LocatedMention(mention, part="inferred", page_number=None, layer=None, word_indices=(),
                                           entity_id=None, **t.where), mention)
                           for _, mention, via in parties if via == "product")
    for passage in passages:
        if passage.kind == "calendar":
            located.extend(_calendar(passage, analyzer, result, parties_of))
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
            name = one_line(mention.canonical or mention.text)
            if (role, entity_id or name) not in seen:  # named in the sentence and by a header: once, nearest first
                seen.add((role, entity_id or name))
                event.participants.append((role, entity_id, name, via))
    return result


def _calendar(passage: PassageRecord, analyzer: EntityAnalyzer, result: DocumentAnalysis,
              parties_of: list[list[tuple[str, Mention, str]]]) -> list[tuple[LocatedMention, Mention]]:
    fields = read_calendar_fields(passage.lines)
    if fields is None:
        return []
    text_map = TextMap(passage.lines)
    body = analyzer.read([text_map.text], events=False)[0].mentions  # its event comes from its fields
    event = detect_calendar_event(fields, None)
    located = [(LocatedMention(m, None, "calendar", *text_map.evidence(m.start, m.end), None,
                               passage_ordinal=passage.ordinal), m) for m in body]
    if event is not None:
        page, layer, words = text_map.evidence(0, len(text_map.text))
        event.sentence, event.sentence_start, event.sentence_end = text_map.text, 0, len(text_map.text)
        result.events.append(LocatedEvent(event, None, page, layer, words, passage_ordinal=passage.ordinal))
        parties_of.append(_with_missing_parties(event, body, [], analyzer, here="passage"))
    return located
