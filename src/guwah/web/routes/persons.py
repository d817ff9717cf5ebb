"""The person page: names by script, the current view with its sources, the timeline,
relatives, evidence and the campaign."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from guwah.model.claimvalues import describe_value
from guwah.model.gazetteer import load_gazetteer
from guwah.model.records import Claim
from guwah.model.view import best_name
from guwah.model.vocab import ClaimKind, ClaimStatus
from guwah.secure.policy import Action
from guwah.services.evidence import files_of_sources
from guwah.services.query import PersonDetail, show_person
from guwah.web import i18n
from guwah.web.context import DeskUser, signed_in
from guwah.web.render import render

router = APIRouter(include_in_schema=False)

SCRIPT_ORDER = ("Latn", "Cyrl", "Arab", "Hani")


@dataclass
class TimelineEvent:
    date: str
    claim: Claim
    text: str


def place_name(code: str | None, text: str | None = None) -> str:
    if code:
        place = load_gazetteer().get(code)
        if place is not None:
            return place.display_name(i18n.current())
    return text or ""


def claim_text(claim: Claim) -> str:
    return describe_value(claim.kind, claim.value)


def names_by_script(detail: PersonDetail) -> list[tuple[str, list[Any]]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for name in detail.person.names:
        grouped[name.script.value].append(name)
    order = [s for s in SCRIPT_ORDER if s in grouped] + sorted(set(grouped) - set(SCRIPT_ORDER))
    return [(script, grouped[script]) for script in order]


def timeline(detail: PersonDetail) -> list[TimelineEvent]:
    events = [
        TimelineEvent(c.date, c, claim_text(c))
        for c in detail.claims
        if c.date and c.status is not ClaimStatus.REJECTED and c.kind is not ClaimKind.RELATION
    ]
    return sorted(events, key=lambda e: (e.date.replace("X", "0"), e.claim.id))


def relatives(detail: PersonDetail) -> list[dict[str, Any]]:
    """Relation claims both ways, each with the other person's best name when shown."""
    found: list[dict[str, Any]] = []
    for claim in detail.claims:
        if claim.kind is ClaimKind.RELATION and claim.related_person:
            found.append(
                {"id": claim.related_person, "relation": claim.value.get("relation"),
                 "claim": claim, "direction": "of"}
            )  # fmt: skip
    for claim in detail.claims_about:
        found.append(
            {"id": claim.person_id, "relation": claim.value.get("relation"),
             "claim": claim, "direction": "to"}
        )  # fmt: skip
    for item in found:
        other = detail.related.get(item["id"])
        item["name"] = best_name(other.names) if other is not None and other.names else None
    return found


@router.get("/persons/{public_id}")
def person_page(request: Request, public_id: str, user: DeskUser = Depends(signed_in)) -> Response:
    detail = show_person(user.archive, public_id)
    if detail.asked_for and detail.asked_for != detail.person.id:
        return RedirectResponse(f"/persons/{detail.person.id}", status_code=303)
    evidence = []
    if user.may(Action.EVIDENCE_LIST):
        evidence = files_of_sources(user.archive, list(detail.sources))
    context = {
        "detail": detail,
        "person": detail.person,
        "view": detail.view,
        "names": names_by_script(detail),
        "timeline": timeline(detail),
        "relatives": relatives(detail),
        "evidence": evidence,
        "claim_text": claim_text,
        "place_name": place_name,
    }
    return render(request, "person.html", context)
