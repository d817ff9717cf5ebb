"""Reviewing what ingest proposed: each proposal next to its passage; accept, reject, undo.

Nothing extracted is accepted automatically. A reviewer accepts a **person** proposal by
linking it to someone already in the archive (``person``: the cross-script candidate
search shows who may be the same) or by creating a new person (``new``); the proposal's
name forms are recorded under that person with the source, and its attributes (ethnicity,
profession, gender, birth year, home) as accepted claims. A **claim** or **relation**
proposal is accepted once its people are: it becomes an accepted claim of the source,
quoting the passage, recorded by the reviewer (through ``services.writing``, so the
current view, search and audit log follow). Overrides (value, date, place) make the
decision ``edited``. Every decision keeps who and when; ``undo`` takes a decision back
(an accepted claim is rejected, never deleted) and keeps it in the proposal's history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, update

from guwah.model.errors import InvalidInput, NotFound
from guwah.model.records import format_id
from guwah.model.vocab import ClaimStatus, PersonKind, Sensitivity
from guwah.secure import coverage
from guwah.secure.audit import ensure_unchanged
from guwah.secure.coverage import Coverage
from guwah.secure.policy import Action
from guwah.services.access import check
from guwah.services.archive import Archive
from guwah.services.auditing import record
from guwah.services.drafts import DraftClaim, DraftPerson, existing_person_number
from guwah.services.indexing import refresh
from guwah.services.matching import match_person
from guwah.services.proposal_drafts import (
    REF,
    TARGET,
    attribute_claims,
    claim_draft,
    name_forms,
    person_kinds,
)
from guwah.services.proposal_records import (
    ACCEPTED,
    EDITED,
    PROPOSED,
    REJECTED,
    TAKEN,
    Proposal,
    decide,
    load,
    now,
    person_proposal,
    proposal_number,
)
from guwah.services.writing import Batch, write_batch
from guwah.store import tables, writer


@dataclass
class Decision:
    proposal: str
    status: str  # after the call: proposed (nothing decided yet), accepted, edited...
    message: str
    person: str | None = None
    claim: str | None = None
    created: bool = False  # a new person was created
    candidates: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "proposal": self.proposal,
            "status": self.status,
            "message": self.message,
            "person": self.person,
            "claim": self.claim,
            "created": self.created,
            "candidates": self.candidates,
            "notes": self.notes,
        }


def accept(
    archive: Archive,
    proposal_id: str,
    *,
    person: str | None = None,
    new: bool = False,
    names: Sequence[str] = (),
    attributes: bool = True,
    value: dict[str, Any] | None = None,
    date: str | None = None,
    place: str | None = None,
    note: str | None = None,
) -> Decision:
    """Accept a proposal (see the module's docstring). A person proposal without
    ``person`` or ``new`` is not decided: the candidates are returned to choose from."""
    check(archive, Action.REVIEW_ACCEPT)
    number = proposal_number(proposal_id)
    with archive.engine.connect() as conn:
        found = load(conn, number)
    _must_be_open(found)
    if found.kind == "person":
        if value is not None or date is not None or place is not None:
            raise InvalidInput("--value, --date and --place are for claims; a person takes --name")
        if person is not None and new:
            raise InvalidInput("choose one: --person P-… (someone in the archive) or --new")
        if person is None and not new:
            return _candidates_only(archive, found)
        return _accept_person(archive, found, person, names, attributes, note)
    if person is not None or new or names:
        raise InvalidInput(
            f"{found.id} is a {found.kind}: --person, --new and --name are for person proposals"
        )
    return _accept_claim(archive, found, value, date, place, note)


def _must_be_open(found: Proposal) -> None:
    if found.status != PROPOSED:
        raise InvalidInput(
            f"{found.id} is already {found.status} (guwah review undo {found.id} to reopen it)"
        )


def _candidates_only(archive: Archive, found: Proposal) -> Decision:
    candidates = candidates_for(archive, found.payload)
    names = " / ".join(str(n) for n in found.payload.get("names") or [])
    who = f"{found.id} ({names or found.payload.get('description') or 'no name'})"
    if candidates:
        message = (
            f"{who} is not accepted yet: is this one of the people below? Accept with "
            f"--person P-… to link it, or --new to create a new person"
        )
    else:
        message = (
            f"{who} is not accepted yet: nobody in the archive matches; accept with "
            "--new to create the person (or --person P-… to link someone you know)"
        )
    return Decision(found.id, PROPOSED, message, candidates=candidates)


def candidates_for(
    archive: Archive, payload: dict[str, Any], limit: int = 5
) -> list[dict[str, Any]]:
    """Who in the archive may be the proposed person: the cross-script candidate search on
    each of their names (with birth year, gender and home when proposed), best first."""
    attributes = payload.get("attributes") or {}
    year = attributes.get("birth_year")
    birth_year = year if isinstance(year, int) and 1880 <= year <= 2100 else None
    gender = attributes.get("gender") if attributes.get("gender") in ("male", "female") else None
    home = attributes.get("home") if isinstance(attributes.get("home"), str) else None
    best: dict[str, dict[str, Any]] = {}
    for name in [str(n) for n in payload.get("names") or []][:3]:
        try:
            found = match_person(
                archive, name, birth_year=birth_year, gender=gender, place=home, limit=limit
            )
        except InvalidInput:  # a home the gazetteer does not know: look up without it
            found = match_person(archive, name, birth_year=birth_year, gender=gender, limit=limit)
        for candidate in found:
            data = candidate.as_dict()
            data["query"] = name
            key = str(data["id"])
            if key not in best or float(str(data["score"])) > float(str(best[key]["score"])):
                best[key] = data
    ranked = sorted(best.values(), key=lambda d: -float(str(d["score"])))
    return ranked[:limit]


def _accept_person(
    archive: Archive,
    found: Proposal,
    person: str | None,
    names: Sequence[str],
    with_attributes: bool,
    note: str | None,
) -> Decision:
    payload = found.payload
    forms = name_forms(payload, names)
    kinds = person_kinds(payload)
    existing = existing_person_number(person) if person is not None else None
    level = Sensitivity.RESTRICTED if PersonKind.TESTIFIER in kinds else Sensitivity.INTERNAL
    draft = DraftPerson(REF, existing, kinds or [PersonKind.OTHER], level, forms)
    claims, notes = (
        attribute_claims(payload.get("attributes") or {}) if with_attributes else ([], [])
    )
    status = EDITED if names else ACCEPTED
    with archive.engine.begin() as conn:
        current = load(conn, found.number)
        _must_be_open(current)
        ensure_unchanged(conn, Coverage().add(coverage.SOURCE, [found.source_id]))
        batch = Batch(persons=[draft], claims=claims, source_id=found.source_id)
        result = write_batch(conn, batch, archive.actor)
        number = result.person_ids[REF]
        if PersonKind.TESTIFIER in kinds and _set_testifier(conn, found.source_id, number):
            notes.append(f"recorded as the testifier of {format_id('source', found.source_id)}")
        decide(conn, archive, current, status, note, person_id=number)
        shown = format_id("person", number)
        covers = Coverage().add(coverage.SOURCE, [found.source_id]).add(coverage.PERSON, [number])
        change = {"status": status, "person": shown, "new": existing is None,
                  "claims": result.claims_added}  # fmt: skip
        record(archive, conn, "review.accept", found.id, change=change, covers=covers)
    how = "created" if existing is None else "linked to"
    extra = f", {result.claims_added} attribute claims" if result.claims_added else ""
    message = f"{found.id}: {status}; {how} {shown}{extra}"
    return Decision(found.id, status, message, person=shown, created=existing is None,
                    notes=notes)  # fmt: skip


def _set_testifier(conn: Connection, source_id: int, person_id: int) -> bool:
    """A witness accepted from a source without a testifier becomes its testifier, so that
    their identity is protected like every testifier's (consent decides publication)."""
    table = tables.sources
    query = select(table.c.testifier_id).where(table.c.id == source_id)
    if conn.execute(query).scalar_one() is not None:
        return False
    conn.execute(update(table).where(table.c.id == source_id).values(testifier_id=person_id))
    return True


def _accept_claim(
    archive: Archive,
    found: Proposal,
    value: dict[str, Any] | None,
    date: str | None,
    place: str | None,
    note: str | None,
) -> Decision:
    payload = found.payload
    with archive.engine.connect() as conn:
        subject = _accepted_person(conn, found, found.ref, "subject")
        target = None
        if found.kind == "relation":
            target = _accepted_person(conn, found, str(payload.get("to", "")), "relative")
    draft = claim_draft(found, value, date, place, target)
    edited = value is not None or date is not None or place is not None
    status = EDITED if edited else ACCEPTED
    people = [DraftPerson(REF, subject)]
    if target is not None:
        people.append(DraftPerson(TARGET, target))
    notes: list[str] = []
    with archive.engine.begin() as conn:
        current = load(conn, found.number)
        _must_be_open(current)
        ensure_unchanged(conn, Coverage().add(coverage.SOURCE, [found.source_id]))
        batch = Batch(persons=people, claims=[draft], source_id=found.source_id)
        result = write_batch(conn, batch, archive.actor)
        claim_id, claim_status = _claim_of(conn, draft, subject, found.source_id, target)
        if result.claims_added == 0:
            shown = format_id("claim", claim_id)
            if claim_status == ClaimStatus.REJECTED.value:  # accepted again after an undo
                writer.set_claim_status(conn, claim_id, ClaimStatus.ACCEPTED.value)
                refresh(conn, [subject])
                notes.append(f"{shown}, rejected before, is accepted again")
            else:
                notes.append(f"the same claim was already recorded as {shown}")
        decide(conn, archive, current, status, note, person_id=subject, claim_id=claim_id)
        shown = format_id("claim", claim_id)
        covered = [subject] + ([target] if target is not None else [])
        covers = Coverage().add(coverage.SOURCE, [found.source_id]).add(coverage.PERSON, covered)
        change = {"status": status, "claim": shown, "person": format_id("person", subject)}
        record(archive, conn, "review.accept", found.id, change=change, covers=covers)
    person = format_id("person", subject)
    message = f"{found.id}: {status}; claim {shown} of {person}"
    return Decision(found.id, status, message, person=person, claim=shown, notes=notes)


def _accepted_person(conn: Connection, found: Proposal, ref: str, role: str) -> int:
    person = person_proposal(conn, found.source_id, ref)
    if person is None:
        raise InvalidInput(f"{found.id}: its {role} {ref!r} is not a person proposal of its source")
    if person.status not in TAKEN or person.person_id is None:
        state = "was rejected" if person.status == REJECTED else "is not accepted yet"
        raise InvalidInput(
            f"{found.id}: its {role} {ref} ({person.id}) {state}; accept that first: "
            f"guwah review accept {person.id} --person P-… (or --new)"
        )
    return person.person_id


def _claim_of(
    conn: Connection, draft: DraftClaim, person: int, source_id: int, related: int | None
) -> tuple[int, str]:
    """The id and status of the claim the draft was written as (or found to be)."""
    row = {
        "person_id": person,
        "source_id": source_id,
        "related_person_id": related if draft.related else None,
        "supersedes_id": None,
    }
    fingerprint = writer.claim_fingerprint(row, draft.content)
    table = tables.claims
    query = select(table.c.id, table.c.fingerprint, table.c.status).where(
        table.c.person_id == person, table.c.source_id == source_id
    )
    for found in conn.execute(query):
        if found.fingerprint == fingerprint:
            return int(found.id), str(found.status)
    raise NotFound("the accepted claim was not found after writing it")  # a bug


def reject(archive: Archive, proposal_id: str, note: str | None = None) -> Decision:
    """Reject a proposal: it stays, marked rejected, with who and when."""
    check(archive, Action.REVIEW_REJECT)
    number = proposal_number(proposal_id)
    with archive.engine.begin() as conn:
        found = load(conn, number)
        _must_be_open(found)
        covers = Coverage().add(coverage.SOURCE, [found.source_id])
        ensure_unchanged(conn, covers)
        decide(conn, archive, found, REJECTED, note)
        record(archive, conn, "review.reject", found.id, change={"status": REJECTED},
              covers=covers)  # fmt: skip
    return Decision(found.id, REJECTED, f"{found.id}: rejected")


def undo(archive: Archive, proposal_id: str) -> Decision:
    """Take a decision back: the proposal is open again, the decision kept in its history;
    the claim an acceptance made is rejected (it stays in the archive, out of the view).
    Accepting a person cannot be undone: the person's names are recorded."""
    check(archive, Action.REVIEW_UNDO)
    number = proposal_number(proposal_id)
    with archive.engine.begin() as conn:
        found = load(conn, number)
        if found.status == PROPOSED:
            raise InvalidInput(f"{found.id} is proposed: nothing to undo")
        if found.kind == "person" and found.status in TAKEN:
            shown = format_id("person", found.person_id or 0)
            raise InvalidInput(
                f"{found.id}: accepting a person cannot be undone ({shown} keeps the names "
                "this source gives); if it is the wrong person, merge or correct the records"
            )
        covers = Coverage().add(coverage.SOURCE, [found.source_id])
        if found.person_id is not None:
            covers.add(coverage.PERSON, [found.person_id])
        ensure_unchanged(conn, covers)
        notes = []
        if found.claim_id is not None:
            status = conn.execute(
                select(tables.claims.c.status).where(tables.claims.c.id == found.claim_id)
            ).scalar_one()
            if status == ClaimStatus.ACCEPTED.value:
                writer.set_claim_status(conn, found.claim_id, ClaimStatus.REJECTED.value)
                refresh(conn, [found.person_id] if found.person_id else [])
                notes.append(f"claim {format_id('claim', found.claim_id)} rejected")
        past = {
            "status": found.status, "by": found.decided_by, "at": found.decided_at,
            "note": found.note, "undone_by": archive.actor, "undone_at": now(),
            "person": format_id("person", found.person_id) if found.person_id else None,
            "claim": format_id("claim", found.claim_id) if found.claim_id else None,
        }  # fmt: skip
        decide(conn, archive, found, PROPOSED, None, history=[*found.history, past])
        change = {"from": found.status, "to": PROPOSED}
        record(archive, conn, "review.undo", found.id, change=change, covers=covers)
    return Decision(found.id, PROPOSED, f"{found.id}: reopened", notes=notes)
