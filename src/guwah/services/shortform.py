"""JSON Lines person records in the short form (no id; claims inline), to drafts.

``parse_short_form_chunk`` is a top-level function so a helper process can run it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import Gazetteer, load_gazetteer
from guwah.model.vocab import ClaimStatus, PersonKind, Sensitivity
from guwah.services.drafts import DraftClaim, DraftPerson, enum_value, make_claim, make_name
from guwah.services.indexing import precompute


@dataclass
class ParsedChunk:
    rows: int = 0
    persons: list[DraftPerson] = field(default_factory=list)
    claims: list[DraftClaim] = field(default_factory=list)
    rejects: list[tuple[int, str, str]] = field(default_factory=list)


def parse_short_form_chunk(job: tuple[str, list[tuple[int, str]]]) -> ParsedChunk:
    """Validate a chunk of (line number, line); bad lines become rejects, not errors."""
    list_name, lines = job
    gazetteer = load_gazetteer()
    out = ParsedChunk()
    for number, line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            out.rows += 1
            out.rejects.append((number, f"not valid JSON ({exc.msg})", line.rstrip("\n")))
            continue
        if not isinstance(record, dict) or record.get("type") != "person":
            out.rows += 1
            reason = "each line must be a JSON object with a 'type' (person, source, claim...)"
            out.rejects.append((number, reason, line.rstrip("\n")))
            continue
        out.rows += 1
        try:
            person, claims = short_person(record, f"line{number}", list_name, gazetteer)
        except InvalidInput as exc:
            out.rejects.append((number, str(exc), line.rstrip("\n")))
            continue
        person.precomputed = precompute(person, claims, gazetteer)
        out.persons.append(person)
        out.claims.extend(claims)
    return out


def short_person(
    record: dict[str, Any], ref: str, list_name: str, gazetteer: Gazetteer
) -> tuple[DraftPerson, list[DraftClaim]]:
    unknown = set(record) - {
        "type",
        "kinds",
        "sensitivity",
        "names",
        "external_refs",
        "claims",
    }
    if unknown:
        raise InvalidInput(f"unknown key {sorted(unknown)[0]!r} in a person line")
    names = [make_name(n) for n in record.get("names") or []]
    if not names:
        raise InvalidInput("a person needs at least one name")
    refs = []
    for item in record.get("external_refs") or []:
        if not isinstance(item, dict) or not item.get("namespace") or not item.get("ref"):
            raise InvalidInput("external_refs entries need 'namespace' and 'ref'")
        refs.append((str(item["namespace"]), str(item["ref"])))
    person = DraftPerson(
        ref=ref,
        kinds=[enum_value(PersonKind, k, "person kind") for k in record.get("kinds") or ["victim"]],
        sensitivity=enum_value(Sensitivity, record.get("sensitivity") or "internal", "sensitivity"),
        names=names,
        external_refs=refs or [(list_name, ref)],
    )
    claims = []
    for index, raw in enumerate(record.get("claims") or []):
        if not isinstance(raw, dict):
            raise InvalidInput(f"claims[{index}]: a claim must be an object")
        try:
            claims.append(make_claim(raw, gazetteer, ClaimStatus.ACCEPTED, ref))
        except InvalidInput as exc:
            raise InvalidInput(f"claims[{index}]: {exc}") from None
    return person, claims
