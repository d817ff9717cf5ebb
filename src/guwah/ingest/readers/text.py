"""Plain text files, and news-corpus files with a header line.

The text is the whole file decoded (header line, section, title and byline included), so
an offset into ``Document.text`` is an offset into the file's characters (after line ends
become "\\n" and NFC): nothing is cut from the top.

A news-corpus file looks like this (one item per line)::

    date 2024-01-06 en English        <- header: "date", the date, a language code, its name
                                         (either may be missing)
    World                             <- section
    Kazakh woman speaks of the camps  <- title
    By Jane Doe                       <- byline
    ALMATY - Her mother was ...       <- the body, to the end of the file
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from guwah.ingest.document import Document
from guwah.ingest.readers.limits import checked, digest, normalise
from guwah.model.errors import InvalidInput

_BOMS = (  # the longest first: a UTF-32 LE BOM begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER = re.compile(
    r"date[ \t]+(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)"
    r"(?:[ \t]+(?P<lang>[a-z]{2,3}))?(?:[ \t]+(?P<name>\S[^\n]*))?",
    re.IGNORECASE,
)
_LANGUAGES = {  # a code of three letters, or the language's name, when the header has no code
    "eng": "en", "rus": "ru", "zho": "zh", "chi": "zh", "kaz": "kk", "uig": "ug", "kir": "ky",
    "tur": "tr", "english": "en", "russian": "ru", "chinese": "zh", "kazakh": "kk",
    "uyghur": "ug", "uighur": "ug", "kyrgyz": "ky", "turkish": "tr",
}  # fmt: skip
_MAX_HEAD_LINE = 300  # a section, title or byline is a short line; a longer one is body
_BYLINE_WORDS = 20


def decode(name: str, data: bytes) -> tuple[str, str | None]:
    """The text of ``data``, and a note when its encoding had to be guessed.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are read as they are; other
    bytes are decoded with the encoding ``charset_normalizer`` recognises (Windows-1251
    Russian, GB18030 Chinese...) and a note says so; bytes no encoding explains are
    refused.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), None
            except UnicodeDecodeError:
                raise InvalidInput(
                    f"{name}: not valid {encoding.upper()} text, though it starts like it"
                ) from None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:8192]:
        raise InvalidInput(f"{name}: not a text file (binary content) and not a known format")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        raise InvalidInput(f"{name}: not UTF-8 text, and its encoding is not recognised")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise InvalidInput(f"{name}: not UTF-8 text, and its encoding is not recognised") from None
    return text, f"not UTF-8: decoded as {best.encoding} (a guess; check the text)"


def read_text(name: str, data: bytes) -> Document:
    text, note = decode(name, data)
    text = normalise(text)
    notes = (note,) if note else ()
    header = _news_header(text)
    if header is None:
        return checked(
            Document(
                text=text, sha256=digest(data), media_type="text/plain", filename=name, notes=notes
            )
        )
    return checked(
        Document(
            text=text,
            sha256=digest(data),
            media_type="text/plain",
            filename=name,
            kind="news_article",
            date=header.date,
            language=header.language,
            section=header.section,
            title=header.title,
            byline=header.byline,
            notes=notes,
        )
    )


class _Header(NamedTuple):
    date: str
    language: str | None
    section: str | None
    title: str | None
    byline: str | None


def _news_header(text: str) -> _Header | None:
    """date, language, section, title and byline of a news-corpus file, or None when its
    first line is no such header."""
    lines = text.split("\n", 5)
    match = _HEADER.fullmatch(lines[0].lstrip("\ufeff").strip())
    if match is None or len(lines) < 3:
        return None
    head = [line.strip() for line in lines[1:4]] + [""] * (4 - len(lines))
    section, title, byline = (h if len(h) <= _MAX_HEAD_LINE else "" for h in head[:3])
    if len(byline.split()) > _BYLINE_WORDS or byline.endswith((".", "。", "!", "?")):
        byline = ""  # the body starts on the fourth line: there is no byline
    lang = (match["lang"] or "").lower()
    named = (match["name"] or "").split()
    if (len(lang) == 3 and lang not in _LANGUAGES) or len(named) > 3:
        return None  # "date 2017 she was taken": a sentence, not a header
    language = _LANGUAGES.get(lang, lang) or (_LANGUAGES.get(named[0].lower()) if named else None)
    return _Header(
        date=match["date"],
        language=language or None,
        section=section or None,
        title=title or None,
        byline=byline or None,
    )
