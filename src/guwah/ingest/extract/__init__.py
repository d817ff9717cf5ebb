"""Extraction: from a read document to proposed people, relations and claims.

``extract(document)`` picks the rules by the document's language (given by its reader or
guessed from its script) and returns an ``Extraction``; nothing is stored here. Every
proposal names the rule that made it, so a reviewer can see why it was proposed.
"""

from __future__ import annotations

import unicodedata

from guwah.ingest.document import Document
from guwah.ingest.proposals import Extraction


def guess_language(text: str) -> str:
    """en, ru or zh from the letters of the text (the readers' header wins when given)."""
    counts = {"Latn": 0, "Cyrl": 0, "Hani": 0}
    for char in text[:20_000]:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("CJK"):
            counts["Hani"] += 1
        elif name.startswith("CYRILLIC"):
            counts["Cyrl"] += 1
        elif name.startswith("LATIN"):
            counts["Latn"] += 1
    if counts["Hani"] * 3 >= max(counts["Latn"], counts["Cyrl"], 1):
        return "zh"
    return "ru" if counts["Cyrl"] > counts["Latn"] else "en"


def extract(document: Document) -> Extraction:
    """The proposals of one document (its attachments are extracted on their own)."""
    language = document.language or guess_language(document.text)
    if document.rows:
        from guwah.ingest.extract.tables import extract_rows

        return extract_rows(document)
    if language == "zh":
        from guwah.ingest.extract.chinese import extract_chinese

        return extract_chinese(document)
    if language in ("ru", "kk", "ky") and guess_language(document.text) == "ru":
        from guwah.ingest.extract.russian import extract_russian

        return extract_russian(document)
    from guwah.ingest.extract.english import extract_english

    return extract_english(document)
