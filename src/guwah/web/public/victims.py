"""The public list of victims (search by a name in any script, paging) and a victim's page.

A record the public level does not show answers exactly like one that does not exist
(404, the same words): the public must not learn that a hidden record is there.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from guwah.model.errors import AccessDenied, InvalidInput, NotFound
from guwah.services.archive import Archive
from guwah.services.query import PersonDetail, find_people, may_see, show_person
from guwah.web import i18n
from guwah.web.public.pages import (
    Links,
    cached_victims,
    is_victim,
    place_name,
    public_archive,
    victim_page,
)
from guwah.web.render import render

router = APIRouter(include_in_schema=False)

PAGE = 50
MAX_PAGE = 10_000
# the public search is by name: a run of digits is (part of) an ID number, which the
# public level may not search by; refused here without a round to the services, whose
# refusal would write an audit entry for every such request from anyone
_DIGITS = re.compile(r"\d{6,}")


def no_such_page() -> HTTPException:
    return HTTPException(404, i18n._("There is no such page."))


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page") or "1"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise InvalidInput(i18n._("the page must be a number from 1 to 10000"))
    return int(raw)


@router.get("/")
def victims_list(request: Request, archive: Archive = Depends(public_archive)) -> Response:
    q = request.query_params.get("q", "").strip()[:200]
    page = _page_number(request)
    rows: list[Any] = []
    error = None
    total: int | None = None
    more = False
    if q and _DIGITS.search(q):
        error = i18n._("Search by name: ID numbers cannot be searched here.")
    elif q:
        try:
            found = find_people(
                archive, q, victims_only=True, limit=PAGE + 1, offset=(page - 1) * PAGE
            )
        except InvalidInput as exc:
            error = str(exc)
        else:
            rows, more = found[:PAGE], len(found) > PAGE
    else:
        victims = cached_victims(request, archive)
        total = len(victims)
        rows = victims[(page - 1) * PAGE : page * PAGE]
        more = page * PAGE < total

    def link(number: int) -> str:
        params = {k: v for k, v in (("q", q), ("page", number)) if v and v != 1}
        return "/" + (f"?{urlencode(params)}" if params else "")

    context = {
        "site": Links(),
        "path": request.url.path,
        "q": q,
        "rows": rows,
        "total": total,
        "error": error,
        "page": page,
        "previous": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if more else None,
        "place_name": place_name,
    }
    return render(request, "public/index.html", context, 400 if error else 200)


def public_detail(archive: Archive, public_id: str) -> PersonDetail:
    """The victim as the public level shows them; 404 for anything else (unknown, hidden,
    not a victim), with the same words each time."""
    try:
        if not may_see(archive, public_id):  # no access.denied entry per stranger's guess
            raise no_such_page()
        detail = show_person(archive, public_id)
    except (AccessDenied, NotFound, InvalidInput):
        raise no_such_page() from None
    if not is_victim(detail):
        raise no_such_page()
    return detail


@router.get("/victims/{public_id}")
def victim(
    request: Request, public_id: str, archive: Archive = Depends(public_archive)
) -> Response:
    detail = public_detail(archive, public_id)
    if detail.asked_for and detail.asked_for != detail.person.id:
        return RedirectResponse(f"/victims/{detail.person.id}", status_code=301)
    context = {"site": Links(), "path": request.url.path, "v": victim_page(detail)}
    return render(request, "public/victim.html", context)
