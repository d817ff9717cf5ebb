"""The Xinjiang gazetteer: administrative units, and documented camps, detention centres, prisons.

Codes: ``CN-`` + the 6-digit GB/T 2260 division code for administrative units (the code in
the first 6 digits of a resident ID number), ``FAC-<slug>`` for facilities. ``kind`` is the
level: ``prefecture`` covers every prefecture-level unit (prefecture-level cities included),
``city`` a county-level city. Units abolished or renumbered are kept (IDs issued before the
change still carry their code), flagged ``former`` with the code that replaced them.

Name lookup folds case, Unicode forms, Latin diacritics, spaces, hyphens and apostrophes, and
drops a generic word ("county", "市", "ناھىيىسى", "ауданы", "Kazakh Autonomous Prefecture"...).
It does not transliterate: "Ghulja" and "Gulja" match only because both are listed.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources


class PlaceKind(str, Enum):
    REGION = "region"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    CITY = "city"
    DISTRICT = "district"
    TOWNSHIP = "township"
    VILLAGE = "village"
    FACILITY_CAMP = "facility_camp"
    FACILITY_DETENTION_CENTRE = "facility_detention_centre"
    FACILITY_PRISON = "facility_prison"


@dataclass(frozen=True)
class Place:
    code: str
    kind: PlaceKind
    parent: str | None
    admin_code: str | None
    names: dict[str, str] = field(hash=False)  # language code -> name
    aliases: tuple[str, ...] = ()
    former: bool = False  # abolished or renumbered: kept to decode old ID numbers
    successor: str | None = None  # the code that replaced a former unit, when there is one

    def display_name(self, lang: str = "en") -> str:
        fallback = next(iter(self.names.values()), self.code)
        return self.names.get(lang) or self.names.get("en") or fallback


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words dropped at the end of a name ("unit"), then "autonomous" and the ethnonym before it.
_UNITS = _words(
    "county city prefecture district region township town village municipality oblast "
    "nahiye nahiyisi sheher shehiri rayoni wilayiti oblasti audany qalasy aymagy oblysy "
    "ناھىيە ناھىيىسى شەھەر شەھىرى رايونى ۋىلايىتى ئوبلاستى يېزىسى بازىرى كەنتى "
    "ауданы қаласы аймағы облысы ауылы район уезд город округ область волость село "
    "县 市 区 州 地区 乡 镇 村"
)
_AUTONOMOUS = _words("autonomous aptonom ئاپتونوم автономиялық автономный автономная")
_ETHNONYMS = _words(
    "uyghur uighur kazakh mongol mongolian hui kirghiz kyrgyz tajik xibe sibe "
    "ئۇيغۇر قازاق موڭغۇل خۇيزۇ قىرغىز تاجىك شىبە ұйғыр қазақ моңғол хуэй қырғыз шибе "
    "уйгурский казахский монгольский хуэйский киргизский таджикский сибинский"
)
_LEADING = _words("уезд город район округ")  # Russian "уезд Инин", "город Кульджа"
# One generic Chinese ending, with the ethnonym of an autonomous unit; two characters stay.
_CJK_TAIL = re.compile(
    r"(?<=..)(?:(?:维吾尔|哈萨克|柯尔克孜|塔吉克|锡伯|蒙古|回族)?自治[区州县]|地区|[区县市州乡镇村])$"
)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.,;:/()\[\]·•]+")
_DROPPED = dict.fromkeys(map(ord, "'’‘ʼʻʹʿʾ`´\u0640\u200c\u200d\u200e\u200f\u061c"))
_CJK = re.compile(r"[\u3400-\u9fff]")


def _fold(text: str) -> str:
    """NFKC, casefold, no apostrophes or tatweel, Latin letters without diacritics."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("ı", "i").translate(_DROPPED)
    out: list[str] = []
    latin = False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if not latin:
                out.append(ch)
            continue
        latin = ch < "\u0250" or "\u1e00" <= ch <= "\u1eff"
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def name_keys(name: str) -> tuple[str, str]:
    """The (full, bare) keys of a name; bare has its generic words dropped."""
    tokens = [t for t in _SEPARATORS.split(_fold(name).strip()) if t]
    full = "".join(tokens)
    while len(tokens) > 1 and tokens[0] in _LEADING:
        tokens.pop(0)
    if len(tokens) > 1 and tokens[-1] in _UNITS:
        tokens.pop()
    if len(tokens) > 1 and tokens[-1] in _AUTONOMOUS:
        tokens.pop()
        if len(tokens) > 1 and tokens[-1] in _ETHNONYMS:
            tokens.pop()
    bare = "".join(tokens)
    if _CJK.search(bare):
        bare = _CJK_TAIL.sub("", bare, count=1)
    return full, bare


_KIND_RANK = {kind: rank for rank, kind in enumerate(PlaceKind)}


class Gazetteer:
    def __init__(self, places: Iterable[Place]) -> None:
        self._places: dict[str, Place] = {}
        self._admin: dict[str, Place] = {}
        self._full: dict[str, set[str]] = {}
        self._bare: dict[str, set[str]] = {}
        for place in places:
            if place.code in self._places:
                raise ValueError(f"duplicate place code {place.code!r}")
            self._places[place.code] = place
            if place.admin_code:
                self._admin[place.admin_code] = place
            for name in (*place.names.values(), *place.aliases):
                full, bare = name_keys(name)
                for index, key in ((self._full, full), (self._bare, full), (self._bare, bare)):
                    if key:
                        index.setdefault(key, set()).add(place.code)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)

    def get(self, code: str) -> Place | None:
        return self._places.get(code.strip()) or self._places.get(code.strip().upper())

    def lookup(self, name: str) -> list[Place]:
        """Places with this name, current before former, most specific first.

        A name with a generic word ("Yining County", "伊宁市") first matches names written
        the same way; a bare name ("Yining", "伊宁") matches every unit of that name.
        """
        full, bare = name_keys(name)
        codes = self._full.get(full, set()) if full != bare else set()
        if not codes:
            codes = self._bare.get(bare, set()) | self._bare.get(full, set())
        found = [self._places[code] for code in codes]
        return sorted(found, key=lambda p: (p.former, -self._depth(p), _KIND_RANK[p.kind], p.code))

    def resolve(self, name_or_code: str) -> Place | None:
        """The place with this code or name; None when unknown or ambiguous.

        Current units win over former ones; a name only former units bear resolves to the
        unit that replaced them. Candidates nested in one another (Kashgar Prefecture and
        Kashgar City) resolve to the outermost, which is true of both readings.
        """
        text = name_or_code.strip()
        if not text:
            return None
        place = self.get(text)
        if place is None and len(text) == 6 and text.isdigit():
            place = self._admin.get(text)
        if place is not None:
            return place
        found = self.lookup(text)
        candidates = [p for p in found if not p.former]
        if not candidates:  # only former units have this name: their successors
            successors = (self._current(p) for p in found)
            candidates = list({p.code: p for p in successors if p is not None}.values())
        if not candidates:
            return None
        outer = min(candidates, key=self._depth)
        if all(p is outer or outer.code in self._chain(p) for p in candidates):
            return outer
        return None

    def by_admin_code(self, six_digits: str) -> Place | None:
        """The unit with this GB/T 2260 code (the first 6 digits of a resident ID number are
        accepted), else its prefecture (first 4 digits + "00"), else its province."""
        code = six_digits.strip()[:6]
        if len(code) != 6 or not code.isdigit():
            return None
        for candidate in (code, code[:4] + "00", code[:2] + "0000"):
            if candidate in self._admin:
                return self._admin[candidate]
        return None

    def ancestors(self, code: str) -> list[Place]:
        """The parent chain, nearest first."""
        return [self._places[c] for c in self._chain(self._places.get(code))]

    def prefecture_of(self, code: str) -> Place | None:
        """The nearest prefecture-level unit containing the place (itself if one); a former
        prefecture is replaced by its successor."""
        place = self.get(code)
        units = [place, *self.ancestors(place.code)] if place is not None else []
        prefecture = next((p for p in units if p.kind is PlaceKind.PREFECTURE), None)
        return (self._current(prefecture) or prefecture) if prefecture is not None else None

    def _chain(self, place: Place | None) -> list[str]:
        chain: list[str] = []
        while place is not None and place.parent and place.parent not in chain:
            chain.append(place.parent)
            place = self._places.get(place.parent)
        return chain

    def _current(self, place: Place) -> Place | None:
        """The current unit that replaced a former one (the place itself if current)."""
        seen: set[str] = set()
        while place.former and place.successor in self._places and place.code not in seen:
            seen.add(place.code)
            place = self._places[str(place.successor)]
        return None if place.former else place

    def _depth(self, place: Place) -> int:
        return len(self._chain(place))


LANGUAGES = ("en", "ug", "zh", "kk", "ru")


def parse_places(text: str) -> list[Place]:
    """Places from CSV text (header: code,kind,parent,admin_code,en,ug,zh,kk,ru,aliases).

    An alias ``former`` or ``former:<code>`` marks a former unit and its successor."""
    places: list[Place] = []
    for row in csv.DictReader(io.StringIO(text)):
        aliases: list[str] = []
        former, successor = False, None
        for alias in (a.strip() for a in (row.get("aliases") or "").split("|")):
            if alias == "former" or alias.startswith("former:"):
                former, successor = True, alias.partition(":")[2] or None
            elif alias:
                aliases.append(alias)
        cell = {key: (value or "").strip() for key, value in row.items() if key}
        names = {lang: cell[lang] for lang in LANGUAGES if cell.get(lang)}
        kind = PlaceKind(cell["kind"])
        parent, admin = cell.get("parent") or None, cell.get("admin_code") or None
        places.append(
            Place(cell["code"], kind, parent, admin, names, tuple(aliases), former, successor)
        )
    return places


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer shipped with the package (guwah/data/places.csv), read once."""
    text = resources.files("guwah.data").joinpath("places.csv").read_text(encoding="utf-8")
    return Gazetteer(parse_places(text))
