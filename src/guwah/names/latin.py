"""Latin spellings of Uyghur, Kazakh and Kyrgyz names, brought to one reading.

Names reach us in the Uyghur Latin script (ULY: x, q, gh, é, ö, ü), English press
spellings (kh, zh, dzh, j), Turkish (ş ç ğ ı, and c for the j sound), Uzbek (o' g' sh),
Kazakh Latin (ä ğ ı ñ ş ū) and German (sch, tsch, dsch; j for y, ch for kh and w for v
in names that look German: Tschingis Aitmatow, Dschabajew). This module rewrites each
spelling into the ULY-like reading used by the rest of :mod:`guwah.names`, lower case.
It only undoes spelling conventions; sound-level folding (q/k, x/h, vowels) happens in
:mod:`guwah.names.keys`.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SPECIAL: tuple[tuple[str, str], ...] = (
    ("o'", "o"), ("oʻ", "o"), ("o‘", "o"), ("g'", "gh"), ("gʻ", "gh"), ("g‘", "gh"),
    ("tsch", "ch"), ("dsch", "j"), ("sch", "sh"), ("dzh", "j"), ("dj", "j"),
    ("ş", "sh"), ("ç", "ch"), ("č", "ch"), ("š", "sh"), ("ž", "zh"), ("ğ", "gh"),
    ("ñ", "ng"), ("ŋ", "ng"), ("ı", "i"), ("ū", "u"), ("ə", "e"), ("ä", "e"),
    ("ph", "f"), ("ck", "k"),
)  # fmt: skip
_LONE_C = re.compile(r"c(?!h)")
# German transcriptions of Russian names: Tschingis Aitmatow, Dschabajew, Achmatowa
_GERMAN = re.compile(r"sch|(?:ow|ew|owa|ewa)\b")
_GERMAN_J = re.compile(r"j(?=[aeiouy])|(?<=[aeiou])j")
_GERMAN_CH = re.compile(r"(?<![st])ch")
_GERMAN_S = re.compile(r"(?<=[aeiouy])s(?=[aeiouy])")


@lru_cache(maxsize=65536)
def latin_reading(text: str) -> str:
    """The ULY-like reading of a Latin-script name, lower case, words kept apart."""
    text = text.replace("İ", "i").lower()
    if _GERMAN.search(text):
        text = _GERMAN_CH.sub("kh", text.replace("dsch", "\0").replace("tsch", "\1"))
        text = _GERMAN_J.sub("y", text).replace("\0", "j").replace("\1", "ch")
        text = text.replace("sch", "sh").replace("w", "v")
        text = _GERMAN_S.sub("z", text)
    for old, new in _SPECIAL:
        if old in text:
            text = text.replace(old, new)
    # a lone c is Turkish (Cevher = Jewher, Hacib): no other romanisation of these
    # names writes c without h
    return _LONE_C.sub("j", text)
