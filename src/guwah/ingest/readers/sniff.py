"""Telling a file's format from its first bytes, then its name.

The bytes win where they are unambiguous (a PDF, a zip, an image, a legacy Office file):
a file named ``.txt`` that is a PDF is read as a PDF, and one named ``.pdf`` that is not
is refused. Text formats (HTML, e-mail, CSV, plain text) are told by name, then by shape.
"""

from __future__ import annotations

import io
import re
from pathlib import PurePath

from guwah.ingest.readers.limits import MAX_MEMBERS, MAX_RATIO, MAX_XLSX_UNPACKED
from guwah.ingest.readers.zipcheck import check_zip
from guwah.model.errors import InvalidInput

PDF, DOCX, XLSX, HTML, EMAIL, CSV, TEXT = "pdf", "docx", "xlsx", "html", "email", "csv", "text"

_BINARY_UNSUPPORTED = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file: save it as DOCX or XLSX"),
    (b"{\\rtf", "an RTF file: save it as DOCX or plain text"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
)
_IMAGES = (  # read by OCR
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_PDF = re.compile(rb"(?:^|[\r\n])[ \t]*%PDF-\d")  # the header may follow some junk
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_MAIL_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")


def sniff(name: str, data: bytes) -> str:
    """The reader for a file named ``name`` whose bytes are ``data``: one of the names
    above, or the media type of an image (``image/png``...)."""
    head = data[:8192]
    suffix = PurePath(name).suffix.lower()
    if _PDF.search(head[:1024]):
        return PDF
    if suffix == ".pdf":
        raise InvalidInput(f"{name}: not a valid PDF file (it does not start with %PDF-)")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(name, suffix, data)
    if suffix in (".docx", ".xlsx", ".xlsm"):
        raise InvalidInput(f"{name}: not a valid {suffix[1:].upper()} file (it is no zip)")
    for signature, media_type in _IMAGES:
        if head.startswith(signature):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for signature, what in _BINARY_UNSUPPORTED:
        if head.startswith(signature):
            raise InvalidInput(f"{name}: unsupported file type: {what}")
    if suffix in (".html", ".htm", ".xhtml"):
        return HTML
    if suffix == ".eml":
        return EMAIL
    if suffix in (".csv", ".tsv"):
        return CSV
    text_head = _without_bom(head)
    if _HTML.match(text_head):
        return HTML
    if _looks_like_mail(text_head):
        return EMAIL
    return TEXT


def _zip_kind(name: str, suffix: str, data: bytes) -> str:
    """DOCX or XLSX, from the names in the zip's central directory (nothing is unpacked),
    whatever the file's name says; a zip bomb is refused here already."""
    kind = {".docx": "DOCX", ".docm": "DOCX", ".xlsx": "XLSX", ".xlsm": "XLSX"}.get(suffix)
    names = set(
        check_zip(  # the most either format allows; each reader checks its own limits
            io.BytesIO(data),
            name,
            kind or "zip",
            max_unpacked=MAX_XLSX_UNPACKED,
            max_ratio=MAX_RATIO,
            max_members=MAX_MEMBERS,
        )
    )
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if kind == "DOCX":
        raise InvalidInput(f"{name}: not a valid DOCX file (no word/document.xml)")
    if kind == "XLSX":
        raise InvalidInput(f"{name}: not a valid XLSX file (no xl/workbook.xml)")
    raise InvalidInput(f"{name}: unsupported file type: a zip archive (not DOCX or XLSX)")


def _without_bom(head: bytes) -> bytes:
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


def _looks_like_mail(head: bytes) -> bool:
    """The first lines are "Name: value" headers, among them From and one of Subject,
    Date, Message-ID or MIME-Version."""
    names: set[bytes] = set()
    for line in head.split(b"\n")[:40]:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue  # a folded header's next line
        if not _MAIL_HEADER.match(line):
            return False
        names.add(line.split(b":", 1)[0].lower())
    return b"from" in names and bool(names & {b"subject", b"date", b"message-id", b"mime-version"})
