"""Is this person already in the archive? (``services.matching.match_person``)"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from guwah.services.matching import match_person
from guwah.web.api.auth import ApiUser, api_user
from guwah.web.api.models import NO_NUL, Candidate, Matches

router = APIRouter(tags=["matching"])


class Gender(str, Enum):
    MALE = "male"
    FEMALE = "female"


@router.get("/match", summary="Find who may be the person described")
def match(
    user: Annotated[ApiUser, Depends(api_user)],
    name: Annotated[str, Query(min_length=1, max_length=200, pattern=NO_NUL)],
    birth_year: Annotated[int | None, Query(ge=1880, le=2100)] = None,
    gender: Gender | None = None,
    place: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Matches:
    """Candidates across scripts (a name in Uyghur Arabic, Cyrillic, Chinese or Latin),
    best first, each with the reasons it matched; only people the role may see. Matching
    by ID number is left to the command line (``guwah match --id-number``), so that ID
    numbers never travel in URLs."""
    found = match_person(
        user.archive, name, birth_year=birth_year, gender=gender.value if gender else None,
        place=place, limit=limit,
    )  # fmt: skip
    return Matches(candidates=[Candidate.model_validate(c.as_dict()) for c in found])
