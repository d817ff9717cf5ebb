"""Read Chinese-character transcriptions of Uyghur, Kazakh and Kyrgyz names back into Latin.

Chinese documents write a Uyghur or Kazakh name as a phonetic transcription, the given
name and the father's name joined by a middle dot (伊力哈木·土赫提 = Ilham Toxti). The
characters follow a regional syllable table (DB65/T 2189-2005): one character for each
open syllable (伊 i, 哈 ha, 土 tu) and a second character for a closing consonant that
Chinese cannot end a syllable with (力 l, 木 m, 赫 x, 提 t, 尔 r, 甫 p, 克 k, 孜 z).

Each part is read in three steps:

1. **Whole elements** (data/names/hanzi_elements.tsv), longest match first: 古丽 gül,
   买买提 memet, 阿不都 abdu, 吐尔洪 turghun and a few hundred common given names. These
   restore what the syllables lose (Uyghur r written with Chinese l, gh and q written h).
2. **Syllables** (data/names/hanzi_syllables.tsv), each character with three readings:
   ``initial`` at the start of a part (or, for a vowel character such as 依, after a
   consonant), ``medial`` inside it, and ``final`` when it only closes the syllable
   before it. A character is read ``final`` when it has such a reading, the reading
   before it ends in a vowel (closing letters follow an open syllable) and it either
   ends the part or the next character opens with a consonant: 伊力哈木 → i·l·ha·m
   = ilham, but 特依拜 → te·y·be, since 依 opens with a vowel.
3. **pypinyin** for characters in neither table, its initials mapped to Uyghur Latin
   letters (x → sh, q → ch, zh → j, c → ch).

Han and Hui names (马建国: a common surname, no dot, two to four characters, none of the
characters that only transcriptions use) are read whole with pypinyin: ["ma", "jianguo"].

Limits: the output is one plausible Uyghur Latin (ULY) spelling, not the person's own.
Chinese has no r/l, q/k/h, gh/h or o/u/ö/ü contrasts and drops vowels of clusters, so
vowels are guesses and some consonants ambiguous (拉 la or ra, 哈 ha or Kazakh qa, 吾 u
or gho); compare readings by consonant skeleton, not letter by letter. Historical names
that predate the standard (秃黑鲁帖木儿) and Russian-style surnames come out rough.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from pypinyin import Style, lazy_pinyin

from guwah.model.vocab import Script
from guwah.names.script import char_script

# The middle-dot family and full stops that people type in its place.
SEPARATORS = "\u00b7\u0387\u2027\u2022\u30fb\uff65\u22c5\u2219\uff0e.\ufe52"
_SPLIT = str.maketrans(dict.fromkeys(SEPARATORS, " "))
_VOWELS = frozenset("aeéiouöü")
_GLIDES = frozenset("yw")
_PINYIN_INITIALS = (("zh", "j"), ("x", "sh"), ("q", "ch"), ("c", "ch"))

_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "司徒", "慕容", "令狐")
# Characters that transcriptions use and Han given names (almost) never do.
_TRANSCRIPTION_ONLY = frozenset("尔孜吾买提伊阿艾木赫斯罕汗吐努穆古热萨扎巴拜库肯")


class Syllable(NamedTuple):
    """The readings of one character (``final`` is empty when it never closes a syllable)."""

    initial: str
    medial: str
    final: str


def _rows(filename: str) -> list[list[str]]:
    data = resources.files("guwah.data").joinpath("names", filename)
    lines = data.read_text(encoding="utf-8").splitlines()[1:]
    return [line.split("\t") for line in lines if line.strip()]


@cache
def syllable_table() -> dict[str, Syllable]:
    """Character → readings, from data/names/hanzi_syllables.tsv."""
    return {row[0]: Syllable(row[1], row[2], row[3]) for row in _rows("hanzi_syllables.tsv")}


@cache
def element_table() -> dict[str, str]:
    """Multi-character name element → its Uyghur Latin form (hanzi_elements.tsv)."""
    return {row[0]: row[1] for row in _rows("hanzi_elements.tsv")}


def split_parts(text: str) -> list[str]:
    """The parts of a name split on middle dots, full stops and spaces."""
    return text.translate(_SPLIT).split()


def _is_han(char: str) -> bool:
    return char_script(char) is Script.HAN


def _pinyin(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)


def _pinyin_reading(char: str) -> str:
    syllable = "".join(_pinyin(char)).lower()
    for chinese, uyghur in _PINYIN_INITIALS:
        if syllable.startswith(chinese):
            return uyghur + syllable[len(chinese) :]
    return syllable


def _tokens(part: str) -> list[str]:
    """The part cut into whole elements (longest first) and single characters."""
    elements = element_table()
    longest = max(map(len, elements))
    tokens: list[str] = []
    start = 0
    while start < len(part):
        size = min(longest, len(part) - start)
        while size > 1 and part[start : start + size] not in elements:
            size -= 1
        tokens.append(part[start : start + size])
        start += size
    return tokens


def _opening(token: str) -> str:
    """How a token reads when nothing comes before it."""
    if token in element_table():
        return element_table()[token]
    syllable = syllable_table().get(token)
    if syllable is not None:
        return syllable.initial
    return _pinyin_reading(token) if _is_han(token) else token.lower()


def _read(token: str, before: str, after: str | None) -> str:
    """The reading of one token given the text read before it and the token after it."""
    syllable = syllable_table().get(token)
    if syllable is None or not before or token in element_table():
        return _opening(token)
    after_vowel = before[-1] in _VOWELS
    if syllable.final and after_vowel and (after is None or _opening(after)[:1] not in _VOWELS):
        return syllable.final
    if syllable.medial[:1] in _GLIDES and not after_vowel:
        return syllable.initial  # 依 reads y only after a vowel: 克依 k-i, 特依 te-y
    return syllable.medial


@lru_cache(maxsize=8192)
def romanize_part(part: str) -> str:
    """The Uyghur Latin reading of one part (given name or father's name), one word."""
    tokens = _tokens(part.strip().strip(SEPARATORS).strip())
    reading = ""
    for index, token in enumerate(tokens):
        after = tokens[index + 1] if index + 1 < len(tokens) else None
        reading += _read(token, reading, after)
    return reading


def _surname(name: str) -> str | None:
    if name[:2] in _COMPOUND_SURNAMES:
        return name[:2]
    return name[0] if name[0] in _SURNAMES else None


def is_han_chinese_name(text: str) -> bool:
    """Whether text looks like a Han or Hui name (surname first, no dot), not a transcription."""
    name = text.strip()
    if not 2 <= len(name) <= 4 or not all(map(_is_han, name)):
        return False
    surname = _surname(name)
    if surname is None or len(surname) == len(name):
        return False
    if any(char in _TRANSCRIPTION_ONLY for char in name[len(surname) :]):
        return False
    elements = element_table()
    return not any(name[:size] in elements for size in range(2, len(name) + 1))


def romanize(text: str) -> list[str]:
    """The reading of each part of a name; Han names as [surname, given name]."""
    name = text.strip()
    if not split_parts(name):
        return []
    if not any(map(_is_han, name)):
        return [" ".join(name.split()).lower()]
    compact = "".join(name.split())  # 马 建国 is written with a space at times
    if is_han_chinese_name(compact):
        surname = _surname(compact) or compact[0]
        return ["".join(_pinyin(surname)), "".join(_pinyin(compact[len(surname) :]))]
    return [reading for reading in map(romanize_part, split_parts(name)) if reading]
