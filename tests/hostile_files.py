"""Hostile inputs for the tests, written on the fly (issue 16): none of them is committed, each is made the way
the trouble it stands for is made, and good files are mixed in."""

from __future__ import annotations

import os
import shutil
import stat
import struct
import zipfile
import zlib

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from tests.conftest import SAMPLE_DIR


def sample(name: str) -> str:
    return os.path.join(SAMPLE_DIR, name)


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of numbered object bodies with a correct cross-reference table (object 1 is the catalog)."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length " + str(len(data)).encode() + extra + b" >>\nstream\n" + data + b"\nendstream"


def _one_page(text: str) -> list[bytes]:
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>", _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]


def _lying_zip_member(path: str, name: str, claimed_bytes: int) -> None:
    """A zip whose one member says it inflates to claimed_bytes (a bomb's header), in both of its headers."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, b"\0" * 1024)
    data = bytearray(open(path, "rb").read())
    local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, local + 22, claimed_bytes)
    struct.pack_into("<I", data, central + 24, claimed_bytes)
    open(path, "wb").write(bytes(data))


def write_hostile_release(folder: str) -> dict[str, tuple[bool, str | None]]:
    """Write the release; returns what is expected of each file, by its path under the folder as stored."""
    os.makedirs(folder, exist_ok=True)
    good = open(sample("PHPD-000107_thank_you_webmail.pdf"), "rb").read()
    demo = open(sample("PHPD-000101_FaceQuill_demo_invitation.pdf"), "rb").read()
    shutil.copy(sample("PHPD-000107_thank_you_webmail.pdf"), os.path.join(folder, "good.pdf"))
    at = demo.rfind(b"startxref")
    open(os.path.join(folder, "bad_xref.pdf"), "wb").write(demo[:at] + b"startxref\n99999999\n%%EOF\n")
    middle = len(demo) // 3
    # 2,000 bytes of a page's drawing overwritten: PDFium reads what is left of it, for its text and its boxes alike
    # (pdfplumber, which read the boxes before, gave up on the drawing: a "redactions" error)
    open(os.path.join(folder, "garbled.pdf"), "wb").write(demo[:middle] + b"\x8f" * 2000 + demo[middle + 2000:])
    open(os.path.join(folder, "loop.pdf"), "wb").write(raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                                               b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]))
    bomb = _one_page("a page whose drawing inflates to 300 MB")
    bomb[3] = _stream(zlib.compress(b" " * (300 << 20), 9), b" /Filter /FlateDecode")
    open(os.path.join(folder, "inflating.pdf"), "wb").write(raw_pdf(bomb))
    giant = canvas.Canvas(os.path.join(folder, "giant_page.pdf"), pagesize=(20000, 20000))
    giant.rect(100, 100, 5000, 5000, fill=1)  # no text: only OCR could read it, and it is too large to render
    giant.showPage()
    giant.save()
    many = canvas.Canvas(os.path.join(folder, "ten_thousand_pages.pdf"), pagesize=(72, 72))
    for number in range(10_000):
        many.drawString(5, 30, f"p{number}")
        many.showPage()
    many.save()
    scripted = _one_page("a page with a script and an embedded file")
    scripted[0] = (b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R "
                   b"/Names << /EmbeddedFiles << /Names [(../../escape.pdf) 7 0 R] >> >> >>")
    scripted += [b"<< /S /JavaScript /JS (app.launchURL\\('http://example.invalid/'\\);) >>",
                 b"<< /Type /Filespec /F (../../escape.pdf) /UF (../../escape.pdf) /EF << /F 8 0 R >> >>",
                 _stream(open(sample("PHPD-000112_quote_letter_attachment.pdf"), "rb").read(),
                         b" /Type /EmbeddedFile")]
    open(os.path.join(folder, "script_and_attachment.pdf"), "wb").write(raw_pdf(scripted))
    empty = canvas.Canvas(os.path.join(folder, "encrypted_no_password.pdf"),
                          encrypt=StandardEncryption("", ownerPassword="owner"))
    empty.drawString(72, 720, "Meeting with the vendor on May 3.")
    empty.save()
    locked = canvas.Canvas(os.path.join(folder, "encrypted.pdf"), encrypt=StandardEncryption("secret"))
    locked.drawString(72, 720, "withheld")
    locked.save()
    shutil.copy(sample("PHPD-000103_FaceQuill_operator_training.pdf"),
                os.path.join(os.fsencode(folder), b"scan \xff\xfe of memo.pdf"))
    long_name = "L" * 240 + ".pdf"
    shutil.copy(sample("PHPD-000108_calendar_FaceQuill_training.pdf"), os.path.join(folder, long_name))
    open(os.path.join(folder, "memo.docx"), "wb").write(demo.replace(b"FaceQuill", b"FaceQuilt"))
    open(os.path.join(folder, "not_a_pdf.pdf"), "wb").write(b"PK\x03\x04 no zip and no PDF")
    with zipfile.ZipFile(os.path.join(folder, "hostile.zip"), "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../escape.pdf", good)
        archive.writestr("/abs/escape.pdf", good)
        link = zipfile.ZipInfo("link.pdf")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("inner/ok.pdf", open(sample("PHPD-000110_pilot_report_and_quote.pdf"), "rb").read())
    _lying_zip_member(os.path.join(folder, "bomb.zip"), "zeros.pdf", 3 << 30)
    inner = os.path.join(folder, "inner.zip")
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("nested_ok.pdf", open(sample("PHPD-000114_FaceQuill_sharing_report.pdf"), "rb").read())
    with zipfile.ZipFile(os.path.join(folder, "nested.zip"), "w") as archive:
        archive.write(inner, "level1/inner.zip")
    os.remove(inner)
    # file name as stored: (loaded as a document, the stage of its one error or None)
    return {"good.pdf": (True, None), "bad_xref.pdf": (True, None), "garbled.pdf": (True, None),
            "loop.pdf": (True, "text_layer"), "inflating.pdf": (True, None), "giant_page.pdf": (True, "render"),
            "ten_thousand_pages.pdf": (True, None), "script_and_attachment.pdf": (True, None),
            "escape.pdf": (True, None), "encrypted_no_password.pdf": (True, None), "encrypted.pdf": (False, "open"),
            "scan \\xff\\xfe of memo.pdf": (True, None), long_name: (True, None), "memo.docx": (True, None),
            "not_a_pdf.pdf": (False, "open"), "hostile.zip!inner/ok.pdf": (True, None),
            "nested.zip!level1/inner.zip!nested_ok.pdf": (True, None), "hostile.zip!../escape.pdf": (False, "discover"),
            "hostile.zip!/abs/escape.pdf": (False, "discover"), "hostile.zip!link.pdf": (False, "discover"),
            "bomb.zip!zeros.pdf": (False, "discover")}
