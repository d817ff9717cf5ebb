"""The structure of a name: its words in given-name-first order, with what each is.

Uyghur and Kazakh names are usually a given name followed by the father's given name
(Ilham Tohti: Ilham, son of Tohti). Lists and Russian documents often put the second
name first, in capitals or before a comma (``TURSUN Mihrigul``, ``Tursun, Mihrigul``);
Russian-style surnames add -ov/-ova/-ev/-eva (and patronymics -ovich/-ovna), Kazakh
ones -uly/-qyzy, Uzbek ones -o'g'li/-qizi. Titles and honorifics (Dr, Prof, Haji,
Molla) are not part of the name. This module finds all of that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from guwah.model.vocab import Script
from guwah.names.elements import Element, element_table
from guwah.names.keys import classes, fold, skeleton
from guwah.names.readings import Word, read_words

TITLES = frozenset(
    fold(t)
    for t in (
        "dr", "doctor", "doktor", "prof", "professor", "mr", "mrs", "ms", "miss", "sir",
        "haji", "hajji", "hajim", "molla", "mulla", "mullah", "imam", "ustaz", "damolla",
        "gospodin", "gospozha", "apa", "aka", "akam", "hanim", "xanim",
    )
)  # fmt: skip
# standalone "son of" / "daughter of" words (Kazakh, Uzbek, Uyghur) carry no name
LINK_WORDS = frozenset(
    fold(t)
    for t in (
        "uly",
        "uli",
        "uulu",
        "qyzy",
        "kyzy",
        "gyzy",
        "qizi",
        "kizi",
        "ogli",
        "oghli",
        "ugli",
        "ibn",
        "bin",
    )
)
# surname and patronymic endings, as folded (v is folded to w)
_NAME_SUFFIX = re.compile(
    r"^(.{3,}?)(owic|ewic|owna|ewna|owa|ewa|ofa|ow|ew|of|uli|kizi|ogli|ugli)$"
)


@dataclass(frozen=True, slots=True)
class Part:
    """One word of a name with its folded forms and what the element table knows."""

    text: str
    script: Script
    reading: str
    fold: str
    classes: str
    skeleton: str
    root: str | None  # the fold without a surname or patronymic ending
    element: Element | None  # the word is a listed name element
    head: Element | None  # a compound's opening element (Abdu-rehim)
    core: str  # the compound without its listed opening and closing elements
    tail: Element | None  # a compound's closing element (Memet-jan)
    approximate: bool = False  # read from a transcription (Chinese characters or pinyin)

    @property
    def vowels_reliable(self) -> bool:
        """Chinese transcription adds and changes vowels; other spellings keep them."""
        return not self.approximate

    @property
    def initial(self) -> bool:
        return len(self.fold) == 1


@dataclass(frozen=True, slots=True)
class ParsedName:
    text: str
    parts: tuple[Part, ...]
    reordered: bool  # the second name came first in the text and was moved back
    dropped: tuple[str, ...]  # titles and link words left out

    @property
    def scripts(self) -> frozenset[Script]:
        return frozenset(p.script for p in self.parts)


@lru_cache(maxsize=65536)
def make_part(text: str, script: Script, reading: str, approximate: bool = False) -> Part:
    folded = fold(reading)
    match = _NAME_SUFFIX.match(folded)
    root = match.group(1) if match else None
    table = element_table()
    element = table.element(folded)
    head, core, tail = table.split(folded) if element is None else (None, folded, None)
    return Part(
        text, script, reading, folded, classes(folded), skeleton(folded), root,
        element, head, core, tail, approximate,
    )  # fmt: skip


def _surname_first(words: tuple[Word, ...], text: str) -> bool:
    if len(words) < 2:
        return False
    first = words[0].text
    head, comma, _ = text.partition(",")
    if comma and head.strip() == first:
        return True
    cased = words[0].script in (Script.LATIN, Script.CYRILLIC)
    return cased and len(first) > 1 and first.isupper() and not all(w.text.isupper() for w in words)


@lru_cache(maxsize=65536)
def parse(text: str) -> ParsedName:
    """The parts of a name in given-name-first order, titles left out."""
    words = read_words(text)
    dropped: list[str] = []
    kept: list[Word] = []
    for word in words:
        folded = fold(word.reading)
        if not folded:
            continue
        if folded in TITLES or (folded in LINK_WORDS and kept):
            dropped.append(word.text)
            continue
        kept.append(word)
    reordered = _surname_first(tuple(kept), text)
    if reordered:
        kept = kept[1:] + kept[:1]
    parts = tuple(make_part(w.text, w.script, w.reading, w.approximate) for w in kept)
    return ParsedName(text, parts, reordered, tuple(dropped))
