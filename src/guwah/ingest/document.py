"""A source document as read from a file, before extraction: the contract between the
readers (``ingest.readers``) and the extractors (``ingest.extract``).

Offsets in proposals refer to ``Document.text``: the plain text a reader made, which is
what a reviewer is shown beside each proposal. The original bytes are kept elsewhere
(the evidence store), identified by ``sha256``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    text: str  # plain text, normalised to NFC with "\n" line ends; offsets refer to it
    sha256: str  # of the original file's exact bytes
    media_type: str  # e.g. text/plain, text/html, application/pdf
    filename: str  # the file's name as given (never a path)
    title: str | None = None
    date: str | None = None  # ISO or EDTF (``2024-01-06``, ``2019``)
    language: str | None = None  # ISO 639-1: en, ru, zh, kk, ug...
    kind: str | None = None  # a SourceKind value when the reader can tell (news_article...)
    byline: str | None = None
    section: str | None = None
    url: str | None = None
    ocr: bool = False  # the text came from OCR (lower confidence)
    rows: tuple[dict[str, str], ...] = ()  # a tabular file: its rows (headers as keys)
    attachments: tuple[Document, ...] = ()  # e-mail attachments, read in turn
    notes: tuple[str, ...] = field(default=())  # what the reader noticed (pages skipped...)
