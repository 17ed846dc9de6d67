"""Single pages with redactions, for the tests and the evaluation (eval/redaction_eval.py, which also runs x-ray
on them): layouts whose ground truth is known by construction. Each function writes one PDF into a folder and
returns its path.

- failed_redaction_letter: a letter whose black box hides a name still in the text layer (a failed redaction),
  one over blank paper (a redaction that worked), codes in the text, a stamp, and a withheld-page notice;
- redacted_header_printout: an email printout whose header redactions hide a sender, one recipient blanked out
  entirely, one under a box that failed, and a Cc: given as a code alone, with a State-style case footer;
- scan_with_drawn_box: a scan with its OCR layer and a black box drawn in the PDF over a name the layer still
  holds, and a black shape inside a photograph (no box).
"""

from __future__ import annotations

import io
import os

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def failed_redaction_letter(folder: str) -> str:
    """A letter stamped RELEASE IN PART B6: a black box over "Jane Roe", still in the text layer, its code beside
    it; a box over blank paper; codes in a sentence; and a second page withheld under (b)(5)."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "letter.pdf")
    pdf = canvas.Canvas(path, pagesize=letter)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 740, "RELEASE IN PART B6")
    pdf.drawString(72, 700, "The informant is Jane Roe of 12 Elm Street.")
    start = 72 + pdf.stringWidth("The informant is ", "Helvetica", 11)
    pdf.rect(start - 1, 696, pdf.stringWidth("Jane Roe", "Helvetica", 11) + 2, 14, stroke=0, fill=1)
    pdf.drawString(400, 700, "(b)(6)")
    pdf.drawString(72, 650, "Her phone number is")
    pdf.rect(180, 646, 90, 14, stroke=0, fill=1)  # over blank paper: a redaction that worked
    pdf.drawString(72, 600, "Other staff were told under Exemption 5 and (b)(7)(C).")
    pdf.showPage()
    pdf.setFont("Helvetica", 14)
    pdf.drawString(200, 400, "Page withheld pursuant to exemption (b)(5)")
    pdf.showPage()
    pdf.save()
    return path


def redacted_header_printout(folder: str) -> str:
    """An email printout whose header redactions hide a sender (a box, its code beside it), one recipient of a
    To: list blanked out entirely, one named under a box that failed, and a Cc: given as a code alone."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "printout.pdf")
    pdf = canvas.Canvas(path, pagesize=letter)
    pdf.setFont("Helvetica", 11)
    width = lambda text: pdf.stringWidth(text, "Helvetica", 11)  # noqa: E731
    pdf.drawString(72, 720, "From:")
    pdf.rect(110, 716, 90, 14, stroke=0, fill=1)
    pdf.drawString(210, 720, "(b)(6)")
    pdf.drawString(72, 704, "Sent: Monday, March 2, 2015 10:15 AM")
    to_line = "To: Roe, Jane;               ; Lee, Bob; Park, Ann"
    pdf.drawString(72, 688, to_line)
    blank = 72 + width("To: Roe, Jane; ")
    pdf.rect(blank, 684, width(" " * 13), 14, stroke=0, fill=1)  # a name blanked out: nothing printed under it
    under = 72 + width("To: Roe, Jane;               ; Lee, Bob; ")
    pdf.rect(under - 1, 684, width("Park, Ann") + 2, 14, stroke=0, fill=1)  # drawn over text still in the file
    pdf.drawString(72, 672, "Cc: B6")
    pdf.drawString(72, 656, "Subject: Site visit")
    pdf.drawString(72, 630, "Please see the attached schedule for the site visit next week.")
    pdf.drawString(72, 100, "U.S. Department of State")
    pdf.drawString(72, 88, "Case No. F-2015-04841")
    pdf.showPage()
    pdf.save()
    return path


def scan_with_drawn_box(folder: str) -> str:
    """A scan carrying its OCR layer, with a black box drawn in the PDF over a name (the text still under it in
    the layer: a failed redaction) and a black shape inside a photograph printed on the page (no box)."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "scan.pdf")
    clean_path = os.path.join(folder, "clean.tmp.pdf")
    lines = [(72, 700, "The informant is Jane Roe of 12 Elm Street."), (72, 680, "She called twice in March."),
             *[(72, 660 - 20 * i, f"Item {i + 1}: the report was filed with the records office that week.")
               for i in range(6)]]
    clean = canvas.Canvas(clean_path, pagesize=letter)
    clean.setFont("Helvetica", 11)
    for x, y, text in lines:
        clean.drawString(x, y, text)
    clean.save()
    image = pdfium.PdfDocument(clean_path)[0].render(scale=2, grayscale=True).to_pil().convert("L")
    pixels = np.asarray(image).copy()
    pixels[2 * 300:2 * 420, 2 * 300:2 * 480] = 90  # a photograph: a dark grey pane
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    buffer.seek(0)
    os.remove(clean_path)
    pdf = canvas.Canvas(path, pagesize=letter)
    pdf.drawImage(ImageReader(buffer), 0, 0, *letter)
    layer = pdf.beginText()
    layer.setTextRenderMode(3)  # the agency's OCR layer: invisible text over the image
    layer.setFont("Helvetica", 11)
    for x, y, text in lines:
        layer.setTextOrigin(x, y)
        layer.textLine(text)
    pdf.drawText(layer)
    start = 72 + pdf.stringWidth("The informant is ", "Helvetica", 11)
    pdf.rect(start - 1, 696, pdf.stringWidth("Jane Roe", "Helvetica", 11) + 2, 14, stroke=0, fill=1)
    pdf.rect(350, 792 - 400, 60, 20, stroke=0, fill=1)  # inside the photograph
    pdf.showPage()
    pdf.save()
    return path
