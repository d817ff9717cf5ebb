"""Candidate search: is this person already in the archive?

Given a name in any script, and optionally a birth year, gender, place and Chinese ID
number, find the people whose names could be the same and rank them with an
explanation. The name's keys (:mod:`guwah.names.index`) are looked up in the
``name_keys`` table, so no query reads the whole archive:

1. an ID-number key finds its holder directly;
2. the given-name + second-name keys find people with both names alike;
3. single-word keys are used too, except those shared by so many people that they
   say nothing (``COMMON_KEY`` postings or more: Muhammad, Gül...); when every key of
   the name is that common, the first ``COMMON_SCAN`` postings of its keys are read;
4. at most ``MAX_CANDIDATES`` people (those hit by the most keys) are then compared
   with :func:`guwah.names.compare`, on up to ``MAX_FORMS`` of their name forms with
   distinct readings (those in the query's script first), and the other facts raise or
   lower the score.

On PostgreSQL with field keys, a restricted person's keys are stored blind and every
ID-number key sealed (:mod:`guwah.store.protect`): each key is looked up in both forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, case, func, select

from guwah.model.errors import InvalidInput
from guwah.model.records import format_id
from guwah.names import compare, detect_script, pair_keys, parse, word_keys
from guwah.names.keys import id_key
from guwah.store import protect, tables
from guwah.store.matching import members, merged_into
from guwah.store.sql import listed, param

COMMON_KEY = 2000
COMMON_SCAN = 5000  # postings read when every key of a name is common
MAX_CANDIDATES = 25
MAX_FORMS = 4
SHOWN_SCORE = 0.5  # candidates below this are not worth a reviewer's time


@dataclass(frozen=True)
class CandidateQuery:
    name: str
    birth_year: int | None = None
    gender: str | None = None
    place_codes: tuple[str, ...] = ()  # the place and what contains it (prefecture)
    id_number: str | None = None


@dataclass
class Candidate:
    person_id: int
    score: float
    name_score: float
    display_name: str
    matched_name: str
    birth_year: int | None
    gender: str | None
    place_code: str | None
    status: str | None
    reasons: list[str] = field(default_factory=list)
    partial: bool = False  # one of the names is a given name alone

    @property
    def public_id(self) -> str:
        return format_id("person", self.person_id)

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.public_id,
            "score": round(self.score, 3),
            "name_score": round(self.name_score, 3),
            "name": self.display_name,
            "matched_name": self.matched_name,
            "birth_year": self.birth_year,
            "gender": self.gender,
            "place": self.place_code,
            "status": self.status,
            "reasons": self.reasons,
        }


_KEYS = tables.name_keys
# a key's postings past the first COMMON_KEY: is it common? (statements built once)
_PAST_COMMON = (
    select(_KEYS.c.person_id)
    .where(_KEYS.c.key == param("key", _KEYS.c.key))
    .offset(bindparam("common"))
    .limit(1)
)
_FIRST_HOLDERS = (
    select(_KEYS.c.person_id)
    .where(_KEYS.c.key == param("key", _KEYS.c.key))
    .order_by(_KEYS.c.person_id)
    .limit(bindparam("wanted"))
)
_NAMES = select(tables.names.c.person_id, tables.names.c.text).where(
    listed(tables.names.c.person_id)
)
_SUMMARIES = select(tables.person_summary).where(listed(tables.person_summary.c.person_id))
_ID_NUMBERS = select(_KEYS.c.person_id, _KEYS.c.key).where(
    listed(_KEYS.c.person_id), _KEYS.c.key.like("id:%")
)


def _useful_keys(conn: Connection, keys: dict[str, tuple[str, ...]]) -> list[str]:
    """The stored forms of the keys shared by fewer than COMMON_KEY people in each form
    (one short index probe per form)."""
    useful: list[str] = []
    for key in sorted(keys):
        for form in keys[key]:
            if conn.execute(_PAST_COMMON, {"key": form, "common": COMMON_KEY}).first():
                break
        else:
            useful.extend(keys[key])
    return useful


@cache
def _hits_statement(bounded: bool, by_year: bool, by_gender: bool) -> Select[Any]:
    """The statement of :func:`_hits` for this shape of query, built once."""
    source: Any = _KEYS
    if bounded:
        source = (
            select(_KEYS.c.key, _KEYS.c.person_id, _KEYS.c.birth_year, _KEYS.c.gender)
            .where(listed(_KEYS.c.key, "keys"))
            .limit(bindparam("scanned"))
            .subquery()
        )
    hits = func.count().label("hits")
    order: list[Any] = [hits.desc()]
    if by_year:
        gap = func.abs(source.c.birth_year - param("year", _KEYS.c.birth_year))
        order.append(func.min(func.coalesce(gap, 3)))
    if by_gender:
        same = source.c.gender == param("gender", _KEYS.c.gender)
        order.append(func.min(case((same, 0), else_=1)))
    return (
        select(source.c.person_id, hits)
        .where(listed(source.c.key, "keys"))
        .group_by(source.c.person_id)
        .order_by(*order, source.c.person_id)
        .limit(bindparam("wanted"))
    )


def _hits(
    conn: Connection, keys: Sequence[str], query: CandidateQuery, bounded: bool = False
) -> list[int]:
    """The people hit by the most keys; among equals (namesakes are many in a large
    archive), those whose birth year and gender agree with the query come first.
    ``bounded``: the keys are common; only the first ``COMMON_SCAN`` postings are read."""
    if not keys:
        return []
    by_year, by_gender = query.birth_year is not None, query.gender is not None
    if bounded and len(set(keys)) == 1 and not (by_year or by_gender):
        # every person holding a single key is hit once: the first holders are the answer
        first = conn.execute(_FIRST_HOLDERS, {"key": keys[0], "wanted": MAX_CANDIDATES})
        return list(first.scalars())
    statement = _hits_statement(bounded, by_year, by_gender)
    bound: dict[str, Any] = {"keys": list(keys), "wanted": MAX_CANDIDATES}
    if bounded:
        bound["scanned"] = COMMON_SCAN
    if by_year:
        bound["year"] = query.birth_year
    if by_gender:
        bound["gender"] = query.gender
    return [row.person_id for row in conn.execute(statement, bound)]


def _group_names(conn: Connection, kept_ids: Sequence[int]) -> dict[int, list[str]]:
    """The name forms of each person, their merged-in people's included."""
    owner: dict[int, int] = {k: k for k in kept_ids}  # each person whose names count -> kept
    for kept, absorbed in members(conn, kept_ids).items():
        owner.update(dict.fromkeys(absorbed, kept))
    names: dict[int, list[str]] = {k: [] for k in kept_ids}
    for row in conn.execute(_NAMES, {"ids": list(owner)}):
        names[owner[row.person_id]].append(row.text)
    return names


def _id_numbers(conn: Connection, ids: Sequence[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for row in conn.execute(_ID_NUMBERS, {"ids": list(ids)}):
        found.setdefault(row.person_id, set()).add(row.key[3:])
    return found


def find_candidates(conn: Connection, query: CandidateQuery, limit: int = 10) -> list[Candidate]:
    """The people who could be the one described, best first, with the reasons."""
    if not query.name.strip():
        raise InvalidInput("a name to search for is required")
    wanted_id = None
    if query.id_number:
        wanted_id = id_key(query.id_number)
        if wanted_id is None:
            raise InvalidInput(f"invalid Chinese ID number {query.id_number!r}")
    pairs, words = set(pair_keys(query.name)), set(word_keys(query.name))
    keys = pairs | words | ({f"id:{wanted_id}"} if wanted_id else set())
    stored = protect.key_forms(conn, keys)
    useful = _useful_keys(conn, stored)
    if set(useful) - set(stored.get(f"id:{wanted_id}", ())):
        found = _hits(conn, useful, query)
    else:  # every name key is common (Muhammad Muhammad): read a bounded share of them
        common = [form for key in sorted(pairs or words) for form in stored[key]]
        found = _hits(conn, useful + common, query, bounded=True)
    if not found:
        return []
    absorbed = merged_into(conn, found)
    kept_ids = sorted({absorbed.get(p, p) for p in found})
    names = _group_names(conn, kept_ids)
    ids: dict[int, set[str]] = {}  # their ID numbers: only weighed against one asked for
    if wanted_id:
        ids = _id_numbers(conn, kept_ids + list(absorbed))
        for old, new in absorbed.items():
            ids.setdefault(new, set()).update(ids.get(old, set()))
    rows = {row["person_id"]: row for row in conn.execute(_SUMMARIES, {"ids": kept_ids}).mappings()}
    results = []
    for person_id in kept_ids:
        row = rows.get(person_id)
        if row is None or not names.get(person_id):
            continue
        forms = _forms_worth_comparing(query.name, names[person_id])
        best = max((compare(query.name, form) for form in forms), key=lambda c: c.score)
        candidate = Candidate(
            person_id, best.score, best.score, row["display_name"], best.b,
            row["birth_year"], row["gender"], row["place_code"], row["status"],
            [f"name: {best.b!r} scores {best.score:.2f}"]
            + [f"  {m.a} ↔ {m.b}: {m.how}" for m in best.matches]
            + [f"  {note}" for note in best.notes if "alone" in note],
            best.partial,
        )  # fmt: skip
        _weigh_facts(candidate, query, wanted_id, ids.get(person_id, set()), row["prefecture_code"])
        if candidate.score >= SHOWN_SCORE:
            results.append(candidate)
    results.sort(key=lambda c: (-c.score, c.person_id))
    return results[:limit]


def _forms_worth_comparing(name: str, forms: list[str]) -> list[str]:
    """A person's name forms with distinct readings, those in the query's script first,
    at most ``MAX_FORMS`` (the same name in two scripts often reads the same)."""
    script = detect_script(name)
    ranked = sorted(forms, key=lambda f: detect_script(f) is not script)
    seen: set[tuple[str, ...]] = set()
    chosen = []
    for form in ranked:
        reading = tuple(p.fold for p in parse(form).parts)
        if reading in seen:
            continue
        seen.add(reading)
        chosen.append(form)
        if len(chosen) == MAX_FORMS:
            break
    return chosen or forms[:1]


def _weigh_facts(
    candidate: Candidate,
    query: CandidateQuery,
    wanted_id: str | None,
    their_ids: set[str],
    prefecture: str | None,
) -> None:
    reasons = candidate.reasons
    if wanted_id and wanted_id in their_ids:
        candidate.score = max(candidate.score, 0.99)
        reasons.append("same Chinese ID number")
    elif wanted_id and their_ids:
        candidate.score -= 0.4
        reasons.append("a different Chinese ID number")
    if query.birth_year and candidate.birth_year:
        gap = abs(query.birth_year - candidate.birth_year)
        delta = 0.05 if gap == 0 else 0.02 if gap == 1 else 0.0 if gap == 2 else -0.2
        candidate.score += delta
        reasons.append(f"born {candidate.birth_year} ({gap} year(s) from {query.birth_year})")
    if query.gender and candidate.gender:
        if query.gender.lower() != candidate.gender.lower():
            candidate.score -= 0.3
            reasons.append(f"gender differs ({candidate.gender})")
        else:
            candidate.score += 0.02
    if query.place_codes and (candidate.place_code or prefecture):
        theirs = {candidate.place_code, prefecture} - {None}
        if theirs & set(query.place_codes):
            candidate.score += 0.03
            reasons.append(f"same place ({candidate.place_code or prefecture})")
    candidate.score = round(max(0.0, min(candidate.score, 1.0)), 4)
