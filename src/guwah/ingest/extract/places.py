"""Places in English text: Xinjiang units and facilities from the gazetteer (every form it
lists: English, Uyghur, Kazakh, Chinese, Russian, with variants such as Ghulja/Yining/Kulja,
Altay/Altai, Urumqi/Ürümqi), countries abroad, and kinds of facility named by common nouns
("a re-education camp", "the county detention centre", "prison").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from guwah.ingest.extract.en_lexicon import COUNTRIES, NOT_NAMES
from guwah.model.gazetteer import Place, PlaceKind, load_gazetteer
from guwah.model.vocab import FacilityType


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    code: str | None  # gazetteer code, None for a country abroad
    country: str | None = None  # for places abroad: the country ("Kazakhstan")
    facility: bool = False


@dataclass(frozen=True)
class FacilityMention:
    start: int
    end: int
    type: FacilityType


_UNIT_WORDS = r"(?:county|prefecture|city|district|region|township|town|village|camp|prison)"
_TOKEN = r"(?:No\.|[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’\-]*|\d{1,2}\b)"
_RUN = re.compile(rf"{_TOKEN}(?:\s+(?:{_TOKEN}|{_UNIT_WORDS}\b|of\s+(?=[A-Z])))*")
_COUNTRY = re.compile(
    r"\b(?:" + "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True)) + r")\b",
    re.I,
)
_KIND_PREFERENCE = {PlaceKind.CITY: 0, PlaceKind.PREFECTURE: 1, PlaceKind.COUNTY: 2}

_FACILITIES: list[tuple[FacilityType, re.Pattern[str]]] = [
    (
        FacilityType.CAMP,
        re.compile(
            r"\b(?:(?:(?:political\s+)?re-?education|internment|concentration|indoctrination|"
            r"transformation[- ]through[- ]education|detention|training|education|labou?r)\s+)?"
            r"camps?\b"
            r"|\bvocational\s+(?:skills\s+)?(?:education\s+and\s+)?training\s+(?:centres?|centers?|"
            r"schools?|facilit(?:y|ies))"
            r"|\b(?:political\s+)?(?:re-?)?education\s+(?:centres?|centers?|schools?|facilit(?:y|"
            r"ies)|classes)"
            r"|\bstudy\s+class(?:es)?\b|\btraining\s+(?:centres?|centers?|schools?)\b|\bcamp\s+system\b",
            re.I,
        ),
    ),
    (
        FacilityType.DETENTION_CENTRE,
        re.compile(
            r"\bdetention\s+(?:centres?|centers?|facilit(?:y|ies)|house)\b|\bpre-?trial\s+detention\b"
            r"|\bkanshousuo\b|\bjail\b|\bholding\s+cells?\b",
            re.I,
        ),
    ),
    (FacilityType.PRISON, re.compile(r"\bprisons?\b|\bpenitentiar(?:y|ies)\b", re.I)),
    (
        FacilityType.POLICE_CUSTODY,
        re.compile(
            r"\bpolice\s+(?:station|custody|cells?|post|office|headquarters)\b|\binto\s+custody\b",
            re.I,
        ),
    ),
]


@functools.lru_cache(maxsize=8192)
def resolve_place(name: str) -> Place | None:
    """The gazetteer place with this name; an ambiguous bare name ("Ghulja": city and county)
    goes to the city, then the prefecture, then the county."""
    gazetteer = load_gazetteer()
    place = gazetteer.resolve(name)
    if place is not None:
        return place
    current = [p for p in gazetteer.lookup(name) if not p.former]
    ranked = sorted(current, key=lambda p: _KIND_PREFERENCE.get(p.kind, 9))
    return ranked[0] if ranked else None


def find_places(text: str, start: int, end: int) -> list[PlaceMention]:
    """Gazetteer places and countries in ``text[start:end]``, in order."""
    found: list[PlaceMention] = []
    for run in _RUN.finditer(text, start, end):
        found.extend(_places_in_run(text, run.start(), run.end()))
    for match in _COUNTRY.finditer(text, start, end):
        if match.group()[0].isupper() or match.group().lower() == "abroad":
            if any(p.start <= match.start() < p.end for p in found):
                continue
            country = COUNTRIES[match.group().lower()] or None
            found.append(PlaceMention(match.start(), match.end(), match.group(), None, country))
    found.sort(key=lambda p: p.start)
    return found


def _places_in_run(text: str, start: int, end: int) -> list[PlaceMention]:
    tokens = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    spans = [(start + a, start + b) for a, b in tokens]
    words = [text[a:b].rstrip(",.;:") for a, b in spans]
    found: list[PlaceMention] = []
    index = 0
    while index < len(spans):
        listed = words[index] in NOT_NAMES and words[index].lower() not in ("camp", "prison")
        if listed and not _resolves_long(words, index):
            index += 1
            continue
        for size in range(min(7, len(spans) - index), 0, -1):
            phrase = " ".join(words[index : index + size])
            if size == 1 and (words[index] in NOT_NAMES or not words[index][:1].isupper()):
                continue
            place = resolve_place(phrase)
            if place is None:
                continue
            left = (
                index > 0 and words[index - 1] not in NOT_NAMES and words[index - 1][:1].isupper()
            )
            if size == 1 and left:
                break  # "Mehmet Emin": a name, not Emin County
            last = spans[index + size - 1][0] + len(words[index + size - 1])
            facility = place.kind.value.startswith("facility")
            found.append(
                PlaceMention(
                    spans[index][0], last, text[spans[index][0] : last], place.code, None, facility
                )
            )
            index += size - 1
            break
        index += 1
    return found


def _resolves_long(words: list[str], index: int) -> bool:
    """A listed word that begins a longer place name ("Urumqi No. 3 Detention Centre")."""
    return any(
        resolve_place(" ".join(words[index : index + size])) is not None
        for size in range(2, min(7, len(words) - index) + 1)
    )


def find_facilities(text: str, start: int, end: int) -> list[FacilityMention]:
    """Facility kinds named by common nouns in ``text[start:end]``, in order."""
    found: list[FacilityMention] = []
    for facility_type, pattern in _FACILITIES:
        for match in pattern.finditer(text, start, end):
            if any(
                f.start <= match.start() < f.end or match.start() <= f.start < match.end()
                for f in found
            ):
                continue
            found.append(FacilityMention(match.start(), match.end(), facility_type))
    found.sort(key=lambda f: f.start)
    return found


def facility_of_place(code: str) -> FacilityType | None:
    place = load_gazetteer().get(code)
    if place is None:
        return None
    return {
        PlaceKind.FACILITY_CAMP: FacilityType.CAMP,
        PlaceKind.FACILITY_DETENTION_CENTRE: FacilityType.DETENTION_CENTRE,
        PlaceKind.FACILITY_PRISON: FacilityType.PRISON,
    }.get(place.kind)
