"""Reading the archive for people: one person in full, search, and counts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, func, select

from guwah.match.candidates import CandidateQuery, find_candidates
from guwah.model.errors import InvalidInput, NotFound
from guwah.model.gazetteer import load_gazetteer
from guwah.model.records import Case, Claim, Person, Source, format_id, parse_id
from guwah.model.view import CurrentView, derive_view, testifiers_of
from guwah.model.vocab import Sensitivity
from guwah.names import parse
from guwah.secure.policy import Action, Disclosure
from guwah.services import access
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.store import matching, reader, tables
from guwah.store.search import (
    MAX_LIMIT,
    SORTS,
    SearchFilters,
    filtered_summaries,
    search,
    sort_key,
)

NAME_RESULTS = 50  # people found by name lead the results, at most this many
NAME_SEARCH_SCORE = 0.8
# Six or more digits in a row: (part of) an ID number, which only the restricted level may
# look for (the search index holds ID numbers).
_ID_LIKE = re.compile(r"\d{6,}")


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
    related: dict[str, Person] = field(default_factory=dict)  # relatives shown, by id


def person_number(public_id: str) -> int:
    number = parse_id("person", public_id)
    if number is None:
        raise InvalidInput(f"not a person id: {public_id!r} (expected P-000123)")
    return number


def show_person(archive: Archive, public_id: str) -> PersonDetail:
    """One person in full, as far as the signed-in role may see them. A person merged into
    another is shown as the kept person, whose record includes the names and claims of
    everyone merged into them."""
    check(archive, Action.SHOW)
    number = person_number(public_id)
    with archive.engine.connect() as conn:
        found = reader.persons(conn, [number])
        if number not in found:
            raise NotFound(f"no person {format_id('person', number)} in the archive")
        kept = matching.merged_into(conn, [number]).get(number, number)
        group = [kept, *matching.members(conn, [kept]).get(kept, [])]
        people = found if group == [number] else reader.persons(conn, group)
        by_person = reader.claims_of(conn, group)
        claims = [c for p in group for c in by_person.get(p, [])]
        about = [c for p in group for c in reader.claims_about(conn, p)]
        source_numbers = sorted({parse_id("source", c.source_id) or 0 for c in claims + about})
        found_sources = reader.sources(conn, source_numbers, with_subjects=False)
        sources = {s.id: s for s in found_sources.values()}
        cases = reader.cases_of(conn, group)
        others = {parse_id("person", c.person_id) or 0 for c in about}
        others |= {parse_id("person", c.related_person or "") or 0 for c in claims}
        related = reader.persons(conn, sorted(others - set(group) - {0}))
        disclosure = access.disclosure(
            conn,
            archive,
            sources=source_numbers,
            people=[*group, *related],
            at=Sensitivity.INTERNAL,
        )
    independence = testifiers_of(sources.values())
    shown = Shown(people, group, claims, about, sources, related)
    if access.level(archive) is Sensitivity.RESTRICTED:  # all shown: was any restricted?
        withheld = Shown(people, group, claims, about, sources, related).disclose(disclosure)
        if withheld:
            access.audit_read(archive, format_id("person", kept), withheld)
    else:
        if access.level(archive) is not disclosure.level:
            disclosure = replace(disclosure, level=access.level(archive))
        shown.disclose(disclosure)
        if kept not in shown.people:
            missing = f"no person {format_id('person', number)} in the archive"
            access.hidden(archive, format_id("person", kept), missing)
        cases = cases if disclosure.level is not Sensitivity.PUBLIC else []
        cases = [c for c in cases if (parse_id("person", c.person_id) or 0) in shown.people]
    person = shown.person(kept)
    view = derive_view(person.names, shown.claims, independence)
    merged = [format_id("person", p) for p in group[1:]]
    shown_for = format_id("person", number) if kept != number else None
    related_people = {p.id: p for p in shown.related.values()}
    return PersonDetail(
        person, view, shown.claims, shown.about, shown.sources, cases, merged, shown_for,
        related_people,
    )  # fmt: skip


def may_see(archive: Archive, public_id: str) -> bool:
    """Whether the role may see this person (the one they were merged into), asked without
    an audit entry: the public site answers "no such page" to anyone, and a stranger's
    guesses must not fill the audit log. A malformed id is an InvalidInput."""
    check(archive, Action.SHOW)
    number = person_number(public_id)
    with archive.engine.connect() as conn:
        kept = matching.merged_into(conn, [number]).get(number, number)
        return kept in access.visible_people(conn, archive, [kept])


@dataclass
class Shown:
    """A person's record (with those merged into them) cut down to what may be shown."""

    people: dict[int, Person]
    group: list[int]
    claims: list[Claim]
    about: list[Claim]
    sources: dict[str, Source]
    related: dict[int, Person]

    def disclose(self, disclosure: Disclosure) -> list[str]:
        """Apply the disclosure; returns the ids of the records withheld or redacted."""
        withheld: list[str] = []
        originals = dict(self.sources)
        speaking = list(originals.values())
        visible = {n for n, p in self.people.items() if disclosure.person(p, speaking)}
        withheld += [p.id for n, p in self.people.items() if n not in visible]
        self.people = {n: p for n, p in self.people.items() if n in visible}
        others = {n for n, p in self.related.items() if disclosure.person(p, ())}
        withheld += [p.id for n, p in self.related.items() if n not in others]
        self.related = {n: p for n, p in self.related.items() if n in others}
        self.sources = {}
        for sid, source in originals.items():
            shown = disclosure.source(source)
            if shown != source:
                withheld.append(sid)
            if shown is not None:
                self.sources[sid] = shown
        allowed = {format_id("person", n) for n in visible | others}
        self.claims = self._cut(self.claims, disclosure, allowed, withheld)
        self.about = self._cut(self.about, disclosure, allowed, withheld)
        return list(dict.fromkeys(withheld))

    def _cut(
        self, claims: list[Claim], disclosure: Disclosure, allowed: set[str], withheld: list[str]
    ) -> list[Claim]:
        kept = []
        for claim in claims:
            related = claim.related_person
            if claim.person_id not in allowed or (related and related not in allowed):
                withheld.append(claim.id)
                continue
            shown = disclosure.claim(claim, self.sources.get(claim.source_id), marker=True)
            if shown != claim:
                withheld.append(claim.id)
            if shown is not None:
                kept.append(shown)
        return kept

    def person(self, number: int) -> Person:
        """The kept person with the names and references of the visible merged people."""
        person = replace(self.people[number], names=list(self.people[number].names))
        person.external_refs = list(person.external_refs)
        for other in self.group[1:]:
            if other in self.people:
                person.names.extend(self.people[other].names)
                person.external_refs.extend(self.people[other].external_refs)
        return person


def _audit_restricted(archive: Archive, people: Sequence[int]) -> None:
    """Record each restricted person a list showed (to a role allowed to see them)."""
    if not people:
        return
    with archive.engine.begin() as conn:
        for number in people:
            access.audit(conn, archive, access.RESTRICTED_READ, format_id("person", number))


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
    min_sentence_months: int | None = None,
    max_sentence_months: int | None = None,
    min_sources: int | None = None,
    has_case: bool | None = None,
    sort: str | None = None,
    victims_only: bool = False,
) -> list[dict[str, Any]]:
    """People found by name or text, with filters: only those the signed-in role may see
    (a page can hold fewer than ``limit``; paging stays consistent). ``sort``: one of
    ``store.search.SORTS`` (default: best match first, or archive order); ``victims_only``:
    leave out people who are not victims (the public site lists victims)."""
    check(archive, Action.SEARCH)
    shown = access.level(archive)
    if shown is not Sensitivity.RESTRICTED and _ID_LIKE.search(text or ""):
        access.deny(
            archive, "search.id_number",
            f"searching by ID number is not allowed for role {access.role(archive)}",
        )  # fmt: skip
    prefectures: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    if place:
        prefectures, codes = _place_filter(place)
    if limit > MAX_LIMIT:
        raise InvalidInput(f"limit is capped at {MAX_LIMIT}")
    if limit < 1 or offset < 0:
        raise InvalidInput("limit must be at least 1 and offset at least 0")
    if sort is not None and sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    for label, months in (("minimum", min_sentence_months), ("maximum", max_sentence_months)):
        if months is not None and not 0 <= months <= 1200:
            raise InvalidInput(f"impossible {label} sentence of {months} months")
    if min_sources is not None and not 0 <= min_sources <= 10_000:
        raise InvalidInput(f"impossible number of sources {min_sources}")
    filters = SearchFilters(
        status=status,
        ethnicity=ethnicity,
        prefecture_codes=prefectures,
        place_codes=codes,
        detained_year=year,
        max_sensitivity_rank=shown.rank,
        min_sentence_months=min_sentence_months,
        max_sentence_months=max_sentence_months,
        min_sources=min_sources,
        has_case=has_case,
        victims_only=victims_only,
    )
    with archive.engine.connect() as conn:
        rows = _names_first(conn, text, filters, limit, offset, sort)
        numbers = [row.person_id for row in rows]
        visible = access.visible_people(conn, archive, numbers)
        below = set(numbers)
        if shown is Sensitivity.RESTRICTED:  # who of them only a restricted level sees
            below = access.visible_people(conn, archive, numbers, Sensitivity.INTERNAL)
    _audit_restricted(archive, [n for n in numbers if n not in below])
    rows = [row for row in rows if row.person_id in visible]
    return [_found(row._mapping) for row in rows]


def _found(row: Mapping[str, Any]) -> dict[str, Any]:
    """A search result from its summary row (read by name: a Row's attributes are slow)."""
    return {
        "id": format_id("person", row["person_id"]),
        "name": row["display_name"],
        "status": row["status"],
        "ethnicity": row["ethnicity"],
        "birth_year": row["birth_year"],
        "place": row["place_code"],
        "detained_year": row["detained_year"],
        "sentence_months": row["sentence_months"],
        "sources": row["n_sources"],
    }


def _names_first(
    conn: Connection,
    text: str | None,
    filters: SearchFilters,
    limit: int,
    offset: int,
    sort: str | None = None,
) -> list[Any]:
    """Full-text results, led by the people whose names match the text in any script
    (so that Гульпия Казыбек finds Gulpiya Qazybek). Sorted text results are the best
    ``MAX_LIMIT`` matches in that order."""
    words = (text or "").strip()
    if not words or not any(ch.isalpha() for ch in words):
        return search(conn, text, filters, limit, offset, sort)
    if sort is not None:
        best = _names_first(conn, text, filters, MAX_LIMIT, 0)
        return sorted(best, key=sort_key(sort))[offset : offset + limit]
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
    """Counts of what the signed-in role may see (records up to its level)."""
    check(archive, Action.STATS)
    summary = tables.person_summary
    levels = [s.value for s in Sensitivity if s.rank <= access.level(archive).rank]
    persons, sources = tables.persons, tables.sources
    people = select(persons.c.id).where(persons.c.sensitivity.in_(levels))
    origins = select(sources.c.id).where(sources.c.sensitivity.in_(levels))
    claims = tables.claims
    seen_claims: tuple[Any, ...] = (
        claims.c.person_id.in_(people),
        claims.c.source_id.in_(origins),
    )
    if len(levels) == len(Sensitivity):  # everything (and evidence without a source)
        seen_claims = ()
    evidence = tables.evidence_files.c.source_id
    where: dict[str, tuple[Any, ...]] = {
        "persons": (persons.c.sensitivity.in_(levels),),
        "names": (tables.names.c.person_id.in_(people),),
        "sources": (sources.c.sensitivity.in_(levels),),
        "claims": seen_claims,
        "cases": (tables.cases.c.person_id.in_(people),),
        "evidence_files": (evidence.in_(origins),) if seen_claims else (),
    }
    with archive.engine.connect() as conn:
        counts: dict[str, Any] = {
            name: conn.execute(
                select(func.count()).select_from(table).where(*where[name])
            ).scalar_one()
            for name, table in (
                ("persons", tables.persons),
                ("names", tables.names),
                ("sources", tables.sources),
                ("claims", tables.claims),
                ("cases", tables.cases),
                ("evidence_files", tables.evidence_files),
            )
        }
        victims = (
            select(summary)
            .where(summary.c.is_victim.is_(True), summary.c.sensitivity.in_(levels))
            .subquery()
        )
        counts["victims"] = conn.execute(select(func.count()).select_from(victims)).scalar_one()

        def grouped(column: Any) -> dict[str, int]:
            query = (
                select(column, func.count())
                .select_from(victims)
                .group_by(column)
                .order_by(func.count().desc())
            )
            return {str(key) if key is not None else "unknown": n for key, n in conn.execute(query)}

        by_kind = select(claims.c.kind, func.count()).where(*seen_claims).group_by(claims.c.kind)
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
