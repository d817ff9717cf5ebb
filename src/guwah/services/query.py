"""Reading the archive for people: one person in full, search, and counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from guwah.match.candidates import CandidateQuery, find_candidates
from guwah.model.errors import InvalidInput, NotFound
from guwah.model.gazetteer import load_gazetteer
from guwah.model.records import Case, Claim, Person, Source, format_id, parse_id
from guwah.model.view import CurrentView, derive_view, testifiers_of
from guwah.names import parse
from guwah.services.archive import Archive
from guwah.store import matching, reader, tables
from guwah.store.search import MAX_LIMIT, SearchFilters, filtered_summaries, search

NAME_RESULTS = 50  # people found by name lead the results, at most this many
NAME_SEARCH_SCORE = 0.8


@dataclass
class PersonDetail:
    person: Person
    view: CurrentView
    claims: list[Claim]
    claims_about: list[Claim]
    sources: dict[str, Source]
    cases: list[Case]
    merged: list[str] = field(default_factory=list)  # people merged into this one
    asked_for: str | None = None  # the id asked for, when it was merged into this one


def person_number(public_id: str) -> int:
    number = parse_id("person", public_id)
    if number is None:
        raise InvalidInput(f"not a person id: {public_id!r} (expected P-000123)")
    return number


def show_person(archive: Archive, public_id: str) -> PersonDetail:
    """One person in full. A person merged into another is shown as the kept person, whose
    record includes the names and claims of everyone merged into them."""
    number = person_number(public_id)
    with archive.engine.connect() as conn:
        found = reader.persons(conn, [number])
        if number not in found:
            raise NotFound(f"no person {format_id('person', number)} in the archive")
        kept = matching.merged_into(conn, [number]).get(number, number)
        group = [kept, *matching.members(conn, [kept]).get(kept, [])]
        people = reader.persons(conn, group)
        person = people[kept]
        for other in group[1:]:
            person.names.extend(people[other].names)
            person.external_refs.extend(people[other].external_refs)
        by_person = reader.claims_of(conn, group)
        claims = [c for p in group for c in by_person.get(p, [])]
        about = [c for p in group for c in reader.claims_about(conn, p)]
        source_numbers = sorted({parse_id("source", c.source_id) or 0 for c in claims + about})
        found_sources = reader.sources(conn, source_numbers, with_subjects=False)
        sources = {s.id: s for s in found_sources.values()}
        cases = reader.cases_of(conn, group)
    view = derive_view(person.names, claims, testifiers_of(sources.values()))
    merged = [format_id("person", p) for p in group[1:]]
    shown_for = format_id("person", number) if kept != number else None
    return PersonDetail(person, view, claims, about, sources, cases, merged, shown_for)


def find_people(
    archive: Archive,
    text: str | None,
    *,
    status: str | None = None,
    ethnicity: str | None = None,
    place: str | None = None,
    year: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[dict[str, Any]]:
    prefectures: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    if place:
        prefectures, codes = _place_filter(place)
    if limit > MAX_LIMIT:
        raise InvalidInput(f"limit is capped at {MAX_LIMIT}")
    filters = SearchFilters(
        status=status,
        ethnicity=ethnicity,
        prefecture_codes=prefectures,
        place_codes=codes,
        detained_year=year,
    )
    with archive.engine.connect() as conn:
        rows = _names_first(conn, text, filters, limit, offset)
    return [
        {
            "id": format_id("person", row.person_id),
            "name": row.display_name,
            "status": row.status,
            "ethnicity": row.ethnicity,
            "birth_year": row.birth_year,
            "place": row.place_code,
            "detained_year": row.detained_year,
            "sources": row.n_sources,
        }
        for row in rows
    ]


def _names_first(
    conn: Connection, text: str | None, filters: SearchFilters, limit: int, offset: int
) -> list[Any]:
    """Full-text results, led by the people whose names match the text in any script
    (so that Гульпия Казыбек finds Gulpiya Qazybek)."""
    words = (text or "").strip()
    if not words or not any(ch.isalpha() for ch in words):
        return search(conn, text, filters, limit, offset)
    found = find_candidates(conn, CandidateQuery(words), limit=NAME_RESULTS)
    one_word = len(parse(words).parts) == 1
    # a lone name on one side only counts when it is the text searched for (Рахиле)
    named = [c for c in found if c.name_score >= NAME_SEARCH_SCORE and (one_word or not c.partial)]
    order = {c.person_id: i for i, c in enumerate(named)}
    rows = filtered_summaries(conn, list(order), filters)
    rows.sort(key=lambda r: order[r.person_id])
    wanted = offset + limit
    if len(rows) < wanted:
        seen = set(order)
        more = search(conn, text, filters, min(wanted, MAX_LIMIT), 0)
        rows += [r for r in more if r.person_id not in seen]
    return rows[offset:wanted]


def _place_filter(place: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(prefectures, smaller places) a place name or code stands for. A place inside one
    of the prefectures is left out: the prefecture filter already covers it."""
    gazetteer = load_gazetteer()
    exact = gazetteer.get(place)
    found = [exact] if exact else gazetteer.lookup(place)
    if not found:
        raise InvalidInput(f"unknown place {place!r} (try a county or prefecture name)")
    prefectures = {p.code for p in found if p.kind.value in ("prefecture", "region")}
    smaller = set()
    for item in found:
        if item.code in prefectures:
            continue
        prefecture = gazetteer.prefecture_of(item.code)
        if prefecture is None or prefecture.code not in prefectures:
            smaller.add(item.code)
    return tuple(sorted(prefectures)), tuple(sorted(smaller))


def archive_stats(archive: Archive) -> dict[str, Any]:
    summary = tables.person_summary
    with archive.engine.connect() as conn:
        counts: dict[str, Any] = {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in (
                ("persons", tables.persons),
                ("names", tables.names),
                ("sources", tables.sources),
                ("claims", tables.claims),
                ("cases", tables.cases),
                ("evidence_files", tables.evidence_files),
            )
        }
        victims = select(summary).where(summary.c.is_victim.is_(True)).subquery()
        counts["victims"] = conn.execute(select(func.count()).select_from(victims)).scalar_one()

        def grouped(column: Any) -> dict[str, int]:
            query = (
                select(column, func.count())
                .select_from(victims)
                .group_by(column)
                .order_by(func.count().desc())
            )
            return {str(key) if key is not None else "unknown": n for key, n in conn.execute(query)}

        by_kind = select(tables.claims.c.kind, func.count()).group_by(tables.claims.c.kind)
        counts["claims_by_kind"] = {k: n for k, n in conn.execute(by_kind)}
        counts["victims_by_status"] = grouped(victims.c.status)
        counts["victims_by_ethnicity"] = grouped(victims.c.ethnicity)
        counts["victims_by_prefecture"] = grouped(victims.c.prefecture_code)
        counts["detentions_by_year"] = grouped(victims.c.detained_year)
    gazetteer = load_gazetteer()
    counts["victims_by_prefecture"] = {
        (gazetteer.get(code).display_name() if gazetteer.get(code) else code): n  # type: ignore[union-attr]
        for code, n in counts["victims_by_prefecture"].items()
    }
    return counts
