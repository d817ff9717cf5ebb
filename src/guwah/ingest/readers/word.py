"""DOCX with python-docx, after the zip is checked for bombs (nothing is unpacked before).

``Document.text`` is the body in reading order: one line per paragraph, and one line per
table row with its cells separated by tabs. Headers, footers, footnotes, comments and
text boxes are not read. The title and language come from the file's properties; its
author and creation date are properties of the file (often of a template), not of the
testimony, so they are only noted.
"""

from __future__ import annotations

import io
from typing import Any

from guwah.ingest.document import Document
from guwah.ingest.readers.limits import (
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_UNPACKED,
    MAX_XML_PART,
    checked,
    digest,
)
from guwah.ingest.readers.zipcheck import check_zip
from guwah.model.errors import InvalidInput

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read_docx(name: str, data: bytes) -> Document:
    members = check_zip(
        io.BytesIO(data),
        name,
        "DOCX",
        max_unpacked=MAX_UNPACKED,
        max_ratio=MAX_RATIO,
        max_members=MAX_MEMBERS,
        max_xml=MAX_XML_PART,
    )
    if "word/document.xml" not in members:
        raise InvalidInput(f"{name}: not a valid DOCX file (no word/document.xml)")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_lines(document))
        props = document.core_properties
        title, language = props.title, props.language
        author, created = props.author, props.created
    except InvalidInput:
        raise
    except Exception as exc:  # python-docx and lxml raise many types for damaged files
        raise InvalidInput(f"{name}: not a readable DOCX ({type(exc).__name__})") from None
    notes = []
    if author:
        notes.append(f"author in the file's properties: {author}")
    if created:
        notes.append(f"created (file properties): {created.date().isoformat()}")
    return checked(
        Document(
            text="\n".join(lines),
            sha256=digest(data),
            media_type=MEDIA_TYPE,
            filename=name,
            title=title.strip() or None if title else None,
            language=_language(language),
            notes=tuple(notes),
        )
    )


def _lines(document: Any) -> list[str]:
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or text != cells[-1]:  # a merged cell repeats itself
                        cells.append(text)
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    return lines


def _language(value: str | None) -> str | None:
    """``en-US`` -> ``en``."""
    if not value:
        return None
    code = value.strip().split("-")[0].split("_")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None
