"""Reviewing and correcting claims. Nothing is overwritten: a correction is a new claim
that supersedes the old one, and the old one stays readable with its status."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from guwah.model.claimvalues import check_value, describe_value
from guwah.model.dates import normalise_date, parse_date
from guwah.model.errors import InvalidInput, NotFound
from guwah.model.gazetteer import load_gazetteer
from guwah.model.records import Claim, format_id, parse_id
from guwah.model.vocab import ClaimKind, ClaimStatus
from guwah.secure.audit import ensure_unchanged
from guwah.secure.policy import Action
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.services.auditing import record
from guwah.services.drafts import resolve_place, text_or_none
from guwah.services.indexing import refresh
from guwah.store import ids, tables, writer
from guwah.store.convert import claim_from_row, now_text

_ALLOWED = {
    ClaimStatus.PROPOSED: {ClaimStatus.ACCEPTED, ClaimStatus.REJECTED},
    ClaimStatus.ACCEPTED: {ClaimStatus.REJECTED},
    ClaimStatus.REJECTED: {ClaimStatus.ACCEPTED},
    ClaimStatus.SUPERSEDED: set(),
}


def _load(conn: Connection, public_id: str) -> Claim:
    number = parse_id("claim", public_id)
    if number is None:
        raise InvalidInput(f"not a claim id: {public_id!r} (expected C-000123)")
    row = conn.execute(select(tables.claims).where(tables.claims.c.id == number)).first()
    if row is None:
        raise NotFound(f"no claim {format_id('claim', number)} in the archive")
    return claim_from_row(row)


def set_status(archive: Archive, public_id: str, status: ClaimStatus) -> Claim:
    check(archive, Action.CLAIM_ACCEPT if status is ClaimStatus.ACCEPTED else Action.CLAIM_REJECT)
    with archive.engine.begin() as conn:
        claim = _load(conn, public_id)
        ensure_unchanged(conn, [claim.person_id])
        if status not in _ALLOWED[claim.status]:
            raise InvalidInput(
                f"{claim.id} is {claim.status.value}; it cannot become {status.value}"
            )
        writer.set_claim_status(conn, parse_id("claim", claim.id) or 0, status.value)
        refresh(conn, [parse_id("person", claim.person_id) or 0])
        change = {"from": claim.status.value, "to": status.value}
        action = "claim.accept" if status is ClaimStatus.ACCEPTED else "claim.reject"
        record(archive, conn, action, claim.id, change=change, covers=[claim.person_id])
        return _load(conn, claim.id)


def correct(
    archive: Archive,
    public_id: str,
    *,
    value: dict[str, Any] | None = None,
    date: str | None = None,
    place: str | None = None,
    quote: str | None = None,
) -> Claim:
    """Record a corrected copy of a claim; the old one becomes ``superseded``."""
    check(archive, Action.CLAIM_CORRECT)
    with archive.engine.begin() as conn:
        old = _load(conn, public_id)
        ensure_unchanged(conn, [old.person_id])
        if old.status is ClaimStatus.SUPERSEDED:
            raise InvalidInput(f"{old.id} is already superseded; correct its newest version")
        new_value = dict(old.value)
        related = new_value.pop("person", None)
        if value is not None:
            new_value = check_value(old.kind, {**value, **({"person": related} if related else {})})
            related = new_value.pop("person", related) if old.kind is ClaimKind.RELATION else None
        place_code, place_text = old.place_code, old.place_text
        if place is not None:
            place_code, place_text = resolve_place(load_gazetteer(), place)
        new_date = normalise_date(date) if date is not None else old.date
        row: dict[str, Any] = {
            "person_id": parse_id("person", old.person_id),
            "source_id": parse_id("source", old.source_id),
            "kind": old.kind.value,
            "value_json": json.dumps(new_value, ensure_ascii=False, sort_keys=True),
            "value_text": describe_value(old.kind, new_value),
            "date_edtf": new_date,
            "year_min": parse_date(new_date).year_min if new_date else None,
            "year_max": parse_date(new_date).year_max if new_date else None,
            "place_code": place_code,
            "place_text": place_text,
            "quote": text_or_none(quote, "quote", 20_000) if quote is not None else old.quote,
            "status": ClaimStatus.ACCEPTED.value,
            "supersedes_id": parse_id("claim", old.id),
            "related_person_id": parse_id("person", str(related)) if related else None,
            "recorded_by": archive.actor,
            "recorded_at": now_text(),
        }
        row["fingerprint"] = writer.claim_fingerprint(row)
        if writer.existing_fingerprints(conn, [(row["person_id"], row["fingerprint"])]):
            raise InvalidInput("this correction has already been recorded")
        row["id"] = ids.allocate(conn, "claim")
        writer.insert_rows(conn, tables.claims, [row])
        writer.set_claim_status(conn, parse_id("claim", old.id) or 0, ClaimStatus.SUPERSEDED.value)
        refresh(conn, [row["person_id"]])
        new_id = format_id("claim", row["id"])
        change = {"supersedes": old.id, "claim": new_id}
        record(archive, conn, "claim.correct", old.id, change=change, covers=[old.person_id])
        return _load(conn, new_id)
