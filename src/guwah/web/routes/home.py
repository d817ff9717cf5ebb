"""The desk's first page: what is in the archive and what waits for someone."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from guwah.secure.policy import Action
from guwah.services.proposal_listing import count_proposed
from guwah.services.query import archive_stats
from guwah.services.review import list_items
from guwah.web.context import DeskUser, signed_in
from guwah.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, user: DeskUser = Depends(signed_in)) -> Response:
    stats = archive_stats(user.archive)
    waiting = {}
    if user.may(Action.REVIEW_PROPOSALS):
        waiting["proposals"] = count_proposed(user.archive)
    if user.may(Action.REVIEW_LIST):
        waiting["duplicates"] = len(list_items(user.archive, "open", limit=500))
    return render(request, "home.html", {"stats": stats, "waiting": waiting})


@router.get("/favicon.ico")
def favicon() -> Response:
    return RedirectResponse("/static/favicon.svg", status_code=301)
