"""Names and name-like words in English text: candidate name runs, titles, ages,
the gender a Uyghur or Kazakh given name or patronymic suggests, and small word tests
the mention rules share (people.py, en_mentions.py)."""

from __future__ import annotations

import re
import unicodedata

from guwah.ingest.extract.dates import NUMBER_WORDS
from guwah.ingest.extract.en_lexicon import NOT_NAMES
from guwah.ingest.extract.places import resolve_place

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĞĠĢĤĦĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŜŞŠŢŤŪŬŮŰŲŹŻŽ"
_LOWER = "a-zß-öø-ÿāăąćĉċčďđēėęěğġģĥħīįıķĺļľłńņňōőœŕřśŝşšţťūŭůűųźżž"
NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:['’](?!s\b)[{_LOWER}]+)?(?:-[{_UPPER}{_LOWER}][{_LOWER}]+)*"
NAME_RUN = re.compile(rf"\b{NAME_WORD}(?:\s+{NAME_WORD}){{0,4}}(?:['’]s\b)?")
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Imam|Mullah)\.?|\bnamed|\bname\s+(?:is|was)|"
    r"\bcalled|\bknown\s+as)\s*$"
)
_AGE_AFTER = re.compile(r"^,\s*(?:\d{2}|aged\s+\d{2})\s*[,.]")
_FEMALE_TITLE = re.compile(r"\b(?:Mrs|Ms|Miss)\.?\s*$")
_MALE_TITLE = re.compile(r"\bMr\.?\s*$")


_FIRST_PERSON = frozenset(["i", "me", "my", "we", "us", "our"])
# titles that are also family names after a given name ("Gulnisa Imam")
_SURNAME_TOO = frozenset(["Imam", "Haji", "Mullah"])
_PLURAL_PRONOUNS = frozenset(["they", "them"])

_FEMALE_GIVEN = frozenset(
    [
        "gulnar",
        "gulbahar",
        "mihrigul",
        "sayragul",
        "rahile",
        "zumrat",
        "tursunay",
        "aynur",
        "gulshan",
        "jewher",
        "meryem",
        "patigul",
        "ayshem",
        "horiyet",
        "dilnur",
        "gulzira",
        "gulzhan",
        "aigerim",
        "aizhan",
        "zhanar",
        "zhanargul",
        "kalida",
        "kalbinur",
        "qelbinur",
        "gulnaz",
        "dina",
        "saule",
        "aliya",
        "asel",
        "madina",
        "amina",
        "fatima",
        "zulfiya",
        "zuhra",
        "mukaddas",
        "sanubar",
        "hasiyet",
        "kamile",
        "mahire",
        "nadira",
        "nursaule",
        "bakhytgul",
        "akbota",
        "anar",
        "ainur",
        "zulpiye",
        "halima",
        "ayimgul",
        "mariyam",
        "maryam",
        "rizvangul",
        "rukiye",
        "tursungul",
        "mehray",
        "buzeynep",
    ]
)
_MALE_GIVEN = frozenset(
    [
        "ilham",
        "ekpar",
        "abduweli",
        "nurmuhammad",
        "tashpolat",
        "halmurat",
        "ablajan",
        "nurmemet",
        "huseyin",
        "muhammad",
        "memet",
        "mehmet",
        "erzhan",
        "kairat",
        "omir",
        "perhat",
        "yalqun",
        "abdurehim",
        "serik",
        "erlan",
        "nurlan",
        "berik",
        "dauren",
        "askar",
        "bakhyt",
        "marat",
        "almas",
        "aslan",
        "arman",
        "daniyar",
        "yerlan",
        "murat",
        "ahmet",
        "ahmed",
        "abdulla",
        "abdullah",
        "abdukerim",
        "tohti",
        "ablikim",
        "adil",
        "anwar",
        "enver",
        "kurban",
        "rustem",
        "timur",
        "alim",
        "alimjan",
        "arken",
        "baurzhan",
        "kuanysh",
        "zhenis",
        "serikzhan",
        "rahman",
        "rashid",
        "yusuf",
        "ilyas",
    ]
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def name_gender(name: str) -> str:
    words = [fold(w) for w in name.split()]
    if not words:
        return ""
    given, last = words[0], words[-1]
    if given in _FEMALE_GIVEN or last.endswith(("qyzy", "kyzy", "ova", "eva")):
        return "female"
    if given in _MALE_GIVEN or last.endswith(("uly", "ulu", "ov", "ev")):
        return "male"
    if given.endswith(("gul", "guli", "nur", "gulnar", "bahar", "ay", "hon")):
        return "female"
    if given.endswith(("bek", "jan", "met", "mat", "han", "khan")):
        return "male"
    return ""


def count_of(mods: str) -> int | None:
    for word in mods.replace(",", " ").split():
        if word.isdigit():
            return int(word)
        if word in NUMBER_WORDS and word not in ("a", "an", "one"):
            return NUMBER_WORDS[word]
    return None


def is_place(name: str) -> bool:
    return resolve_place(name) is not None


def name_runs(text: str, start: int, end: int) -> list[tuple[int, int, str, bool]]:
    """Candidate names in ``text[start:end]``: (start, end, name, possessive), the words
    listed in NOT_NAMES or naming places cut away."""
    runs: list[tuple[int, int, str, bool]] = []
    for match in NAME_RUN.finditer(text, start, end):
        raw = match.group()
        possessive = raw.endswith(("'s", "’s"))
        body = raw[:-2] if possessive else raw
        offset = match.start()
        words: list[tuple[int, int, str]] = []
        for word in re.finditer(r"\S+", body):
            words.append((offset + word.start(), offset + word.end(), word.group()))
        current: list[tuple[int, int, str]] = []
        pieces: list[list[tuple[int, int, str]]] = []
        for item in words:
            if item[2] in NOT_NAMES and not (current and item[2] in _SURNAME_TOO):
                if current:
                    pieces.append(current)
                current = []
            else:
                current.append(item)
        if current:
            pieces.append(current)
        # a piece made only of place names is a place ("Tekes", "Ili Kazakh"), but a place
        # word among names stays a name ("Mehmet Emin Tursun")
        pieces = [p for p in pieces if not all(is_place(w[2]) for w in p)]
        for index, piece in enumerate(pieces):
            name = " ".join(w[2] for w in piece)
            if len(piece) > 1 and is_place(name):
                continue
            last = piece[-1][1]
            ends_run = index == len(pieces) - 1 and last == offset + len(body)
            runs.append((piece[0][0], last, name, possessive and ends_run))
    return runs


def title_before(text: str, start: int) -> bool:
    return bool(_TITLE_BEFORE.search(text[max(0, start - 16) : start]))


def title_gender(text: str, start: int) -> str:
    before = text[max(0, start - 6) : start]
    if _FEMALE_TITLE.search(before):
        return "female"
    if _MALE_TITLE.search(before):
        return "male"
    return ""


def age_after(text: str, end: int) -> int | None:
    match = _AGE_AFTER.match(text[end : end + 12])
    if not match:
        return None
    digits = re.search(r"\d{2}", match.group())
    return int(digits.group()) if digits else None


def is_first_person(word: str) -> bool:
    return word.lower() in _FIRST_PERSON


def is_plural_pronoun(word: str) -> bool:
    return word.lower() in _PLURAL_PRONOUNS
