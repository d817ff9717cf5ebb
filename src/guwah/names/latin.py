"""Latin spellings of Uyghur, Kazakh and Kyrgyz names, brought to one reading.

Names reach us in the Uyghur Latin script (ULY: x, q, gh, é, ö, ü), English press
spellings (kh, zh, dzh, j), Turkish (ş ç ğ ı, and c for the j sound), Uzbek (o' g' sh),
Kazakh Latin (ä ğ ı ñ ş ū) and German (sch, tsch, dsch). This module rewrites each
spelling into the ULY-like reading used by the rest of :mod:`guwah.names`, lower case.
It only undoes spelling conventions; sound-level folding (q/k, x/h, vowels) happens in
:mod:`guwah.names.keys`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TURKISH = frozenset("şçğıŞÇĞİ")
_SPECIAL: tuple[tuple[str, str], ...] = (
    ("o'", "o"), ("oʻ", "o"), ("o‘", "o"), ("g'", "gh"), ("gʻ", "gh"), ("g‘", "gh"),
    ("tsch", "ch"), ("dsch", "j"), ("sch", "sh"), ("dzh", "j"), ("dj", "j"),
    ("ş", "sh"), ("ç", "ch"), ("č", "ch"), ("š", "sh"), ("ž", "zh"), ("ğ", "gh"),
    ("ñ", "ng"), ("ŋ", "ng"), ("ı", "i"), ("ū", "u"), ("ə", "e"), ("ä", "e"),
    ("ph", "f"), ("ck", "k"),
)  # fmt: skip
_LONE_C = re.compile(r"c(?!h)")


@lru_cache(maxsize=65536)
def latin_reading(text: str) -> str:
    """The ULY-like reading of a Latin-script name, lower case, words kept apart."""
    turkish = any(char in _TURKISH for char in text)
    text = text.replace("İ", "i").lower()
    for old, new in _SPECIAL:
        if old in text:
            text = text.replace(old, new)
    # Turkish c is the j sound (Cevher = Jewher); elsewhere a lone c is read k
    return _LONE_C.sub("j" if turkish else "k", text)
