"""Write the synthetic sample release in sample_docs/ (deterministic: same bytes on every run).

Everything here is invented: Quillmark Biometrics and its FaceQuill product, the Port Halden Police
Department, Halden County, and every person and address. Every page is marked SYNTHETIC SAMPLE.

The release tells one small story in the layouts real releases use: the vendor invites police staff to a
product demo at its Reston, Virginia office (Outlook desktop print with a reply chain), hosts four
detectives for operator training (forwarded message, calendar printout), a 90-day pilot is discussed in
a scanned printout (image only: rotated, noisy), a thank-you note comes from Outlook Web App, and a pilot
report and a licence quote are two printouts concatenated in one PDF (each restarting its page numbers and
banner, as agencies often release them), the signed quote is a letter on the vendor's letterhead printed after
the email that carried it, and a one-page report lists the agencies the department shares searches with, in
two columns, as data-sharing reports do.
Redactions are black boxes with exemption codes; each page carries a Bates number.

Run: .venv/bin/python sample_docs/generate.py   (or `make samples`)
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

rl_config.invariant = 1  # no timestamps or random document IDs: identical bytes every run

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE_W, PAGE_H = letter
LEFT, RIGHT, TOP, BOTTOM = 72, PAGE_W - 72, PAGE_H - 72, 80
LABEL_X, VALUE_X = 72, 150
FONT, BOLD, SIZE, LEADING = "Helvetica", "Helvetica-Bold", 10.5, 13.5
MARK = "SYNTHETIC SAMPLE"


@dataclass
class Redaction:
    """Text to hide behind a black box, with the exemption code printed on the box."""

    text: str
    code: str


@dataclass
class Message:
    headers: list[tuple[str, str | Redaction | list]]  # (label, value); a list mixes text and redactions
    body: list[str | list]  # paragraphs; a list mixes text and redactions
    separator: str | None = None  # "-----Original Message-----", "---------- Forwarded message ---------"
    owa: bool = False


@dataclass
class Letter:
    """A letter on letterhead, printed after the email that carried it (another type face, size and margin)."""

    letterhead: str
    address: str
    lines_before: list[str]  # date, recipient block, subject line: one printed line each
    paragraphs: list[str]
    closing: str
    signature: list[str]  # name, title, office: one printed line each


@dataclass
class PrintJob:
    file_name: str
    bates_prefix: str
    first_bates: int
    banner: str | None
    messages: list[Message]
    trailer: list[str] = field(default_factory=list)
    attachments: list[Letter] = field(default_factory=list)


class Printer:
    """Lays out email printouts page by page, with Bates numbers and the SYNTHETIC SAMPLE mark."""

    def __init__(self, path: str, job: PrintJob):
        self.canvas = canvas.Canvas(path, pagesize=letter, invariant=1, pageCompression=1)
        self.canvas.setTitle(job.file_name)
        self.canvas.setAuthor("foia-evidence sample generator")
        self.job = job
        self.page = 0
        self.y = TOP
        self._start_page()

    def _start_page(self) -> None:
        self.page += 1
        c = self.canvas
        c.saveState()
        c.setFillGray(0.86)
        c.setFont(BOLD, 54)
        c.translate(PAGE_W / 2, PAGE_H / 2)
        c.rotate(35)
        c.drawCentredString(0, 0, MARK)
        c.restoreState()
        c.setFont(BOLD, 8)
        c.drawString(LEFT, PAGE_H - 36, f"{MARK} - invented people and companies - not a real record")
        bates = f"{self.job.bates_prefix}-{self.job.first_bates + self.page - 1:06d}"
        c.setFont(BOLD, 10)
        c.drawRightString(RIGHT, 40, bates)
        c.setFont(FONT, 8)
        c.drawString(LEFT, 40, f"Page {self.page}")
        self.y = TOP
        if self.job.banner and self.page == 1:
            c.setFont(BOLD, 12)
            c.drawString(LEFT, self.y, self.job.banner)
            c.setLineWidth(1.5)
            c.line(LEFT, self.y - 5, RIGHT, self.y - 5)
            self.y -= 26

    def _need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.canvas.showPage()
            self._start_page()

    def _draw_runs(self, x: float, runs: list, font: str, width: float) -> None:
        """Draw text runs and redactions on wrapped lines starting at x."""
        c = self.canvas
        cursor = x
        for run in runs:
            if isinstance(run, Redaction):
                box_w = max(c.stringWidth(run.text, font, SIZE), c.stringWidth(run.code, BOLD, 8) + 8)
                if cursor + box_w > x + width:
                    self.y -= LEADING
                    self._need(LEADING)
                    cursor = x
                c.setFillGray(0)
                c.rect(cursor, self.y - 3, box_w, SIZE + 3, stroke=0, fill=1)
                c.setFillGray(1)
                c.setFont(BOLD, 8)
                c.drawCentredString(cursor + box_w / 2, self.y, run.code)
                c.setFillGray(0)
                cursor += box_w + c.stringWidth(" ", font, SIZE)
                continue
            for word in run.split(" "):
                if not word:
                    continue
                word_w = c.stringWidth(word, font, SIZE)
                if cursor + word_w > x + width and cursor > x:
                    self.y -= LEADING
                    self._need(LEADING)
                    cursor = x
                c.setFont(font, SIZE)
                c.drawString(cursor, self.y, word)
                cursor += word_w + c.stringWidth(" ", font, SIZE)
        self.y -= LEADING

    def header(self, label: str, value) -> None:
        self._need(LEADING)
        c = self.canvas
        if label:
            c.setFont(BOLD, SIZE)
            c.drawString(LABEL_X, self.y, label + ":")
        runs = value if isinstance(value, list) else [value]
        self._draw_runs(VALUE_X if label else LEFT, runs, FONT, RIGHT - (VALUE_X if label else LEFT))

    def paragraph(self, runs, font: str = FONT) -> None:
        self._need(LEADING)
        self._draw_runs(LEFT, runs if isinstance(runs, list) else [runs], font, RIGHT - LEFT)
        self.y -= LEADING * 0.5

    def message(self, message: Message) -> None:
        self._need(LEADING * 6)
        if message.separator == "":
            pass  # a quote introduced by its own header line ("On ..., NAME wrote:"), no rule above it
        elif message.separator:
            self.canvas.setFont(FONT, SIZE)
            self.canvas.drawString(LEFT, self.y, message.separator)
            self.y -= LEADING * 1.3
        elif self.y < TOP - 30:
            self.canvas.setLineWidth(0.8)
            self.canvas.line(LEFT, self.y + 6, RIGHT, self.y + 6)
            self.y -= LEADING * 0.6
        for label, value in message.headers:
            self.header(label, value)
        self.y -= LEADING * 0.8
        for paragraph in message.body:
            self.paragraph(paragraph)
        self.y -= LEADING

    def owa_message(self, message: Message) -> None:
        """Outlook Web App print: subject in large type, then sender, date, To/Cc; no From: label."""
        (_, subject), *rest = message.headers
        self.canvas.setFont(BOLD, 15)
        self.canvas.drawString(LEFT, self.y, subject)
        self.y -= LEADING * 2
        for label, value in rest:
            self.header(label, value)
        self.canvas.setLineWidth(0.5)
        self.canvas.line(LEFT, self.y + 4, RIGHT, self.y + 4)
        self.y -= LEADING
        for paragraph in message.body:
            self.paragraph(paragraph)

    def letter(self, letter: Letter) -> None:
        """A letter on a page of its own: letterhead, then Times 12 pt at wider margins."""
        self.canvas.showPage()
        self._start_page()
        c, left, width, size, leading = self.canvas, LEFT + 18, RIGHT - LEFT - 36, 12, 15.5
        c.setFont(BOLD, 17)
        c.drawCentredString(PAGE_W / 2, self.y, letter.letterhead)
        c.setFont(FONT, 8.5)
        c.drawCentredString(PAGE_W / 2, self.y - 14, letter.address)
        self.y -= 54

        def line(text: str, font: str = "Times-Roman") -> None:
            c.setFont(font, size)
            c.drawString(left, self.y, text)
            self.y -= leading

        for text in letter.lines_before:
            line(text)
            self.y -= 4
        self.y -= leading * 0.5
        for paragraph in letter.paragraphs:
            cursor = left
            for word in paragraph.split():
                word_w = c.stringWidth(word, "Times-Roman", size)
                if cursor + word_w > left + width and cursor > left:
                    self.y -= leading
                    cursor = left
                c.setFont("Times-Roman", size)
                c.drawString(cursor, self.y, word)
                cursor += word_w + c.stringWidth(" ", "Times-Roman", size)
            self.y -= leading * 1.6
        line(letter.closing)
        self.y -= leading * 1.5
        for text in letter.signature:
            line(text)

    def finish(self) -> None:
        for line in self.job.trailer:
            self.paragraph(line)
        for letter in self.job.attachments:
            self.letter(letter)
        self.canvas.showPage()
        self.canvas.save()


def write_list_report(path: str, bates: str, title: str, intro: str, columns: tuple[str, str],
                      entries: list[tuple[str, str]]) -> None:
    """A report that lists agencies, one an entry, in two columns under a title and a sentence."""
    c = canvas.Canvas(path, pagesize=letter, invariant=1, pageCompression=1)
    c.setTitle(os.path.basename(path))
    c.setAuthor("foia-evidence sample generator")
    c.setFont(BOLD, 8)
    c.drawString(LEFT, PAGE_H - 36, f"{MARK} - invented people and companies - not a real record")
    c.setFont(BOLD, 10)
    c.drawRightString(RIGHT, 40, bates)
    c.setFont(BOLD, 15)
    c.drawCentredString(PAGE_W / 2, TOP, title)
    c.setFont(FONT, 9.5)
    c.drawString(LEFT, TOP - 30, intro)
    c.setFont(BOLD, 10)
    middle = LEFT + (RIGHT - LEFT) / 2 + 10
    c.drawString(LEFT, TOP - 56, columns[0])
    c.drawString(middle, TOP - 56, columns[1])
    y = TOP - 74
    c.setFont(FONT, 10)
    for left_entry, right_entry in entries:
        c.drawString(LEFT, y, left_entry)
        if right_entry:
            c.drawString(middle, y, right_entry)
        y -= 13.5
    c.showPage()
    c.save()


def write_printout(job: PrintJob, path: str) -> None:
    printer = Printer(path, job)
    for message in job.messages:
        if message.owa:
            printer.owa_message(message)
        else:
            printer.message(message)
    printer.finish()


def write_concatenated(jobs: list[PrintJob], path: str) -> None:
    """Several printouts in one PDF, each restarting its page numbers and banner."""
    printer = Printer(path, jobs[0])
    for index, job in enumerate(jobs):
        if index:
            printer.canvas.showPage()
            printer.job, printer.page = job, 0
            printer._start_page()
        for message in job.messages:
            printer.message(message)
    printer.finish()


def scan_pdf(source_pdf: str, target_pdf: str, seed: int, angle: float, dpi: int = 200) -> None:
    """Turn a PDF into an image-only 'scan': rendered, slightly rotated, speckled, JPEG-compressed."""
    rng = np.random.default_rng(seed)
    document = pdfium.PdfDocument(source_pdf)
    out = canvas.Canvas(target_pdf, pagesize=letter, invariant=1, pageCompression=1)
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
            pixels = np.asarray(image, dtype=np.int16)
            pixels = pixels + rng.normal(0, 14, pixels.shape).astype(np.int16)  # sensor noise
            specks = rng.random(pixels.shape) < 0.0015  # toner specks
            pixels[specks] = rng.integers(0, 90, int(specks.sum()))
            pixels = np.clip(pixels, 0, 255).astype(np.uint8)
            buffer = io.BytesIO()
            Image.fromarray(pixels, "L").save(buffer, format="JPEG", quality=70, optimize=False)
            buffer.seek(0)
            out.drawImage(ImageReader(buffer), 0, 0, PAGE_W, PAGE_H)
            out.showPage()
    finally:
        document.close()
    out.save()


# ---------------------------------------------------------------------------------------------------------
# The release's content.

VENDOR = "Quillmark Biometrics, Inc."
MARISOL = '"Teague, Marisol" <mteague@quillmark-biometrics.example>'
DORIAN = '"Vasquez-Lind, Dorian (PHPD)" <dvasquezlind@porthalden.example.gov>'
GRANT = '"Feldmoor, Grant (PHPD)" <gfeldmoor@porthalden.example.gov>'
PRIYA = '"Okonkwo-Hale, Priya (PHPD)" <pokonkwohale@porthalden.example.gov>'
B6, B7C = "(b)(6)", "(b)(7)(C)"

DEMO_INVITATION = PrintJob(
    file_name="PHPD-000101_FaceQuill_demo_invitation.pdf",
    bates_prefix="PHPD", first_bates=101,
    banner="Vasquez-Lind, Dorian (PHPD)",
    messages=[
        Message(headers=[
            ("From", DORIAN),
            ("Sent", "Wednesday, April 3, 2019 10:41 AM"),
            ("To", MARISOL),
            ("Cc", [GRANT + "; ", Redaction("jmarsh@porthalden.example.gov", B6)]),
            ("Subject", "RE: FaceQuill 4 demonstration for Port Halden PD"),
        ], body=[
            "Marisol,",
            "Thank you. Captain Feldmoor, Analyst Okonkwo-Hale and I will attend the demonstration of FaceQuill 4 "
            "at your Reston, Virginia office on Wednesday, April 17, 2019 at 10:00 AM. Please send the visitor "
            "instructions to all three of us.",
            ["My cell is ", Redaction("(555) 014-2290", B6), " if anything changes on the day."],
            "Lt. Dorian Vasquez-Lind",
            "Real Time Crime Center, Port Halden Police Department",
        ]),
        Message(separator="-----Original Message-----", headers=[
            ("From", MARISOL),
            ("Sent", "Tuesday, April 2, 2019 4:18 PM"),
            ("To", DORIAN),
            ("Subject", "FaceQuill 4 demonstration for Port Halden PD"),
        ], body=[
            "Lieutenant,",
            "Following our call, Quillmark Biometrics would like to host your team at our Reston, Virginia office "
            "for a live demonstration of FaceQuill 4, our face recognition search platform, including the mobile "
            "capture app and the mugshot gallery import. We can also walk through what a 90-day pilot would look "
            "like for the Real Time Crime Center.",
            "Quillmark will cover travel and lodging for up to three attendees. Lunch will be provided.",
            "Proposed: Wednesday, April 17, 2019, 10:00 AM - 2:00 PM, 400 Corliss Way, Suite 210, Reston, VA.",
            "Best regards,",
            "Marisol Teague | Regional Sales Director, Public Safety | Quillmark Biometrics, Inc.",
            ["Direct: ", Redaction("(555) 010-7734", B6)],
        ]),
        Message(separator="-----Original Message-----", headers=[
            ("From", DORIAN),
            ("Sent", "Tuesday, March 26, 2019 9:02 AM"),
            ("To", MARISOL),
            ("Subject", "Face recognition options for the RTCC"),
        ], body=[
            "Ms. Teague,",
            "We met at the regional crime analysts' conference in February. The Real Time Crime Center is looking "
            "at face recognition tools for investigative leads, and Captain Feldmoor asked me to see a working "
            "system before we write anything up. Could your team show us FaceQuill against a booking-photo "
            "gallery similar to ours (about 240,000 images)?",
            "We would also need to understand how search logs are kept and who can audit them.",
            "Lt. Dorian Vasquez-Lind",
        ]),
    ],
)

TRAINING = PrintJob(
    file_name="PHPD-000103_FaceQuill_operator_training.pdf",
    bates_prefix="PHPD", first_bates=103,
    banner="Feldmoor, Grant (PHPD)",
    messages=[
        Message(headers=[
            ("From", GRANT),
            ("Sent", "Monday, April 22, 2019 8:05 AM"),
            ("To", [Redaction("Detective names withheld", B7C)]),
            ("Cc", DORIAN + "; " + PRIYA),
            ("Subject", "FW: FaceQuill operator training - May 6-8"),
            ("Attachments", "FaceQuill_Training_Agenda.pdf; Travel_Authorization_Form.docx"),
        ], body=[
            "All,",
            "You have been selected for the FaceQuill operator training. Quillmark Biometrics will host the four of "
            "you at its Reston, Virginia training center from May 6 to May 8, 2019. Quillmark is covering the hotel "
            "and meals; the department covers airfare. Submit the travel form by Friday.",
            "Capt. Grant Feldmoor",
        ]),
        Message(separator="---------- Forwarded message ---------", headers=[
            ("From", MARISOL),
            ("Sent", "Friday, April 19, 2019 2:37 PM"),
            ("To", GRANT),
            ("Cc", DORIAN),
            ("Subject", "FaceQuill operator training - May 6-8"),
        ], body=[
            "Captain Feldmoor,",
            "Confirming operator training for four detectives at the Quillmark training center in Reston, Virginia, "
            "May 6-8, 2019. The course covers probe image quality, running one-to-many searches against the "
            "Halden County booking gallery, and reviewing candidate lists. Completion certificates are issued on "
            "the last day.",
            "Hotel: Corliss Suites Reston, three nights, billed to Quillmark Biometrics.",
            "Please send the attendees' names and badge numbers for building access.",
            "Marisol Teague",
            "Regional Sales Director, Public Safety",
        ]),
        Message(separator="---------- Forwarded message ---------", headers=[
            ("From", DORIAN),
            ("Sent", "Thursday, April 18, 2019 4:47 PM"),
            ("To", MARISOL),
            ("Subject", "Training for detectives"),
        ], body=[
            "Marisol,",
            "After yesterday's demonstration the Captain approved sending four detectives to the operator course. "
            "Can Quillmark host them in the first week of May? The department can cover airfare but not lodging "
            "this fiscal year.",
            ["Detective names and badge numbers will come from ", Redaction("Sgt. Alma Ruiz", B7C),
             " in Investigations."],
            "Dorian",
        ]),
    ],
)

PILOT_SCAN = PrintJob(
    file_name="PHPD-000105_FaceQuill_pilot_scanned.pdf",
    bates_prefix="PHPD", first_bates=105,
    banner="Okonkwo-Hale, Priya (PHPD)",
    messages=[
        Message(headers=[
            ("From", PRIYA),
            ("Sent", "Thursday, March 28, 2019 11:52 AM"),
            ("To", GRANT),
            ("Subject", "RE: FaceQuill pilot - 90 day evaluation"),
        ], body=[
            "Captain,",
            "Quillmark has agreed to a no-cost 90-day pilot of FaceQuill starting in May, limited to the Real Time "
            "Crime Center. They want a letter on department letterhead before they enable our accounts.",
            ["Their contact for the pilot agreement is ", Redaction("Jordan Pell", B6), "."],
            "Priya",
        ]),
        Message(separator="", headers=[
            ("", "On Mar 28, 2019, at 9:14 AM, Feldmoor, Grant (PHPD) <gfeldmoor@porthalden.example.gov> wrote:"),
        ], body=[
            "Priya - can you find out whether the vendor will let us trial the face recognition system before the "
            "council sees a purchase request? - GF",
        ]),
    ],
)

THANK_YOU_OWA = PrintJob(
    file_name="PHPD-000107_thank_you_webmail.pdf",
    bates_prefix="PHPD", first_bates=107,
    banner=None,
    messages=[
        Message(owa=True, headers=[
            ("", "Thank you for visiting Quillmark"),
            ("", "Teague, Marisol <mteague@quillmark-biometrics.example>"),
            ("", "Thu 4/18/2019 3:12 PM"),
            ("To", "Vasquez-Lind, Dorian (PHPD);"),
            ("Cc", "Feldmoor, Grant (PHPD); Okonkwo-Hale, Priya (PHPD);"),
            ("", "2 attachments (1 MB)"),
            ("", "FaceQuill4_Pricing_PHPD.pdf; Pilot_Agreement_Draft.docx;"),
        ], body=[
            "Dorian, Grant, Priya,",
            "Thank you for making the trip to Reston for yesterday's FaceQuill 4 demonstration. As promised, the "
            "pricing for a 25-seat licence and the draft pilot agreement are attached. The quote is valid until "
            "June 30, 2019.",
            "We look forward to seeing your detectives at the operator training on May 6.",
            "Marisol",
        ]),
    ],
)

CALENDAR = PrintJob(
    file_name="PHPD-000108_calendar_FaceQuill_training.pdf",
    bates_prefix="PHPD", first_bates=108,
    banner="Vasquez-Lind, Dorian (PHPD)",
    messages=[
        Message(headers=[
            ("Subject", "FaceQuill Operator Training (Quillmark Biometrics)"),
            ("Location", "Quillmark Training Center, 400 Corliss Way, Reston, VA"),
            ("Start", "Mon 5/6/2019 9:00 AM"),
            ("End", "Wed 5/8/2019 4:00 PM"),
            ("Show Time As", "Out of Office"),
            ("Recurrence", "(none)"),
            ("Meeting Status", "Accepted"),
            ("Organizer", "Teague, Marisol"),
            ("Required Attendees", [Redaction("Four detectives", B7C), "; Vasquez-Lind, Dorian (PHPD)"]),
        ], body=[
            "Operator training on FaceQuill 4 for Port Halden PD detectives. Bring department ID. Hotel and meals "
            "provided by Quillmark.",
        ]),
    ],
)

PILOT_REPORT = PrintJob(
    file_name="PHPD-000110_pilot_report_and_quote.pdf",
    bates_prefix="PHPD", first_bates=110,
    banner="Okonkwo-Hale, Priya (PHPD)",
    messages=[
        Message(headers=[
            ("From", PRIYA),
            ("Sent", "Friday, May 24, 2019 4:40 PM"),
            ("To", GRANT),
            ("Cc", DORIAN),
            ("Subject", "RE: FaceQuill pilot - first two weeks"),
        ], body=[
            "Captain,",
            "In the first two weeks of the pilot the RTCC ran 61 FaceQuill searches for 19 cases. Analysts rated 7 "
            "candidate lists as useful leads; none has been used as probable cause. Search logs are exported "
            "weekly to the audit share.",
            "Priya",
        ]),
        Message(separator="-----Original Message-----", headers=[
            ("From", GRANT),
            ("Sent", "Thursday, May 23, 2019 8:12 AM"),
            ("To", PRIYA),
            ("Subject", "FaceQuill pilot - first two weeks"),
        ], body=["Priya - please send me a short summary of the pilot so far before Monday's command staff "
                 "meeting. - GF"]),
    ],
)

LICENCE_QUOTE = PrintJob(
    file_name="",
    bates_prefix="PHPD", first_bates=111,
    banner="Okonkwo-Hale, Priya (PHPD)",
    messages=[
        Message(headers=[
            ("From", MARISOL),
            ("Sent", "Monday, June 3, 2019 9:30 AM"),
            ("To", PRIYA),
            ("Cc", GRANT),
            ("Subject", "FaceQuill 4 licence quote - Port Halden PD"),
            ("Attachments", "Quote_Q-2019-0611_PHPD.pdf"),
        ], body=[
            "Priya,",
            "Attached is the updated quote for 25 FaceQuill 4 licences with the mobile capture app, as discussed "
            "with Captain Feldmoor. If the department signs a purchase order before June 30, 2019, the pilot "
            "accounts convert to production licences with no interruption.",
            "Marisol",
        ]),
    ],
)

QUOTE_WITH_LETTER = PrintJob(
    file_name="PHPD-000112_quote_letter_attachment.pdf",
    bates_prefix="PHPD", first_bates=112,
    banner="Feldmoor, Grant (PHPD)",
    messages=[
        Message(headers=[
            ("From", MARISOL),
            ("Sent", "Tuesday, June 11, 2019 11:05 AM"),
            ("To", GRANT),
            ("Cc", PRIYA),
            ("Subject", "Signed quote and training plan"),
            ("Attachments", "Quillmark_letter_PHPD_2019-06-11.pdf"),
        ], body=[
            "Captain Feldmoor,",
            "As discussed on our call this morning, the signed quote and the training plan are in the attached letter.",
            "Marisol",
        ]),
    ],
    attachments=[Letter(
        letterhead="QUILLMARK BIOMETRICS, INC.",
        address="400 Corliss Way, Suite 210, Reston, VA 20190 - invented address",
        lines_before=["June 11, 2019", "Captain Grant Feldmoor", "Real Time Crime Center",
                      "Port Halden Police Department", "Re: FaceQuill 4 licences, quote Q-2019-0611"],
        paragraphs=[
            "Dear Captain Feldmoor:",
            "Thank you for the purchase order for 25 FaceQuill 4 licences with the mobile capture app. Quillmark "
            "Biometrics will provide on-site operator training for up to twelve Port Halden Police Department "
            "detectives at the Real Time Crime Center on July 15, 2019.",
            "The pilot accounts created for the Halden County Sheriff's Office will be converted to production "
            "licences on the same day. Please let us know if the Halden County District Attorney's Office would "
            "like a demonstration of the audit log export.",
        ],
        closing="Sincerely,",
        signature=["Marisol Teague", "Regional Sales Director, Public Safety", "Quillmark Biometrics, Inc."],
    )],
)

SHARING_REPORT = dict(
    path="PHPD-000114_FaceQuill_sharing_report.pdf", bates="PHPD-000114",
    title="FaceQuill Search Sharing Report",
    intro="The Port Halden Police Department shares FaceQuill search results with the following agencies:",
    columns=("Agencies (cameras)", "Agencies (cameras)"),
    entries=[
        ("Port Halden CA PD (12 cameras)", "Halden County SO (4 cameras)"),
        ("Marrow Bay CA PD (3 cameras)", "Kessel County Sheriff - KCSO (7 cameras)"),
        ("City of Orlen CA", "Dunmore Station - Kessel County"),
        ("CA DOJ", "Halden Regional Auto Theft Task Force"),
        ("Tarrow NV PD (2 cameras)", "Halden County District Attorney"),
        ("Halden Harbor Patrol", ""),
    ],
)

BORN_DIGITAL = [DEMO_INVITATION, TRAINING, THANK_YOU_OWA, CALENDAR, QUOTE_WITH_LETTER]
CONCATENATED = [(PILOT_REPORT.file_name, [PILOT_REPORT, LICENCE_QUOTE])]  # one PDF, several printouts
SCANNED = [(PILOT_SCAN, 105, -1.2)]  # (job, noise seed, rotation in degrees)


def main() -> None:
    for job in BORN_DIGITAL:
        write_printout(job, os.path.join(HERE, job.file_name))
    for file_name, jobs in CONCATENATED:
        write_concatenated(jobs, os.path.join(HERE, file_name))
    write_list_report(os.path.join(HERE, SHARING_REPORT["path"]), SHARING_REPORT["bates"], SHARING_REPORT["title"],
                      SHARING_REPORT["intro"], SHARING_REPORT["columns"], SHARING_REPORT["entries"])
    for job, seed, angle in SCANNED:
        clean = os.path.join(HERE, "_clean_" + job.file_name)
        write_printout(job, clean)
        scan_pdf(clean, os.path.join(HERE, job.file_name), seed=seed, angle=angle)
        os.remove(clean)
    for name in sorted(os.listdir(HERE)):
        if name.endswith(".pdf"):
            print(f"wrote sample_docs/{name}")


if __name__ == "__main__":
    main()
