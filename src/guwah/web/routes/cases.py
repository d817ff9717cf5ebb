"""Campaigns on the desk: the list of campaigns needing action (or all, filtered), one
campaign with its actions, and the forms that change them.

The small updates (status, owner and next steps; adding an action; ticking one done) are
htmx requests answered with the part of the page they change; the same forms work as
plain posts without scripts (answered with a redirect back to the campaign).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from guwah.model.errors import InvalidInput
from guwah.model.vocab import ActionKind, CaseStatus
from guwah.services import cases as service
from guwah.services.case_entry import CaseEntry, CaseList
from guwah.web import i18n
from guwah.web.context import DeskUser, checked_form, is_htmx, signed_in
from guwah.web.render import render

router = APIRouter(include_in_schema=False)

PAGE = 50
VIEWS = ("needing", "all")


@dataclass
class ListQuery:
    """The list's filters as typed (kept in the form and in paging links)."""

    view: str = "needing"
    status: str = ""
    owner: str = ""
    page: int = 1

    @classmethod
    def of(cls, request: Request) -> ListQuery:
        params = request.query_params
        view = params.get("view", "needing").strip() or "needing"
        status = params.get("status", "").strip()[:50]
        owner = params.get("owner", "").strip()[:200]
        try:
            page = int(params.get("page") or 1)
        except ValueError:
            raise InvalidInput(i18n._("the page must be a number")) from None
        return cls(view, status, owner, max(1, min(page, 10_000)))

    def link(self, **changes: Any) -> str:
        values = {"view": self.view, "status": self.status, "owner": self.owner, "page": 1}
        values.update(changes)
        return "?" + urlencode({k: v for k, v in values.items() if v not in ("", None, 1)})

    def arguments(self, today: dt.date) -> dict[str, Any]:
        if self.view not in VIEWS:
            raise InvalidInput(f"unknown view {self.view!r} (one of: {', '.join(VIEWS)})")
        needing = self.view == "needing"
        return {
            "status": self.status or None,
            "owner": self.owner or None,
            "due_by": today + dt.timedelta(days=service.DUE_SOON_DAYS) if needing else None,
            "idle_days": service.IDLE_DAYS if needing else None,
        }


@router.get("/cases")
def cases_page(request: Request, user: DeskUser = Depends(signed_in)) -> Response:
    query = ListQuery.of(request)
    today = dt.date.today()
    error = None
    found = CaseList([], 0)
    try:
        arguments = query.arguments(today)
        found = service.list_cases(
            user.archive, today=today, limit=PAGE, offset=(query.page - 1) * PAGE, **arguments
        )
    except InvalidInput as exc:
        error = str(exc)
    context = {
        "query": query,
        "found": found,
        "more": found.total > query.page * PAGE,
        "error": error,
        "statuses": [s.value for s in CaseStatus],
        "soon": today + dt.timedelta(days=service.DUE_SOON_DAYS),
        "due_soon_days": service.DUE_SOON_DAYS,
        "idle_days": service.IDLE_DAYS,
    }
    return render(request, "cases.html", context, 400 if error else 200)


def _context(entry: CaseEntry, saved: bool = False) -> dict[str, Any]:
    return {
        "entry": entry,
        "case": entry.case,
        "saved": saved,
        "statuses": [s.value for s in CaseStatus],
        "kinds": [k.value for k in ActionKind],
    }


@router.get("/cases/{case_id}")
def case_page(
    request: Request, case_id: str, saved: str = "", user: DeskUser = Depends(signed_in)
) -> Response:
    entry = service.get_case(user.archive, case_id)
    if entry.id != case_id:  # k-12 or K-12: the canonical address
        return RedirectResponse(f"/cases/{entry.id}", status_code=303)
    return render(request, "cases_detail.html", _context(entry, saved == "1"))


def _answer(request: Request, entry: CaseEntry, fragment: str, anchor: str) -> Response:
    """The changed part of the page for htmx; a redirect back to the campaign otherwise."""
    if is_htmx(request):
        return render(request, fragment, _context(entry, saved=True))
    return RedirectResponse(f"/cases/{entry.id}?saved=1#{anchor}", status_code=303)


@router.post("/cases/open")
def open_case(
    request: Request,
    person: Annotated[str, Form(max_length=40)] = "",
    user: DeskUser = Depends(checked_form),
) -> Response:
    entry = service.open_case(user.archive, person, owner=user.name)
    return RedirectResponse(f"/cases/{entry.id}?saved=1", status_code=303)


@router.post("/cases/{case_id}/status")
def change_case(
    request: Request,
    case_id: str,
    status: Annotated[str, Form(max_length=20)] = "",
    owner: Annotated[str, Form(max_length=service.OWNER_LIMIT)] = "",
    next_steps: Annotated[str, Form(max_length=service.NEXT_STEPS_LIMIT)] = "",
    user: DeskUser = Depends(checked_form),
) -> Response:
    entry = service.update_case(
        user.archive, case_id, status=status or None, owner=owner, next_steps=next_steps
    )
    return _answer(request, entry, "fragments/case_head.html", "case-head")


@router.post("/cases/{case_id}/actions")
def add_action(
    request: Request,
    case_id: str,
    kind: Annotated[str, Form(max_length=40)] = "",
    description: Annotated[str, Form(max_length=service.DESCRIPTION_LIMIT)] = "",
    date: Annotated[str, Form(max_length=64)] = "",
    due: Annotated[str, Form(max_length=20)] = "",
    done: Annotated[str, Form(max_length=10)] = "",
    user: DeskUser = Depends(checked_form),
) -> Response:
    entry = service.add_action(
        user.archive, case_id, kind, description, date=date or None, due=due or None,
        done=bool(done),
    )  # fmt: skip
    return _answer(request, entry, "fragments/case_actions.html", "case-actions")


@router.post("/cases/{case_id}/actions/{number}/done")
def action_done(
    request: Request,
    case_id: str,
    number: int,
    done: Annotated[str, Form(max_length=10)] = "",
    user: DeskUser = Depends(checked_form),
) -> Response:
    entry = service.set_done(user.archive, case_id, number, done=bool(done))
    return _answer(request, entry, "fragments/case_actions.html", "case-actions")
