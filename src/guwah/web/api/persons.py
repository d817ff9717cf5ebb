"""People: list and search (``services.query.find_people``), one person in full and their
claims (``services.query.show_person``), as far as the token's role may see them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from guwah.model.vocab import ClaimKind, ClaimStatus, VictimStatus
from guwah.services.person_json import claim_json, detail_json
from guwah.services.query import find_people, show_person
from guwah.web.api.auth import ApiUser, api_user
from guwah.web.api.common import Limit, Offset, Words
from guwah.web.api.models import (
    NO_NUL,
    PERSON_ID,
    ClaimList,
    ClaimOut,
    PersonDocument,
    PersonPage,
    PersonRow,
)

router = APIRouter(tags=["people"])

Status = Annotated[VictimStatus | None, Query(description="derived status of a victim")]
Ethnicity = Annotated[str | None, Query(max_length=100, pattern=NO_NUL)]
Place = Annotated[
    str | None,
    Query(max_length=200, pattern=NO_NUL, description="home or detention place, any language"),
]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="year of latest detention")]
PersonPath = Annotated[str, Path(pattern=PERSON_ID, examples=["P-000001"])]


def _page(
    user: ApiUser,
    q: str | None,
    status: VictimStatus | None,
    ethnicity: str | None,
    place: str | None,
    year: int | None,
    limit: int,
    offset: int,
) -> PersonPage:
    rows = find_people(
        user.archive, q, status=status.value if status else None, ethnicity=ethnicity,
        place=place, year=year, limit=limit, offset=offset,
    )  # fmt: skip
    return PersonPage(items=[PersonRow(**row) for row in rows], limit=limit, offset=offset)


@router.get("/persons", summary="List or search people")
def list_people(
    user: Annotated[ApiUser, Depends(api_user)],
    q: Words = None,
    status: Status = None,
    ethnicity: Ethnicity = None,
    place: Place = None,
    year: Year = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> PersonPage:
    """People by name in any script and by text, with filters. Searching for an ID number
    (six or more digits) needs the restricted level: others are refused (403, audited)."""
    return _page(user, q, status, ethnicity, place, year, limit, offset)


@router.get("/search", summary="Search people by name or text")
def search(
    user: Annotated[ApiUser, Depends(api_user)],
    q: Annotated[str, Query(min_length=1, max_length=200, pattern=NO_NUL)],
    status: Status = None,
    ethnicity: Ethnicity = None,
    place: Place = None,
    year: Year = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> PersonPage:
    """The same as ``/persons`` with the words required."""
    return _page(user, q, status, ethnicity, place, year, limit, offset)


@router.get("/persons/{person_id}", summary="One person in full")
def person(user: Annotated[ApiUser, Depends(api_user)], person_id: PersonPath) -> PersonDocument:
    """Names in every script, the current view with the sources behind each value and the
    conflicting values, claims, sources and cases: the document of ``guwah show --json``.
    A person merged into another gives the kept person (``asked_for`` says so)."""
    return PersonDocument.model_validate(detail_json(show_person(user.archive, person_id)))


@router.get("/claims", summary="The claims of a person")
def claims(
    user: Annotated[ApiUser, Depends(api_user)],
    person: Annotated[str, Query(pattern=PERSON_ID, examples=["P-000001"])],
    kind: ClaimKind | None = None,
    status: ClaimStatus | None = None,
) -> ClaimList:
    """Every claim of the person (and of those merged into them) that the role may see;
    withheld values read ``[RESTRICTED]``."""
    detail = show_person(user.archive, person)
    found = [
        ClaimOut.model_validate(claim_json(c))
        for c in detail.claims
        if (kind is None or c.kind is kind) and (status is None or c.status is status)
    ]
    return ClaimList(person=detail.person.id, claims=found)
