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
from typing import Any

from sqlalchemy import Connection, case, func, select

from guwah.model.errors import InvalidInput
from guwah.model.records import format_id
from guwah.names import compare, detect_script, pair_keys, parse, word_keys
from guwah.names.keys import id_key
from guwah.store import protect, tables
from guwah.store.sql import among

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


def _useful_keys(conn: Connection, keys: dict[str, tuple[str, ...]]) -> list[str]:
    """The stored forms of the keys shared by fewer than COMMON_KEY people in each form
    (one short index probe per form)."""
    table = tables.name_keys
    useful: list[str] = []
    for key in sorted(keys):
        for form in keys[key]:
            probe = select(table.c.person_id).where(table.c.key == form)
            if conn.execute(probe.offset(COMMON_KEY).limit(1)).first() is not None:
                break
        else:
            useful.extend(keys[key])
    return useful


def _hits(
    conn: Connection, keys: Sequence[str], query: CandidateQuery, bounded: bool = False
) -> list[int]:
    """The people hit by the most keys; among equals (namesakes are many in a large
    archive), those whose birth year and gender agree with the query come first.
    ``bounded``: the keys are common; only the first ``COMMON_SCAN`` postings are read."""
    if not keys:
        return []
    table = tables.name_keys
    source: Any = table
    if bounded:
        source = (
            select(table.c.key, table.c.person_id, table.c.birth_year, table.c.gender)
            .where(among(table.c.key, keys))
            .limit(COMMON_SCAN)
            .subquery()
        )
    hits = func.count().label("hits")
    order: list[Any] = [hits.desc()]
    if query.birth_year is not None:
        gap = func.abs(source.c.birth_year - query.birth_year)
        order.append(func.min(func.coalesce(gap, 3)))
    if query.gender is not None:
        order.append(func.min(case((source.c.gender == query.gender, 0), else_=1)))
    rows = conn.execute(
        select(source.c.person_id, hits)
        .where(among(source.c.key, keys))
        .group_by(source.c.person_id)
        .order_by(*order, source.c.person_id)
        .limit(MAX_CANDIDATES)
    )
    return [row.person_id for row in rows]


def _kept(conn: Connection, ids: Sequence[int]) -> dict[int, int]:
    """absorbed person → the person they are merged into (standing merges only)."""
    m = tables.merges
    query = select(m.c.absorbed_id, m.c.kept_id).where(
        among(m.c.absorbed_id, ids), m.c.undone_at.is_(None)
    )
    return {row.absorbed_id: row.kept_id for row in conn.execute(query)}


def _group_names(conn: Connection, kept_ids: Sequence[int]) -> dict[int, list[str]]:
    """The name forms of each person, their merged-in people's included."""
    m, n = tables.merges, tables.names
    members: dict[int, int] = {k: k for k in kept_ids}
    query = select(m.c.absorbed_id, m.c.kept_id).where(
        among(m.c.kept_id, kept_ids), m.c.undone_at.is_(None)
    )
    for row in conn.execute(query):
        members[row.absorbed_id] = row.kept_id
    names: dict[int, list[str]] = {k: [] for k in kept_ids}
    for row in conn.execute(select(n.c.person_id, n.c.text).where(among(n.c.person_id, members))):
        names[members[row.person_id]].append(row.text)
    return names


def _id_numbers(conn: Connection, ids: Sequence[int]) -> dict[int, set[str]]:
    table = tables.name_keys
    query = select(table.c.person_id, table.c.key).where(
        among(table.c.person_id, ids), table.c.key.like("id:%")
    )
    found: dict[int, set[str]] = {}
    for row in conn.execute(query):
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
    absorbed = _kept(conn, found)
    kept_ids = sorted({absorbed.get(p, p) for p in found})
    names = _group_names(conn, kept_ids)
    ids: dict[int, set[str]] = {}  # their ID numbers: only weighed against one asked for
    if wanted_id:
        ids = _id_numbers(conn, kept_ids + list(absorbed))
        for old, new in absorbed.items():
            ids.setdefault(new, set()).update(ids.get(old, set()))
    summary = tables.person_summary
    rows = {
        row.person_id: row
        for row in conn.execute(select(summary).where(among(summary.c.person_id, kept_ids)))
    }
    results = []
    for person_id in kept_ids:
        row = rows.get(person_id)
        if row is None or not names.get(person_id):
            continue
        forms = _forms_worth_comparing(query.name, names[person_id])
        best = max((compare(query.name, form) for form in forms), key=lambda c: c.score)
        candidate = Candidate(
            person_id, best.score, best.score, row.display_name, best.b,
            row.birth_year, row.gender, row.place_code, row.status,
            [f"name: {best.b!r} scores {best.score:.2f}"]
            + [f"  {m.a} ↔ {m.b}: {m.how}" for m in best.matches]
            + [f"  {note}" for note in best.notes if "alone" in note],
            best.partial,
        )  # fmt: skip
        _weigh_facts(candidate, query, wanted_id, ids.get(person_id, set()), row.prefecture_code)
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
