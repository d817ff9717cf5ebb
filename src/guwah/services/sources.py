"""Reading one source as the signed-in role may see it: the document, its testifier (only
with consent below the restricted level), the people it speaks of and its claims."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from guwah.model.errors import InvalidInput, NotFound
from guwah.model.records import Claim, Person, Source, format_id, parse_id
from guwah.model.vocab import Sensitivity
from guwah.secure.policy import Action
from guwah.services import access
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.store import reader
from guwah.store.source_reader import claims_from

CLAIMS_SHOWN = 500  # an imported list may hold thousands: the page shows the first ones


@dataclass
class SourceDetail:
    source: Source
    claims: list[Claim]
    people: dict[str, Person]  # the people shown, by public id
    testifier: Person | None
    total_claims: int
    withheld: list[str] = field(default_factory=list)  # ids cut from what is shown


def source_number(public_id: str) -> int:
    number = parse_id("source", public_id.strip())
    if number is None:
        raise InvalidInput(f"not a source id: {public_id!r} (expected S-000123)")
    return number


def show_source(archive: Archive, public_id: str, *, limit: int = CLAIMS_SHOWN) -> SourceDetail:
    """One source as far as the role may see it; a source above the role's level is
    refused (and the refusal audited), like a person."""
    check(archive, Action.SHOW)
    number = source_number(public_id)
    shown_level = access.level(archive)
    with archive.engine.connect() as conn:
        found = reader.sources(conn, [number])
        if number not in found:
            raise NotFound(f"no source {format_id('source', number)} in the archive")
        source = found[number]
        claims, total = claims_from(conn, number, limit)
        people_ids = {parse_id("person", s.person_id) or 0 for s in source.subjects}
        people_ids |= {parse_id("person", c.person_id) or 0 for c in claims}
        people_ids |= {parse_id("person", c.related_person or "") or 0 for c in claims}
        testifier_number = parse_id("person", source.testifier_id or "")
        if testifier_number:
            people_ids.add(testifier_number)
        people_ids.discard(0)
        ordered = sorted(people_ids)
        persons = reader.persons(conn, ordered)
        disclosure = access.disclosure(conn, archive, sources=[number], people=ordered)
        visible = access.visible_people(conn, archive, ordered)
    shown = disclosure.source(source)
    if shown is None:
        access.hidden(archive, source.id, f"no source {source.id} in the archive")
    withheld = [p.id for n, p in persons.items() if n not in visible]
    people = {p.id: p for n, p in persons.items() if n in visible}
    kept: list[Claim] = []
    for claim in claims:
        related = claim.related_person
        if claim.person_id not in people or (related and related not in people):
            withheld.append(claim.id)
            continue
        cut = disclosure.claim(claim, shown, marker=True)
        if cut is None or cut != claim:
            withheld.append(claim.id)
        if cut is not None:
            kept.append(cut)
    testifier = None
    if shown.testifier_id and shown.testifier_id in people:
        testifier = people[shown.testifier_id]
    if shown_level is Sensitivity.RESTRICTED and _restricted(source, persons.values()):
        with archive.engine.begin() as conn:
            access.audit(conn, archive, access.RESTRICTED_READ, source.id)
    subjects = [s for s in shown.subjects if s.person_id in people]
    shown = replace(shown, subjects=subjects)
    return SourceDetail(shown, kept, people, testifier, total, withheld)


def _restricted(source: Source, people: Iterable[Person]) -> bool:
    if source.sensitivity is Sensitivity.RESTRICTED:
        return True
    return any(p.sensitivity is Sensitivity.RESTRICTED for p in people)
