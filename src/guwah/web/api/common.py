"""What every API route shares: the paging limits, query parameter types and the errors
the OpenAPI document describes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from guwah.web.api.models import NO_NUL, ApiError

MAX_PAGE = 100  # people, candidates, review items per answer
MAX_OFFSET = 10_000  # further pages: narrow the search instead

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"at most {MAX_PAGE}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="results to skip (paging)")]
Words = Annotated[str | None, Query(max_length=200, pattern=NO_NUL)]

# Declaring 4XX (instead of FastAPI's default 422) says what a client really gets: one
# line of JSON for bad input (400), no or a bad token (401), a refusal by the policy (403,
# audited), an unknown record (404), a decided item (409), too many failed sign-ins (429).
ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ApiError, "description": "Refused: one line saying why; nothing changed."},
    503: {"model": ApiError, "description": "The archive is locked (`guwah lock`)."},
}


def known_parameters(request: Request) -> None:
    """Refuse a query parameter the operation does not take: a typo (``limt=5``) would
    otherwise be ignored without a word and give an answer to another question."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route.dependant)
    for name in request.query_params:
        if name not in known:
            takes = ", ".join(sorted(known)) or "none"
            raise HTTPException(400, f"unknown query parameter {name[:40]!r} (it takes: {takes})")


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names
