"""PDF: the text layer of each page with pdfplumber; a page without one (a scan) is
rendered (pypdfium2, through pdfplumber) and read by OCR.

``Document.text`` is the pages' text in order, joined by "\\n\\f\\n": the page of an
offset is one more than the number of form feeds ("\\f") before it. Title and date come
from the PDF's metadata when it has them.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from guwah.ingest.document import Document
from guwah.ingest.readers import ocr, sandbox
from guwah.ingest.readers.limits import (
    MAX_OCR_PAGES,
    MAX_PAGES,
    MAX_PIXELS,
    Budget,
    checked,
    digest,
)
from guwah.model.errors import InvalidInput

PAGE_BREAK = "\n\f\n"
OCR_DPI = 300
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def read_pdf(name: str, data: bytes, budget: Budget) -> Document:
    """The PDF read in a child process with limited memory and time (``sandbox``); the
    limits and the OCR languages are taken here, in the parent."""
    try:
        langs: tuple[str, ...] | str = ocr.languages()
    except ocr.OcrUnavailable as exc:
        langs = str(exc)  # said in a note when a page needs OCR
    return sandbox.read_pdf_in_child(budget, data, MAX_PAGES, langs, sandbox.MAX_MEMORY)


def read_pdf_here(
    name: str, data: bytes, budget: Budget, max_pages: int, langs: tuple[str, ...] | str
) -> Document:
    """The PDF read in this process; ``langs`` are the OCR languages, or why there is no
    OCR."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # damaged files log at length
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pdfminer warns about every odd object
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                return _read(_Reading(name, budget, max_pages, langs), data, pdf)
    except InvalidInput:
        raise
    except Exception as exc:  # pdfminer raises many types (and bare ones) for broken files
        if _out_of_memory(exc):
            raise MemoryError from None  # the sandbox says what the limit is
        raise InvalidInput(f"{name}: not a readable PDF ({_why(exc)})") from None


@dataclass
class _Reading:
    name: str
    budget: Budget
    max_pages: int
    langs: tuple[str, ...] | str
    ocr_pages: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _read(reading: _Reading, data: bytes, pdf: Any) -> Document:
    name, pages = reading.name, pdf.pages
    if len(pages) > reading.max_pages:
        raise InvalidInput(f"{name}: refused, {len(pages)} pages (at most {reading.max_pages})")
    texts: list[str] = []
    for number, page in enumerate(pages, start=1):
        reading.budget.check_time(f"page {number} of {len(pages)}")
        text = (page.extract_text() or "").strip()
        if not text and (page.images or page.curves):
            text = _ocr_page(reading, page, number)
        texts.append(text)
        page.close()  # pdfplumber caches each page's objects until closed
    read_by_ocr = [n for n in reading.ocr_pages if texts[n - 1]]
    notes = reading.notes
    if read_by_ocr and isinstance(reading.langs, tuple):
        pages_read = "page" if len(read_by_ocr) == 1 else "pages"
        notes.insert(0, f"OCR ({'+'.join(reading.langs)}) on {pages_read} {_ranges(read_by_ocr)}")
    meta = pdf.metadata or {}
    text = PAGE_BREAK.join(texts)
    if not text.strip() and notes:
        raise InvalidInput(f"{name}: no text layer, and {notes[-1]}")
    return checked(
        Document(
            text=text,
            sha256=digest(data),
            media_type="application/pdf",
            filename=name,
            title=_meta_text(meta.get("Title")),
            date=_pdf_date(meta.get("CreationDate")),
            ocr=bool(read_by_ocr),
            notes=tuple(notes),
        )
    )


def _ocr_page(reading: _Reading, page: Any, number: int) -> str:
    reading.ocr_pages.append(number)
    count = len(reading.ocr_pages)
    if count > MAX_OCR_PAGES:
        if count == MAX_OCR_PAGES + 1:
            reading.notes.append(
                f"pages from {number} on not read: more than {MAX_OCR_PAGES} need OCR"
            )
        return ""
    if isinstance(reading.langs, str):
        if count == 1:
            reading.notes.append(f"pages without a text layer were not read: {reading.langs}")
        return ""
    area = float(page.width) * float(page.height) / 72**2  # square inches
    dpi = min(OCR_DPI, int((MAX_PIXELS / max(area, 1e-6)) ** 0.5))
    if dpi < 50:
        reading.notes.append(f"page {number} not read by OCR: the page is too large")
        return ""
    image = page.to_image(resolution=dpi).original
    text = ocr.ocr_image(reading.name, image, dpi, reading.budget.remaining(), reading.langs)
    return text.strip()


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], -1]:
        if n != prev + 1:
            parts.append(str(start) if start == prev else f"{start}-{prev}")
            start = n
        prev = n
    return ", ".join(parts)


def _meta_text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:500] or None


def _pdf_date(value: object) -> str | None:
    """``D:20240106120000Z`` -> ``2024-01-06`` (as far as the date goes)."""
    text = _meta_text(value)
    match = _PDF_DATE.match(text or "")
    if not match or not 1900 < int(match[1]) < 2200:
        return None
    parts = [p for p in match.groups() if p]
    if len(parts) > 1 and not 1 <= int(parts[1]) <= 12:
        return parts[0]
    if len(parts) > 2 and not 1 <= int(parts[2]) <= 31:
        return "-".join(parts[:2])
    return "-".join(parts)


def _out_of_memory(exc: BaseException | None) -> bool:
    """pdfminer wraps a MemoryError in its own exception."""
    while exc is not None:
        if isinstance(exc, MemoryError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _why(exc: Exception) -> str:
    if type(exc).__name__ == "PDFPasswordIncorrect":
        return "it is encrypted with a password"
    message = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
