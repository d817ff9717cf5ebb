"""From a proposal's payload to the drafts ``services.writing`` records: a person's name
forms, kinds and attribute claims; a claim or relation as an accepted claim quoting its
passage (the reviewer's value, date and place winning over the proposal's)."""

from __future__ import annotations

from typing import Any

from guwah.model.claimvalues import check_value
from guwah.model.dates import normalise_date
from guwah.model.errors import InvalidInput
from guwah.model.gazetteer import load_gazetteer
from guwah.model.records import format_id
from guwah.model.vocab import ClaimKind, ClaimStatus, PersonKind
from guwah.services.drafts import DraftClaim, DraftName, enum_value, make_name, resolve_place
from guwah.services.proposal_records import Proposal

ROLE_KINDS = {
    "victim": PersonKind.VICTIM,
    "witness": PersonKind.TESTIFIER,
    "testifier": PersonKind.TESTIFIER,
    "official": PersonKind.OFFICIAL,
    "perpetrator": PersonKind.OFFICIAL,
}
# Relation words an extractor may use beside the archive's vocabulary.

RELATION_WORDS = {
    "brother": "sibling", "sister": "sibling", "son": "child", "daughter": "child",
    "husband": "spouse", "wife": "spouse", "parent": "other_relative",
    "relative": "other_relative", "uncle": "other_relative", "aunt": "other_relative",
    "grandmother": "other_relative", "grandfather": "other_relative",
}  # fmt: skip

ATTRIBUTE_KINDS = {
    "ethnicity": ClaimKind.ETHNICITY,
    "profession": ClaimKind.PROFESSION,
    "gender": ClaimKind.GENDER,
    "birth_year": ClaimKind.BORN,
    "home": ClaimKind.RESIDENT_OF,
}

REF, TARGET = "subject", "target"  # person refs inside the batches written from proposals


def name_forms(payload: dict[str, Any], extra: Any = ()) -> list[DraftName]:
    """A person proposal's name forms (and the reviewer's), each once."""
    forms: list[DraftName] = []
    for text in [*(str(n) for n in payload.get("names") or []), *extra]:
        form = make_name(text)
        if all(f.text != form.text for f in forms):
            forms.append(form)
    return forms


def person_kinds(payload: dict[str, Any]) -> list[PersonKind]:
    roles = payload.get("roles") or []
    return sorted({ROLE_KINDS[r] for r in roles if r in ROLE_KINDS}, key=lambda k: k.value)


def attribute_claims(attributes: dict[str, Any]) -> tuple[list[DraftClaim], list[str]]:
    """The person's proposed attributes as accepted claims; what cannot be one is noted."""
    claims, notes = [], []
    gazetteer = load_gazetteer()
    for key, raw in attributes.items():
        kind = ATTRIBUTE_KINDS.get(key)
        if kind is None or raw in (None, ""):
            notes.append(f"attribute {key} ({raw}) not recorded: no claim kind for it")
            continue
        place_code = place_text = None
        try:
            if kind is ClaimKind.BORN:
                value = check_value(kind, {"year": raw})
            elif kind is ClaimKind.RESIDENT_OF:
                value = {}
                place_code, place_text = resolve_place(gazetteer, raw)
            else:
                value = check_value(kind, {"text": raw})
        except InvalidInput as exc:
            notes.append(f"attribute {key} not recorded: {exc}")
            continue
        claims.append(
            DraftClaim(REF, kind, value, ClaimStatus.ACCEPTED, None, place_code, place_text)
        )
    return claims, notes


def claim_draft(
    found: Proposal,
    value: dict[str, Any] | None,
    date: str | None,
    place: str | None,
    target: int | None,
) -> DraftClaim:
    payload = found.payload
    hint = f" (give it with --value, --date or --place: guwah review accept {found.id} ...)"
    try:
        if found.kind == "relation":
            kind = ClaimKind.RELATION
            relation = str(payload.get("type", ""))
            raw: dict[str, Any] = {"relation": RELATION_WORDS.get(relation, relation)}
        else:
            kind = enum_value(ClaimKind, payload.get("kind"), "claim kind")
            raw = dict(payload.get("value") or {})
            reason = payload.get("reason")
            if reason and "reason" not in raw:
                raw = _with_reason(kind, raw, str(reason))
        if value is not None:
            raw = {**raw, **value} if found.kind == "relation" else dict(value)
        if target is not None:
            raw["person"] = format_id("person", target)
        checked = check_value(kind, raw)
        related = TARGET if checked.pop("person", None) else None
        when = normalise_date(date if date is not None else payload.get("date"))
        where = place if place is not None else payload.get("place") or payload.get("place_text")
        place_code, place_text = resolve_place(load_gazetteer(), where)
    except InvalidInput as exc:
        raise InvalidInput(f"{found.id}: {exc}{hint}") from None
    if kind is ClaimKind.RELATION and related is None:
        raise InvalidInput(f"{found.id}: a relation needs the person it relates to")
    return DraftClaim(
        REF, kind, checked, ClaimStatus.ACCEPTED, when, place_code, place_text,
        found.text, related,
    )  # fmt: skip


def _with_reason(kind: ClaimKind, value: dict[str, Any], reason: str) -> dict[str, Any]:
    """The stated reason in the value: its own key where the kind has one, else in words."""
    if kind in (ClaimKind.DETAINED, ClaimKind.TRANSFERRED, ClaimKind.SENTENCED):
        return {**value, "reason": reason}
    if kind in (ClaimKind.FLED, ClaimKind.RELATION, ClaimKind.BORN, ClaimKind.GENDER,
                ClaimKind.ID_NUMBER):  # fmt: skip
        return value
    text = str(value.get("text") or "").strip()
    return {**value, "text": f"{text} (reason: {reason})" if text else f"reason: {reason}"}
