"""The labelled sentences read in their documents, as the pipeline reads them.

A release is analysed document by document: an acronym a document defines ("Board of Ethics and Government
Accountability (BEGA)") or prints as a sender's directory code ("Grimaldi, John J. (BEGA)") is an agency
throughout it. A sentence scored alone cannot show that. Each real label points into the corpus (State PDF and
page, DC .eml, MuckRock text or PDF); this module opens that document, builds its messages and passages
(read_document on the PDF's text layer; the .eml's headers and text; a text file as one message), runs
analyze_document, and returns the mentions that fall inside the labelled sentence, with offsets in the label's
text.

After a release is loaded, the pipeline reads acronyms across it (extractors/analysis/release_acronyms.py): what one
document explains is an agency in all of them. Here a release is the corpus folder's documents of the label's
kind (every .eml of the DC set, every PDF of the State set, ...), each analysed as above.
"""

from __future__ import annotations

import email
import os
import re
from email import policy

from eval.email_eval import _eml_people, eml_text
from extractors.analysis.agency_acronyms import KnownAcronym, acronyms_in_document, merge_acronyms, with_known_acronyms
from extractors.analysis.document import TextMap, analyze_document
from extractors.analysis.entities import EntityAnalyzer
from extractors.email.messages import DocumentText, PageReadings, read_document
from extractors.pages.pdf_text import open_pdf, read_text_layer
from models.records import Mention, MessageLine, MessagePerson, MessageRecord

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))


def _person(name: str, address: str) -> MessagePerson:
    return MessagePerson(name or None, address or None, address.lower() or None, False, f"{name} <{address}>")


def _message(body: str, sender: MessagePerson | None = None,
             recipients: list[tuple[str, MessagePerson]] | None = None) -> MessageRecord:
    lines = [MessageLine("body", 1, "text", (), line) for line in body.split("\n")]
    return MessageRecord(0, None, 0, "document", "primary", sender, None, None, None, "missing", None, None, body,
                         recipients or [], [], lines)


def _from_eml(path: str) -> list[MessageRecord]:
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    text = eml_text(message)
    raw = {}
    for name, value in message.raw_items():
        raw.setdefault(name.lower(), value)
    senders = [_person(*pair) for pair in _eml_people(raw.get("from"))]
    recipients = [(kind, _person(*pair)) for kind in ("to", "cc") for pair in _eml_people(raw.get(kind))]
    return [_message(text.replace("\r\n", "\n"), senders[0] if senders else None, recipients)]


def _from_pdf(path: str) -> DocumentText:
    with open_pdf(path) as document:
        layers = [read_text_layer(document, number) for number in range(1, len(document) + 1)]
    return read_document([PageReadings(l.page_number, l.height_pt, l.words, "text_layer") for l in layers])


def _find(path_in_corpus: str, name: str) -> str | None:
    for folder, _, files in os.walk(path_in_corpus):
        if name in files:
            return os.path.join(folder, name)
    return None


def document_text(source: dict) -> DocumentText | None:
    """The messages and passages of the document a label points to, or None when the corpus does not hold it."""
    name = source.get("eml") or source.get("file")
    path = _find(os.path.join(CORPUS, source["corpus"]), os.path.basename(name)) if name else None
    if path is None:
        return None
    if path.endswith(".eml"):
        return DocumentText(_from_eml(path), [])
    if path.lower().endswith(".pdf"):
        return _from_pdf(path)
    with open(path, encoding="utf-8", errors="replace") as handle:
        return DocumentText([_message(handle.read())], [])


def _squeezed(text: str) -> tuple[str, list[int]]:
    """text with every run of whitespace made one space, and where each of its characters came from."""
    out, where = [], []
    for match in re.finditer(r"\S+|\s+", text):
        if match.group().isspace():
            if out and out[-1] != " ":
                out.append(" ")
                where.append(match.start())
        else:
            out.extend(match.group())
            where.extend(range(match.start(), match.end()))
    return "".join(out), where


class DocumentReader:
    """Analyses each source document once; `mentions_in(item)` gives the label's sentence's mentions."""

    def __init__(self, analyzer: EntityAnalyzer):
        self.analyzer = analyzer
        self._cache: dict[str, tuple[list[tuple[str, list[Mention]]], dict[str, KnownAcronym]] | None] = {}
        self._releases: dict[tuple[str, str], dict[str, KnownAcronym]] = {}

    def _read(self, source: dict) -> tuple[list[tuple[str, list[Mention]]], dict[str, KnownAcronym]] | None:
        """The document's (body text, mentions) per message, and the agency acronyms it explains."""
        key = repr(sorted(source.items()))
        if key not in self._cache:
            document = document_text(source)
            if document is None:
                self._cache[key] = None
            else:
                result = analyze_document(document.messages, self.analyzer, document.passages)
                texts = {("message", m.ordinal): TextMap([line for line in m.lines if line.part == "body"]).text
                         for m in document.messages}
                texts |= {("passage", p.ordinal): TextMap(p.lines).text for p in document.passages}
                found: dict[tuple[str, int], list[Mention]] = {key: [] for key in texts}
                codes = []
                for located in result.mentions:
                    if located.part == "body":
                        found["message", located.message_ordinal].append(located.mention)
                    elif located.part in ("passage", "calendar"):
                        found["passage", located.passage_ordinal].append(located.mention)
                    elif located.part == "header" and located.mention.source == "header" \
                            and located.mention.label == "AGENCY":
                        codes.append(located.mention)
                bodies = [(texts[ordinal], found[ordinal]) for ordinal in texts]
                known = acronyms_in_document([m for _, m in bodies], [t for t, _ in bodies], codes)
                self._cache[key] = (bodies, known)
        return self._cache[key]

    def _release_acronyms(self, source: dict) -> dict[str, KnownAcronym]:
        """The acronyms every document of the label's release (its corpus folder, its kind of file) explains."""
        name = source.get("eml") or source.get("file") or ""
        kind = os.path.splitext(name)[1].lower()
        release = (source["corpus"], kind)
        if release not in self._releases:
            documents = []
            for folder, _, files in sorted(os.walk(os.path.join(CORPUS, source["corpus"]))):
                for file_name in sorted(files):
                    if os.path.splitext(file_name)[1].lower() == kind:
                        field_name = "eml" if kind == ".eml" else "file"
                        read = self._read({"corpus": source["corpus"], field_name: file_name})
                        if read is not None:
                            documents.append(read[1])
            self._releases[release] = merge_acronyms(documents)
        return self._releases[release]

    def _bodies(self, source: dict) -> list[tuple[str, list[Mention]]] | None:
        read = self._read(source)
        if read is None:
            return None
        known = self._release_acronyms(source)
        return [(text, with_known_acronyms(mentions, text, known, source="release")) for text, mentions in read[0]]

    def mentions_in(self, item: dict) -> list[Mention] | None:
        """The mentions inside the item's sentence, offsets in item["text"]; None when the sentence is not found
        in its document (the document is missing, or its text differs)."""
        bodies = self._bodies(item["source"]) if item.get("source") else None
        if not bodies:
            return None
        sentence, sentence_where = _squeezed(item["text"].strip())
        lead = len(item["text"]) - len(item["text"].lstrip())
        for text, mentions in bodies:
            squeezed, where = _squeezed(text)
            at = squeezed.find(sentence)
            if at < 0:
                continue
            start, end = where[at], where[at + len(sentence) - 1] + 1
            back = {where[at + i]: lead + sentence_where[i] for i in range(len(sentence))}
            out = []
            for m in mentions:
                if start <= m.start and m.end <= end:
                    first = back.get(m.start)
                    last = back.get(m.end - 1)
                    if first is not None and last is not None:
                        out.append(Mention(first, last + 1, m.text, m.label, m.source, m.canonical))
            return out
        return None
