"""Reading one source's claims back (the source page), capped for big imported lists."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from guwah.model.records import Claim
from guwah.store import tables
from guwah.store.convert import claim_from_row


def claims_from(conn: Connection, source_id: int, limit: int) -> tuple[list[Claim], int]:
    """The first ``limit`` claims resting on the source (id order) and how many there are."""
    table = tables.claims
    total = conn.execute(
        select(func.count()).select_from(table).where(table.c.source_id == source_id)
    ).scalar_one()
    query = select(table).where(table.c.source_id == source_id).order_by(table.c.id).limit(limit)
    return [claim_from_row(row) for row in conn.execute(query)], int(total)
