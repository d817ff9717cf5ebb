"""The interface language of the public site, chosen as on the desk (a cookie)."""

from __future__ import annotations

from fastapi import APIRouter

from guwah.web.routes.auth import language

router = APIRouter(include_in_schema=False)
router.add_api_route("/lang/{code}", language, methods=["GET"])
