"""Listing proposals for a reviewer: each next to the sentence it comes from (the
evidence marked), with the people it is about (``guwah review proposals``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from guwah.model.claimvalues import describe_value
from guwah.model.errors import InvalidInput, NotFound
from guwah.model.records import format_id, parse_id
from guwah.model.vocab import ClaimKind
from guwah.secure.policy import Action
from guwah.services.access import RESTRICTED_READ, audit, check
from guwah.services.archive import Archive
from guwah.services.proposal_records import (
    PROPOSED,
    STATUSES,
    Proposal,
    load,
    proposal_number,
)
from guwah.store import tables, writer

MAX_LIST = 1000

OPEN, CLOSE = "⟦", "⟧"  # mark the evidence inside its passage

_ENDS = ".!?。！？\n"

_WIDTH = 240  # characters of context at most on either side of the evidence


def count_proposed(archive: Archive) -> int:
    """How many proposals wait for a reviewer (for a hint under ``review list``)."""
    check(archive, Action.REVIEW_PROPOSALS)
    table = tables.proposals
    with archive.engine.connect() as conn:
        query = select(func.count()).where(table.c.status == PROPOSED)
        return int(conn.execute(query).scalar_one())


def list_proposals(
    archive: Archive,
    *,
    source: str | None = None,
    status: str | None = PROPOSED,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Proposals in source order, each with its passage and its people; ``status`` None:
    every status."""
    check(archive, Action.REVIEW_PROPOSALS)
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)} (or all)")
    if not 1 <= limit <= MAX_LIST:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIST}")
    table = tables.proposals
    with archive.engine.connect() as conn:
        query = select(table).order_by(table.c.source_id, table.c.seq).limit(limit)
        if source is not None:
            number = parse_id("source", source)
            if number is None:
                raise InvalidInput(f"not a source id: {source!r} (expected S-000123)")
            if not writer.existing_ids(conn, tables.sources, [number]):
                raise NotFound(f"no source {format_id('source', number)}")
            query = query.where(table.c.source_id == number)
        if status is not None:
            query = query.where(table.c.status == status)
        found = [Proposal.of(row) for row in conn.execute(query)]
        context = _Context.read(conn, found)
    return _described(archive, context, found)


def show_proposal(archive: Archive, proposal_id: str) -> dict[str, Any]:
    """One proposal as ``list_proposals`` describes it, whatever its status (the desk
    redraws it after a decision)."""
    check(archive, Action.REVIEW_PROPOSALS)
    number = proposal_number(proposal_id)
    with archive.engine.connect() as conn:
        found = [load(conn, number)]
        context = _Context.read(conn, found)
    return _described(archive, context, found)[0]


def _described(
    archive: Archive, context: _Context, found: Sequence[Proposal]
) -> list[dict[str, Any]]:
    """The proposals described; each restricted source shown is an audited read."""
    restricted = sorted(
        {p.source_id for p in found if context.sources[p.source_id].sensitivity == "restricted"}
    )
    if restricted:
        with archive.engine.begin() as conn:
            for number in restricted:
                audit(conn, archive, RESTRICTED_READ, format_id("source", number))
    return [context.describe(p) for p in found]


@dataclass
class _Context:
    """What describing proposals needs: their sources and the person proposals of them."""

    sources: dict[int, Any]
    people: dict[tuple[int, str], Proposal]
    names: dict[int, str] = field(default_factory=dict)  # display names of linked people

    @classmethod
    def read(cls, conn: Connection, found: Sequence[Proposal]) -> _Context:
        numbers = sorted({p.source_id for p in found})
        src, table = tables.sources, tables.proposals
        sources = {
            row.id: row
            for row in conn.execute(
                select(src.c.id, src.c.title, src.c.original_text, src.c.sensitivity).where(
                    src.c.id.in_(numbers)
                )
            )
        }
        query = select(table).where(table.c.source_id.in_(numbers), table.c.kind == "person")
        people = {(p.source_id, p.ref): p for p in map(Proposal.of, conn.execute(query))}
        linked = sorted(
            {p.person_id for p in [*found, *people.values()] if p.person_id is not None}
        )
        summary = tables.person_summary
        names = {
            row.person_id: row.display_name
            for row in conn.execute(
                select(summary.c.person_id, summary.c.display_name).where(
                    summary.c.person_id.in_(linked)
                )
            )
        }
        return cls(sources, people, names)

    def person(self, source_id: int, ref: str) -> dict[str, Any]:
        """A person ref of a source: its proposal, the person it became, and a label."""
        found = self.people.get((source_id, ref))
        if found is None:
            return {"ref": ref, "proposal": None, "person": None, "label": ref}
        person = found.person_id
        label = _label(found.payload, ref)
        if person is not None:
            label = f"{format_id('person', person)} {self.names.get(person, label)}"
        return {
            "ref": ref,
            "proposal": found.id,
            "status": found.status,
            "person": format_id("person", person) if person is not None else None,
            "label": label,
        }

    def describe(self, p: Proposal) -> dict[str, Any]:
        source = self.sources[p.source_id]
        data: dict[str, Any] = {
            "id": p.id,
            "source": format_id("source", p.source_id),
            "source_title": source.title,
            "kind": p.kind,
            "status": p.status,
            "ref": p.ref,
            "payload": p.payload,
            "confidence": p.confidence,
            "rule": p.rule,
            "evidence": None,
            "passage": None,
        }
        if p.text is not None and p.start is not None and p.end is not None:
            data["evidence"] = {"start": p.start, "end": p.end, "text": p.text}
            data["passage"] = passage(source.original_text, p.start, p.end, p.text)
        if p.kind == "person":
            data["summary"] = _person_summary(p.payload)
        else:
            subject = self.person(p.source_id, p.ref)
            data["subject"] = subject
            if p.kind == "relation":
                target = self.person(p.source_id, str(p.payload.get("to", "")))
                data["target"] = target
                data["summary"] = (
                    f"{subject['label']} is the {p.payload.get('type')} of {target['label']}"
                )
            else:
                data["summary"] = f"{subject['label']}: {_claim_words(p.payload)}"
        data.update(
            {
                "decided_by": p.decided_by,
                "decided_at": p.decided_at,
                "note": p.note,
                "person": format_id("person", p.person_id) if p.person_id else None,
                "claim": format_id("claim", p.claim_id) if p.claim_id else None,
                "history": p.history,
            }
        )
        return data


def _label(payload: dict[str, Any], ref: str) -> str:
    names = [str(n) for n in payload.get("names") or []]
    if names:
        return f"{ref} {names[0]}"
    description = payload.get("description")
    return f"{ref} ({description})" if description else f"{ref} (no name)"


def _person_summary(payload: dict[str, Any]) -> str:
    names = " / ".join(str(n) for n in payload.get("names") or []) or "(no name)"
    parts = [names]
    if payload.get("description"):
        parts.append(str(payload["description"]))
    if payload.get("roles"):
        parts.append(", ".join(str(r) for r in payload["roles"]))
    attributes = payload.get("attributes") or {}
    if attributes:
        parts.append("; ".join(f"{k} {v}" for k, v in attributes.items()))
    return " — ".join(parts)


def _claim_words(payload: dict[str, Any]) -> str:
    kind = str(payload.get("kind"))
    value = payload.get("value") or {}
    try:
        words = describe_value(ClaimKind(kind), value) if isinstance(value, dict) else ""
    except ValueError:
        words = json.dumps(value, ensure_ascii=False)
    parts = [f"{kind} {words}".strip()]
    for key in ("date", "place_text", "reason"):
        if payload.get(key):
            parts.append(f"{key.replace('_text', '')} {payload[key]}")
    if payload.get("place") and not payload.get("place_text"):
        parts.append(f"place {payload['place']}")
    return "; ".join(parts)


def passage(text: str | None, start: int, end: int, quote: str) -> dict[str, Any]:
    """The sentence around the evidence (at most ``_WIDTH`` characters either side), with
    the evidence's offsets inside it and a copy with the evidence marked ⟦ ⟧."""
    if not text or not 0 <= start <= end <= len(text) or text[start:end] != quote:
        return {"text": quote, "start": 0, "end": len(quote), "marked": OPEN + quote + CLOSE}
    low = max(0, start - _WIDTH)
    cut = max(text.rfind(char, low, start) for char in _ENDS)
    begin = cut + 1 if cut >= 0 else low
    high = min(len(text), end + _WIDTH)
    found = [i for i in (text.find(char, end, high) for char in _ENDS) if i >= 0]
    finish = min(found) + 1 if found else high
    while begin < start and text[begin].isspace():
        begin += 1
    while finish > end and text[finish - 1].isspace():
        finish -= 1
    before = ("…" if begin == low and low > 0 else "") + text[begin:start]
    after = text[end:finish] + ("…" if finish == high and high < len(text) else "")
    shown = before + text[start:end] + after
    marked = before + OPEN + text[start:end] + CLOSE + after
    return {"text": shown, "start": len(before), "end": len(before) + end - start,
            "marked": marked}  # fmt: skip
