"""Allocating public ids in blocks, the same way on SQLite and PostgreSQL.

A ``counters`` row per record kind holds the last number handed out. Allocation is an
UPDATE inside the caller's transaction, so concurrent writers on PostgreSQL queue on
the row lock and a rolled-back import gives its numbers back.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select, update

from guwah.store import tables

KINDS = ("person", "source", "claim", "case", "evidence", "proposal")
_TABLE_OF = {
    "person": tables.persons,
    "source": tables.sources,
    "claim": tables.claims,
    "case": tables.cases,
    "evidence": tables.evidence_files,
    "proposal": tables.proposals,
}


def ensure_counters(conn: Connection) -> None:
    existing = set(conn.execute(select(tables.counters.c.name)).scalars())
    for kind in KINDS:
        if kind not in existing:
            conn.execute(insert(tables.counters).values(name=kind, value=0))


def allocate(conn: Connection, kind: str, count: int = 1) -> int:
    """Reserve ``count`` numbers; return the first. Numbers are never reused."""
    counter = tables.counters
    conn.execute(
        update(counter).where(counter.c.name == kind).values(value=counter.c.value + count)
    )
    last = conn.execute(select(counter.c.value).where(counter.c.name == kind)).scalar_one()
    return int(last) - count + 1


def bump_to_at_least(conn: Connection, kind: str) -> None:
    """After inserting records with given ids (an import), move the counter past them."""
    table = _TABLE_OF[kind]
    highest = conn.execute(select(func.max(table.c.id))).scalar_one_or_none() or 0
    counter = tables.counters
    conn.execute(
        update(counter)
        .where(counter.c.name == kind)
        .where(counter.c.value < highest)
        .values(value=highest)
    )
