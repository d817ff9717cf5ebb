"""Review queues: possible duplicates (``services.review``) and what ingest proposed
(``services.proposal_listing``, ``services.proposal_review``). Editors and admins only:
the services refuse other roles (403, audited)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Query

from guwah.model.records import format_id
from guwah.services import proposal_listing, proposal_review, review
from guwah.store.matching import ReviewItem as StoredItem
from guwah.web.api.auth import ApiUser, api_user
from guwah.web.api.common import Limit
from guwah.web.api.models import (
    MAX_ID,
    PROPOSAL_ID,
    SOURCE_ID,
    AcceptProposal,
    DuplicateDecision,
    Proposal,
    ProposalDecision,
    Proposals,
    RejectProposal,
    ReviewItem,
    ReviewItems,
    ReviewOutcome,
)

router = APIRouter(prefix="/review", tags=["review"])

User = Annotated[ApiUser, Depends(api_user)]
ProposalPath = Annotated[str, Path(pattern=PROPOSAL_ID, examples=["X-000001"])]


class DuplicateStatus(str, Enum):  # services.review.STATUSES, and all of them
    OPEN = "open"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    MERGED = "merged"
    SPLIT = "split"
    STALE = "stale"
    ALL = "all"


class ProposalStatus(str, Enum):  # services.proposal_records.STATUSES, and all of them
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    EDITED = "edited"
    REJECTED = "rejected"
    ALL = "all"


class Decision(str, Enum):
    CONFIRM = "confirm"
    REJECT = "reject"
    MERGE = "merge"
    SPLIT = "split"
    UNDO = "undo"


def _wanted(status: DuplicateStatus | ProposalStatus) -> str | None:
    return None if status.value == "all" else status.value


@router.get("/duplicates", summary="Possible duplicates waiting for a judgement")
def duplicates(
    user: User,
    status: DuplicateStatus = DuplicateStatus.OPEN,
    limit: Limit = 50,
) -> ReviewItems:
    """Clusters filed by ``guwah dedupe``, with each person's names and facts."""
    items = review.list_items(user.archive, _wanted(status), limit)
    return ReviewItems(items=[ReviewItem.model_validate(item) for item in items])


def _outcome(item: StoredItem) -> ReviewOutcome:
    return ReviewOutcome(
        item=item.id,
        status=item.status,
        people=[format_id("person", p) for p in item.person_ids],
        decided_by=item.decided_by,
        decided_at=item.decided_at,
    )


@router.post("/duplicates/{item}/{decision}", summary="Judge a cluster, or undo a judgement")
def decide(
    user: User,
    item: Annotated[int, Path(ge=1, le=MAX_ID)],
    decision: Decision,
    options: Annotated[DuplicateDecision | None, Body()] = None,
) -> ReviewOutcome:
    """``confirm`` (the same person), ``reject`` (different people), ``merge`` (one record
    from now on; ``keep`` chooses which), ``split`` (``groups``), or ``undo`` a decided
    item. Who and when are recorded; the audit log gets an entry."""
    if decision is Decision.UNDO:
        return _outcome(review.undo(user.archive, item))
    given = options or DuplicateDecision()
    groups = [list(group) for group in given.groups]
    decided = review.decide(
        user.archive, item, decision.value, groups=groups, keep=given.keep, note=given.note
    )
    return _outcome(decided)


@router.get("/proposals", summary="What ingest proposed, beside its passage")
def proposals(
    user: User,
    status: ProposalStatus = ProposalStatus.PROPOSED,
    source: Annotated[str | None, Query(pattern=SOURCE_ID)] = None,
    limit: Limit = 50,
) -> Proposals:
    """Proposals in source order, each with the passage it comes from (the evidence
    marked ⟦ ⟧) and the people it is about."""
    found = proposal_listing.list_proposals(
        user.archive, source=source, status=_wanted(status), limit=limit
    )
    return Proposals(items=[Proposal.model_validate(p) for p in found])


@router.post("/proposals/{proposal_id}/accept", summary="Accept a proposal")
def accept(
    user: User,
    proposal_id: ProposalPath,
    options: Annotated[AcceptProposal | None, Body()] = None,
) -> ProposalDecision:
    """A person proposal is linked to ``person`` or made a ``new`` person (without either,
    nothing is decided and the candidates are returned); a claim becomes an accepted claim
    quoting its passage, with optional corrections."""
    given = options or AcceptProposal()
    decided = proposal_review.accept(
        user.archive, proposal_id, person=given.person, new=given.new, names=given.names,
        attributes=given.attributes, value=given.value, date=given.date, place=given.place,
        note=given.note,
    )  # fmt: skip
    return ProposalDecision.model_validate(decided.as_json())


@router.post("/proposals/{proposal_id}/reject", summary="Reject a proposal")
def reject(
    user: User,
    proposal_id: ProposalPath,
    options: Annotated[RejectProposal | None, Body()] = None,
) -> ProposalDecision:
    note = options.note if options else None
    return ProposalDecision.model_validate(
        proposal_review.reject(user.archive, proposal_id, note).as_json()
    )


@router.post("/proposals/{proposal_id}/undo", summary="Take a decision back")
def undo(user: User, proposal_id: ProposalPath) -> ProposalDecision:
    """The proposal is open again; a claim its acceptance made is rejected (kept)."""
    return ProposalDecision.model_validate(
        proposal_review.undo(user.archive, proposal_id).as_json()
    )
