"""Storage of matching decisions: judgements on pairs, merges, the review queue.

Nothing here is ever deleted: a judgement taken back is marked withdrawn and a merge
undone is marked undone, each with who and when.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from guwah.store import protect, tables
from guwah.store.sql import among, listed

SAME = "same"
DIFFERENT = "different"

_M = tables.merges
_MERGED_INTO = select(_M.c.absorbed_id, _M.c.kept_id).where(
    listed(_M.c.absorbed_id), _M.c.undone_at.is_(None)
)
_MEMBERS = (
    select(_M.c.kept_id, _M.c.absorbed_id)
    .where(listed(_M.c.kept_id), _M.c.undone_at.is_(None))
    .order_by(_M.c.absorbed_id)
)


@dataclass(frozen=True)
class ReviewItem:
    id: int
    kind: str
    person_ids: tuple[int, ...]
    probability: float
    details: dict[str, Any]
    status: str
    found_at: str
    decided_by: str | None
    decided_at: str | None


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def merged_into(conn: Connection, ids: Iterable[int]) -> dict[int, int]:
    """absorbed person → kept person, for the standing merges of these people."""
    rows = conn.execute(_MERGED_INTO, {"ids": list(ids)})
    return {row.absorbed_id: row.kept_id for row in rows}


def members(conn: Connection, kept_ids: Iterable[int]) -> dict[int, list[int]]:
    """kept person → the people merged into them (standing merges)."""
    found: dict[int, list[int]] = {}
    for row in conn.execute(_MEMBERS, {"ids": list(kept_ids)}):
        found.setdefault(row.kept_id, []).append(row.absorbed_id)
    return found


def all_absorbed(conn: Connection) -> set[int]:
    m = tables.merges
    query = select(m.c.absorbed_id).where(m.c.undone_at.is_(None))
    return {row.absorbed_id for row in conn.execute(query)}


def add_merge(conn: Connection, kept: int, absorbed: int, by: str, at: str) -> int:
    m = tables.merges
    values = {"kept_id": kept, "absorbed_id": absorbed, "merged_by": by, "merged_at": at}
    result = conn.execute(insert(m).values(**values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def undo_merges(conn: Connection, ids: Sequence[int], by: str, at: str) -> list[tuple[int, int]]:
    """Undo these merges; returns their (kept, absorbed) pairs."""
    m = tables.merges
    where = and_(among(m.c.id, list(ids)), m.c.undone_at.is_(None))
    pairs = [(r.kept_id, r.absorbed_id) for r in conn.execute(select(m).where(where))]
    conn.execute(update(m).where(where).values(undone_by=by, undone_at=at))
    return pairs


def add_judgements(
    conn: Connection,
    pairs: Iterable[tuple[int, int]],
    decision: str,
    by: str,
    at: str,
    note: str | None = None,
) -> list[int]:
    j = tables.match_judgements
    ids = []
    for a, b in pairs:
        low, high = ordered(a, b)
        values = {
            "person_a": low, "person_b": high, "decision": decision, "note": note,
            "decided_by": by, "decided_at": at,
        }  # fmt: skip
        (values,) = protect.seal_rows(conn, j, [values])
        result = conn.execute(insert(j).values(**values))
        ids.append(int(result.inserted_primary_key[0]))  # type: ignore[index]
    return ids


def withdraw_judgements(conn: Connection, ids: Sequence[int], by: str, at: str) -> None:
    j = tables.match_judgements
    where = and_(among(j.c.id, list(ids)), j.c.withdrawn_at.is_(None))
    conn.execute(update(j).where(where).values(withdrawn_by=by, withdrawn_at=at))


def standing_judgements(
    conn: Connection, people: Iterable[int] | None = None
) -> dict[tuple[int, int], str]:
    """The latest standing judgement on each pair (of these people, or all)."""
    j = tables.match_judgements
    query = select(j.c.person_a, j.c.person_b, j.c.decision).where(j.c.withdrawn_at.is_(None))
    if people is not None:
        wanted = list(people)
        query = query.where(or_(among(j.c.person_a, wanted), among(j.c.person_b, wanted)))
    found: dict[tuple[int, int], str] = {}
    for row in conn.execute(query.order_by(j.c.id)):
        found[(row.person_a, row.person_b)] = row.decision
    return found


def add_review_item(
    conn: Connection, kind: str, person_ids: Sequence[int], probability: float,
    details: dict[str, Any], at: str,
) -> int:  # fmt: skip
    r = tables.review_items
    values = {
        "kind": kind,
        "person_ids": ",".join(str(p) for p in sorted(person_ids)),
        "probability": probability,
        "details_json": json.dumps(details, ensure_ascii=False, sort_keys=True),
        "status": "open",
        "found_at": at,
    }
    return int(conn.execute(insert(r).values(**values)).inserted_primary_key[0])  # type: ignore[index]


def _item(row: Any) -> ReviewItem:
    return ReviewItem(
        row.id, row.kind, tuple(int(p) for p in row.person_ids.split(",")), row.probability,
        json.loads(row.details_json), row.status, row.found_at, row.decided_by, row.decided_at,
    )  # fmt: skip


def review_items(
    conn: Connection, status: str | None = None, limit: int = 100, offset: int = 0
) -> list[ReviewItem]:
    r = tables.review_items
    query = select(r).order_by(r.c.probability.desc(), r.c.id).limit(limit).offset(offset)
    if status:
        query = query.where(r.c.status == status)
    return [_item(row) for row in conn.execute(query)]


def review_item(conn: Connection, item_id: int) -> ReviewItem | None:
    r = tables.review_items
    row = conn.execute(select(r).where(r.c.id == item_id)).first()
    return _item(row) if row else None


def set_review_status(
    conn: Connection, item_id: int, status: str, by: str | None, at: str | None,
    details: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    r = tables.review_items
    values: dict[str, Any] = {"status": status, "decided_by": by, "decided_at": at}
    if details is not None:
        values["details_json"] = json.dumps(details, ensure_ascii=False, sort_keys=True)
    conn.execute(update(r).where(r.c.id == item_id).values(**values))
