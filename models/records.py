"""Plain, typed records that flow between the pipeline's stages.

Extractors return these; the store loads them. Nothing here knows about Prefect or DuckDB.
Coordinates are PDF points (1/72 inch) measured from the top-left corner of the page as it is
displayed (after the page's /Rotate is applied), so a box can be cropped from a rendering directly:
pixel = point * dpi / 72.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    line: int  # 0-based line number on the page, in reading order
    confidence: float | None = None  # Tesseract word confidence 0-100; None for a text layer


def file_name_of(display_path: str) -> str:
    """The last name in a path, looking inside zips: "a.zip!dir/b.pdf" -> "b.pdf"."""
    return display_path.replace("!", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file found on disk (or extracted from a zip), identified by content."""

    path: str  # where the bytes are readable now
    display_path: str  # what the user knows it as: a path, or "archive.zip!inner/name.pdf"
    sha256: str
    size_bytes: int
    modified_at: datetime | None = None

    @property
    def file_name(self) -> str:
        return file_name_of(self.display_path)


@dataclass(frozen=True, slots=True)
class IngestError:
    """A readable failure tied to a file and, where known, a page. Never a raw traceback."""

    display_path: str
    stage: str  # discover | open | text_layer | render | ocr | messages | analysis | load
    reason: str
    page_number: int | None = None  # 1-based
    document_id: str | None = None  # sha256 when the bytes could be read

    def __str__(self) -> str:
        where = self.display_path + (f", page {self.page_number}" if self.page_number else "")
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class TextLayerPage:
    """What a PDF's own text layer says about one page, and the facts the OCR decision needs."""

    page_number: int
    width_pt: float
    height_pt: float
    rotation: int
    text: str
    words: list[Word]
    image_coverage: float  # share of the page area under image objects, 0..1
    invisible_text_ratio: float  # share of characters drawn invisibly (a hidden OCR layer)


@dataclass(frozen=True, slots=True)
class PageDecision:
    method: str  # "text_layer" or "ocr"
    reason: str


@dataclass(slots=True)
class OcrPage:
    page_number: int
    text: str
    words: list[Word]
    mean_confidence: float | None
    dpi: int
    cleaning: str | None = None  # what was done to the image before OCR ("despeckled: background noise 4.3")
    # a scan's redaction boxes (extractors/redactions/boxes.Box), found in the image rendered for OCR so that the
    # page is rendered once; None where they were not looked for
    boxes: list | None = None


@dataclass(slots=True)
class PageRecord:
    """The page as loaded: the chosen text and how it was obtained."""

    page_number: int
    width_pt: float
    height_pt: float
    rotation: int
    method: str  # text_layer | ocr | none
    decision_reason: str
    text: str
    words: list[Word]
    ocr_confidence: float | None
    image_coverage: float
    invisible_text_ratio: float
    text_layer_chars: int
    text_layer_text: str | None = None  # the PDF's own layer, kept when OCR replaced it
    # Our OCR of a scanned page whose agency OCR layer was kept, read beside it (see decide_second_reading).
    second_reading: OcrPage | None = None
    second_reading_reason: str | None = None
    bates: str | None = None  # the Bates number stamped on the page

    @property
    def layer(self) -> str:
        """Where `words` come from, as page_words.layer names it."""
        return "ocr" if self.method == "ocr" else "text_layer"

    @property
    def char_count(self) -> int:
        return len(self.text)


@dataclass(slots=True)
class DocumentRecord:
    document_id: str  # SHA-256 of the file's bytes: the document's identity
    file_name: str
    source_path: str
    size_bytes: int
    page_count: int
    file_modified_at: datetime | None = None
    pdf_version: int | None = None
    metadata: dict[str, str] = field(default_factory=dict)  # Title, Author, Creator, Producer, ...
    agency: str | None = None  # the releasing agency its pages print (extractors/redactions/codes.releasing_agency)
    kind: str = "pdf"  # pdf | eml | mbox | msg | office | image: a native email file has no pages (page_count 0)
    parent_document_id: str | None = None  # the document it is attached to or embedded in
    parent_message_id: str | None = None  # the native email it is attached to


@dataclass(frozen=True, slots=True)
class MessagePerson:
    """A sender or recipient as printed: display name and address apart, redaction flagged, never dropped."""

    name: str | None
    email: str | None  # as printed
    email_clean: str | None  # lower-case, OCR's stray spaces and quotes removed
    redacted: bool
    raw: str
    # the codes of the redactions over it (extractors/redactions/links.py); a redacted name with none is
    # redacted by a printed code the page shows no mark of, or by a box with no code
    redaction_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MessageLine:
    """One printed line of a message or passage (or one entry of a list), pointing at the page words it was read
    from."""

    part: str  # header | body | passage | calendar
    page_number: int | None  # None for a native email's line: it is read from the file, not from a page
    layer: str  # the page_words layer the indices refer to: text_layer | ocr; native for a native email
    word_indices: tuple[int, ...]
    text: str
    # The text ends with the line rather than running on into the next (a heading, a name in a signature block, a
    # list entry; extractors/pages/layout.py). False where the layout is unknown: lines then join as one text.
    unit_end: bool = False
    # A native email's line: its characters in the body text of the file's message it was read from
    char_start: int | None = None
    char_end: int | None = None


class PrintedLines:
    """What is printed over lines (`self.lines`, in reading order, each with a page_number): where it starts and
    ends."""

    __slots__ = ()

    @property
    def page_start(self) -> int:
        return self.lines[0].page_number

    @property
    def page_end(self) -> int:
        return self.lines[-1].page_number


@dataclass(slots=True)
class MessageRecord(PrintedLines):
    """One email message as printed in a document, with parsed and normalized headers."""

    ordinal: int  # reading order in the document, 0 = first printed
    parent_ordinal: int | None  # the message that quotes this one
    depth: int  # 0 = top message, 1 = quoted by it, ...
    layout: str  # header_block | outlook_web | on_wrote | gmail | lotus_notes
    reading: str  # primary | second: which reading of the pages the lines come from
    sender: MessagePerson | None
    sent_at: datetime | None  # as printed (local time of the printout), naive
    sent_tz_offset_minutes: int | None
    sent_raw: str | None
    sent_flag: str  # ok | missing | unparsed | implausible | ocr_corrected
    subject: str | None
    subject_normalized: str | None
    body: str
    recipients: list[tuple[str, MessagePerson]]  # (to | cc | bcc, person) in printed order
    attachments: list[str]
    lines: list[MessageLine]
    # A native email's own headers (extractors/native/): as given, and its sent time in UTC where its date has a zone
    header_message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    sent_at_utc: datetime | None = None
    conversation_id: str | None = None  # the Thread-Index's conversation (extractors/native/email_file.py)
    # a native file's attachments: (content type, size in bytes, SHA-256 of the bytes) each
    attachment_types: tuple[tuple[str | None, int | None, str | None], ...] = ()


@dataclass(slots=True)
class PassageRecord(PrintedLines):
    """Text of a document that is no part of an email message: a letter, a list, a report, a calendar printout, an
    attachment printed after the email that carried it (extractors/pages/passages.py)."""

    ordinal: int  # reading order among the document's passages, 0 = first
    kind: str  # prose | list | calendar
    follows_ordinal: int | None  # the message printed before it, None when none is
    lines: list[MessageLine]  # printed lines (a list: its entries, one a line)
    cells: list[tuple[int, int]] | None = None  # a list's (row, column) of each entry, in `lines` order

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True, slots=True)
class Mention:
    """A named thing in a text: where it is, what kind, and how it was found."""

    start: int  # character offsets into the text analysed (a message body, a sentence)
    end: int
    text: str
    label: str  # AGENCY | VENDOR | PRODUCT | PERSON | DATE | GPE | ORG
    source: str  # ner | gazetteer | pattern | list | release | role | header | domain
    canonical: str | None = None  # the gazetteer's canonical name, where the mention is a known entity
    state: str | None = None  # a state or local agency's US state, where its text gives one ("CA")


@dataclass(slots=True)
class EventRecord:
    """A demo, training, pilot, meeting, purchase or conference that a sentence reports."""

    event_type: str  # demo | training | pilot | meeting | purchase | conference
    trigger: str  # the word(s) that name the event ("demonstration", "PO", "webinar")
    sentence: str
    sentence_start: int  # character offsets of the sentence in the text analysed
    sentence_end: int
    status: str | None  # proposed | scheduled | held | cancelled | declined; None when the text does not say
    date_text: str | None  # the words that date it
    date_start: datetime | None  # normalized; relative dates resolved against the message's sent_at
    date_end: datetime | None
    location: str | None
    participants: list[tuple[str, Mention]] = field(default_factory=list)  # (vendor|agency|person|product, mention)
    confidence: float = 0.5


@dataclass(slots=True)
class EntityRecord:
    """One real-world entity: an agency, vendor, product, person, organisation or place."""

    entity_id: str  # "<TYPE>:<key>", stable across documents and runs
    entity_type: str  # AGENCY | VENDOR | PRODUCT | PERSON | ORG | GPE
    name: str  # canonical name (the gazetteer's) or the fullest form seen
    source: str  # gazetteer | text | header | domain
    aliases: set[str] = field(default_factory=set)  # every spelling and address it was found under
    state: str | None = None  # a state or local agency's US state, where its text gives one ("CA")


@dataclass(slots=True)
class LocatedMention:
    """A mention with its evidence: the message, the page and the page words it was read from."""

    mention: Mention
    message_ordinal: int | None  # None for a passage's mention
    part: str  # body | header | passage | calendar
    page_number: int | None
    layer: str | None
    word_indices: tuple[int, ...]
    entity_id: str | None  # None for a DATE
    date_start: datetime | None = None
    date_end: datetime | None = None
    passage_ordinal: int | None = None  # the passage it is read in (message_ordinal is then None)


@dataclass(slots=True)
class LocatedEvent:
    event: EventRecord
    message_ordinal: int | None
    page_number: int | None
    layer: str | None
    word_indices: tuple[int, ...]  # the sentence's words on page_number
    participants: list[tuple[str, str | None, str, str]] = field(default_factory=list)  # role, entity_id, name, via
    passage_ordinal: int | None = None  # the passage it is read in (message_ordinal is then None)


@dataclass(slots=True)
class StoredBody:
    """A loaded message's body, or a loaded passage, as the database holds it: its printed lines and the mentions
    read in them."""

    text_id: str  # messages.message_id, or passages.passage_id for a passage
    ordinal: int
    lines: list[MessageLine]
    mentions: list[Mention]
    in_passage: bool = False


@dataclass(slots=True)
class StoredDocument:
    """A loaded document's bodies, the agency codes its headers print, and the entity of each of those mentions
    (by `id()` of the mention)."""

    document_id: str
    bodies: list[StoredBody]
    header_codes: list[Mention]
    entity_of: dict[int, str | None]


@dataclass(slots=True)
class RedactionRecord:
    """One redaction on a page: a box (with the codes printed in or beside it), a code printed with no box found,
    or a page that stands for withheld pages. Boxes are in displayed page points, top-left origin."""

    page_number: int
    kind: str  # box | code_only | withheld_page
    source: str  # vector (a box drawn in the PDF) | image (found in a scan) | text (codes read in the page's words)
    codes: list[str]  # normal forms: b6, b7(c), 1.4(d), ca-gc-6254(f)
    x0: float | None
    y0: float | None
    x1: float | None
    y1: float | None
    code_text: str | None = None  # the codes as printed; for a withheld page, what it says it is
    uncovered_chars: int = 0  # characters of the text layer under the box: a failed redaction when > 0
    uncovered_text: str | None = None  # those characters, kept only with --keep-uncovered
    message_ordinal: int | None = None  # the message or passage printed where it lies (extractors/redactions/links)
    passage_ordinal: int | None = None
    field: str | None = None  # on a header line: sender | sent | to | cc | bcc | subject | attachments
    recipient_position: int | None = None  # on a to / cc / bcc line: the recipients.position of the name it hides


@dataclass(slots=True)
class ReleaseStatusRecord:
    """A document's release stamp: "RELEASE IN PART B5,B6" -> (release_in_part, [b5, b6])."""

    page_number: int
    decision: str  # release_in_full | release_in_part | decline_in_full | decline_in_part | denied_in_full
    codes: list[str]

