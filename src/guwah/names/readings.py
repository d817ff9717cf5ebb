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


def _han_words(text: str) -> list[Word]:
    from guwah.names import hanzi  # the Chinese tables load on first use

    parts = [part for part in _HAN_DOTS.split(text) if part]
    words: list[Word] = []
    for part in parts:
        if detect_script(part) is not Script.HAN:
            words.extend(_plain_words(part))
            continue
        readings = hanzi.romanize(part)
        if len(readings) == 1:
            words.append(Word(part, Script.HAN, readings[0]))
        else:
            words.extend(Word(part, Script.HAN, reading) for reading in readings)
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
            reading = latin_reading(token)
            reading = _JOINERS.sub("", reading)
        words.append(Word(token, script, reading.replace(" ", "")))
    return words


@lru_cache(maxsize=65536)
def read_words(text: str) -> tuple[Word, ...]:
    """The words of a name with their Latin readings; bracketed asides are dropped.

    Chinese characters are split on the middle dot (given name · father's name);
    a Han or Hui name without a dot is read as surname and given name."""
    text = _BRACKETED.sub(" ", text).strip()
    if detect_script(text) is Script.HAN:
        return tuple(_han_words(text))
    return tuple(_plain_words(text))
