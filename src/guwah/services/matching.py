"""Use cases of matching: look a person up by name, explain a name, compare two names."""

from __future__ import annotations

from typing import Any

from guwah.match.candidates import Candidate, CandidateQuery, find_candidates
from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import load_gazetteer
from guwah.model.vocab import Sensitivity
from guwah.names import compare, pair_keys, parse, word_keys
from guwah.names.keys import block, id_key
from guwah.secure.policy import Action
from guwah.services.access import (
    RESTRICTED_READ,
    audit,
    check,
    deny,
    level,
    role,
    visible_people,
)
from guwah.services.archive import Archive

MAX_MATCHES = 100
GENDERS = ("male", "female")


def place_codes(place: str | None) -> tuple[str, ...]:
    """A place name or code as the gazetteer codes it and its prefecture go by."""
    if not place:
        return ()
    gazetteer = load_gazetteer()
    found = [gazetteer.get(place)] if gazetteer.get(place) else gazetteer.lookup(place)
    if not found:
        raise InvalidInput(f"unknown place {place!r} (try a county or prefecture name)")
    codes: set[str] = set()
    for item in found:
        if item is None:
            continue
        codes.add(item.code)
        prefecture = gazetteer.prefecture_of(item.code)
        if prefecture is not None:
            codes.add(prefecture.code)
    return tuple(sorted(codes))


def match_person(
    archive: Archive,
    name: str,
    *,
    birth_year: int | None = None,
    gender: str | None = None,
    place: str | None = None,
    id_number: str | None = None,
    limit: int = 10,
) -> list[Candidate]:
    """The people in the archive who may be the one described, best first (those the
    signed-in role may see; matching by ID number needs the restricted level)."""
    check(archive, Action.MATCH)
    if id_number and level(archive) is not Sensitivity.RESTRICTED:
        deny(
            archive,
            "match.id_number",
            f"matching by ID number is not allowed for role {role(archive)}",
        )
    if not 1 <= limit <= MAX_MATCHES:
        raise InvalidInput(f"limit must be between 1 and {MAX_MATCHES}")
    if gender is not None and gender.lower() not in GENDERS:
        raise InvalidInput(f"gender must be one of {', '.join(GENDERS)}, not {gender!r}")
    if birth_year is not None and not 1880 <= birth_year <= 2100:
        raise InvalidInput(f"impossible birth year {birth_year}")
    query = CandidateQuery(
        name, birth_year, gender.lower() if gender else None, place_codes(place), id_number
    )
    with archive.engine.connect() as conn:
        found = find_candidates(conn, query, limit)
        numbers = [c.person_id for c in found]
        visible = visible_people(conn, archive, numbers)
        below = set(numbers)
        if level(archive) is Sensitivity.RESTRICTED:  # who of them only a restricted level sees
            below = visible_people(conn, archive, numbers, Sensitivity.INTERNAL)
    restricted = [c.public_id for c in found if c.person_id not in below]
    if restricted:
        with archive.engine.begin() as conn:
            for person in restricted:
                audit(conn, archive, RESTRICTED_READ, person)
    return [c for c in found if c.person_id in visible]


def explain_name(name: str) -> dict[str, Any]:
    """How a name is read, split and keyed (``guwah names keys``)."""
    parsed = parse(name)
    if not parsed.parts:
        raise InvalidInput(f"no letters to read in {name!r}")
    number = id_key(name)
    return {
        "name": name,
        "reordered": parsed.reordered,
        "left_out": list(parsed.dropped),
        "parts": [
            {
                "text": p.text,
                "script": p.script.value,
                "reading": p.reading,
                "fold": p.fold,
                "vowel_classes": p.classes,
                "skeleton": p.skeleton,
                "block": block(p.skeleton),
                "root": p.root,
                "element": p.element.canonical if p.element else None,
                "compound": [
                    p.head.canonical if p.head else None,
                    p.core,
                    p.tail.canonical if p.tail else None,
                ],
            }
            for p in parsed.parts
        ],
        "pair_keys": sorted(pair_keys(name)),
        "word_keys": sorted(word_keys(name)),
        "id_key": number,
    }


def compare_names(a: str, b: str) -> dict[str, Any]:
    """Two names compared, with the explanation (``guwah names compare``)."""
    result = compare(a, b)
    return {
        "a": a,
        "b": b,
        "score": result.score,
        "same": result.same,
        "readings": list(result.readings),
        "matches": [
            {"a": m.a, "b": m.b, "similarity": m.similarity, "how": m.how} for m in result.matches
        ],
        "notes": list(result.notes),
        "explanation": result.explain(),
    }
