"""Sentence spans of a plain text, as character offsets (language-neutral, rule-based).

A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets after it)
followed by white space and a capital, a digit or an opening quote; at a blank line; and
at every line end of a short line (titles, bylines, list items). Abbreviations such as
``Mr.``, ``No.``, ``U.S.`` and initials do not end a sentence. Offsets always index the
text given, so ``text[start:end]`` is the sentence exactly.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "nos",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "gov",
        "sen",
        "rep",
        "jr",
        "sr",
        "vs",
        "etc",
        "approx",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "fig",
        "art",
        "para",
        "pp",
        "op",
        "cf",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "т",
        "г",
        "гг",
        "ул",
    ]
)
_END = re.compile(r"[.!?。！？]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[\w\d])|\n\s*\n|[。！？]")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
_SHORT_LINE = 80  # a line shorter than this that does not end in a stop is a heading


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, white space trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line_start, line_end in _blocks(text, start, end):
        cursor = line_start
        for match in _END.finditer(text, line_start, line_end):
            stop = match.end()
            if match.group().startswith(".") and _is_abbreviation(text, match.start()):
                continue
            _add(text, cursor, stop, spans)
            cursor = stop
        _add(text, cursor, line_end, spans)
    return spans


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs, with short unpunctuated lines (headings, bylines) split off on their own."""
    blocks: list[tuple[int, int]] = []
    block_start = start
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        line_end = end if newline < 0 else newline
        line = text[position:line_end].strip()
        blank = not line
        heading = bool(line) and len(line) < _SHORT_LINE and line[-1] not in '.,;:!?"”’)'
        if blank or heading:
            if block_start < position:
                blocks.append((block_start, position))
            if heading:
                blocks.append((position, line_end))
            block_start = line_end + 1
        position = line_end + 1
    if block_start < end:
        blocks.append((block_start, end))
    return blocks


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _WORD_BEFORE.search(text, max(0, dot - 12), dot + 1)
    if not word:
        return False
    token = word.group(1).lower()
    if token in ("no", "nos"):  # "No. 3", but "said no."
        return text[dot + 1 : dot + 3].strip()[:1].isdigit()
    if token in _ABBREVIATIONS:
        return True
    # a single capital initial ("J. Smith"), but not a one-letter sentence end like "plan B."
    return len(token) == 1 and text[dot - 1].isupper() and text[dot - 2 : dot - 1] in (" ", "")


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
