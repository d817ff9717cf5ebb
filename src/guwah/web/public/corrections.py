"""The public corrections form: report an error or add information, for the desk's queue.

No account and no CSRF token (there is no session to protect); the form instead carries a
signed time (services.corrections). Each address may send ``corrections_per_hour``. The
answer never shows anything anyone else sent; a refused form comes back with the sender's
own text, so that nothing typed is lost.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response

from guwah.model.errors import InvalidInput
from guwah.services import corrections
from guwah.services.archive import Archive
from guwah.web.context import desk_of
from guwah.web.public.pages import Links, public_archive
from guwah.web.public.victims import public_detail
from guwah.web.render import render
from guwah.web.sessions import RateLimit

router = APIRouter(include_in_schema=False)

HOUR = 3600.0
_FIELD = 2 * corrections.MAX_TEXT  # form fields longer than this are refused outright


def _limit(request: Request) -> RateLimit:
    state = request.app.state
    if not hasattr(state, "corrections_limit"):
        per_hour = desk_of(request).settings.corrections_per_hour
        state.corrections_limit = RateLimit(per_hour, HOUR)
    limit: RateLimit = state.corrections_limit
    return limit


def _about(archive: Archive, person: str) -> dict[str, str] | None:
    """The victim the form is about, if the public may see them (else no one: the form
    must not tell whether a hidden record exists)."""
    if not person:
        return None
    try:
        detail = public_detail(archive, person)
    except HTTPException:
        return None
    return {"id": detail.person.id, "name": detail.view.best_name}


def _form(
    request: Request,
    archive: Archive,
    form: corrections.Submission,
    message: str | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "site": Links(),
        "path": request.url.path,
        "token": corrections.form_token(archive),
        "person": _about(archive, form.person),
        "form": form,
        "message": message,
        "min_text": corrections.MIN_TEXT,
        "max_text": corrections.MAX_TEXT,
        "max_contact": corrections.MAX_CONTACT,
    }
    response = render(request, "public/correction.html", context, status)
    response.headers["cache-control"] = "no-store"  # it carries a fresh signed time
    return response


@router.get("/corrections/new")
def correction_form(
    request: Request, person: str = "", archive: Archive = Depends(public_archive)
) -> Response:
    return _form(request, archive, corrections.Submission("error", "", person[:20]))


@router.post("/corrections/new")
def send_correction(
    request: Request,
    archive: Annotated[Archive, Depends(public_archive)],
    kind: Annotated[str, Form(max_length=20)] = "",
    text: Annotated[str, Form(max_length=_FIELD)] = "",
    person: Annotated[str, Form(max_length=20)] = "",
    contact: Annotated[str, Form(max_length=_FIELD)] = "",
    token: Annotated[str, Form(max_length=100)] = "",
    website: Annotated[str, Form(max_length=_FIELD)] = "",
) -> Response:
    form = corrections.Submission(kind, text, person, contact, token, website)
    address = request.client.host if request.client else "unknown"
    try:
        corrections.submit(archive, form, admit=lambda: _limit(request).allow(address))
    except corrections.TooMany as exc:
        return _form(request, archive, form, _sentence(str(exc)), 429)
    except InvalidInput as exc:
        return _form(request, archive, form, _sentence(str(exc)), 400)
    return render(request, "public/thanks.html", {"site": Links(), "path": request.url.path})


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
