"""Writing a batch of validated drafts (one source, its people, claims and cases).

Used by ``guwah add`` (one testimony) and by every importer (a batch of list rows).
People already in the archive are found by id or external reference and linked, not
duplicated; a claim already recorded from the same source is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from guwah.model.errors import InvalidInput, NotFound
from guwah.model.records import Claim, Person, format_id, parse_id
from guwah.secure import coverage
from guwah.secure.audit import ensure_unchanged
from guwah.secure.coverage import Coverage
from guwah.services.drafts import (
    DraftCase,
    DraftClaim,
    DraftPerson,
    DraftSource,
    claim_record,
    person_record,
)
from guwah.services.indexing import refresh, write_precomputed
from guwah.store import ids, tables, writer
from guwah.store.convert import now_text


@dataclass
class Batch:
    persons: list[DraftPerson]
    claims: list[DraftClaim] = field(default_factory=list)
    cases: list[DraftCase] = field(default_factory=list)
    source: DraftSource | None = None
    source_id: int | None = None  # write into an existing source (a list being imported)
    source_sha256: str | None = None


@dataclass
class WriteResult:
    source_id: int
    person_ids: dict[str, int]
    created: list[int] = field(default_factory=list)
    linked: list[int] = field(default_factory=list)
    claims_added: int = 0
    claims_skipped: int = 0
    cases_added: list[int] = field(default_factory=list)

    def coverage(self) -> Coverage:
        """The records this batch wrote to, for its audit entry."""
        covered = Coverage().add(coverage.PERSON, self.person_ids.values())
        covered.add(coverage.SOURCE, [self.source_id])
        return covered.add(coverage.CASE, self.cases_added)


def write_batch(
    conn: Connection, batch: Batch, actor: str, written: Coverage | None = None
) -> WriteResult:
    """Write the batch; ``written``: records this transaction wrote before (an import's
    earlier batches), which the audit log has not seen yet."""
    now = now_text()
    person_ids, created, linked = _resolve_persons(conn, batch.persons)
    # what this batch is about to change must still be as last logged
    existing = Coverage().add(coverage.PERSON, [person_ids[d.ref] for d in linked])
    if batch.source_id is not None:
        existing.add(coverage.SOURCE, [batch.source_id])
    ensure_unchanged(conn, existing, written=written)
    if created:
        first = ids.allocate(conn, "person", len(created))
        for offset, draft in enumerate(created):
            person_ids[draft.ref] = first + offset
    writer.insert_rows(
        conn,
        tables.persons,
        [
            {
                "id": person_ids[p.ref],
                "kinds": ",".join(sorted({k.value for k in p.kinds} or {"other"})),
                "sensitivity": p.sensitivity.value,
                "created_at": now,
                "created_by": actor,
            }
            for p in created
        ],
    )
    source_id = batch.source_id
    if source_id is None:
        if batch.source is None:
            raise InvalidInput("a batch needs a source")
        source_id = _insert_source(conn, batch.source, batch.source_sha256, person_ids, actor, now)
    for draft in linked:
        writer.add_person_kinds(conn, person_ids[draft.ref], [k.value for k in draft.kinds])
    _write_names_and_refs(conn, batch.persons, person_ids, source_id)
    testifier = batch.source.testifier if batch.source else None
    writer.insert_rows_ignoring(
        conn,
        tables.source_subjects,
        [
            {
                "source_id": source_id,
                "person_id": person_ids[p.ref],
                "relation": p.relation_to_testifier,
            }
            for p in batch.persons
            if p.ref != testifier
        ],
    )
    fresh = {person_ids[p.ref] for p in created}
    added_rows, skipped = _write_claims(
        conn, batch.claims, person_ids, source_id, actor, now, fresh
    )
    cases = [_write_case(conn, c, person_ids[c.subject], actor, now) for c in batch.cases]
    touched = set(person_ids.values())
    touched.update(_related_ids(batch.claims, person_ids))
    ready = {person_ids[p.ref]: p.precomputed for p in created if p.precomputed is not None}
    write_precomputed(conn, ready)
    rest = [p for p in created if p.precomputed is None]
    known = _in_memory(rest, person_ids, added_rows, source_id, now, actor)
    refresh(conn, sorted(touched - set(ready)), known)
    added = len(added_rows)
    return WriteResult(
        source_id=source_id,
        person_ids=person_ids,
        created=[person_ids[p.ref] for p in created],
        linked=[person_ids[p.ref] for p in linked],
        claims_added=added,
        claims_skipped=skipped,
        cases_added=cases,
    )


def _resolve_persons(
    conn: Connection, drafts: list[DraftPerson]
) -> tuple[dict[str, int], list[DraftPerson], list[DraftPerson]]:
    person_ids: dict[str, int] = {}
    wanted = [d.existing_id for d in drafts if d.existing_id is not None]
    known = writer.existing_ids(conn, tables.persons, wanted)
    for draft in drafts:
        if draft.existing_id is not None:
            if draft.existing_id not in known:
                raise NotFound(f"no person {format_id('person', draft.existing_id)} in the archive")
            person_ids[draft.ref] = draft.existing_id
    by_namespace: dict[str, list[str]] = defaultdict(list)
    for draft in drafts:
        for namespace, ref in draft.external_refs:
            by_namespace[namespace].append(ref)
    found = {ns: writer.find_refs(conn, ns, refs) for ns, refs in by_namespace.items()}
    for draft in drafts:
        if draft.ref in person_ids:
            continue
        for namespace, ref in draft.external_refs:
            if ref in found[namespace]:
                person_ids[draft.ref] = found[namespace][ref]
                break
    created = [d for d in drafts if d.ref not in person_ids]
    linked = [d for d in drafts if d.ref in person_ids]
    return person_ids, created, linked


def _insert_source(
    conn: Connection,
    source: DraftSource,
    sha256: str | None,
    person_ids: dict[str, int],
    actor: str,
    now: str,
) -> int:
    source_id = ids.allocate(conn, "source")
    if source.testifier is not None and source.testifier not in person_ids:
        raise InvalidInput(f"the testifier {source.testifier!r} is not among the persons")
    writer.insert_rows(
        conn,
        tables.sources,
        [
            {
                "id": source_id,
                "kind": source.kind.value,
                "title": source.title,
                "date_edtf": source.date,
                "language": source.language,
                "url": source.url,
                "archive_ref": source.archive_ref,
                "testifier_id": person_ids.get(source.testifier or ""),
                "original_text": source.original_text,
                "reliability": source.reliability,
                "sensitivity": source.sensitivity.value,
                "list_name": source.list_name,
                "content_sha256": sha256,
                "created_at": now,
                "created_by": actor,
            }
        ],
    )
    return source_id


def _write_names_and_refs(
    conn: Connection, drafts: list[DraftPerson], person_ids: dict[str, int], source_id: int
) -> None:
    names = []
    refs = []
    for draft in drafts:
        number = person_ids[draft.ref]
        for name in draft.names:
            names.append(
                {
                    "person_id": number,
                    "text": name.text,
                    "script": name.script.value,
                    "lang": name.lang,
                    "kind": name.kind.value,
                    "source_id": source_id,
                }
            )
        for namespace, ref in draft.external_refs:
            refs.append({"namespace": namespace, "ref": ref, "person_id": number})
    writer.insert_rows_ignoring(conn, tables.names, names)
    writer.insert_rows_ignoring(conn, tables.person_refs, refs)


def _person_of(ref: str, person_ids: dict[str, int]) -> int:
    if ref in person_ids:
        return person_ids[ref]
    number = parse_id("person", ref)
    if number is None:
        raise InvalidInput(f"a claim names an unknown person {ref!r}")
    return number


def _related_ids(claims: list[DraftClaim], person_ids: dict[str, int]) -> set[int]:
    return {_person_of(c.related, person_ids) for c in claims if c.related}


def _write_claims(
    conn: Connection,
    claims: list[DraftClaim],
    person_ids: dict[str, int],
    source_id: int,
    actor: str,
    now: str,
    fresh: set[int],
) -> tuple[list[tuple[dict[str, Any], DraftClaim]], int]:
    """Insert the claims not already recorded; ``fresh`` people have none yet.
    Returns the new rows, each with its draft."""
    related = _related_ids(claims, person_ids) - set(person_ids.values())
    missing = related - writer.existing_ids(conn, tables.persons, sorted(related))
    if missing:
        raise NotFound(f"no person {format_id('person', min(missing))} in the archive")
    rows = []
    drafts: dict[str, DraftClaim] = {}
    for claim in claims:
        row: dict[str, Any] = {
            "person_id": _person_of(claim.subject, person_ids),
            "source_id": source_id,
            "kind": claim.kind.value,
            "value_json": claim.value_json,
            "value_text": claim.value_text,
            "date_edtf": claim.date,
            "year_min": claim.year_min,
            "year_max": claim.year_max,
            "place_code": claim.place_code,
            "place_text": claim.place_text,
            "quote": claim.quote,
            "status": claim.status.value,
            "supersedes_id": None,
            "related_person_id": _person_of(claim.related, person_ids) if claim.related else None,
            "recorded_by": actor,
            "recorded_at": now,
        }
        row["fingerprint"] = writer.claim_fingerprint(row, claim.content)
        drafts[row["fingerprint"]] = claim
        rows.append(row)
    unique = {row["fingerprint"]: row for row in rows}
    to_check = [
        (row["person_id"], fp) for fp, row in unique.items() if row["person_id"] not in fresh
    ]
    existing = writer.existing_fingerprints(conn, to_check) if to_check else set()
    new_rows = [row for fp, row in unique.items() if fp not in existing]
    if new_rows:
        first = ids.allocate(conn, "claim", len(new_rows))
        for offset, row in enumerate(new_rows):
            row["id"] = first + offset
        writer.insert_rows(conn, tables.claims, new_rows)
    return [(row, drafts[row["fingerprint"]]) for row in new_rows], len(rows) - len(new_rows)


def _in_memory(
    created: list[DraftPerson],
    person_ids: dict[str, int],
    claim_rows: list[tuple[dict[str, Any], DraftClaim]],
    source_id: int,
    now: str,
    actor: str,
) -> dict[int, tuple[Person, list[Claim]]]:
    """The complete records of people created by this batch, as they were just written."""
    recorded = dt.datetime.fromisoformat(now)
    source = format_id("source", source_id)
    known: dict[int, tuple[Person, list[Claim]]] = {}
    for draft in created:
        number = person_ids[draft.ref]
        known[number] = (person_record(draft, number, source, recorded, actor), [])
    for row, claim in claim_rows:
        if row["person_id"] in known:
            record = claim_record(
                claim,
                row["id"],
                row["person_id"],
                source,
                row["related_person_id"],
                recorded,
                actor,
            )
            known[row["person_id"]][1].append(record)
    return known


def _write_case(conn: Connection, case: DraftCase, person_id: int, actor: str, now: str) -> int:
    case_id = ids.allocate(conn, "case")
    writer.insert_rows(
        conn,
        tables.cases,
        [
            {
                "id": case_id,
                "person_id": person_id,
                "status": case.status.value,
                "owner": case.owner,
                "next_steps": case.next_steps,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    writer.insert_rows(
        conn,
        tables.case_actions,
        [
            {
                "case_id": case_id,
                "kind": a.kind.value,
                "description": a.description,
                "date_edtf": a.date,
                "due": a.due,
                "done": a.done,
                "recorded_by": actor,
                "recorded_at": now,
            }
            for a in case.actions
        ],
    )
    return case_id
