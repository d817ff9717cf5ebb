"""Cyrillic (Kazakh, Kyrgyz, Uyghur Cyrillic, Russian) to a Latin reading.

The table reads each letter by its sound in Turkic names, in the spelling the Uyghur
Latin script would use, so that the later folding in :mod:`guwah.names.keys` meets the
same letters whatever the source script was:

* Kazakh ә ғ қ ң ө ұ ү һ і and Uyghur Cyrillic җ get their own letters (e, gh, q, ng,
  ö, u, ü, h, i, j), not the Russian approximations;
* ж is read ``j``, as Kazakh and Uyghur say it (Russian transcriptions write ``zh``,
  which the folding treats the same);
* Kazakh у after a vowel is the glide ``w`` (Сауытбай → sawytbay);
* е, ё, ю, я at the start of a word or after a vowel carry a ``y`` (Ерлан → yerlan).
"""

from __future__ import annotations

from functools import lru_cache

_LETTERS: dict[str, str] = {
    "а": "a", "ә": "e", "б": "b", "в": "w", "г": "g", "ғ": "gh", "д": "d", "е": "e",
    "ё": "yo", "ж": "j", "җ": "j", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q",
    "л": "l", "м": "m", "н": "n", "ң": "ng", "о": "o", "ө": "ö", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "ü", "ф": "f", "х": "x", "һ": "h",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "i", "і": "i", "ь": "",
    "э": "e", "ю": "yu", "я": "ya", "ӊ": "ng", "ӈ": "ng", "ґ": "g", "ї": "yi", "є": "ye",
    "ў": "w", "ҳ": "h", "ӯ": "u", "ҷ": "j", "ӣ": "i", "ҡ": "q",
}  # fmt: skip
_VOWELS = frozenset("аәеёиоөуұүыіэюя")
_IOTATED = {"е": "ye", "ё": "yo", "ю": "yu", "я": "ya"}


def _word(word: str) -> str:
    # Chinese names in the Russian (Palladius) system: Цзяньго = Jianguo, Чжан = Zhang
    word = word.replace("цз", "j").replace("Цз", "J").replace("чж", "j").replace("Чж", "J")
    out: list[str] = []
    previous = ""
    for char in word:
        lower = char.lower()
        if lower in _IOTATED and (not previous or previous in _VOWELS or previous in "ъь"):
            out.append(_IOTATED[lower])
        elif lower == "у" and previous in _VOWELS and previous not in "уұү":
            out.append("w")
        else:
            out.append(_LETTERS.get(lower, lower))
        previous = lower
    return "".join(out)


@lru_cache(maxsize=65536)
def cyrillic_to_latin(text: str) -> str:
    """The Latin reading of Cyrillic ``text``, lower case (other characters pass through)."""
    return " ".join(_word(word) for word in text.split())
