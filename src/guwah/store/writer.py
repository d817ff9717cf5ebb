"""Writing records: batched inserts that skip what is already there.

Callers hand over plain row dicts (keys = column names) inside their own transaction.
Nothing here overwrites a claim: claims are only inserted, and a status change is the
one update a claim row receives (a correction is a new claim that supersedes it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.sql.dml import Insert

from guwah.store import protect, tables
from guwah.store.dialect import insert_ignore, max_bind_rows

Row = dict[str, Any]


_CONTENT_KEYS = ("kind", "value_json", "date_edtf", "place_code", "place_text", "quote")
_LINK_KEYS = ("person_id", "source_id", "related_person_id", "supersedes_id")


def _joined(values: Iterable[object]) -> bytes:
    return "\x1f".join(["\x1e" if v is None else str(v) for v in values]).encode("utf-8")


def content_digest(row: Row) -> str:
    """Digest of what a claim says (kind, value, date, place, quote), not whose it is."""
    return hashlib.sha256(_joined(row.get(k) for k in _CONTENT_KEYS)).hexdigest()


def claim_fingerprint(row: Row, content: str | None = None) -> str:
    """Identity of a claim: the same fact about the same person from the same source is
    stored once. ``content`` is ``content_digest(row)`` when the caller has it already."""
    links: list[object] = [row.get(k) for k in _LINK_KEYS]
    links.append(content or content_digest(row))
    return hashlib.sha256(_joined(links)).hexdigest()[:40]


def _chunks(rows: Sequence[Row], size: int) -> Iterable[Sequence[Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def insert_rows(conn: Connection, table: Table, rows: Sequence[Row]) -> None:
    """Bulk insert. The statement is compiled once and the rows go to the driver's
    executemany as they are (all rows must have the same keys). On PostgreSQL, restricted
    values are sealed first (guwah.store.protect)."""
    _executemany(conn, insert(table), protect.seal_rows(conn, table, rows))


def _executemany(conn: Connection, statement: Insert, rows: Sequence[Row]) -> None:
    if not rows:
        return
    keys = list(rows[0])
    compiled = statement.compile(dialect=conn.dialect, column_keys=keys)
    if compiled.positional:
        order = compiled.positiontup or []
        if len(order) == 1:
            params: list[Any] = [(row[order[0]],) for row in rows]
        else:
            params = list(map(itemgetter(*order), rows))
    else:
        params = list(rows)
    conn.exec_driver_sql(compiled.string, params)


def insert_rows_ignoring(conn: Connection, table: Table, rows: Sequence[Row]) -> None:
    """Bulk insert that skips rows whose unique keys already exist."""
    _executemany(conn, insert_ignore(conn.engine, table), protect.seal_rows(conn, table, rows))


def existing_fingerprints(conn: Connection, claims: Sequence[tuple[int, str]]) -> set[str]:
    """Which of these (person id, fingerprint) claims are already stored (a restricted
    claim's fingerprint is stored sealed and reads back as it was computed)."""
    found: set[str] = set()
    wanted = {fingerprint for _person, fingerprint in claims}
    people = sorted({person for person, _fingerprint in claims})
    column = tables.claims.c
    for start in range(0, len(people), 500):
        chunk = people[start : start + 500]
        query = select(column.fingerprint).where(column.person_id.in_(chunk))
        found.update(fp for fp in conn.execute(query).scalars() if fp in wanted)
    return found


def find_refs(conn: Connection, namespace: str, refs: Sequence[str]) -> dict[str, int]:
    """Person ids already known under these external references (those of restricted
    persons are stored sealed: both forms are looked up)."""
    table = tables.person_refs
    found: dict[str, int] = {}
    forms = protect.fixed_forms(conn, "person_refs.ref", refs)
    for chunk in _chunks([{"r": r} for r in forms], max_bind_rows(conn.engine, 1)):
        values = [r["r"] for r in chunk]
        query = select(table.c.ref, table.c.person_id).where(
            table.c.namespace == namespace, table.c.ref.in_(values)
        )
        found.update({row.ref: row.person_id for row in conn.execute(query)})
    return found


def find_source_by_list(conn: Connection, list_name: str) -> int | None:
    table = tables.sources
    query = select(table.c.id).where(table.c.list_name == list_name)
    return conn.execute(query).scalar_one_or_none()


def find_source_by_hash(conn: Connection, sha256: str) -> int | None:
    table = tables.sources
    forms = protect.digest_forms(conn, sha256)  # a restricted source's is keyed
    query = select(table.c.id).where(table.c.content_sha256.in_(forms))
    return conn.execute(query).scalars().first()


def existing_ids(conn: Connection, table: Table, ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks([{"i": i} for i in ids], max_bind_rows(conn.engine, 1)):
        values = [r["i"] for r in chunk]
        found.update(conn.execute(select(table.c.id).where(table.c.id.in_(values))).scalars())
    return found


def set_claim_status(conn: Connection, claim_id: int, status: str) -> None:
    table = tables.claims
    conn.execute(update(table).where(table.c.id == claim_id).values(status=status))


def add_person_kinds(conn: Connection, person_id: int, kinds: Iterable[str]) -> None:
    table = tables.persons
    current = conn.execute(select(table.c.kinds).where(table.c.id == person_id)).scalar_one()
    merged = sorted(set(current.split(",")) | set(kinds) - {""})
    if merged != sorted(current.split(",")):
        conn.execute(update(table).where(table.c.id == person_id).values(kinds=",".join(merged)))
