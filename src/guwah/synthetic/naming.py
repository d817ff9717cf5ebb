"""Full names in each script from the name bank, and their real-world re-spellings.

A Uyghur, Kazakh or Kyrgyz name is the given name followed by the father's given name
(``Ilham Tohti``: Ilham, son of Tohti), so siblings share the second name and a daughter
carries her father's. In Cyrillic the second name often takes a patronymic or surname
ending: Kazakh ``-ұлы / -қызы``, Kyrgyz ``уулу / кызы``, Russian ``-ов / -ова``. In
Chinese characters the two names are joined by a middle dot (``伊力哈木·土赫提``). The Hui
carry a Chinese surname instead, written first (``马建国``, ``Ma Jianguo``).
"""

from __future__ import annotations

import re
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from random import Random
from typing import Generic, NamedTuple, TypeVar

from guwah.synthetic.namebank import GIVEN_NAMES, HUI_SURNAMES, GivenName, Surname

T = TypeVar("T")

ZIPF_EXPONENT = 1.0  # weight of the name of rank r is 1 / r ** ZIPF_EXPONENT
SECONDARY_SHARE = 0.3  # a name's weight among a people who are not its main users

NATIVE_LANG = {"U": "ug", "K": "kk", "G": "ky", "H": "zh"}
SCRIPTS = ("Latn", "Cyrl", "Arab", "Hani")


class Pool(Generic[T]):
    """A weighted choice precomputed once: one ``random()`` and one bisection a pick."""

    __slots__ = ("_cum", "_hi", "_total", "items")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if not items or len(items) != len(weights):
            raise ValueError("a pool needs as many weights as items, and at least one")
        self.items = tuple(items)
        self._cum = tuple(accumulate(weights))
        self._total = self._cum[-1]
        self._hi = len(self.items) - 1

    def pick(self, rng: Random) -> T:
        # Same arithmetic as Random.choices(cum_weights=...), without its per-call setup.
        return self.items[bisect(self._cum, rng.random() * self._total, 0, self._hi)]


def _given_pool(group: str, sex: str) -> Pool[GivenName]:
    names = [n for n in GIVEN_NAMES if n.sex == sex and group in n.groups]
    weights = [
        (1.0 if n.groups[0] == group else SECONDARY_SHARE) / n.rank**ZIPF_EXPONENT for n in names
    ]
    return Pool(names, weights)


GIVEN_POOLS: dict[tuple[str, str], Pool[GivenName]] = {
    (group, sex): _given_pool(group, sex) for group in "UKGH" for sex in "mf"
}
SURNAME_POOL: Pool[Surname] = Pool(HUI_SURNAMES, [s.weight for s in HUI_SURNAMES])


class NameParts(NamedTuple):
    """What a person's name is made of, before it is written in any script."""

    group: str  # U, K, G or H
    female: bool
    given: GivenName
    father: GivenName | None  # the father's given name (None for the Hui)
    surname: Surname | None  # the Hui family name (None for the others)


# --- Latin ---------------------------------------------------------------------------

_LATIN_STYLES: dict[str, Pool[str]] = {
    "U": Pool(("native", "press", "turkish"), (0.40, 0.55, 0.05)),
    "K": Pool(("native", "press", "turkish"), (0.30, 0.65, 0.05)),
    "G": Pool(("native", "press", "turkish"), (0.30, 0.68, 0.02)),
}


def latin_form(name: GivenName, style: str, rng: Random) -> str:
    if style == "press":
        return name.press[0] if rng.random() < 0.6 else rng.choice(name.press)
    if style == "turkish" and name.turkish:
        return name.turkish
    return name.latin


def latin_surname(father: str, female: bool) -> str:
    """Russian-style surname in Latin letters: Nurlan -> Nurlanov, Ali -> Aliyeva."""
    stem = father + ("yev" if father[-1] in "aeiouy" else "ov")
    return stem + "a" if female else stem


def latin_name(parts: NameParts, rng: Random, style: str | None = None) -> tuple[str, str]:
    """A full name in Latin letters and its language tag."""
    if parts.surname is not None:
        given = parts.given.latin if rng.random() < 0.8 else rng.choice(parts.given.press)
        if rng.random() < 0.7:
            return f"{parts.surname.latin} {given}", "en"
        return f"{given} {parts.surname.latin}", "en"
    assert parts.father is not None
    style = style or _LATIN_STYLES[parts.group].pick(rng)
    given = latin_form(parts.given, style, rng)
    father = latin_form(parts.father, style, rng)
    if parts.group in "KG" and rng.random() < 0.2:
        if style == "native" and parts.group == "K":
            father += "qyzy" if parts.female else "uly"
        else:
            father = latin_surname(father, parts.female)
    lang = "en" if style == "press" else "tr" if style == "turkish" else NATIVE_LANG[parts.group]
    return f"{given} {father}", lang


# --- Cyrillic ------------------------------------------------------------------------

_CYRILLIC_LANGS: dict[str, Pool[str]] = {
    "U": Pool(("ug", "ru"), (0.35, 0.65)),
    "K": Pool(("kk", "ru"), (0.75, 0.25)),
    "G": Pool(("ky", "ru"), (0.70, 0.30)),
    "H": Pool(("ru",), (1.0,)),
}
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяәөүұі")


def russian_surname(father: str, female: bool) -> str:
    """Нурлан -> Нурланов, Али -> Алиев, Муса -> Мусаева, Адиль -> Адилов."""
    last = father[-1]
    if last == "ь":
        stem = father[:-1] + "ов"
    elif last == "й":
        stem = father[:-1] + "ев"
    elif last in _CYRILLIC_VOWELS:
        stem = father + "ев"
    else:
        stem = father + "ов"
    return stem + "а" if female else stem


def cyrillic_name(parts: NameParts, rng: Random, lang: str | None = None) -> tuple[str, str]:
    if parts.surname is not None:
        return f"{parts.surname.cyrillic} {parts.given.cyrillic_for('ru')}", "ru"
    assert parts.father is not None
    lang = lang or _CYRILLIC_LANGS[parts.group].pick(rng)
    given = parts.given.cyrillic_for(lang)
    father = parts.father.cyrillic_for(lang)
    chance = rng.random()
    if lang == "kk" and chance < 0.5:
        father += "қызы" if parts.female else "ұлы"
    elif lang == "ky" and chance < 0.45:
        father += " кызы" if parts.female else " уулу"
    elif lang in ("ru", "ug") and chance < 0.35:
        father = russian_surname(father, parts.female)
    return f"{given} {father}", lang


# --- Uyghur Arabic and Chinese characters ----------------------------------------------


def arabic_name(parts: NameParts) -> str:
    if parts.surname is not None:
        return f"{parts.surname.arabic} {parts.given.arabic}"
    assert parts.father is not None
    return f"{parts.given.arabic} {parts.father.arabic}"


def chinese_form(name: GivenName, rng: Random) -> str:
    forms = name.chinese
    return forms[0] if len(forms) == 1 or rng.random() < 0.8 else rng.choice(forms)


def chinese_name(parts: NameParts, rng: Random, dot: str = "·") -> str:
    if parts.surname is not None:
        return parts.surname.chinese + chinese_form(parts.given, rng)
    assert parts.father is not None
    return f"{chinese_form(parts.given, rng)}{dot}{chinese_form(parts.father, rng)}"


def full_name(parts: NameParts, script: str, rng: Random) -> tuple[str, str]:
    """A full name in ``script`` (one of SCRIPTS) and its language tag."""
    if script == "Latn":
        return latin_name(parts, rng)
    if script == "Cyrl":
        return cyrillic_name(parts, rng)
    if script == "Arab":
        return arabic_name(parts), "ug"
    return chinese_name(parts, rng), "zh"


def given_only(parts: NameParts, script: str, rng: Random) -> tuple[str, str]:
    """The given name alone, as a witness who knew only that would write it."""
    name = parts.given
    if script == "Latn":
        return latin_form(name, "press", rng), "en"
    if script == "Cyrl":
        lang = _CYRILLIC_LANGS[parts.group].pick(rng)
        return name.cyrillic_for(lang), lang
    if script == "Arab":
        return name.arabic, "ug"
    return chinese_form(name, rng), "zh"


# --- re-spelling -----------------------------------------------------------------------

# Spelling differences seen between ULY, English press, Turkish and Kazakh/Russian-based
# romanisations (Qazybek/Kazybek, Ghopur/Gopur, Toxti/Tohti/Tokhti, -jan/-zhan/-dzhan,
# Gülnar/Gulnar, Muhemmet/Mamat, Aygül/Aigul, Abduweli/Abduvali, Ahmetcan/Ahmatjan).
_RULES: tuple[tuple[str, str], ...] = (
    ("q", "k"),
    ("gh", "g"),
    ("x", "kh"),
    ("x", "h"),
    ("kh", "h"),
    ("jan", "zhan"),
    ("jan", "dzhan"),
    ("zhan", "jan"),
    ("zh", "j"),
    ("ü", "u"),
    ("ö", "o"),
    ("é", "e"),
    ("ı", "i"),
    ("ş", "sh"),
    ("ç", "ch"),
    ("can", "jan"),
    ("w", "v"),
    ("ay", "ai"),
    ("ai", "ay"),
)
_UYGHUR_RULES = (*_RULES, ("e", "a"))  # Ehmet/Ahmat, Perhat/Parhat: not Serik/Sarik
_DOUBLED = re.compile(r"([a-z])\1")


def respell(text: str, rng: Random, group: str = "U") -> str:
    """Apply one or two real-world spelling changes to a Latin name (maybe none apply).

    ``group`` is the people (U, K, G, H): some changes are Uyghur only.
    """
    low = text.replace("İ", "I").lower()
    rules = _UYGHUR_RULES if group == "U" else _RULES
    options: list[tuple[str, str] | None] = [r for r in rules if r[0] in low]
    if _DOUBLED.search(low):
        options.append(None)  # doubled letters written once: Muhemmet -> Muhemet
    if not options:
        return text
    for _ in range(1 if rng.random() < 0.6 or len(options) < 2 else 2):
        rule = options.pop(rng.randrange(len(options)))
        low = _DOUBLED.sub(r"\1", low) if rule is None else low.replace(rule[0], rule[1])
    return " ".join(word[:1].upper() + word[1:] for word in low.split(" "))


# --- another source's spelling of the same person --------------------------------------

# The script a second source (a duplicate record) writes the name in.
_DUPLICATE_SCRIPTS: dict[str, Pool[str]] = {
    "U": Pool(SCRIPTS, (0.50, 0.10, 0.20, 0.20)),
    "K": Pool(SCRIPTS, (0.40, 0.40, 0.02, 0.18)),
    "G": Pool(SCRIPTS, (0.40, 0.40, 0.02, 0.18)),
    "H": Pool(SCRIPTS, (0.40, 0.10, 0.02, 0.48)),
}
_CHINESE_DOTS: Pool[str] = Pool(("·", "•"), (0.75, 0.25))


def _variant(parts: NameParts, script: str, alone: bool, rng: Random) -> tuple[str, str]:
    if alone:
        return given_only(parts, script, rng)
    if script == "Hani":
        return chinese_name(parts, rng, _CHINESE_DOTS.pick(rng)), "zh"
    text, lang = full_name(parts, script, rng)
    if script == "Latn" and rng.random() < 0.6:
        respelt = respell(text, rng, parts.group)
        if respelt != text:
            return respelt, "en"
    return text, lang


def respelt_names(parts: NameParts, taken: set[str], rng: Random) -> list[dict[str, str]]:
    """Names of the same person as another source writes them, none spelt as in ``taken``.

    One or two scripts; sometimes the given name alone; in Latin letters another
    romanisation or a re-spelling (``respell``).
    """
    taken = set(taken)
    scripts = [_DUPLICATE_SCRIPTS[parts.group].pick(rng)]
    if rng.random() < 0.3:
        second = _DUPLICATE_SCRIPTS[parts.group].pick(rng)
        if second != scripts[0]:
            scripts.append(second)
    alone = rng.random() < 0.15  # the source knew only the given name
    names: list[dict[str, str]] = []
    for script in scripts:
        text, lang = _variant(parts, script, alone, rng)
        kind = "given" if alone else "full"
        for _ in range(3):  # already known so: try another romanisation
            if text not in taken:
                break
            text, lang = latin_name(parts, rng)
            respelt = respell(text, rng, parts.group)
            if respelt != text:
                text, lang = respelt, "en"
            kind = "full"
        if text not in taken:
            taken.add(text)
            names.append({"text": text, "lang": lang, "kind": kind})
    if not names:  # a full name has two words at least, so the given name alone differs
        text, lang = given_only(parts, "Latn", rng)
        names.append({"text": text, "lang": lang, "kind": "given"})
    return names
