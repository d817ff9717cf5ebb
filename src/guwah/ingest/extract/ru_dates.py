"""Dates in Russian text, as EDTF: "в 2017 году", "в марте 2018 года", "15 августа 2017 г.",
"в 2017–2018 годах", and relative ones ("через два года", "в том же году") counted from
the last year named before them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from guwah.ingest.extract.ru_lexicon import NUMBER_WORDS, NUMBERS

_MONTH = (
    r"(?P<month>январ[ьяе]|феврал[ьяе]|марта?|марте|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|"
    r"августа?|августе|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_MONTH_NUMBER = {
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "ма": 5, "июн": 6, "июл": 7,
    "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip
_YEAR = r"(?P<year>19[4-9]\d|20[0-4]\d)"
_YEAR_WORD = r"\s*(?:года|году|год|г\.|гг\.|годах|годов|годы)"
_ABSOLUTE = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"(?:(?P<day>\d{{1,2}})\s+)?{_MONTH}\s+{_YEAR}(?:{_YEAR_WORD})?",
        rf"{_YEAR}\s*[-–—]\s*(?P<year2>19[4-9]\d|20[0-4]\d)(?:{_YEAR_WORD})?",
        rf"(?:весн|лет|осен|зим|начал|конц|середин)\w*\s+{_YEAR}(?:{_YEAR_WORD})?",
        rf"{_YEAR}{_YEAR_WORD}",
        rf"(?<=\b[вс] ){_YEAR}\b",
    )
)
_RELATIVE = re.compile(
    rf"\b(?:через|спустя)\s+(?:(?:\d+|{NUMBER_WORDS}|пару|несколько)\s+)?(?:год|года|лет|месяц\w*)\b"
    r"|\bв (?:том же|этом же) году|\bтого же года"
    r"|\bв (?:следующем|следующий) году|\bна следующий год",
    re.IGNORECASE,
)
_AFTER = re.compile(rf"\b(?:\d+|{NUMBER_WORDS})\s+(?:года|лет|год)\s+спустя", re.IGNORECASE)
_BIRTH = re.compile(r"(?:\s*(?:года|г\.))?\s+рождения|\s*г\.\s*р\.", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    edtf: str
    birth: bool = False  # "1965 года рождения": a birth year, not an event's date


def find_dates(text: str) -> list[DateMention]:
    """Every date in the text, in order; relative ones resolved from the year before."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _ABSOLUTE:
        for match in pattern.finditer(text):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                taken.append(match.span())
                found.append(_absolute(match, text))
    relative = list(_RELATIVE.finditer(text))
    if "спустя" in text:
        relative += _AFTER.finditer(text)
    for match in relative:
        found.append(DateMention(match.start(), match.end(), "?" + match.group().lower()))
    found.sort(key=lambda d: d.start)
    out: list[DateMention] = []
    last_year: int | None = None
    for date in found:
        if date.edtf.startswith("?"):
            if last_year is None:
                continue
            shift = _shift(date.edtf[1:])
            out.append(DateMention(date.start, date.end, f"{last_year + shift:04d}"))
            last_year += shift
            continue
        out.append(date)
        if not date.birth:
            last_year = int(date.edtf[-4:] if "/" in date.edtf else date.edtf[:4])
    return out


def _absolute(match: re.Match[str], text: str) -> DateMention:
    year = int(match.group("year"))
    birth = bool(_BIRTH.match(text, match.end())) or bool(
        re.search(
            r"(?:родил\w*|рождени\w*)\W+(?:\w+\W+)?$",
            text[max(0, match.start() - 30) : match.start()],
        )
    )
    groups = match.groupdict()
    if groups.get("year2"):
        edtf = f"{year}/{match.group('year2')}"
    elif groups.get("month"):
        month = next(
            n for k, n in _MONTH_NUMBER.items() if match.group("month").lower().startswith(k)
        )
        edtf = f"{year:04d}-{month:02d}"
        if groups.get("day") and 1 <= int(match.group("day")) <= 31:
            edtf += f"-{int(match.group('day')):02d}"
    else:
        edtf = f"{year:04d}"
    return DateMention(match.start(), match.end(), edtf, birth)


def _shift(phrase: str) -> int:
    if "том же" in phrase or "этом же" in phrase or "того же" in phrase:
        return 0
    if "следующ" in phrase:
        return 1
    number = re.search(rf"\d+|{NUMBER_WORDS}|пару|несколько", phrase)
    if number is None:
        count = 1
    elif number.group().isdigit():
        count = int(number.group())
    else:
        count = NUMBERS.get(number.group(), 2)
    return 0 if "месяц" in phrase else count
