"""Proposals as stored: what ``guwah ingest`` extracted from a source, one row per
proposed person, relation or claim, with its passage and, once decided, who decided what
and when (``services/proposal_review.py``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select, update

from guwah.model.errors import InvalidInput, NotFound
from guwah.model.records import format_id, parse_id
from guwah.services.archive import Archive
from guwah.store import protect, tables

PROPOSED, ACCEPTED, EDITED, REJECTED = "proposed", "accepted", "edited", "rejected"

STATUSES = (PROPOSED, ACCEPTED, EDITED, REJECTED)

TAKEN = (ACCEPTED, EDITED)  # decisions that made a record


@dataclass
class Proposal:
    number: int
    source_id: int
    seq: int
    kind: str  # person, relation, claim
    ref: str
    payload: dict[str, Any]
    start: int | None
    end: int | None
    text: str | None
    confidence: float | None
    rule: str | None
    status: str
    decided_by: str | None
    decided_at: str | None
    note: str | None
    history: list[dict[str, Any]]
    person_id: int | None
    claim_id: int | None

    @property
    def id(self) -> str:
        return format_id("proposal", self.number)

    @classmethod
    def of(cls, row: Row[Any]) -> Proposal:
        return cls(
            row.id, row.source_id, row.seq, row.kind, row.ref, _json(row.payload, {}),
            row.evidence_start, row.evidence_end, row.evidence_text, row.confidence,
            row.rule, row.status, row.decided_by, row.decided_at, row.note,
            _json(row.history, []), row.person_id, row.claim_id,
        )  # fmt: skip


def _json(text: str | None, empty: Any) -> Any:
    if not text:
        return empty
    try:
        return json.loads(text)
    except ValueError:  # a sealed value read without the keys
        return empty


def proposal_number(text: str) -> int:
    number = parse_id("proposal", text)
    if number is None:
        raise InvalidInput(f"not a proposal id: {text!r} (expected X-000123)")
    return number


def is_proposal_id(text: str) -> bool:
    return text.strip().upper().startswith("X-")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def load(conn: Connection, number: int) -> Proposal:
    table = tables.proposals
    row = conn.execute(select(table).where(table.c.id == number)).first()
    if row is None:
        raise NotFound(f"no proposal {format_id('proposal', number)}")
    return Proposal.of(row)


def person_proposal(conn: Connection, source_id: int, ref: str) -> Proposal | None:
    table = tables.proposals
    query = select(table).where(
        table.c.source_id == source_id, table.c.kind == "person", table.c.ref == ref
    )
    row = conn.execute(query.order_by(table.c.seq)).first()
    return Proposal.of(row) if row is not None else None


def decide(
    conn: Connection,
    archive: Archive,
    found: Proposal,
    status: str,
    note: str | None,
    *,
    person_id: int | None = None,
    claim_id: int | None = None,
    history: list[dict[str, Any]] | None = None,
) -> None:
    """Set a proposal's decision (who, when, what it became); sealed fields sealed."""
    at = now()
    decided = status != PROPOSED
    values: dict[str, Any] = {
        "source_id": found.source_id,
        "note": note.strip()[:2000] if note and note.strip() else None,
        "history": json.dumps(history, ensure_ascii=False) if history else None,
    }
    (sealed,) = protect.seal_rows(conn, tables.proposals, [values])
    if history is None:
        sealed = {k: v for k, v in sealed.items() if k != "history"}
    table = tables.proposals
    conn.execute(
        update(table)
        .where(table.c.id == found.number)
        .values(
            status=status,
            decided_by=archive.actor if decided else None,
            decided_at=at if decided else None,
            note=sealed["note"],
            person_id=person_id,
            claim_id=claim_id,
            **({"history": sealed["history"]} if "history" in sealed else {}),
        )
    )
