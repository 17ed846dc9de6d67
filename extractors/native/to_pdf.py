"""Office documents and images, turned into a PDF so that they are read like any printout: pages, words with
their boxes, OCR where a page has no text, redaction boxes, citations by page.

Office files (Word, Excel, PowerPoint, OpenDocument, RTF) are printed to PDF by LibreOffice without a window,
as Aleph's ingest-file does: one converter for every Office format, old binary ones included, and the pages a
reader of the file would see. Images (PNG, JPEG, GIF, TIFF with all its frames, BMP) become one PDF page each
with Pillow, at the image's own resolution (300 dpi where it gives none), so OCR reads their pixels one to one.

What a file is comes from its first bytes where they tell (an attachment is often named "attachment 1"), else
from its extension. Conversion failures raise ConversionError with a reason fit for `ingest_errors`.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile

from extractors.native.outlook_msg import OLE_MAGIC  # Word 97-2003, Excel, PowerPoint, and Outlook's .msg

OFFICE_EXTENSIONS = {".doc", ".docx", ".docm", ".dot", ".dotx", ".rtf", ".odt", ".ott", ".wpd", ".xls", ".xlsx",
                     ".xlsm", ".ods", ".ppt", ".pptx", ".pps", ".ppsx", ".odp"}
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp"}
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF87a", ".gif"), (b"GIF89a", ".gif"),
                (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"), (b"BM", ".bmp"))
_OOXML = {"word/": ".docx", "xl/": ".xlsx", "ppt/": ".pptx"}
_OPENDOCUMENT = {f"application/vnd.oasis.opendocument.{kind}": extension
                 for kind, extension in (("text", ".odt"), ("spreadsheet", ".ods"), ("presentation", ".odp"))}
CONVERT_TIMEOUT_SECONDS = 180
DEFAULT_IMAGE_DPI = 300


class ConversionError(RuntimeError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def convertible_kind(path: str, data: bytes | None = None) -> tuple[str, str] | None:
    """("office" | "image", the extension the file should carry) for a file this module turns into a PDF, else
    None. `data` is the file's bytes where they are not on disk at `path` (an attachment: path is its name)."""
    if data is None:
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096)
        except OSError:
            return None
    else:
        head = data[:4096]
    extension = os.path.splitext(path)[1].lower()
    for magic, image_extension in _IMAGE_MAGIC:
        if head.startswith(magic) and (magic != b"BM" or extension == ".bmp"):  # "BM" alone is too short to tell
            return "image", extension if extension in IMAGE_EXTENSIONS else image_extension
    if head.startswith(OLE_MAGIC):
        if extension == ".msg":
            return None  # an Outlook message: not a document LibreOffice prints
        return "office", extension if extension in OFFICE_EXTENSIONS else ".doc"
    if head.startswith(b"PK\x03\x04"):
        found = _ooxml_extension(path if data is None else io.BytesIO(data))
        if found or extension in OFFICE_EXTENSIONS:  # a damaged package named as one: LibreOffice says why
            return "office", extension if extension in OFFICE_EXTENSIONS else found
        return None
    if head.startswith(b"{\\rtf"):
        return "office", ".rtf"
    if extension in OFFICE_EXTENSIONS and not head.startswith(b"%PDF"):
        return "office", extension
    return None


def _ooxml_extension(path: str | io.BytesIO) -> str | None:
    """.docx, .xlsx or .pptx for an Office Open XML or OpenDocument package, by the folders inside it."""
    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            if "mimetype" in names:  # OpenDocument names its kind in its first member
                return _OPENDOCUMENT.get(package.read("mimetype")[:100].decode("ascii", "replace").strip())
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for folder, extension in _OOXML.items():
        if any(name.startswith(folder) for name in names):
            return extension
    return None


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_to_pdf(path: str, out_pdf: str, timeout: float = CONVERT_TIMEOUT_SECONDS) -> str:
    """Print an Office file to out_pdf with LibreOffice. Its own profile folder (LibreOffice allows one process a
    profile) and its output stay beside out_pdf; a conversion that hangs is killed, its process group with it."""
    program = libreoffice()
    if program is None:
        raise ConversionError("an Office document needs LibreOffice to be read, and it is not installed "
                              "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui "
                              "libreoffice-impress-nogui); the file was not loaded")
    folder = os.path.dirname(os.path.abspath(out_pdf))
    os.makedirs(folder, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".convert-") as scratch:
        profile = os.path.join(scratch, "profile")
        command = [program, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                   f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf", "--outdir", scratch,
                   os.path.abspath(path)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                                   env={**os.environ, "HOME": scratch})
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionError(f"LibreOffice did not finish converting the file within {timeout:.0f} s") from None
        made = os.path.join(scratch, os.path.splitext(os.path.basename(path))[0] + ".pdf")
        if process.returncode != 0 or not os.path.isfile(made) or os.path.getsize(made) == 0:
            said = output.decode("utf-8", "replace").strip().splitlines()[-1:] if output else []
            raise ConversionError("LibreOffice could not convert the file to PDF"
                                  + (f" ({said[0][:200]})" if said else ""))
        os.replace(made, out_pdf)
    return out_pdf


def image_to_pdf(path: str, out_pdf: str) -> str:
    """One PDF page an image frame, each at the image's resolution (DEFAULT_IMAGE_DPI where it gives none)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError  # noqa: PLC0415 - only images need Pillow

    try:
        with Image.open(path) as image:
            dpi = image.info.get("dpi", (DEFAULT_IMAGE_DPI, DEFAULT_IMAGE_DPI))[0]
            dpi = float(dpi) if dpi and 50 <= float(dpi) <= 2400 else DEFAULT_IMAGE_DPI
            frames = [frame.convert("L" if frame.mode in ("1", "L", "LA", "I", "I;16", "F") else "RGB")
                      for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise ConversionError(f"the image could not be read ({error})") from None
    if not frames:
        raise ConversionError("the image has no frames")
    os.makedirs(os.path.dirname(os.path.abspath(out_pdf)), exist_ok=True)
    partial = out_pdf + ".partial"
    frames[0].save(partial, "PDF", resolution=dpi, save_all=True, append_images=frames[1:])
    os.replace(partial, out_pdf)
    return out_pdf


def convert_to_pdf(path: str, kind: str, out_pdf: str) -> str:
    """The PDF of an Office file or an image (convertible_kind's kind), written to out_pdf."""
    return office_to_pdf(path, out_pdf) if kind == "office" else image_to_pdf(path, out_pdf)
