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
    case_from_row,
    claim_from_row,
    evidence_from_row,
    name_from_row,
    person_from_row,
    pid,
    sid,
    source_from_row,
)
from guwah.store.sql import among

BATCH = 500


def persons(conn: Connection, ids: Sequence[int], *, bare: bool = False) -> dict[int, Person]:
    """Persons by id, with their names and external references; ``bare``: without them
    (enough to judge who may be shown: level, kinds)."""
    if not ids:
        return {}
    names: dict[int, list[NameForm]] = defaultdict(list)
    refs: dict[int, list[ExternalRef]] = defaultdict(list)
    t_names, t_refs, t_persons = tables.names, tables.person_refs, tables.persons
    if not bare:
        query = select(t_names).where(among(t_names.c.person_id, ids)).order_by(t_names.c.id)
        for row in conn.execute(query):
            names[row.person_id].append(name_from_row(row))
        query = select(t_refs).where(among(t_refs.c.person_id, ids))
        for row in conn.execute(query.order_by(t_refs.c.namespace, t_refs.c.ref)):
            refs[row.person_id].append(ExternalRef(row.namespace, row.ref))
    rows = conn.execute(select(t_persons).where(among(t_persons.c.id, ids)))
    return {row.id: person_from_row(row, names[row.id], refs[row.id]) for row in rows}


def claims_of(conn: Connection, person_ids: Sequence[int]) -> dict[int, list[Claim]]:
    found: dict[int, list[Claim]] = defaultdict(list)
    if not person_ids:
        return found
    table = tables.claims
    query = select(table).where(among(table.c.person_id, person_ids)).order_by(table.c.id)
    for row in conn.execute(query):
        found[row.person_id].append(claim_from_row(row))
    return found


def claims_about(conn: Connection, person_id: int) -> list[Claim]:
    """Relation claims that point at this person from other people."""
    table = tables.claims
    query = select(table).where(table.c.related_person_id == person_id).order_by(table.c.id)
    return [claim_from_row(row) for row in conn.execute(query)]


def sources(
    conn: Connection, ids: Sequence[int], *, with_subjects: bool = True
) -> dict[int, Source]:
    """Sources by id. An imported list speaks of every person on it: leave the subjects
    out (``with_subjects=False``) where only the source itself is shown."""
    if not ids:
        return {}
    t_src, t_sub = tables.sources, tables.source_subjects
    subjects: dict[int, list[SourceSubject]] = defaultdict(list)
    query = select(t_sub).where(among(t_sub.c.source_id, ids)).order_by(t_sub.c.person_id)
    for row in conn.execute(query) if with_subjects else ():
        subjects[row.source_id].append(SourceSubject(pid(row.person_id) or "", row.relation))
    rows = conn.execute(select(t_src).where(among(t_src.c.id, ids)))
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
    t_cases = tables.cases
    if not person_ids:
        return []
    rows = list(
        conn.execute(
            select(t_cases).where(among(t_cases.c.person_id, person_ids)).order_by(t_cases.c.id)
        )
    )
    return _with_actions(conn, rows)


def _with_actions(conn: Connection, rows: Sequence[Row[Any]]) -> list[Case]:
    t_actions = tables.case_actions
    ids = [row.id for row in rows]
    actions: dict[int, list[Row[Any]]] = defaultdict(list)
    if ids:
        query = select(t_actions).where(among(t_actions.c.case_id, ids)).order_by(t_actions.c.id)
        for action in conn.execute(query):
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
