"""Lay out mail threads as the printouts of six mail clients, and say exactly what each printed message shows.

Layouts (one function each, all drawing through `Sheet`):

- `outlook`: Outlook desktop memo print (bold labels in a column, values beside them, wrapped to the value
  column); quoted messages as plain header blocks whose long values wrap back to the left margin.
- `outlook_web`: Outlook Web App (subject in large type, sender, a short date line, To:/Cc:).
- `gmail`: Gmail's print of a conversation (thread subject once, "N messages", each message's sender line with
  the date at the right, To:/Cc: lines, oldest message first, people separated by commas).
- `apple_mail`: Apple Mail (right-aligned labels in the order From, Subject, Date, To, Cc; older messages as
  "Begin forwarded message:" blocks).
- `lotus_notes`: Lotus Notes memo (sender, "Sent by:" and a date line on the left; To/cc/bcc/Subject labels and
  tab-aligned values on the right).
- `forwarded`: an Outlook message whose older messages are forwarded blocks with `Date:` instead of `Sent:`.

Every file gets Bates numbers; the generator (build.py) picks the variations (redaction codes, long lists and
subjects, page breaks inside a header) from a seeded random source, so the same seed gives the same files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from eval.layout_set.mail import Mail

PAGE_W, PAGE_H = letter
LEFT, RIGHT, TOP, BOTTOM = 72, PAGE_W - 72, PAGE_H - 60, 72
FONT, BOLD = "Helvetica", "Helvetica-Bold"
LAYOUTS = ("outlook", "outlook_web", "gmail", "apple_mail", "lotus_notes", "forwarded")
REDACTION_CODES = ("(b)(6)", "(b) (6)", "B6", "(b)(7)(C)")


@dataclass
class Printed:
    """One person as printed, and what a reader of the page can know of them."""
    text: str
    name: str
    email: str
    redacted: bool


def _day(moment: datetime, pattern: str) -> str:
    """strftime without zero-padded days and hours ("Monday, November 6, 2017 9:05 AM")."""
    return moment.strftime(pattern).replace("{d}", str(moment.day)).replace("{H}", str(int(moment.strftime("%I"))))


def outlook_date(moment: datetime) -> str:
    return _day(moment, "%A, %B {d}, %Y {H}:%M %p")


def owa_date(moment: datetime) -> str:
    return moment.strftime("%a ") + f"{moment.month}/{moment.day}/{moment.year} " + _day(moment, "{H}:%M %p")


def gmail_date(moment: datetime) -> str:
    return _day(moment, "%a, %b {d}, %Y at {H}:%M %p")


def apple_date(moment: datetime) -> str:
    return _day(moment, "%B {d}, %Y at {H}:%M:00 %p EST")


def lotus_date(moment: datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M %p")


class Sheet:
    """A PDF being written page by page, with a Bates number and page number on every page."""

    def __init__(self, path: str, bates_prefix: str, first_bates: int, size: float = 10, leading: float = 12.5):
        self.canvas = canvas.Canvas(path, pagesize=letter, invariant=1, pageCompression=1)
        self.canvas.setAuthor("foia-evidence layout test set")
        self.bates_prefix, self.bates = bates_prefix, first_bates
        self.size, self.leading = size, leading
        self.page = 0
        self.y = TOP
        self._open_page()

    def _open_page(self) -> None:
        self.page += 1
        c = self.canvas
        c.setFont(BOLD, 9)
        c.drawRightString(RIGHT, 36, f"{self.bates_prefix}-{self.bates + self.page - 1:06d}")
        c.setFont(FONT, 8)
        c.drawString(LEFT, 36, f"Page {self.page}")
        self.y = TOP

    def new_page(self) -> None:
        self.canvas.showPage()
        self._open_page()

    def need(self, lines: float = 1) -> None:
        if self.y - lines * self.leading < BOTTOM:
            self.new_page()

    def width(self, text: str, font: str = FONT, size: float | None = None) -> float:
        return self.canvas.stringWidth(text, font, size or self.size)

    def text(self, x: float, text: str, font: str = FONT, size: float | None = None, right: bool = False) -> None:
        self.canvas.setFont(font, size or self.size)
        if right:
            self.canvas.drawRightString(x, self.y, text)
        else:
            self.canvas.drawString(x, self.y, text)

    def rule(self, weight: float = 0.6) -> None:
        self.canvas.setLineWidth(weight)
        self.canvas.line(LEFT, self.y + self.size, RIGHT, self.y + self.size)

    def down(self, lines: float = 1) -> None:
        self.y -= self.leading * lines

    def wrapped(self, first_x: float, text: str, next_x: float, right: float = RIGHT, font: str = FONT) -> None:
        """Words from first_x to `right`, continuing at next_x on the lines below (a new page when full)."""
        x = first_x
        space = self.width(" ", font)
        for word in text.split():
            w = self.width(word, font)
            while w > right - next_x:  # a token longer than a line (an X.500 address) is broken at the margin
                if x > next_x + 0.1 and right - x < 4 * space:
                    self.down()
                    self.need()
                    x = next_x
                cut = max((n for n in range(1, len(word) + 1) if x + self.width(word[:n], font) <= right), default=1)
                self.text(x, word[:cut], font)
                self.down()
                self.need()
                x, word = next_x, word[cut:]
                w = self.width(word, font)
            if x + w > right and x > next_x + 0.1:
                self.down()
                self.need()
                x = next_x
            self.text(x, word, font)
            x += w + space
        self.down()

    def field(self, label: str, value: str, label_x: float, value_x: float, wrap_x: float,
              label_font: str = BOLD, right_label: bool = False, right: float = RIGHT) -> None:
        self.need()
        if right_label:
            self.text(label_x, label, label_font, right=True)
        else:
            self.text(label_x, label, label_font)
        if value:
            self.wrapped(value_x, value, wrap_x, right)
        else:
            self.down()

    def body(self, paragraphs: list[str]) -> None:
        for paragraph in paragraphs:
            self.need()
            self.wrapped(LEFT, paragraph, LEFT)
            self.down(0.6)

    def save(self) -> None:
        self.canvas.showPage()
        self.canvas.save()


# ------------------------------------------------------------------------------------------------ people

def printed_people(people: list[tuple[str, str]], style: str, rng: random.Random, redact: float) -> list[Printed]:
    """How a client prints each person: `outlook` ("Name", "Name <addr>", an address alone), `angle`
    (Gmail/Apple: '"Last, First" <addr>'), `notes` (Lotus: the address, or the name)."""
    out = []
    for name, address in people:
        if rng.random() < redact:
            code = rng.choice(REDACTION_CODES)
            if name and rng.random() < 0.5:
                out.append(Printed(f"{name} {code}" if style == "outlook" else f"{_quoted(name)} <{code}>",
                                   name, "", True))
            else:
                out.append(Printed(code, "", "", True))
            continue
        if style == "outlook":
            choice = rng.random()
            if name and (choice < 0.55 or not address):
                out.append(Printed(name, name, "", False))
            elif name and choice < 0.85:
                out.append(Printed(f"{name} <{address}>", name, address, False))
            else:
                out.append(Printed(address, "", address, False))
        elif style == "angle":
            out.append(Printed(f"{_quoted(name)} <{address}>" if name and address else name or address,
                               name, address, False))
        else:
            out.append(Printed(address or name, "" if address else name, address, False))
    return out


def _quoted(name: str) -> str:
    return f'"{name}"' if "," in name else name


def joined(people: list[Printed], separator: str) -> str:
    return separator.join(person.text for person in people)


def label_of(layout: str, mail: Mail, sender: Printed, to: list[Printed], cc: list[Printed],
             subject: str) -> dict:
    def person(p: Printed) -> dict:
        return {"name": p.name or None, "email": p.email or None, "redacted": p.redacted}
    return {"layout": layout, "source": mail.source, "sender": person(sender),
            "sent_at": mail.sent.isoformat(timespec="minutes"), "subject": subject,
            "to": [person(p) for p in to], "cc": [person(p) for p in cc]}


# ------------------------------------------------------------------------------------------------ layouts

@dataclass
class Variation:
    """What the generator chose for one file."""
    redact: float = 0.0  # chance that a person is printed as a redaction code
    break_in_header: bool = False  # a header starts so near a page's end that only its first lines fit
    most_people: int = 40


def _people(mail: Mail, style: str, rng: random.Random, variation: Variation):
    to = printed_people(mail.to[:variation.most_people], style, rng, variation.redact)
    cc = printed_people(mail.cc[:variation.most_people], style, rng, variation.redact)
    return to, cc


def _sender(mail: Mail, style: str) -> Printed:
    name, address = mail.sender
    if style == "outlook":
        return Printed(name or address, name, "" if name else address, False)
    return Printed(f"{_quoted(name)} <{address}>" if name and address else name or address, name, address, False)


def _break_here(sheet: Sheet, variation: Variation, lines_above_end: float = 2.2) -> None:
    """Move down to `lines_above_end` lines above the page's end (once a file), so that the header printed next
    breaks across the page: the space left under the previous message's body, as where a body ends a page."""
    if variation.break_in_header:
        variation.break_in_header = False
        if sheet.y > BOTTOM + lines_above_end * sheet.leading:
            sheet.y = BOTTOM + lines_above_end * sheet.leading


def _plain_block(sheet: Sheet, mail: Mail, rng, variation, layout: str, dated: bool, separator: str | None,
                 subject: str) -> dict:
    """A quoted or forwarded header block at the margin: "From: ..." lines whose values wrap to the margin."""
    _break_here(sheet, variation, 2.2 + (1.3 if separator else 0.3))
    sheet.need(2)
    if separator:
        sheet.text(LEFT, separator)
        sheet.down(1.3)
    else:
        sheet.rule()
        sheet.down(0.3)
    angle = layout in ("forwarded",)
    to, cc = _people(mail, "angle" if angle else "outlook", rng, variation)
    name, address = mail.sender
    sender = Printed(f"{_quoted(name)} <{address}>" if angle else f"{name} [mailto:{address}]",
                     name, address, False) if name and address else _sender(mail, "outlook")
    rows = [("From:", sender.text), ("Date:" if dated else "Sent:", gmail_date(mail.sent) if dated
                                     else outlook_date(mail.sent))]
    if dated:
        rows += [("Subject:", subject), ("To:", joined(to, ", "))]
        rows += [("Cc:", joined(cc, ", "))] if cc else []
    else:
        rows += [("To:", joined(to, "; "))] + ([("Cc:", joined(cc, "; "))] if cc else []) + [("Subject:", subject)]
    for label, value in rows:
        sheet.need()
        sheet.text(LEFT, label, BOLD)
        sheet.wrapped(LEFT + sheet.width(label + " ", BOLD), value, LEFT)
    sheet.down(0.6)
    sheet.body(mail.paragraphs)
    return label_of(layout, mail, sender, to, cc, subject)


def _long_subject(mail: Mail, extra: str | None) -> str:
    return f"{mail.subject} - {extra}" if extra else mail.subject


def outlook(sheet: Sheet, chain: list[Mail], rng: random.Random, variation: Variation,
            extra_subject: str | None = None, quoted: str = "outlook") -> list[dict]:
    """chain: newest first. The top message in the memo layout, the older ones as plain blocks."""
    top = chain[0]
    owner = top.to[0][0] if top.to and top.to[0][0] else top.sender[0]
    sheet.text(LEFT, owner, BOLD, 12)
    sheet.canvas.setLineWidth(1.5)
    sheet.canvas.line(LEFT, sheet.y - 5, RIGHT, sheet.y - 5)
    sheet.down(2.2)
    to, cc = _people(top, "outlook", rng, variation)
    sender = _sender(top, "outlook")
    subject = _long_subject(top, extra_subject)
    rows = [("From:", sender.text), ("Sent:", outlook_date(top.sent)), ("To:", joined(to, "; "))]
    rows += [("Cc:", joined(cc, "; "))] if cc else []
    rows += [("Subject:", subject)]
    rows += [("Attachments:", "; ".join(top.attachments))] if top.attachments else []
    for label, value in rows:
        sheet.field(label, value, LEFT, LEFT + 88, LEFT + 88)
    sheet.down(0.8)
    sheet.body(top.paragraphs)
    labels = [label_of("outlook" if quoted == "outlook" else quoted, top, sender, to, cc, subject)]
    for mail in chain[1:]:
        sheet.down(0.5)
        if quoted == "forwarded":
            labels.append(_plain_block(sheet, mail, rng, variation, "forwarded", True,
                                       "---------- Forwarded message ---------", mail.subject))
        else:
            separator = "-----Original Message-----" if rng.random() < 0.5 else None
            labels.append(_plain_block(sheet, mail, rng, variation, "outlook", False, separator, mail.subject))
    return labels


def forwarded(sheet, chain, rng, variation, extra_subject=None) -> list[dict]:
    return outlook(sheet, chain, rng, variation, extra_subject, quoted="forwarded")


def outlook_web(sheet: Sheet, chain: list[Mail], rng: random.Random, variation: Variation,
                extra_subject: str | None = None) -> list[dict]:
    top = chain[0]
    subject = _long_subject(top, extra_subject)
    # OWA cuts the title line where the page ends; the label is what the page shows
    cut = max((n for n in range(1, min(80, len(subject)) + 1) if sheet.width(subject[:n], BOLD, 15) <= RIGHT - LEFT),
              default=1)
    sheet.text(LEFT, subject[:cut], BOLD, 15)
    subject = subject[:cut].rstrip()
    sheet.down(2)
    sender = _sender(top, "angle")
    sheet.text(LEFT, sender.text)
    sheet.down()
    sheet.text(LEFT, owa_date(top.sent))
    sheet.down()
    to, cc = _people(top, "outlook", rng, variation)
    sheet.field("To:", joined(to, "; ") + ";", LEFT, LEFT + 22, LEFT + 22, label_font=FONT)
    if cc:
        sheet.field("Cc:", joined(cc, "; ") + ";", LEFT, LEFT + 22, LEFT + 22, label_font=FONT)
    sheet.rule(0.5)
    sheet.down()
    sheet.body(top.paragraphs)
    labels = [label_of("outlook_web", top, sender, to, cc, subject)]
    for mail in chain[1:]:
        sheet.down(0.5)
        labels.append(_plain_block(sheet, mail, rng, variation, "outlook_web", False, None, mail.subject))
    return labels


def gmail(sheet: Sheet, chain: list[Mail], rng: random.Random, variation: Variation,
          extra_subject: str | None = None) -> list[dict]:
    """chain: newest first, printed oldest first as Gmail does; the thread's subject once, at the top."""
    messages = list(reversed(chain))
    owner_name, owner_address = chain[0].to[0] if chain[0].to else chain[0].sender
    sheet.text(LEFT, "Gmail", BOLD, 14)
    sheet.text(RIGHT, f"{owner_name} <{owner_address}>" if owner_address else owner_name, size=9, right=True)
    sheet.down(1.2)
    sheet.rule(0.8)
    sheet.down(0.6)
    subject = _long_subject(messages[0], extra_subject)
    sheet.canvas.setFont(BOLD, 13)
    sheet.wrapped(LEFT, subject, LEFT, font=BOLD)
    sheet.text(LEFT, f"{len(messages)} message{'s' if len(messages) > 1 else ''}", size=9)
    sheet.down(1.2)
    labels = []
    for index, mail in enumerate(messages):
        if index == 1:
            _break_here(sheet, variation, 1.6)
        sheet.need(1)
        sheet.rule(0.4)
        sheet.down(0.4)
        sender = _sender(mail, "angle")
        sheet.text(LEFT, sender.text, BOLD)
        sheet.text(RIGHT, gmail_date(mail.sent), size=9, right=True)
        sheet.down()
        to, cc = _people(mail, "angle", rng, variation)
        sheet.field("To:", joined(to, ", "), LEFT, LEFT + sheet.width("To: "), LEFT, label_font=FONT)
        if cc:
            sheet.field("Cc:", joined(cc, ", "), LEFT, LEFT + sheet.width("Cc: "), LEFT, label_font=FONT)
        sheet.down(0.6)
        sheet.body(mail.paragraphs)
        labels.append(label_of("gmail", mail, sender, to, cc, subject))
    return labels


def apple_mail(sheet: Sheet, chain: list[Mail], rng: random.Random, variation: Variation,
               extra_subject: str | None = None) -> list[dict]:
    labels = []
    column = LEFT + 52
    for index, mail in enumerate(chain):
        if index:
            _break_here(sheet, variation, 4.2)
        sheet.need(3)
        if index:
            sheet.down(0.5)
            sheet.text(LEFT, "Begin forwarded message:")
            sheet.down(1.5)
        sender = _sender(mail, "angle")
        to, cc = _people(mail, "angle", rng, variation)
        subject = _long_subject(mail, extra_subject if not index else None)
        rows = [("From:", sender.text), ("Subject:", subject), ("Date:", apple_date(mail.sent)),
                ("To:", joined(to, ", "))] + ([("Cc:", joined(cc, ", "))] if cc else [])
        for label, value in rows:
            sheet.field(label, value, column, column + 5, column + 5, right_label=True)
        sheet.down(0.8)
        sheet.body(mail.paragraphs)
        labels.append(label_of("apple_mail", mail, sender, to, cc, subject))
    return labels


def lotus_notes(sheet: Sheet, chain: list[Mail], rng: random.Random, variation: Variation,
                extra_subject: str | None = None) -> list[dict]:
    labels = []
    label_right, value_x = LEFT + 262, LEFT + 270
    for index, mail in enumerate(chain):
        sheet.need(5)
        if index:
            sheet.down(0.5)
            sheet.rule(0.4)
            sheet.down(0.5)
        sender = Printed(mail.sender[0] or mail.sender[1], mail.sender[0], "" if mail.sender[0] else mail.sender[1],
                         False)
        to, cc = _people(mail, "notes", rng, variation)
        subject = _long_subject(mail, extra_subject if not index else None)
        top = sheet.y
        left_lines = [(sender.text, BOLD)]
        if rng.random() < 0.3:
            left_lines.append((f"Sent by: {mail.sender[1] or mail.sender[0]}", FONT))
        left_lines.append((lotus_date(mail.sent), FONT))
        rows = [("To", joined(to, ", ")), ("cc", joined(cc, ", ")), ("bcc", ""), ("Subject", subject)]
        for label, value in rows:
            sheet.field(label, value, label_right, value_x, value_x, right_label=True, label_font=FONT)
        bottom = sheet.y
        sheet.y = top
        for text, font in left_lines:
            sheet.text(LEFT, text, font, 9)
            sheet.down()
        sheet.y = min(bottom, sheet.y)
        sheet.down(0.8)
        sheet.body(mail.paragraphs)
        labels.append(label_of("lotus_notes", mail, sender, to, cc, subject))
    return labels


RENDER = {"outlook": outlook, "outlook_web": outlook_web, "gmail": gmail, "apple_mail": apple_mail,
          "lotus_notes": lotus_notes, "forwarded": forwarded}
