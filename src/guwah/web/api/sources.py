"""One source as the token's role may see it (``services.sources.show_source``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from guwah.services.person_json import claim_json
from guwah.services.sources import show_source
from guwah.web.api.auth import ApiUser, api_user
from guwah.web.api.common import MAX_PAGE
from guwah.web.api.models import (
    SOURCE_ID,
    SourceClaim,
    SourceDocument,
    SourcePerson,
    SubjectOut,
)

router = APIRouter(tags=["sources"])


@router.get("/sources/{source_id}", summary="One source")
def source(
    user: Annotated[ApiUser, Depends(api_user)],
    source_id: Annotated[str, Path(pattern=SOURCE_ID, examples=["S-000001"])],
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="claims listed")] = MAX_PAGE,
) -> SourceDocument:
    """The document, its testifier (below the restricted level only with the testifier's
    consent), the people it speaks of that the role may see, and its first claims. A
    source above the role's level is refused (403, audited)."""
    detail = show_source(user.archive, source_id, limit=limit)
    shown = detail.source
    return SourceDocument(
        id=shown.id,
        kind=shown.kind.value,
        title=shown.title,
        date=shown.date,
        language=shown.language,
        url=shown.url,
        archive_ref=shown.archive_ref,
        testifier=shown.testifier_id,
        subjects=[SubjectOut(person=s.person_id, relation=s.relation) for s in shown.subjects],
        original_text=shown.original_text,
        reliability=shown.reliability,
        sensitivity=shown.sensitivity.value,
        list_name=shown.list_name,
        people=[
            SourcePerson(
                id=p.id,
                name=p.names[0].text if p.names else None,
                kinds=[k.value for k in p.kinds],
            )
            for p in detail.people.values()
        ],
        claims=[SourceClaim(person=c.person_id, **claim_json(c)) for c in detail.claims],
        more_claims=detail.total_claims > limit,
    )
