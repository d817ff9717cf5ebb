"""Which script a name is written in (Uyghur Arabic, Latin, Cyrillic, Chinese characters)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

from guwah.model.vocab import Script

_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0041, 0x024F, Script.LATIN),
    (0x1E00, 0x1EFF, Script.LATIN),
    (0x0400, 0x052F, Script.CYRILLIC),
    (0x0600, 0x06FF, Script.ARABIC),
    (0x0750, 0x077F, Script.ARABIC),
    (0xFB50, 0xFDFF, Script.ARABIC),
    (0xFE70, 0xFEFF, Script.ARABIC),
    (0x3400, 0x4DBF, Script.HAN),
    (0x4E00, 0x9FFF, Script.HAN),
    (0xF900, 0xFAFF, Script.HAN),
    (0x20000, 0x2FA1F, Script.HAN),
)


@lru_cache(maxsize=8192)
def char_script(char: str) -> Script | None:
    """The script of one letter, or None for digits, spaces and punctuation."""
    if not unicodedata.category(char).startswith("L"):
        return None
    point = ord(char)
    for low, high, script in _RANGES:
        if low <= point <= high:
            return script
    return Script.UNKNOWN


def detect_script(text: str) -> Script:
    """The script most of the letters are in; ``Zyyy`` when there are none."""
    return _name_script(text) if len(text) <= 200 else _script(text)


@lru_cache(maxsize=65536)  # names come back again and again (a search, an import)
def _name_script(text: str) -> Script:
    return _script(text)


def _script(text: str) -> Script:
    counts = Counter(s for s in map(char_script, text) if s is not None)
    if not counts:
        return Script.UNKNOWN
    return counts.most_common(1)[0][0]


def guess_language(text: str, script: Script | None = None) -> str | None:
    """A cautious language guess from the script's special letters (None when unsure)."""
    script = script or detect_script(text)
    if script is Script.HAN:
        return "zh"
    if script is Script.ARABIC:
        return "ug" if any(c in text for c in "ېۆۈۇەڭ") else None
    if script is Script.CYRILLIC:
        if any(c in text.lower() for c in "әғқұһі"):  # letters only Kazakh uses
            return "kk"
        return None
    return None
