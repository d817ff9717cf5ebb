"""HTML pages: the main text without menus, footers and other boilerplate (trafilatura),
with the title, date, author and language the page declares.

Nothing in the page is run or fetched: scripts, styles and templates are dropped before
any text is taken. When trafilatura finds no main text (a short or unusual page), the
text of the whole body is used instead, and a note says so.

``Document.text`` is the title on the first line when the main text does not already
start with it, then the main text, one line per paragraph.
"""

from __future__ import annotations

import re
from typing import Any

from guwah.ingest.document import Document
from guwah.ingest.readers.limits import checked, digest
from guwah.ingest.readers.text import decode
from guwah.model.errors import InvalidInput

_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg")
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_LANG = re.compile(r"[a-z]{2,3}")


def read_html(name: str, data: bytes) -> Document:
    markup, note = _decode(name, data)
    text, meta, notes = html_text(name, markup)
    if note:
        notes.insert(0, note)
    return checked(
        Document(
            text=text,
            sha256=digest(data),
            media_type="text/html",
            filename=name,
            title=meta.get("title"),
            date=meta.get("date"),
            language=meta.get("language"),
            byline=meta.get("author"),
            url=meta.get("url"),
            notes=tuple(notes),
        )
    )


def html_text(name: str, markup: str) -> tuple[str, dict[str, str], list[str]]:
    """The main text of a page, its metadata (title, date, language, author, url) and notes.

    Also used for the HTML body of an e-mail."""
    import lxml.html
    import trafilatura

    markup = _XML_DECLARATION.sub("", markup, count=1)  # lxml refuses one in a str
    try:
        tree = lxml.html.document_fromstring(markup)
    except Exception as exc:  # lxml refuses empty documents and some broken markup
        raise InvalidInput(f"{name}: not readable HTML ({type(exc).__name__})") from None
    for element in tree.xpath("|".join(f"//{tag}" for tag in _DROP)):
        element.drop_tree()
    body_element = tree.find("body")
    whole = "\n".join(
        " ".join(line.split())
        for line in (tree if body_element is None else body_element).text_content().splitlines()
        if line.strip()
    )
    meta: dict[str, str] = {}
    found = trafilatura.bare_extraction(
        tree,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
    )
    notes: list[str] = []
    body = ""
    if found is not None:
        record: Any = found
        body = (record.text or "").strip()
        for key in ("title", "date", "author", "url"):
            value = getattr(record, key, None)
            if isinstance(value, str) and value.strip():
                meta[key] = " ".join(value.split())
    if not body:
        body = whole
        if body:
            notes.append("no main text recognised: the whole page's text is used")
    language = (tree.get("lang") or tree.get("xml:lang") or "").split("-")[0].lower()
    if _LANG.fullmatch(language):
        meta["language"] = language
    title = meta.get("title")
    if title and not body.startswith(title):
        body = f"{title}\n{body}"
    return body, meta, notes


def _decode(name: str, data: bytes) -> tuple[str, str | None]:
    """The page's characters: by its BOM, then its declared charset, then as text."""
    declared = _CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(declared.group(1).decode("ascii")), None
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(name, data)
