"""Office documents and images read as pages (extractors/native/to_pdf.py): at the top of a release and attached
to an email, with LibreOffice and Tesseract for real; a file that cannot be converted is an error naming it."""

from __future__ import annotations

import io
import shutil
import zipfile
from email.message import EmailMessage

import pytest

from extractors.native import to_pdf
from extractors.native.to_pdf import convertible_kind
from tests.conftest import SAMPLE_GAZETTEER, query

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice is not installed (make deps installs it with apt)")

LETTER = ("Quillmark will host a demonstration of FaceQuill for the Portdalen Police Department on "
          "November 14, 2022.")


def docx(paragraphs: list[str]) -> bytes:
    """The smallest Word document: the three parts a .docx must have."""
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
            'main+xml"/></Types>'))
        package.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        package.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'))
    return out.getvalue()


def png(lines: list[str]) -> bytes:
    """A picture of printed lines, as a scanned memo or a screenshot attached to an email is."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=36)
    image = Image.new("L", (2200, 120 + 60 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((80, 60 + 60 * number), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def test_what_a_file_is_comes_from_its_bytes_before_its_name(tmp_path):
    assert convertible_kind("attachment 1", docx(["x"])) == ("office", ".docx")
    assert convertible_kind("scan", png(["x"])) == ("image", ".png")
    assert convertible_kind("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)) == ("office", ".doc")
    assert convertible_kind("mail.msg", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)) is None  # Outlook's
    assert convertible_kind("report.docx", b"%PDF-1.7\n") is None  # a PDF under an Office name is a PDF
    assert convertible_kind("archive.zip", _zip_of_text()) is None
    assert convertible_kind("notes.txt", b"plain text") is None


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("a.txt", "a")
    return out.getvalue()


def _email_with(attachments: list[tuple[str, str, bytes]]) -> bytes:
    message = EmailMessage()
    message["From"] = "Sam Ito <sito@quillmark.com>"
    message["To"] = "jose.alvarez@portdalen.gov"
    message["Subject"] = "Demo materials"
    message["Date"] = "Mon, 07 Nov 2022 14:12:00 +0000"
    message.set_content("Jose, the letter and the floor plan are attached.")
    for name, content_type, data in attachments:
        main, sub = content_type.split("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message.as_bytes()


@needs_libreoffice
def test_office_documents_and_images_are_read_as_pages_at_the_top_and_attached(ingest, tmp_path):
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "letter.docx").write_bytes(docx(["Dear Chief Alvarez,", LETTER, "Sincerely, Sam Ito"]))
    (folder / "memo.png").write_bytes(png(["MEMORANDUM", "The training for detectives was held on October 3, 2022."]))
    (folder / "broken.docx").write_bytes(docx(["x"])[:300])  # a package cut short: LibreOffice cannot open it
    attached_letter = docx(["Attached letter.", LETTER.replace("November 14", "November 21")])
    (folder / "materials.eml").write_bytes(_email_with([
        ("attachment 1", "application/octet-stream", attached_letter),  # named as many converters name them
        ("floor plan.png", "image/png", png(["FLOOR PLAN", "Demonstration room B, second floor"]))]))
    db = tmp_path / "converted.duckdb"
    result = ingest([folder], db, gazetteer_files=[SAMPLE_GAZETTEER])
    assert result.code == 1, result.err  # 1: loaded, with errors (broken.docx)
    documents = query(str(db), """SELECT d.file_name, d.kind, d.page_count, p.file_name FROM documents d
                                  LEFT JOIN documents p ON p.document_id = d.parent_document_id ORDER BY 1""")
    assert documents == [("attachment 1", "office", 1, "materials.eml"),
                         ("floor plan.png", "image", 1, "materials.eml"),
                         ("letter.docx", "office", 1, None), ("materials.eml", "eml", 0, None),
                         ("memo.png", "image", 1, None)]
    methods = dict(query(str(db), "SELECT d.file_name, p.method FROM pages p JOIN documents d USING (document_id)"))
    assert methods == {"attachment 1": "text_layer", "letter.docx": "text_layer", "memo.png": "ocr",
                       "floor plan.png": "ocr"}
    texts = dict(query(str(db), "SELECT d.file_name, p.text FROM pages p JOIN documents d USING (document_id)"))
    assert "FaceQuill" in texts["letter.docx"] and "November 21" in texts["attachment 1"]
    assert "training" in texts["memo.png"].lower() and "floor" in texts["floor plan.png"].lower()
    # the same analysis as any page, cited by page and words
    events = query(str(db), """SELECT d.file_name, e.event_type, e.page_number FROM events e
                               JOIN documents d USING (document_id) ORDER BY 1, 2""")
    assert ("letter.docx", "demo", 1) in events and ("memo.png", "training", 1) in events
    errors = query(str(db), "SELECT file_name, stage, reason FROM ingest_errors")
    assert len(errors) == 1 and errors[0][0] == "broken.docx" and errors[0][1] == "open"
    assert "LibreOffice could not convert" in errors[0][2]
    # a second run converts nothing again: every document is already loaded by its own bytes' hash
    again = ingest([folder], db, gazetteer_files=[SAMPLE_GAZETTEER])
    assert again.code == 1 and "broken.docx" in again.out + again.err and query(str(db), "SELECT count(*) FROM documents") == [(5,)]


def test_without_libreoffice_an_office_file_is_an_error_and_the_batch_goes_on(ingest, tmp_path, monkeypatch):
    monkeypatch.setattr(to_pdf, "libreoffice", lambda: None)
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "letter.docx").write_bytes(docx([LETTER]))
    (folder / "memo.png").write_bytes(png(["The training was held on October 3, 2022."]))
    db = tmp_path / "no-office.duckdb"
    result = ingest([folder], db, gazetteer_files=[SAMPLE_GAZETTEER])
    assert query(str(db), "SELECT file_name, kind FROM documents") == [("memo.png", "image")]
    (name, reason), = query(str(db), "SELECT file_name, reason FROM ingest_errors")
    assert name == "letter.docx" and "needs LibreOffice" in reason and "apt-get install" in reason
    assert "letter.docx" in result.out + result.err
