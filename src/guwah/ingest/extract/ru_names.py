"""Personal names in Russian text: finding them and undoing their case endings.

A name is a run of one to three capitalised Cyrillic words that the Russian dictionary
(pymorphy3) does not know as ordinary words, or knows as a first name, surname or
patronymic; Kazakh patronymics (-ұлы, -қызы, -улы, -кызы) always qualify. Places of the
gazetteer, countries and organisations are not names.

Russian declines names ("у Гульнары", "Ерлана", "с Серикбаевой"). ``name_key`` strips
the ending of each word so that every form of a name meets; ``nominative`` gives the
dictionary form when the case is known from the word before (a preposition or a kinship
word in a known case) and, for some endings, the gender.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from guwah.ingest.extract.ru_lexicon import KIN, NOT_NAMES, POSSESSIVE, PRONOUN
from guwah.ingest.extract.ru_places import is_place_word

_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "а-яёәғқңөұүһі"
_TOKEN = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)?"
NAME_RUN = re.compile(rf"{_TOKEN}(?: {_TOKEN}){{0,3}}")
_PATRONYMIC = re.compile(r"(?:ұлы|улы|уулу|қызы|кызы|кызы|кизи|овна|евна|ович|евич|ична)$")
_ENDINGS = sorted(
    ["ой", "ей", "ом", "ем", "ым", "им", "ою", "ею", "у", "ю", "е", "и", "ы", "а", "я", "ь"],
    key=len,
    reverse=True,
)
_PLACE_NOUN = re.compile(
    r"(?:област|район|уезд|округ|город|сел[оае]|аул|поселк|посёлк|улиц|провинци|деревн)\w*$"
)
_ADJECTIVE = re.compile(r"(?:ск|цк)(?:ий|ая|ой|ого|ом|ую|ие|их|ому|ими)$")
_ETHNONYM = re.compile(
    r"^(?:уйгур|казах|казаш|кыргыз|киргиз|хуэй|дунган|узбек|ханьц|китаян|китаец)"
)


@functools.cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=65536)
def is_name_word(word: str) -> bool:
    """May this capitalised word be part of a person's name?"""
    lower = word.lower()
    if lower in NOT_NAMES or lower in KIN or lower in POSSESSIVE or lower in PRONOUN:
        return False
    if _PATRONYMIC.search(lower):
        return True
    if _ETHNONYM.match(lower) or is_place_word(word):
        return False
    known = [p for p in _morph().parse(word) if p.is_known]
    if _is_geographic(word):
        return False  # "Астане", "Талдыкоргане": a place the dictionary knows
    if _ADJECTIVE.search(lower) and not any("Surn" in str(p.tag) for p in known):
        return False  # "Алматинской": an adjective of a place
    if re.search("[әғқңөұүһі]", lower):
        return True  # Kazakh letters: not a Russian word
    if len(word) <= 2:
        return False
    parses = [p for p in _morph().parse(word) if p.is_known]
    if not parses:
        return True  # not a Russian word (the analyser only guesses): a name
    if parses[0].tag.POS != "NOUN":
        return False
    return any(t in str(p.tag) for p in parses for t in ("Name", "Surn", "Patr"))


@functools.lru_cache(maxsize=16384)
def _is_geographic(word: str) -> bool:
    """Does the dictionary read this word first as a place ("Geox"), never as a name?"""
    parses = _morph().parse(word)
    best = max((p.score for p in parses), default=0.0)
    top = [p for p in parses if p.score >= best - 1e-9]
    geo = any("Geox" in p.tag for p in top)
    named = any("Name" in p.tag or "Surn" in p.tag for p in top)
    return geo and not named and not re.search("[әғқңөұүһі]", word.lower())


@dataclass(frozen=True)
class NameMention:
    start: int
    end: int
    text: str  # as written
    case: str | None  # n g d a i p when known from the word before
    gender: str | None  # "f" / "m" when known

    @property
    def key(self) -> tuple[str, ...]:
        return name_key(self.text)


def find_names(text: str, start: int, end: int) -> list[NameMention]:
    """Name runs in ``text[start:end]`` (the case left for the caller to fill).

    A word the dictionary knows ("Ценз") still continues a name begun before it in the
    middle of a sentence ("Адриан Ценз"); a run after a place noun ("в уезде Конасехир")
    or before one ("Алматинской области") is a place, not a person."""
    out: list[NameMention] = []
    for match in NAME_RUN.finditer(text, start, end):
        before = text[max(start, match.start() - 16) : match.start()].lower().split()
        after = re.findall(r"\w+", text[match.end() : match.end() + 14].lower())
        after_place = bool(before and _PLACE_NOUN.match(before[-1]))
        if (
            after_place
            and (
                (len(before) > 1 and _ADJECTIVE.search(before[-2]))  # "Илийского округа Бауыржан"
                or any(_PATRONYMIC.search(w.lower()) for w in match.group().split(" ")[1:])
            )
        ):
            after_place = False  # the place is named already: the run is a person
        if after_place or (after and _PLACE_NOUN.match(after[0])):
            continue
        offset = match.start()
        run: list[tuple[int, str]] = []
        for word in [*match.group().split(" "), ""]:
            if word and (is_name_word(word) or (run and _continues(word))):
                run.append((offset, word))
            elif run:
                first, last = run[0], run[-1]
                stop = last[0] + len(last[1])
                out.append(NameMention(first[0], stop, text[first[0] : stop], None, None))
                run = []
            offset += len(word) + 1
    return out


def _continues(word: str) -> bool:
    """A capitalised dictionary word after a name inside a sentence: a surname
    ("Ценз"), unless it is a word that is never part of a name."""
    lower = word.lower()
    return not (
        lower in NOT_NAMES
        or lower in KIN
        or lower in POSSESSIVE
        or lower in PRONOUN
        or _ETHNONYM.match(lower)
        or is_place_word(word)
        or _ADJECTIVE.search(lower)
    )


def name_key(name: str) -> tuple[str, ...]:
    """Each word of the name without its case ending, in lower case."""
    return tuple(_stem(word) for word in name.split())


def _stem(word: str) -> str:
    lower = word.lower().replace("ё", "е")
    if _PATRONYMIC.search(lower) and not lower.endswith(("овна", "евна", "ична")):
        return lower
    for ending in _ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 3:
            return lower[: -len(ending)]
    return lower


def nominative(name: str, case: str | None, gender: str | None) -> str:
    """The name in the nominative: when its case is known from the word before, by its
    ending; else when the dictionary knows its first name only in an oblique case
    ("Бекзата Нурбекова", "Марата": genitive or accusative), by the dictionary."""
    if case == "n":
        return name
    if case is None:
        return _dictionary_nominative(name, gender)
    return " ".join(_word_nominative(word, case, gender) for word in name.split())


@functools.lru_cache(maxsize=16384)
def name_gender(name: str) -> str | None:
    """ "f" or "m" when the dictionary is sure of every reading of the name's words
    ("Тлеубаевым": a man; "Оспановой": a woman); else None."""
    genders: set[str] = set()
    for word in name.split():
        suffix = re.search(r"(ұлы|улы|уулу|ович|евич|ич)$|(қызы|кызы|кизи|овна|евна|ична)$", word)
        if suffix:  # "Сабитқызы": the patronymic tells
            return "m" if suffix.group(1) else "f"
        parses = [  # a first name the dictionary knows, a surname by its suffix; not
            p  # "Сауле" read as the locative of Саул
            for p in _morph().parse(word)
            if (("Name" in p.tag and p.is_known) or "Surn" in p.tag or "Patr" in p.tag)
            and "sing" in p.tag
            and p.tag.case in ("nomn", "gent", "accs", "ablt")
        ]
        found = {p.tag.gender for p in parses} - {None}
        if len(found) == 1:
            genders |= found  # a word read two ways ("Нурбекова") decides nothing
    if len(genders) != 1:
        return None
    return "f" if genders.pop() == "femn" else "m"


@functools.lru_cache(maxsize=16384)
def context_gender(word: str) -> str | None:
    """The gender an adjective or participle before a name shows ("80-летнего": a man,
    "больную": a woman), when it is not in the nominative; else None."""
    word = word.rsplit("-", 1)[-1]
    parses = [p for p in _morph().parse(word) if p.tag.POS in ("ADJF", "PRTF")]
    if not parses or any(p.tag.case == "nomn" for p in parses):
        return None
    genders = {p.tag.gender for p in parses if p.tag.gender != "neut"}
    if len(genders) != 1:
        return None
    return "f" if genders.pop() == "femn" else "m"


_CASES = {"gent": "g", "accs": "a", "ablt": "i"}  # not "Сауле": dative of Саул?


@functools.lru_cache(maxsize=16384)
def _dictionary_nominative(name: str, gender: str | None = None) -> str:
    words = name.split()
    if not words or "-" in name:
        return name
    wanted = {"m": "masc", "f": "femn"}.get(gender or "")
    first = [
        p
        for p in _morph().parse(words[0])
        if p.is_known
        and "Name" in p.tag
        and "sing" in p.tag
        and p.tag.case != "voct"
        and p.tag.gender in (wanted or p.tag.gender,)
    ]
    if not first or any(p.tag.case == "nomn" for p in first):
        return name
    genders = {p.tag.gender for p in first}
    cases = {p.tag.case for p in first}
    if len(genders) != 1 or not cases <= set(_CASES):
        return name
    gender = genders.pop()
    out = []
    for word in words:
        if _PATRONYMIC.search(word.lower()) and not re.search(r"(?:ович|евич|овн|евн|ичн)", word):
            out.append(word)  # "Төлеуұлы": Kazakh patronymics do not decline
            continue
        parses = [
            p
            for p in _morph().parse(word)
            if p.tag.gender == gender
            and p.tag.case in cases
            and any(t in p.tag for t in ("Name", "Surn", "Patr"))
        ]
        inflected = parses[0].inflect({"nomn"}) if parses else None
        if inflected is None:
            out.append(word)
            continue
        form = inflected.word.replace("ё", "е") if "ё" not in word else inflected.word
        out.append(form[:1].upper() + form[1:])
    return " ".join(out)


def _word_nominative(word: str, case: str, gender: str | None) -> str:
    lower = word.lower()
    if _PATRONYMIC.search(lower) and not re.search(r"(?:овн|евн|ичн)[ыеуо]й?$", lower):
        return word
    rules = _RULES.get((case, gender)) or _RULES.get((case, None), ())
    for ending, replacement in rules:
        if lower.endswith(ending) and len(lower) - len(ending) >= 2:
            cut = word[: len(word) - len(ending)]
            if replacement == "й|ь":
                replacement = "й" if cut[-1:].lower() in "аеиоуэюя" else "ь"
            return cut + replacement
    return word


# (case, gender) -> (ending, replacement), first match wins. "й|ь": й after a vowel.
_RULES: dict[tuple[str, str | None], tuple[tuple[str, str], ...]] = {
    ("g", "m"): (("а", ""), ("я", "й|ь")),
    ("a", "m"): (("а", ""), ("я", "й|ь")),
    ("g", "f"): (("ой", "а"), ("ы", "а"), ("ии", "ия"), ("и", "я")),
    ("a", "f"): (("у", "а"), ("ю", "я")),
    ("d", "m"): (("ову", "ов"), ("еву", "ев"), ("у", ""), ("ю", "й|ь")),
    ("d", "f"): (("ой", "а"), ("ии", "ия"), ("е", "а")),
    ("i", "m"): (("ым", ""), ("ом", ""), ("ем", "й|ь")),
    ("i", "f"): (("ой", "а"), ("ей", "я")),
    ("p", "m"): (("е", ""),),
    ("p", "f"): (("ой", "а"), ("е", "а")),
    ("g", None): (("ой", "а"), ("ы", "а"), ("ова", "ов"), ("ева", "ев"), ("а", "")),
    ("a", None): (("ову", "ова"), ("у", "а"), ("ю", "я"), ("ова", "ов"), ("а", "")),
    ("d", None): (("ой", "а"), ("ову", "ов"), ("у", ""), ("е", "а")),
    ("i", None): (("ым", ""), ("ой", "а"), ("ом", "")),
}
