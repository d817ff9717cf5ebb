"""Reading records back as model dataclasses, in bulk and in id order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from guwah.model.records import (
    Case,
    Claim,
    EvidenceFile,
    ExternalRef,
    NameForm,
    Person,
    Source,
    SourceSubject,
)
from guwah.store import tables
from guwah.store.convert import (
    bare_person,
    case_from_row,
    claim_from_row,
    evidence_from_row,
    name_from_row,
    person_from_row,
    pid,
    sid,
    source_from_row,
)
from guwah.store.sql import among, listed, param

BATCH = 500

# the reads of one person's page, built once (guwah.store.sql)
_NAMES = select(tables.names).where(listed(tables.names.c.person_id)).order_by(tables.names.c.id)
_REFS = (
    select(tables.person_refs)
    .where(listed(tables.person_refs.c.person_id))
    .order_by(tables.person_refs.c.namespace, tables.person_refs.c.ref)
)
_PERSONS = select(tables.persons).where(listed(tables.persons.c.id))
_KINDS_AND_LEVELS = select(
    tables.persons.c.id, tables.persons.c.kinds, tables.persons.c.sensitivity
).where(listed(tables.persons.c.id))
_CLAIMS_OF = (
    select(tables.claims).where(listed(tables.claims.c.person_id)).order_by(tables.claims.c.id)
)
_CLAIMS_ABOUT = (
    select(tables.claims)
    .where(tables.claims.c.related_person_id == param("person", tables.claims.c.related_person_id))
    .order_by(tables.claims.c.id)
)
_SUBJECTS = (
    select(tables.source_subjects)
    .where(listed(tables.source_subjects.c.source_id))
    .order_by(tables.source_subjects.c.person_id)
)
_SOURCES = select(tables.sources).where(listed(tables.sources.c.id))
_CASES_OF = select(tables.cases).where(listed(tables.cases.c.person_id)).order_by(tables.cases.c.id)
_ACTIONS = (
    select(tables.case_actions)
    .where(listed(tables.case_actions.c.case_id))
    .order_by(tables.case_actions.c.id)
)


def persons(conn: Connection, ids: Sequence[int], *, bare: bool = False) -> dict[int, Person]:
    """Persons by id, with their names and external references; ``bare``: their kinds and
    level only (enough to judge who may be shown)."""
    if not ids:
        return {}
    if bare:
        levels = conn.execute(_KINDS_AND_LEVELS, {"ids": list(ids)}).mappings()
        return {row["id"]: bare_person(row) for row in levels}
    names: dict[int, list[NameForm]] = defaultdict(list)
    refs: dict[int, list[ExternalRef]] = defaultdict(list)
    bound = {"ids": list(ids)}
    for row in conn.execute(_NAMES, bound):
        names[row.person_id].append(name_from_row(row))
    for row in conn.execute(_REFS, bound):
        refs[row.person_id].append(ExternalRef(row.namespace, row.ref))
    rows = conn.execute(_PERSONS, bound)
    return {row.id: person_from_row(row, names[row.id], refs[row.id]) for row in rows}


def claims_of(conn: Connection, person_ids: Sequence[int]) -> dict[int, list[Claim]]:
    found: dict[int, list[Claim]] = defaultdict(list)
    if not person_ids:
        return found
    for row in conn.execute(_CLAIMS_OF, {"ids": list(person_ids)}):
        found[row.person_id].append(claim_from_row(row))
    return found


def claims_about(conn: Connection, person_id: int) -> list[Claim]:
    """Relation claims that point at this person from other people."""
    return [claim_from_row(row) for row in conn.execute(_CLAIMS_ABOUT, {"person": person_id})]


def sources(
    conn: Connection, ids: Sequence[int], *, with_subjects: bool = True
) -> dict[int, Source]:
    """Sources by id. An imported list speaks of every person on it: leave the subjects
    out (``with_subjects=False``) where only the source itself is shown."""
    if not ids:
        return {}
    bound = {"ids": list(ids)}
    subjects: dict[int, list[SourceSubject]] = defaultdict(list)
    for row in conn.execute(_SUBJECTS, bound) if with_subjects else ():
        subjects[row.source_id].append(SourceSubject(pid(row.person_id) or "", row.relation))
    rows = conn.execute(_SOURCES, bound)
    return {row.id: source_from_row(row, subjects[row.id]) for row in rows}


def source_testifiers(conn: Connection, ids: Sequence[int]) -> dict[str, str | None]:
    """Source id -> testifier id, for judging which claims are independent."""
    table = tables.sources
    found: dict[str, str | None] = {}
    for start in range(0, len(ids), BATCH):
        chunk = list(ids[start : start + BATCH])
        query = select(table.c.id, table.c.testifier_id).where(among(table.c.id, chunk))
        for row in conn.execute(query):
            found[sid(row.id) or ""] = pid(row.testifier_id)
    return found


def cases_of(conn: Connection, person_ids: Sequence[int]) -> list[Case]:
    if not person_ids:
        return []
    return _with_actions(conn, list(conn.execute(_CASES_OF, {"ids": list(person_ids)})))


def _with_actions(conn: Connection, rows: Sequence[Row[Any]]) -> list[Case]:
    ids = [row.id for row in rows]
    actions: dict[int, list[Row[Any]]] = defaultdict(list)
    if ids:
        for action in conn.execute(_ACTIONS, {"ids": ids}):
            actions[action.case_id].append(action)
    return [case_from_row(row, actions[row.id]) for row in rows]


def all_ids(conn: Connection, table_name: str) -> Iterator[list[int]]:
    """Every id of a table, in order, in batches (keyset paging: no OFFSET scans)."""
    table = tables.metadata.tables[table_name]
    last = 0
    while True:
        batch = list(
            conn.execute(
                select(table.c.id).where(table.c.id > last).order_by(table.c.id).limit(BATCH)
            ).scalars()
        )
        if not batch:
            return
        yield batch
        last = batch[-1]


def all_cases(conn: Connection) -> Iterator[Case]:
    table = tables.cases
    for ids in all_ids(conn, "cases"):
        rows = list(conn.execute(select(table).where(among(table.c.id, ids)).order_by(table.c.id)))
        yield from _with_actions(conn, rows)


def all_evidence(conn: Connection) -> Iterator[EvidenceFile]:
    """Evidence recorded as metadata only. A stored file's name and hashes are sealed
    (guwah.secure.evidence); it travels in ``guwah evidence export`` packages and backups."""
    table = tables.evidence_files
    for ids in all_ids(conn, "evidence_files"):
        query = (
            select(table)
            .where(among(table.c.id, ids), table.c.storage_name.is_(None))
            .order_by(table.c.id)
        )
        yield from (evidence_from_row(row) for row in conn.execute(query))


def all_claims(conn: Connection) -> Iterator[Claim]:
    table = tables.claims
    for ids in all_ids(conn, "claims"):
        query = select(table).where(among(table.c.id, ids)).order_by(table.c.id)
        yield from (claim_from_row(row) for row in conn.execute(query))
