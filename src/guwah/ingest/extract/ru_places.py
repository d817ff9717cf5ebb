"""Xinjiang places named in Russian or Kazakh Cyrillic text, in any grammatical case.

Russian declines place names ("в Кульдже", "из Урумчи", "Илийского округа"), so the
gazetteer's Russian and Kazakh names, and its Cyrillic aliases, are indexed by a stem
(the word without its case ending); a word of the text is looked up by the same stem.
Adjectives of the common prefectures ("Илийский", "Алтайский") are listed by hand.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from guwah.model.gazetteer import load_gazetteer

_ENDINGS = sorted(
    [
        "ого",
        "его",
        "ому",
        "ему",
        "ой",
        "ей",
        "ом",
        "ем",
        "ым",
        "им",
        "ую",
        "юю",
        "ая",
        "яя",
        "ий",
        "ый",
        "ие",
        "ые",
        "их",
        "ых",
        "е",
        "и",
        "ы",
        "а",
        "я",
        "у",
        "ю",
        "ь",
        "й",
    ],
    key=len,
    reverse=True,
)
_ADJECTIVES = {
    "илийск": "CN-654000",
    "или-казахск": "CN-654000",
    "алтайск": "CN-654300",
    "тарбагатайск": "CN-654200",
    "кашгарск": "CN-653100",
    "хотанск": "CN-653200",
    "аксуйск": "CN-652900",
    "аксуск": "CN-652900",
    "урумчинск": "CN-650100",
    "синьцзянск": "CN-650000",
    "текесск": "CN-654027",
    "кульджинск": "CN-654002",
    "чугучакск": "CN-654201",
    "монгольск": "",
}
# Russian and Kazakh forms that testimonies use and the gazetteer does not list (yet):
# stems, as ``stem()`` makes them.
_EXTRA = {
    "тачэн": "CN-654201",
    "тачен": "CN-654201",
    "шәуешек": "CN-654201",
    "кунес": "CN-654025",
    "күнес": "CN-654025",
    "синьюан": "CN-654025",
    "нылк": "CN-654028",
    "нилк": "CN-654028",
    "нылқ": "CN-654028",
    "мунгулкюр": "CN-654026",
    "моңғолкүр": "CN-654026",
    "чжаосу": "CN-654026",
    "гунлю": "CN-654024",
    "тоғызтарау": "CN-654024",
    "бурчун": "CN-654321",
    "бурчин": "CN-654321",
    "буыршын": "CN-654321",
    "коктогай": "CN-654322",
    "көктоғай": "CN-654322",
    "жеменей": "CN-654326",
    "дорбилжин": "CN-654221",
    "дорбилджин": "CN-654221",
    "шиху": "CN-654202",
    "шихо": "CN-654202",
    "кульджинск": "CN-654002",
    "конасехир": "CN-653121",
    "конашехер": "CN-653121",
    "кашгарск": "CN-653100",
}
# Short or common words that are also names of people or of places outside Xinjiang.
_SKIPPED = frozenset(["манас", "арал", "толи", "акто", "ния"])
_WORD = re.compile(
    r"[А-ЯЁӘҒҚҢӨҰҮҺІ][А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+(?:-[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]+)*"
)


def stem(word: str) -> str:
    """The word in lower case without its case ending (at least three letters kept)."""
    word = word.lower().replace("ё", "е")
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    code: str


@functools.cache
def _index() -> dict[str, str]:
    gazetteer = load_gazetteer()
    found: dict[str, set[str]] = {}
    for place in gazetteer:
        if place.former or place.kind.value.startswith("facility"):
            continue
        names = [place.names.get("ru", ""), place.names.get("kk", ""), *place.aliases]
        for name in names:
            if not name or not re.search("[А-Яа-яЁёӘәҚқҰұҮүІі]", name):
                continue
            words = [w for w in name.split() if w[:1].isupper()]
            if not words:
                continue
            word = words[0]
            for key in {stem(word), stem(word.split("-")[0])}:
                if len(key) >= 4 and key not in _SKIPPED:
                    found.setdefault(key, set()).add(place.code)
    index: dict[str, str] = {}
    for key, codes in found.items():
        if len(codes) == 1:
            index[key] = next(iter(codes))
        else:  # Кашгар: the city and the prefecture; take the outer unit
            outer = min(codes, key=lambda c: len(gazetteer.ancestors(c)))
            if all(c == outer or outer in {p.code for p in gazetteer.ancestors(c)} for c in codes):
                index[key] = outer
    for key, code in (*_ADJECTIVES.items(), *_EXTRA.items()):
        if code:
            index.setdefault(key, code)
    return index


def is_place_word(word: str) -> bool:
    key = stem(word)
    return key in _index() or key in _ADJECTIVES


def find_places(text: str, start: int = 0, end: int | None = None) -> list[PlaceMention]:
    """The gazetteer places named in ``text[start:end]``, in order."""
    index = _index()
    out: list[PlaceMention] = []
    for match in _WORD.finditer(text, start, len(text) if end is None else end):
        code = index.get(stem(match.group()))
        if code:
            out.append(PlaceMention(match.start(), match.end(), match.group(), code))
    return out
