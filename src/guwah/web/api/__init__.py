"""The JSON API under ``/api/v1``: people, sources, claims, search, matching and review,
for scripts and partner tools. Token auth (``api.auth``), the services' policy and audit
as on the desk, paging limits, and an OpenAPI document at ``/api/v1/openapi.json``
(made from the models in ``api.models``; the desk's pages stay out of it)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from guwah.web.api import matching, persons, review, sources
from guwah.web.api.common import ERRORS, known_parameters

PREFIX = "/api/v1"


def api_router() -> APIRouter:
    combined = APIRouter(
        prefix=PREFIX,
        include_in_schema=True,
        responses=ERRORS,
        dependencies=[Depends(known_parameters)],
    )
    for module in (persons, sources, matching, review):
        combined.include_router(module.router)
    return combined
