"""Keeping each person's derived view and search document in step with their claims."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from guwah.model.gazetteer import Gazetteer, load_gazetteer
from guwah.model.records import Person, Source, parse_id
from guwah.model.view import CurrentView, derive_view
from guwah.model.vocab import ClaimKind, ClaimStatus, PersonKind
from guwah.store import reader
from guwah.store.search import SearchDoc, write_docs, write_summaries

CHUNK = 500


def refresh(conn: Connection, person_ids: Sequence[int]) -> None:
    """Recompute the summary row and search document of these people."""
    gazetteer = load_gazetteer()
    for start in range(0, len(person_ids), CHUNK):
        chunk = list(person_ids[start : start + CHUNK])
        people = reader.persons(conn, chunk)
        claims = reader.claims_of(conn, chunk)
        source_numbers = sorted(
            {parse_id("source", c.source_id) or 0 for cl in claims.values() for c in cl}
        )
        sources = {s.id: s for s in reader.sources(conn, source_numbers).values()}
        summaries: list[dict[str, Any]] = []
        docs: list[SearchDoc] = []
        for number, person in people.items():
            person_claims = claims.get(number, [])
            view = derive_view(person.names, person_claims, sources)
            summaries.append(summary_row(number, person, view, sources, gazetteer))
            docs.append(search_doc(number, person, person_claims, gazetteer))
        write_summaries(conn, summaries)
        write_docs(conn, docs)


def summary_row(
    number: int,
    person: Person,
    view: CurrentView,
    sources: dict[str, Source],
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
    used_sources = {s for f in fields.values() for v in [f.best, *f.conflicting] for s in v.source_ids}
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
        "n_sources": len(used_sources & set(sources)),
        "sensitivity": person.sensitivity.value,
    }


def _birth_year(date: str | None, value: dict[str, Any]) -> int | None:
    if "year" in value:
        return int(value["year"])
    if date and date[:4].isdigit():
        return int(date[:4])
    return None


def search_doc(
    number: int, person: Person, claims: list[Any], gazetteer: Gazetteer
) -> SearchDoc:
    names = " ".join(n.text for n in person.names)
    body: list[str] = []
    for claim in claims:
        if claim.status in (ClaimStatus.REJECTED, ClaimStatus.SUPERSEDED):
            continue
        if claim.kind is ClaimKind.ID_NUMBER:
            body.append(str(claim.value.get("text", "")))
            continue
        body.extend(str(v) for k, v in claim.value.items() if k != "person")
        if claim.place_code:
            place = gazetteer.get(claim.place_code)
            if place is not None:
                body.extend(place.names.values())
                body.extend(place.aliases)
        if claim.place_text:
            body.append(claim.place_text)
    body.extend(f"{ref.namespace}:{ref.ref}" for ref in person.external_refs)
    return SearchDoc(number, names, " ".join(body))
