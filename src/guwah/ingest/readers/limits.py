"""The limits every reader keeps, and the one place a reader's text becomes a Document.

Hostile input is expected (huge files, zip bombs, PDFs that never end, mail nested in
mail), so each limit is checked before the work it bounds, and breaking one is a single
``InvalidInput`` line naming the file. docs/ingest.md lists them.
"""

from __future__ import annotations

import hashlib
import os
import time
import unicodedata
from dataclasses import dataclass, field, replace

from guwah.ingest.document import Document
from guwah.model.errors import InvalidInput

DEFAULT_MAX_MB = 50  # GUWAH_INGEST_MAX_MB: the largest file read
DEFAULT_MAX_SECONDS = 600  # GUWAH_INGEST_MAX_SECONDS: the longest one file may take
MAX_TEXT_CHARS = 10_000_000  # the text made from one file (about 1.5 million words)
MAX_UNPACKED = 256 * 1024 * 1024  # what a DOCX declares it unpacks to, all members
MAX_XLSX_UNPACKED = 512 * 1024 * 1024  # the same for an XLSX (the archive import's limit)
MAX_XML_PART = 64 * 1024 * 1024  # one XML part of a DOCX, parsed whole (a long book is 20 MB)
MAX_RATIO = 200  # compression ratio of one large member (a zip bomb's is in the thousands)
MAX_MEMBERS = 10_000  # members of a DOCX (a real one has a few dozen)
MAX_PAGES = 2_000  # pages of a PDF
MAX_OCR_PAGES = 200  # pages of a PDF read by OCR
MAX_PIXELS = 40_000_000  # a page rendered for OCR (an A4 page at 300 dpi is 8.7 million)
MAX_DEPTH = 3  # e-mail in e-mail (a forwarded message's attachment is depth 2)
MAX_ATTACHMENTS = 100  # attachments read from one e-mail, all depths together
MAX_ROWS = 200_000  # rows of a CSV or XLSX


def max_bytes() -> int:
    """The largest file read, from GUWAH_INGEST_MAX_MB (default 50 MB)."""
    setting = os.environ.get("GUWAH_INGEST_MAX_MB", "")
    return _whole_number("GUWAH_INGEST_MAX_MB", setting, DEFAULT_MAX_MB) * 1024 * 1024


def max_seconds() -> int:
    """The longest one file may take to read (OCR mostly), from GUWAH_INGEST_MAX_SECONDS."""
    setting = os.environ.get("GUWAH_INGEST_MAX_SECONDS", "")
    return _whole_number("GUWAH_INGEST_MAX_SECONDS", setting, DEFAULT_MAX_SECONDS)


def _whole_number(name: str, setting: str, default: int) -> int:
    setting = setting.strip()
    if not setting:
        return default
    if not setting.isdigit() or int(setting) <= 0:
        raise InvalidInput(f"{name} must be a whole number above 0 (it is {setting!r})")
    return int(setting)


@dataclass
class Budget:
    """What is left for reading one file given by the user: its time, and how deep and how
    many attachments may still be opened. Attachments share their e-mail's budget."""

    name: str  # the file given, for the messages
    seconds: int = field(default_factory=max_seconds)
    depth: int = 0
    attachments: int = 0
    started: float = field(default_factory=time.monotonic)

    def check_time(self, doing: str) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise InvalidInput(
                f"{self.name}: refused, reading took more than {self.seconds} s ({doing}; "
                "GUWAH_INGEST_MAX_SECONDS)"
            )

    def remaining(self) -> float:
        return max(self.seconds - (time.monotonic() - self.started), 0.0)


def normalise(text: str) -> str:
    """NFC, "\\n" line ends, no NUL characters: the form of every Document.text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checked(document: Document) -> Document:
    """A reader's Document with its text normalised, checked for length and for having any
    text at all."""
    name = document.filename
    text = normalise(document.text)
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(
            f"{name}: refused, its text is longer than {MAX_TEXT_CHARS:,} characters"
        )
    if not text.strip():
        raise InvalidInput(f"{name}: no text found in the file")
    return replace(document, text=text)
