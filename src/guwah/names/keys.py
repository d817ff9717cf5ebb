"""Match keys: the folded forms of a name word and the keys used to find it again.

Every word of a name, whatever its script, is first read into Latin (see
:mod:`guwah.names.readings`); the keys below fold away the variation that spellings
of the same name show in practice, from the finest to the coarsest:

``fold``
    lower case ASCII; é ä ə → e, ö → o, ü → u, ı → i; kh x → h; q → k; gh → g;
    zh j dzh → j; sh → s; ch → c; ng → n; v → w; y → i; a final -e read -a
    (Rahile/Rahila); doubled letters single (Muhammad/Muhamad). Vowels are kept.
``vowel classes`` (:func:`classes`)
    the fold with vowels in two classes, ``a`` for a e i and ``u`` for o u: the vowel
    shifts of Uyghur (Mehrigul/Mihrigul, Memet/Mamat) and of Russian and Chinese
    transcriptions disappear, while Gulnar and Gulnur stay apart.
``skeleton``
    consonants only, a leading vowel kept as ``a``, the glides y and w dropped:
    Gulbahar → ``glbhr``, 古丽巴哈尔 (gulibahaer) → ``glbhr``. Chinese
    transcription adds and changes vowels but keeps most consonants, so this is the
    key that meets across Chinese characters.
``block``
    the skeleton without h, its first four letters, voiced and voiceless pairs together
    (b/p, d/t, g/k, j/c, z/s); the coarse key candidate search and batch linkage use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from guwah.model.errors import InvalidInput
from guwah.model.idnumber import parse_resident_id

_BEFORE: tuple[tuple[str, str], ...] = (
    ("é", "e"), ("ë", "e"), ("ê", "e"), ("è", "e"), ("ä", "e"), ("ə", "e"), ("æ", "e"),
    ("ö", "o"), ("ø", "o"), ("ô", "o"), ("ó", "o"), ("ü", "u"), ("û", "u"), ("ú", "u"),
    ("ı", "i"), ("í", "i"), ("î", "i"), ("ï", "i"), ("á", "a"), ("à", "a"), ("â", "a"),
    ("ñ", "ng"),
)  # fmt: skip
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("shch", "s"), ("dzh", "j"), ("kh", "h"), ("gh", "g"), ("zh", "j"), ("sh", "s"),
    ("ch", "c"), ("ng", "n"), ("ts", "s"),
)  # fmt: skip
_SINGLE = str.maketrans({"x": "h", "q": "k", "v": "w", "y": "i"})
_NOT_LETTER = re.compile(r"[^a-z]")
_DOUBLE = re.compile(r"(.)\1+")
_GLIDE_VOWEL = re.compile(r"uw|wu")
_AW = re.compile(r"aw(?![aeiou])")
_VOWEL_K = re.compile(r"([au])k(?=[au])")
_VOWEL_CLASS = str.maketrans({"e": "a", "i": "a", "o": "u", "h": "k"})
_VOWELS = re.compile(r"[aeiou]")
_VOICING = str.maketrans({"p": "b", "t": "d", "k": "g", "c": "j", "s": "z"})


@lru_cache(maxsize=131072)
def fold(word: str) -> str:
    """The folded spelling of one Latin-read word (see the module docstring)."""
    text = word.lower()
    for old, new in _BEFORE:
        if old in text:
            text = text.replace(old, new)
    text = unicodedata.normalize("NFKD", text)
    text = _NOT_LETTER.sub("", text)
    for old, new in _DIGRAPHS:
        if old in text:
            text = text.replace(old, new)
    text = text.translate(_SINGLE)
    text = _GLIDE_VOWEL.sub(lambda m: m.group(0).replace("w", ""), text)
    text = _AW.sub("o", text)  # Kazakh au/aw for Uyghur ö: Dawlet = Dölet
    text = _DOUBLE.sub(r"\1", text)
    if len(text) > 3 and text.endswith("e"):
        text = text[:-1] + "a"
    return text


@lru_cache(maxsize=131072)
def classes(folded: str) -> str:
    """The fold with its vowels in two classes (a e i → a, o u → u) and h with k (Kazakh
    қ is written q, k and kh: Baqyt, Bakyt, Bakhyt), doubles single."""
    return _DOUBLE.sub(r"\1", folded.translate(_VOWEL_CLASS))


def soft_h(class_form: str) -> str:
    """A vowel-class form without the h (k) between vowels: Abdurehim = Abdureyim."""
    return _DOUBLE.sub(r"\1", _VOWEL_K.sub(r"\1", class_form))


@lru_cache(maxsize=131072)
def skeleton(folded: str) -> str:
    """The consonant skeleton of a folded word; a leading vowel is kept as ``a``."""
    if not folded:
        return ""
    head = "a" if folded[0] in "aeiou" else ""
    body = _VOWELS.sub("", folded.replace("w", "") if len(folded) > 1 else folded)
    return _DOUBLE.sub(r"\1", head + body)


_COARSE = str.maketrans(
    {
        "h": "k",
        "g": "k",
        "l": "r",
        "p": "b",
        "f": "b",
        "t": "d",
        "j": "s",
        "c": "s",
        "z": "s",
        "m": "n",
    }
)


@lru_cache(maxsize=131072)
def coarse(skel: str) -> str:
    """A skeleton as Chinese transcription blurs it: h g k together (哈 writes Kazakh q),
    l r (拉 la/ra), b p f, d t, m n (音 for -yim), and the sibilants j c z s; doubles
    single."""
    return _DOUBLE.sub(r"\1", skel.translate(_COARSE))


def block(skel: str) -> str:
    """The coarse blocking key of a skeleton: h left out (Chinese drops it between
    vowels: Rahile = 热依拉 reyila), voicing folded, the first four letters."""
    return skel.replace("h", "").translate(_VOICING)[:4] or skel[:1]


def id_key(number: str) -> str | None:
    """The match key of a Chinese resident ID number: its canonical 18 characters.

    Returns None for a number that does not validate (it cannot be a key)."""
    try:
        return parse_resident_id(number).number
    except InvalidInput:
        return None
