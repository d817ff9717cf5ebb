"""The proposals queue: what ``guwah ingest`` extracted, each proposal beside its passage,
grouped by source, to accept (a person: linked to a candidate or created; a claim: as
proposed or corrected), reject or take back.

Acting on one proposal redraws just its card (htmx); without JavaScript the form posts
and the browser is sent back to the queue. The services decide and audit everything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import groupby
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from guwah.model.errors import InvalidInput
from guwah.secure.policy import Action
from guwah.services import proposal_listing, proposal_review
from guwah.services.proposal_records import STATUSES
from guwah.services.proposal_review import Decision
from guwah.web import i18n
from guwah.web.context import DeskUser, checked_form, is_htmx, safe_next, signed_in
from guwah.web.render import render

router = APIRouter(include_in_schema=False)

PAGE = 100  # proposals on one page (a source's proposals stay in order)
SHOWN = (*STATUSES, "all")
PROPOSAL_ID = r"^[Xx]-[0-9]{1,9}$"  # nine digits at most: a 32-bit number in every database
_PERSON_ID = re.compile(r"^[Pp]-[0-9]{1,9}$")
_SOURCE_ID = re.compile(r"^[Ss]-[0-9]{1,9}$")
MAX_NAMES = 20

NO_NUL = r"^[^\x00]*$"  # PostgreSQL cannot store NUL, and no text typed here has one
ProposalId = Annotated[str, Path(pattern=PROPOSAL_ID)]
Short = Annotated[str, Form(max_length=200, pattern=NO_NUL)]
Note = Annotated[str, Form(max_length=2000, pattern=NO_NUL)]
Long = Annotated[str, Form(max_length=5000, pattern=NO_NUL)]
Back = Annotated[str, Form(max_length=500)]  # only ever a path on this site (safe_next)


@dataclass
class Card:
    """One proposal as its card shows it, with what the last action on it said."""

    item: dict[str, Any]
    candidates: list[dict[str, Any]] = field(default_factory=list)
    message: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return bool(self.item["status"] == "proposed")

    @property
    def waiting(self) -> dict[str, Any] | None:
        """The person proposal a claim waits for (accept it first), if any."""
        for who in (self.item.get("subject"), self.item.get("target")):
            if who and who.get("person") is None:
                return dict(who)
        return None

    @property
    def value_hint(self) -> str:
        """The proposed value as JSON, the shape a corrected value takes."""
        value = self.item["payload"].get("value")
        return json.dumps(value, ensure_ascii=False) if value else ""

    @property
    def undoable(self) -> bool:
        """Accepting a person cannot be undone (their names are recorded)."""
        item = self.item
        return not self.open and not (item["kind"] == "person" and item["status"] != "rejected")


def _card(user: DeskUser, item: dict[str, Any], decision: Decision | None = None) -> Card:
    card = Card(item)
    if card.open and item["kind"] == "person" and user.may(Action.MATCH):
        card.candidates = proposal_review.candidates_for(user.archive, item["payload"])
    if decision is not None:
        card.message = decision.message
        card.notes = list(decision.notes)
    return card


def _listing(status: str, source: str) -> str:
    query = {k: v for k, v in (("status", status), ("source", source)) if v}
    return "/review/proposals" + ("?" + urlencode(query) if query else "")


@router.get("/review/proposals")
def proposals_page(
    request: Request,
    status: Annotated[str, Query(max_length=20)] = "proposed",
    source: Annotated[str, Query(max_length=20)] = "",
    user: DeskUser = Depends(signed_in),
) -> Response:
    if status not in SHOWN:
        raise InvalidInput(i18n._("status must be one of: ") + ", ".join(SHOWN))
    source = source.strip()
    if source and not _SOURCE_ID.match(source):
        raise InvalidInput(i18n._("not a source id: ") + repr(source) + " (S-000123)")
    found = proposal_listing.list_proposals(
        user.archive,
        source=source or None,
        status=None if status == "all" else status,
        limit=PAGE + 1,
    )
    cards = [_card(user, item) for item in found[:PAGE]]
    groups = [
        (key, list(members)) for key, members in groupby(cards, key=lambda c: c.item["source"])
    ]
    context = {
        "groups": groups,
        "more": len(found) > PAGE,
        "status": status,
        "source": source,
        "statuses": SHOWN,
        "waiting": proposal_listing.count_proposed(user.archive),
        "back": _listing(status, source),
    }
    return render(request, "review_proposals.html", context)


def waiting_event(source: str) -> str:
    """The htmx event after which the cards of a source that wait for a person redraw."""
    return f"people-{source}"


def _answer(request: Request, user: DeskUser, decision: Decision, back: str) -> Response:
    """The redrawn card for htmx (and, when a person was accepted, an event that redraws
    the cards waiting for them); otherwise back to the queue, at the proposal."""
    if is_htmx(request):
        item = proposal_listing.show_proposal(user.archive, decision.proposal)
        card = _card(user, item, decision)
        answer = render(request, "fragments/review_proposal.html", {"card": card, "back": back})
        if item["kind"] == "person":
            answer.headers["HX-Trigger"] = waiting_event(item["source"])
        return answer
    target = safe_next(back)
    return RedirectResponse(f"{target}#{decision.proposal}", status_code=303)


@router.get("/review/proposals/{proposal_id}/card")
def proposal_card(
    request: Request,
    proposal_id: ProposalId,
    back: Annotated[str, Query(max_length=500)] = "/review/proposals",
    user: DeskUser = Depends(signed_in),
) -> Response:
    """One card as it is now (htmx redraws a card whose person was just accepted)."""
    card = _card(user, proposal_listing.show_proposal(user.archive, proposal_id))
    context = {"card": card, "back": safe_next(back)}
    return render(request, "fragments/review_proposal.html", context)


def _value(text: str) -> dict[str, Any] | None:
    """The corrected value of a claim, typed as a JSON object (empty: as proposed)."""
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise InvalidInput(i18n._('the value must be a JSON object, like {"years": 12}'))
    return value


def _person(choice: str) -> tuple[str | None, bool]:
    """The person a person proposal is: ``new``, a P-… id, or none chosen yet."""
    choice = choice.strip()
    if not choice:
        return None, False
    if choice == "new":
        return None, True
    if not _PERSON_ID.match(choice):
        raise InvalidInput(i18n._("not a person id: ") + repr(choice[:40]))
    return choice, False


def _names(text: str) -> list[str]:
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if len(names) > MAX_NAMES or any(len(n) > 200 for n in names):
        raise InvalidInput(i18n._("at most 20 other names, each of 200 characters at most"))
    return names


@router.post("/review/proposals/{proposal_id}/accept")
def accept_proposal(
    request: Request,
    proposal_id: ProposalId,
    person: Short = "",
    names: Long = "",
    no_attributes: Short = "",
    value: Long = "",
    date: Short = "",
    place: Short = "",
    note: Note = "",
    back: Back = "/review/proposals",
    user: DeskUser = Depends(checked_form),
) -> Response:
    chosen, new = _person(person)
    decision = proposal_review.accept(
        user.archive, proposal_id, person=chosen, new=new, names=_names(names),
        attributes=not no_attributes, value=_value(value), date=date.strip() or None,
        place=place.strip() or None, note=note.strip() or None,
    )  # fmt: skip
    return _answer(request, user, decision, back)


@router.post("/review/proposals/{proposal_id}/reject")
def reject_proposal(
    request: Request,
    proposal_id: ProposalId,
    note: Note = "",
    back: Back = "/review/proposals",
    user: DeskUser = Depends(checked_form),
) -> Response:
    decision = proposal_review.reject(user.archive, proposal_id, note.strip() or None)
    return _answer(request, user, decision, back)


@router.post("/review/proposals/{proposal_id}/undo")
def undo_proposal(
    request: Request,
    proposal_id: ProposalId,
    back: Back = "/review/proposals",
    user: DeskUser = Depends(checked_form),
) -> Response:
    decision = proposal_review.undo(user.archive, proposal_id)
    return _answer(request, user, decision, back)
