"""What a file is, read from its bytes, and whether its name may be kept.

Haven keeps the few kinds of files a victim-services unit scans, photographs or receives:
PDF, JPEG, PNG, HEIC/HEIF, TIFF, Word (.docx), OpenDocument text (.odt) and plain text. The
type is decided by the content (its signature, and for the two zip-based formats the entry
that names what the zip holds), never by the name or the browser's Content-Type, which the
uploader controls. No well-kept detection library is installed (python-magic needs libmagic;
filetype and puremagic would be new packages) and eight signatures are short, so they are
written out here, each with where it is specified.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


@dataclass(frozen=True)
class FileType:
    label: str  # what a person calls it
    content_type: str  # the MIME type it is served with
    extension: str  # the extension of the name it is downloaded under


PDF = FileType("PDF", "application/pdf", "pdf")
JPEG = FileType("JPEG image", "image/jpeg", "jpg")
PNG = FileType("PNG image", "image/png", "png")
HEIC = FileType("HEIC image", "image/heic", "heic")
TIFF = FileType("TIFF image", "image/tiff", "tif")
DOCX = FileType(
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
ODT = FileType("OpenDocument text", "application/vnd.oasis.opendocument.text", "odt")
TEXT = FileType("plain text", "text/plain; charset=utf-8", "txt")
ALLOWED = (PDF, JPEG, PNG, HEIC, TIFF, DOCX, ODT, TEXT)
ALLOWED_LABELS = "PDF, JPEG, PNG, HEIC, TIFF, Word (.docx), OpenDocument text (.odt) or plain text"

# ISO/IEC 23008-12 (HEIF): the "ftyp" box's major brand.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
# Recognised so the refusal can say what the file is; none of them is kept.
_KNOWN_REFUSED = [
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"#!", "a script"),
    (b"GIF8", "a GIF image"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc, .xls)"),
]
_MARKUP = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<head", b"<iframe")


def detect(data: bytes) -> FileType | None:
    """The allowed type these bytes are, or None."""
    if data.startswith(b"%PDF-"):  # ISO 32000-1, 7.5.2
        return PDF
    if data.startswith(b"\xff\xd8\xff"):  # JPEG SOI marker, then a segment marker
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):  # PNG spec, 5.2
        return PNG
    if data.startswith((b"II*\x00", b"MM\x00*")):  # TIFF 6.0, image file header
        return TIFF
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return HEIC
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if _is_plain_text(data):
        return TEXT
    return None


def _zip_type(data: bytes) -> FileType | None:
    """A .docx holds word/document.xml and [Content_Types].xml (ECMA-376 part 2); an .odt's
    first entry is "mimetype" holding its MIME type (OpenDocument 1.3 part 2, 3.3)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                if archive.read("mimetype").strip() == ODT.content_type.encode():
                    return ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, RuntimeError):
        return None
    return None


def _is_plain_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        return False
    # Markup would be text too; a letter is not a web page.
    return not text.lstrip("\ufeff \t\r\n").lower().encode().startswith(_MARKUP)


def describe(data: bytes) -> str:
    """What a refused file seems to be, for the message."""
    for signature, what in _KNOWN_REFUSED:
        if data.startswith(signature):
            return what
    if data.startswith(b"PK\x03\x04"):
        return "a zip archive that is not a Word or OpenDocument text file"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_MARKUP):
        return "a web page or markup"
    return "a kind of file Haven does not keep"


def check_name(name: str) -> str:
    """The uploaded name, if it is a plain file name; refused when it tries a path.

    Django's multipart parser already cuts a browser's name to its last part, so through the
    upload form this catches what is left; a name given to the service directly (the API, a
    script, a data migration) is held to the same rule.
    """
    if name is None or not name.strip():
        raise ValidationError(
            {"file": gettext("The file has no name: rename it and upload it again.")}
        )
    if (
        "\x00" in name
        or "/" in name
        or "\\" in name
        or name.strip().startswith("..")
        or name.strip() == "."
        or (len(name) > 1 and name[1] == ":")
        or any(ord(ch) < 32 for ch in name)
    ):
        shown = name.replace("\x00", "\\0")[:80]
        raise ValidationError(
            {
                "file": f"The file's name “{shown}” points to a folder or holds a character a "
                "file name may not: rename the file (letters, digits, spaces, dots) and upload "
                "it again."
            }
        )
    if len(name) > 255:
        raise ValidationError({"file": gettext("The file's name is longer than 255 characters.")})
    return name.strip()


def type_of(content_type: str) -> FileType:
    """The allowed type stored under this MIME type (an unknown one downloads as .bin)."""
    found = next((t for t in ALLOWED if t.content_type == content_type), None)
    return found or FileType("file", "application/octet-stream", "bin")


def download_name(name: str, kind: FileType) -> str:
    """A safe name to download under: the uploaded name's letters and digits, with the
    extension of what the file really is."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_ ") else "_" for ch in stem)
    safe = "_".join(safe.split()).strip("._-")[:80] or "document"
    return f"{safe}.{kind.extension}"


def megabytes(size: int) -> str:
    """31457280 -> "30 MB" (binary megabytes, as file browsers show them), at least "1 MB"."""
    value = size / (1024 * 1024)
    if value < 10:
        return f"{max(value, 0.1):.1f} MB".replace(".0 MB", " MB")
    return f"{round(value)} MB"
