"""Readers: from a file to a ``Document`` (its plain text, with metadata where the format
has it), for extraction.

``read_document(path)`` tells the format from the file's bytes, then its name (see
``sniff``), and hands the bytes to one reader: plain text and news-corpus text, HTML,
PDF (text layer, else OCR), images (OCR), DOCX, e-mail with attachments, CSV and XLSX
lists. Nothing in a file is executed, and nothing is written to disk. Anything unreadable
or over a limit (``limits``) is one ``InvalidInput`` line naming the file. docs/ingest.md
describes what each reader makes of its format.

The readers' modules are imported when a file of their format comes, so that the command
line does not pay for trafilatura, pdfplumber and python-docx on every start.
"""

from __future__ import annotations

from pathlib import Path

from guwah.ingest.document import Document
from guwah.ingest.readers import sniff as _sniff
from guwah.ingest.readers.limits import Budget, max_bytes
from guwah.model.errors import InvalidInput

__all__ = ["read_bytes", "read_document"]


def read_document(path: Path) -> Document:
    """The Document of the file at ``path`` (its ``filename`` is the file's name only)."""
    budget = Budget(path.name)
    if not path.exists():
        raise InvalidInput(f"no such file: {path}")
    if not path.is_file():
        raise InvalidInput(f"{path.name}: not a regular file")
    limit = max_bytes()
    size = path.stat().st_size
    if size > limit:
        raise InvalidInput(_too_big(path.name, size, limit))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # a file growing while read is still cut here
    except OSError as exc:
        raise InvalidInput(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise InvalidInput(_too_big(path.name, len(data), limit))
    return read_bytes(path.name, data, budget)


def read_bytes(name: str, data: bytes, budget: Budget | None = None) -> Document:
    """The Document of a file's bytes, named ``name`` (an e-mail attachment, an upload).

    ``budget`` carries the time and depth already used by the file this one came in.
    """
    budget = budget or Budget(name)
    limit = max_bytes()
    if len(data) > limit:
        raise InvalidInput(_too_big(name, len(data), limit))
    if not data.strip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"):
        raise InvalidInput(f"{name}: the file is empty")
    kind = _sniff.sniff(name, data)
    if kind == _sniff.PDF:
        from guwah.ingest.readers.pdf import read_pdf

        return read_pdf(name, data, budget)
    if kind == _sniff.DOCX:
        from guwah.ingest.readers.word import read_docx

        return read_docx(name, data)
    if kind.startswith("image/"):
        from guwah.ingest.readers.image import read_image

        return read_image(name, data, kind, budget)
    if kind in (_sniff.CSV, _sniff.XLSX):
        from guwah.ingest.readers.table import read_table

        return read_table(name, data, xlsx=kind == _sniff.XLSX)
    if kind == _sniff.HTML:
        from guwah.ingest.readers.html import read_html

        return read_html(name, data)
    if kind == _sniff.EMAIL:
        from guwah.ingest.readers.mail import read_mail

        return read_mail(name, data, budget)
    from guwah.ingest.readers.text import read_text

    return read_text(name, data)


def _too_big(name: str, size: int, limit: int) -> str:
    return (
        f"{name}: refused, {size / 2**20:.1f} MB is more than the limit of "
        f"{limit // 2**20} MB (GUWAH_INGEST_MAX_MB)"
    )
