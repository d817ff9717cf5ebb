"""Keeping each person's derived view and search document in step with their claims."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection

from guwah.model.gazetteer import Gazetteer, load_gazetteer
from guwah.model.records import Claim, Person, format_id, parse_id
from guwah.model.view import CurrentView, derive_view
from guwah.model.vocab import ClaimKind, ClaimStatus, PersonKind, Sensitivity
from guwah.names.index import name_keys
from guwah.names.keys import id_key
from guwah.secure.policy import Action
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.services.auditing import ARCHIVE, record
from guwah.services.drafts import (
    DraftClaim,
    DraftPerson,
    Precomputed,
    claim_record,
    person_record,
)
from guwah.store import matching, protect, reader, tables
from guwah.store.search import SearchDoc, drop_people, write_docs, write_summaries

CHUNK = 500


Known = dict[int, tuple[Person, list[Claim]]]


def refresh(conn: Connection, person_ids: Sequence[int], known: Known | None = None) -> None:
    """Recompute the summary row and search document of these people.

    ``known`` holds people whose complete records the caller has in memory (just
    created by an import), so they need not be read back. A person merged into another
    has no summary of their own: their names and claims count for the kept person.
    """
    gazetteer = load_gazetteer()
    known = known or {}
    testifier_cache: dict[str, str | None] = {}
    for start in range(0, len(person_ids), CHUNK):
        chunk = [n for n in person_ids[start : start + CHUNK] if n not in known]
        absorbed = matching.merged_into(conn, chunk) if chunk else {}
        drop_people(conn, sorted(absorbed))
        targets = sorted(set(chunk) - set(absorbed) | set(absorbed.values()))
        groups = matching.members(conn, targets) if targets else {}
        everyone = targets + [m for ms in groups.values() for m in ms]
        people = reader.persons(conn, everyone)
        claims = reader.claims_of(conn, everyone)
        for n in person_ids[start : start + CHUNK]:
            if n in known:
                targets.append(n)
                people[n], claims[n] = known[n]
        wanted = {c.source_id for cl in claims.values() for c in cl} - set(testifier_cache)
        numbers = sorted(parse_id("source", s) or 0 for s in wanted)
        testifier_cache.update(reader.source_testifiers(conn, numbers))
        hidden = _Hidden.of(conn, people, claims)
        summaries: list[dict[str, Any]] = []
        docs: list[SearchDoc] = []
        for number in targets:
            if number not in people:
                continue
            person, person_claims = _with_members(number, groups, people, claims)
            view = derive_view(person.names, person_claims, testifier_cache)
            summary = summary_row(number, person, view, person_claims, gazetteer)
            summaries.append(summary)
            doc = search_doc(number, person, person_claims, gazetteer, hidden)
            restricted = hidden is not None and hidden.group(number, groups)
            docs.append(
                replace(
                    doc,
                    birth_year=summary["birth_year"],
                    gender=summary["gender"],
                    restricted=restricted,
                )
            )
        write_summaries(conn, summaries, [d.person_id for d in docs if d.restricted])
        write_docs(conn, docs)


class _Hidden:
    """Which people and sources are restricted, on an archive whose restricted fields are
    sealed (PostgreSQL with field keys): what they say is indexed by blind tokens."""

    def __init__(self, people: set[str], sources: set[str]) -> None:
        self.people, self.sources = people, sources

    @classmethod
    def of(
        cls, conn: Connection, people: dict[int, Person], claims: dict[int, list[Claim]]
    ) -> _Hidden | None:
        if protect.keys_of(conn) is None:
            return None
        everything = [c for cl in claims.values() for c in cl]
        related = {parse_id("person", c.related_person or "") for c in everything} - {None}
        hidden = {p.id for p in people.values() if p.sensitivity is Sensitivity.RESTRICTED}
        lookup = sorted(n for n in related if n is not None and n not in people)
        related_hidden = protect.restricted_ids(conn, tables.persons, lookup)
        hidden |= {format_id("person", n) for n in related_hidden}
        numbers = {parse_id("source", c.source_id) for c in everything}
        sources = protect.restricted_ids(conn, tables.sources, numbers)
        return cls(hidden, {format_id("source", n) for n in sources})

    def group(self, number: int, groups: dict[int, list[int]]) -> bool:
        """Whether the person or anyone merged into them is restricted."""
        members = [number, *groups.get(number, [])]
        return any(format_id("person", m) in self.people for m in members)

    def __call__(self, claim: Claim) -> bool:
        """Whether what the claim says is restricted (its source or the person it relates
        to is; its own person is handled by the document as a whole)."""
        return claim.source_id in self.sources or claim.related_person in self.people


def _with_members(
    number: int,
    groups: dict[int, list[int]],
    people: dict[int, Person],
    claims: dict[int, list[Claim]],
) -> tuple[Person, list[Claim]]:
    """A person with the names, references and claims of the people merged into them."""
    person, person_claims = people[number], list(claims.get(number, []))
    merged = [people[m] for m in groups.get(number, []) if m in people]
    if not merged:
        return person, person_claims
    names = list(person.names)
    refs = list(person.external_refs)
    for other in merged:
        names += other.names
        refs += other.external_refs
        person_claims += claims.get(parse_id("person", other.id) or 0, [])
    return replace(person, names=names, external_refs=refs), person_claims


def write_precomputed(conn: Connection, ready: dict[int, Precomputed]) -> None:
    """Store summaries and search documents that were worked out with the drafts."""
    if not ready:
        return
    write_summaries(conn, [{**pre.summary, "person_id": n} for n, pre in ready.items()], new=True)
    docs = [
        SearchDoc(
            n,
            pre.names,
            pre.body,
            pre.keys,
            pre.summary["birth_year"],
            pre.summary["gender"],
            restricted=pre.summary["sensitivity"] == Sensitivity.RESTRICTED.value,
            secret=pre.secret,
        )
        for n, pre in ready.items()
    ]
    write_docs(conn, docs, new=True)


def precompute(draft: DraftPerson, claims: list[DraftClaim], gazetteer: Gazetteer) -> Precomputed:
    """A new person's summary and search text from their drafts (ids are placeholders and
    all claims come from one source without a testifier: a list being imported)."""
    recorded = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    person = person_record(draft, 0, "S-000000", recorded, "")
    records = []
    seen: set[tuple[str, str | None]] = set()
    for index, claim in enumerate(claims, start=1):
        if (claim.content, claim.related) in seen:  # the writer stores the same fact once
            continue
        seen.add((claim.content, claim.related))
        records.append(claim_record(claim, index, 0, "S-000000", None, recorded, ""))
    view = derive_view(person.names, records, {})
    summary = summary_row(0, person, view, records, gazetteer)
    doc = search_doc(0, person, records, gazetteer)
    return Precomputed(summary, doc.names, doc.body, doc.keys, doc.secret)


def summary_row(
    number: int,
    person: Person,
    view: CurrentView,
    claims: list[Claim],
    gazetteer: Gazetteer,
) -> dict[str, Any]:
    fields = view.fields
    place_code = None
    if "resident_of" in fields:
        place_code = fields["resident_of"].best.claims[0].place_code
    if place_code is None and "latest_detention" in fields:
        place_code = fields["latest_detention"].best.claims[0].place_code
    prefecture = gazetteer.prefecture_of(place_code) if place_code else None
    born = fields.get("born")
    birth_year = None
    if born is not None:
        claim = born.best.claims[0]
        birth_year = _birth_year(claim.date, claim.value)
    used_sources = {c.source_id for c in claims if c.status is ClaimStatus.ACCEPTED}
    return {
        "person_id": number,
        "display_name": view.best_name,
        "is_victim": PersonKind.VICTIM in person.kinds,
        "status": view.status.value,
        "ethnicity": fields["ethnicity"].best.text if "ethnicity" in fields else None,
        "gender": fields["gender"].best.text if "gender" in fields else None,
        "birth_year": birth_year,
        "place_code": place_code,
        "prefecture_code": prefecture.code if prefecture else None,
        "detained_year": view.detained_year,
        "sentence_months": view.sentence_months,
        "n_sources": len(used_sources),
        "sensitivity": person.sensitivity.value,
    }


def _birth_year(date: str | None, value: dict[str, Any]) -> int | None:
    if "year" in value:
        return int(value["year"])
    if date and date[:4].isdigit():
        return int(date[:4])
    return None


def search_doc(
    number: int,
    person: Person,
    claims: list[Claim],
    gazetteer: Gazetteer,
    hidden: Callable[[Claim], bool] | None = None,
) -> SearchDoc:
    """The person's search text and name keys. ``secret`` lists the text that is
    restricted whoever it is about (ID numbers, exact addresses) and, when ``hidden`` is
    given, what the claims it picks say (guwah.store.search blinds it on PostgreSQL)."""
    names = " ".join(n.text for n in person.names)
    body: list[str] = []
    secret: list[str] = []
    keys: set[str] = set()
    for name in person.names:
        keys |= name_keys(name.text)
    for claim in claims:
        if claim.status in (ClaimStatus.REJECTED, ClaimStatus.SUPERSEDED):
            continue
        if claim.kind is ClaimKind.ID_NUMBER:
            id_text = str(claim.value.get("text", ""))
            body.append(id_text)
            secret.append(id_text)
            key = id_key(id_text)
            if key:
                keys.add(f"id:{key}")
            continue
        values = [str(v) for k, v in sorted(claim.value.items()) if k != "person"]
        body.extend(values)
        if hidden is not None and hidden(claim):
            secret.extend(values)
            secret.append(claim.place_text or "")
        elif claim.kind is ClaimKind.RESIDENT_OF and claim.place_text:
            secret.append(claim.place_text)
        if claim.place_code:
            place = gazetteer.get(claim.place_code)
            if place is not None:
                body.extend(place.names.values())
                body.extend(place.aliases)
        if claim.place_text:
            body.append(claim.place_text)
    body.extend(f"{ref.namespace}:{ref.ref}" for ref in person.external_refs)
    return SearchDoc(number, names, " ".join(body), tuple(sorted(keys)), secret=tuple(secret))


def reindex_all(conn: Connection, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild every person's summary and search document from the stored claims (after
    an upgrade of the gazetteer, or to repair the index). Returns the number of people."""
    done = 0
    for batch in reader.all_ids(conn, "persons"):
        refresh(conn, batch)
        done += len(batch)
        if progress:
            progress(done)
    return done


def reindex(archive: Archive, progress: Callable[[int], None] | None = None) -> int:
    """``guwah reindex``: rebuild every person's summary and search document."""
    check(archive, Action.REINDEX)
    with archive.engine.begin() as conn:
        count = reindex_all(conn, progress)
        record(archive, conn, "reindex", ARCHIVE, change={"people": count})  # derived: no records
        return count
