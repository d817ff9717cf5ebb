"""The columns batch linkage compares, computed per record with the names API.

Every name form of a record, whatever its script, is parsed once (:func:`guwah.names.parse`)
and reduced to values that the four scripts of one name share:

``given_cls`` / ``second_cls``
    the vowel-class fold of the given name and of the second (father's) name: Gulbahar,
    Гүлбаһар and گۈلباھار all give ``gulbahar``; Haitiwaji and ھەيتىۋاجى give ``hatawaja``.
``given_skel`` / ``second_skel``
    their consonant skeletons (``glbhr``, ``htj``), the key that also meets Chinese
    characters, whose transcription invents and changes vowels.
``name_cls``
    the full canonical reading: the vowel-class folds of every word, space-joined.
``name_skel``
    the given and second names' skeletons together (``glbhr|htj``), counted over the
    input to say how common a full name is.
``pair_keys``
    the given-name + second-name block keys of every form (:func:`guwah.names.pair_keys`),
    the main blocking key; one row per (record, key) in a table of their own.
``given_block``
    the given name's coarse block key (:func:`guwah.names.keys.block`), counted over the
    input to say how common a given name written alone is, spelling variants included.
``gy_key`` / ``solo_key``
    the given name's block key with the birth year: a record that has the given name
    alone (``solo_key``) is blocked against every record's ``gy_key``.
``id_key``, ``birth_year``, ``gender``, ``place_key``, ``area_key``
    the canonical 18-character ID number (None when it does not validate), the place's
    gazetteer code (or the skeleton of its reading when unknown) and its prefecture.

The scalar name columns come from one *preferred* form: a form with two words or more,
in an alphabetic script before Chinese characters (whose readings are guesses). The
verification step compares every form with every form, so no form is lost.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import pyarrow as pa

from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import load_gazetteer
from guwah.model.vocab import Script
from guwah.names import pair_keys, parse
from guwah.names.keys import block, id_key

GENDERS = frozenset({"male", "female"})
CHUNK = 50_000  # records turned into a column batch at a time

# Term-frequency weights for compare(): a word carried by more than COMMON_SHARE of the
# records weighs less, down to MIN_WEIGHT for one carried by a fifth of them. Below
# TF_MIN_RECORDS records the counts say nothing and the element table's priors apply.
COMMON_SHARE = 0.002
MIN_WEIGHT = 0.3
TF_MIN_RECORDS = 500

SCHEMA = pa.schema(
    [
        ("rid", pa.int64()),
        ("given_cls", pa.string()),
        ("given_skel", pa.string()),
        ("second_cls", pa.string()),
        ("second_skel", pa.string()),
        ("name_cls", pa.string()),
        ("name_skel", pa.string()),
        ("given_block", pa.string()),
        ("gy_key", pa.string()),
        ("solo_key", pa.string()),
        ("id_key", pa.string()),
        ("birth_year", pa.int32()),
        ("gender", pa.string()),
        ("place_key", pa.string()),
        ("area_key", pa.string()),
        ("nparts", pa.int32()),
    ]
)
KEY_SCHEMA = pa.schema([("rid", pa.int64()), ("key", pa.string())])


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """One record to link: a person's name forms (one or more, any scripts) and facts."""

    id: str
    names: tuple[str, ...]
    birth_year: int | None = None
    gender: str | None = None  # "male" or "female"
    place: str | None = None
    id_number: str | None = None


@dataclass(frozen=True, slots=True)
class NameInfo:
    """What one name form contributes to a record's columns."""

    given_cls: str | None
    given_skel: str | None
    second_cls: str | None
    second_skel: str | None
    name_cls: str
    pair_keys: tuple[str, ...]
    given_block: str | None
    nparts: int
    words: tuple[str, ...]  # the vowel-class folds of its words (term frequencies)
    alphabetic: bool  # not in Chinese characters


def name_info(name: str) -> NameInfo:
    parts = [p for p in parse(name).parts if p.skeleton]
    full = [p for p in parts if not p.initial]
    given = full[0] if full else None
    second = full[1] if len(full) > 1 else None
    return NameInfo(
        given.classes if given else None,
        given.skeleton if given else None,
        second.classes if second else None,
        second.skeleton if second else None,
        " ".join(p.classes for p in parts),
        tuple(sorted(pair_keys(name))),
        block(given.skeleton) if given else None,
        len(full),
        tuple(p.classes for p in full),
        all(p.script is not Script.HAN for p in parts),
    )


@lru_cache(maxsize=8192)
def place_keys(place: str) -> tuple[str | None, str | None]:
    """A place's gazetteer code and prefecture code.

    A name the gazetteer knows for several units (Ghulja: the city and the county) still
    gives their prefecture when they share one. A place it does not know at all is keyed
    by the consonant skeleton of its reading (``?glj``), so that it can still meet
    itself written in another script."""
    gazetteer = load_gazetteer()
    found = gazetteer.resolve(place)
    if found is not None:
        prefecture = gazetteer.prefecture_of(found.code)
        return found.code, prefecture.code if prefecture else None
    areas = {gazetteer.prefecture_of(p.code) for p in gazetteer.lookup(place)}
    area = areas.pop().code if len(areas) == 1 and None not in areas else None  # type: ignore[union-attr]
    reading = "".join(p.skeleton for p in parse(place).parts)
    return (f"?{reading}" if reading else None), area


def _preferred(infos: list[NameInfo]) -> NameInfo | None:
    usable = [info for info in infos if info.nparts]
    if not usable:
        return None
    return max(usable, key=lambda i: (min(i.nparts, 2), i.alphabetic, i.nparts))


class FeatureBuilder:
    """Turns records into column batches, chunk by chunk; remembers what verification needs.

    ``ids`` and ``names`` hold one entry per record (by row number, ``rid``); name
    strings are interned so that a name shared by many records is stored once."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.names: list[tuple[str, ...]] = []
        self.id_keys: list[str | None] = []
        self.years: list[int | None] = []
        self.genders: list[str | None] = []
        self.word_counts: Counter[str] = Counter()
        self.invalid_id_numbers: list[str] = []  # record ids whose number did not validate
        self._seen: set[str] = set()
        self._infos: dict[str, NameInfo] = {}

    def info(self, name: str) -> NameInfo:
        found = self._infos.get(name)
        if found is None:
            found = self._infos[name] = name_info(name)
        return found

    def batches(
        self, records: Iterable[LinkRecord]
    ) -> Iterator[tuple[pa.RecordBatch, pa.RecordBatch]]:
        """(record columns, pair-key rows) for every CHUNK records."""
        columns: dict[str, list[object]] = {field.name: [] for field in SCHEMA}
        keys: dict[str, list[object]] = {"rid": [], "key": []}
        for record in records:
            self._add(record, columns, keys)
            if len(columns["rid"]) >= CHUNK:
                yield _batch(columns, SCHEMA), _batch(keys, KEY_SCHEMA)
                columns = {field.name: [] for field in SCHEMA}
                keys = {"rid": [], "key": []}
        if columns["rid"] or not self.ids:
            yield _batch(columns, SCHEMA), _batch(keys, KEY_SCHEMA)

    def _add(
        self, record: LinkRecord, columns: dict[str, list[object]], keys: dict[str, list[object]]
    ) -> None:
        rid = len(self.ids)
        _check(record, rid)
        if record.id in self._seen:
            raise InvalidInput(f"record {rid + 1}: duplicate id {record.id!r}")
        self._seen.add(record.id)
        forms = (record.names,) if isinstance(record.names, str) else record.names
        names = tuple(sorted({sys.intern(n) for n in forms if n and n.strip()}))
        self.ids.append(record.id)
        self.names.append(names)
        infos = [self.info(name) for name in names]
        best = _preferred(infos)
        self.word_counts.update({w for info in infos for w in info.words})
        number = None
        if record.id_number and record.id_number.strip():
            number = id_key(record.id_number)
            if number is None:
                self.invalid_id_numbers.append(record.id)
        self.id_keys.append(number)
        self.years.append(record.birth_year)
        self.genders.append(record.gender)
        year = record.birth_year
        gy = f"{best.given_block}|{year}" if best and best.given_block and year else None
        place, area = place_keys(record.place.strip()) if record.place else (None, None)
        row = {
            "rid": rid,
            "given_cls": best.given_cls if best else None,
            "given_skel": best.given_skel if best else None,
            "second_cls": best.second_cls if best else None,
            "second_skel": best.second_skel if best else None,
            "name_cls": best.name_cls if best else None,
            "name_skel": _joined(best.given_skel, best.second_skel) if best else None,
            "given_block": best.given_block if best else None,
            "gy_key": gy,
            "solo_key": gy if best and best.nparts == 1 else None,
            "id_key": number,
            "birth_year": year,
            "gender": record.gender,
            "place_key": place,
            "area_key": area,
            "nparts": max((info.nparts for info in infos), default=0),
        }
        for key, value in row.items():
            columns[key].append(value)
        for key in sorted({k for info in infos for k in info.pair_keys}):
            keys["rid"].append(rid)
            keys["key"].append(key)

    def tf_weights(self) -> dict[str, float] | None:
        """Weights of the common words (vowel-class form → weight) for compare()."""
        total = len(self.ids)
        if total < TF_MIN_RECORDS:
            return None
        weights: dict[str, float] = {}
        for word, count in self.word_counts.items():
            share = count / total
            if share > COMMON_SHARE:
                weight = 1.0 - 0.35 * math.log10(share / COMMON_SHARE)
                weights[word] = max(MIN_WEIGHT, round(weight, 3))
        return weights


def _joined(given: str | None, second: str | None) -> str | None:
    return f"{given}|{second}" if given and second else None


def _batch(columns: dict[str, list[object]], schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict(columns, schema=schema)


def _check(record: LinkRecord, rid: int) -> None:
    where = f"record {rid + 1}"
    if not isinstance(record.id, str) or not record.id.strip():
        raise InvalidInput(f"{where}: empty id")
    if record.gender is not None and record.gender not in GENDERS:
        raise InvalidInput(
            f"{where} ({record.id}): gender must be male or female, not {record.gender!r}"
        )
    year = record.birth_year
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise InvalidInput(f"{where} ({record.id}): birth year {year!r} is not a year")
