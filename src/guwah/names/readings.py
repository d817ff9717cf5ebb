"""Read any name into Latin, word by word, by the script each word is written in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from guwah.model.vocab import Script
from guwah.names.cyrillic import cyrillic_to_latin
from guwah.names.latin import latin_reading
from guwah.names.script import detect_script
from guwah.names.uyghur import arabic_to_latin

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]|（[^）]*）")
_SEPARATORS = re.compile(r"[\s,;/|_]+")
_HAN_DOTS = re.compile(r"[·‧•・･⋅．.\s]+")
_DOTS = re.compile(r"[·‧•・･⋅．.]")
_JOINERS = re.compile(r"[-‐‑–'’ʼ`´]")

METHOD = {
    Script.LATIN: "Latin spelling rules",
    Script.CYRILLIC: "Cyrillic letter table",
    Script.ARABIC: "Uyghur Arabic letter table",
    Script.HAN: "Chinese transcription table",
}


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a name as written, its script and its Latin reading."""

    text: str
    script: Script
    reading: str
    approximate: bool = False  # a phonetic transcription: vowels (and h) not to be trusted


def _han_words(text: str) -> list[Word]:
    from guwah.names import hanzi  # the Chinese tables load on first use

    parts = [part for part in _HAN_DOTS.split(text) if part]
    joined = "".join(parts)
    if len(parts) > 1 and not _DOTS.search(text) and hanzi.is_han_chinese_name(joined):
        return [Word(joined, Script.HAN, r) for r in hanzi.romanize(joined)]  # 杨 志强
    words: list[Word] = []
    for part in parts:
        if detect_script(part) is not Script.HAN:
            words.extend(_plain_words(part))
            continue
        if len(parts) > 1:  # a part of a dotted name: given name or father's name
            words.append(Word(part, Script.HAN, hanzi.romanize_part(part), approximate=True))
            continue
        # one undotted name: a transcription, or a Han or Hui surname + given name (pinyin
        # spells those exactly)
        approximate = not hanzi.is_han_chinese_name(part)
        words.extend(Word(part, Script.HAN, r, approximate) for r in hanzi.romanize(part))
    return words


def _plain_words(text: str) -> list[Word]:
    words: list[Word] = []
    for raw in _SEPARATORS.split(text):
        token = raw.strip(".")
        if not token:
            continue
        script = detect_script(token)
        if script is Script.ARABIC:
            reading = arabic_to_latin(token)
        elif script is Script.CYRILLIC:
            reading = cyrillic_to_latin(_JOINERS.sub("", token))
        elif script is Script.HAN:
            words.extend(_han_words(token))
            continue
        else:
            reading = _JOINERS.sub("", latin_reading(token))
            words.append(Word(token, script, reading, looks_like_pinyin(reading)))
            continue
        words.append(Word(token, script, reading.replace(" ", "")))
    return words


@lru_cache(maxsize=1)
def _pinyin_syllables() -> frozenset[str]:
    from pypinyin import Style, pinyin_dict
    from pypinyin.style import convert

    found: set[str] = set()
    for readings in pinyin_dict.pinyin_dict.values():
        for reading in readings.split(","):
            found.add(convert(reading, Style.NORMAL, strict=False).replace("ü", "u"))
    return frozenset(s for s in found if s.isascii() and s.isalpha())


@lru_cache(maxsize=65536)
def looks_like_pinyin(word: str) -> bool:
    """A Latin word made wholly of three or more pinyin syllables (Maimaiti, Hailaite,
    Abudureheman): a Uyghur name spelt from its Chinese transcription, as Chinese
    passports and lists do, so its vowels are the transcription's, not the name's."""
    syllables = _pinyin_syllables()
    word = word.lower()
    # fewest syllables covering the word, by dynamic programming from the end
    best: list[int | None] = [None] * len(word) + [0]
    for start in range(len(word) - 1, -1, -1):
        for end in range(start + 1, min(len(word), start + 6) + 1):
            rest = best[end]
            if rest is not None and word[start:end] in syllables:
                count = rest + 1
                current = best[start]
                best[start] = count if current is None else min(current, count)
    found = best[0]
    return found is not None and found >= 3


@lru_cache(maxsize=65536)
def read_words(text: str) -> tuple[Word, ...]:
    """The words of a name with their Latin readings; bracketed asides are dropped.

    Chinese characters are split on the middle dot (given name · father's name);
    a Han or Hui name without a dot is read as surname and given name."""
    text = _BRACKETED.sub(" ", text).strip()
    if detect_script(text) is Script.HAN:
        return tuple(_han_words(text))
    return tuple(_plain_words(text))
