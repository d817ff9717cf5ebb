"""Who is asking: the session behind a desk request, its CSRF check, the per-request
archive; and how errors become pages (one line, never a stack trace)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Depends, Request

from guwah.model.errors import AccessDenied, GuwahError
from guwah.secure.policy import Action, Principal, allowed
from guwah.services.archive import Archive
from guwah.web.desk import Desk
from guwah.web.sessions import Session, same_token

SESSION_COOKIE = "guwah_session"
LANG_COOKIE = "guwah_lang"
PRE_COOKIE = "guwah_pre"  # CSRF token of the sign-in form, before there is a session


class LoginRequired(Exception):
    """No live session: the browser is sent to the sign-in page."""


class DeskLocked(Exception):
    """The archive was locked (``guwah lock``): the desk asks for the passphrase."""


class BadCsrf(Exception):
    """A form without the session's token (another site tried to post it)."""


@dataclass
class DeskUser:
    session: Session
    principal: Principal
    archive: Archive

    @property
    def name(self) -> str:
        return self.principal.name

    @property
    def role(self) -> str:
        return self.principal.role.value

    def may(self, action: Action | str) -> bool:
        return allowed(self.principal, Action(action))


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def signed_in(request: Request) -> DeskUser:
    desk = desk_of(request)
    found = desk.visit(request.cookies.get(SESSION_COOKIE))
    if found is None:
        if not desk.unlocked:
            raise DeskLocked
        raise LoginRequired
    session, principal = found
    user = DeskUser(session, principal, desk.acting_as(principal))
    request.state.user = user
    request.state.csrf = session.csrf
    return user


async def checked_form(request: Request, user: DeskUser = Depends(signed_in)) -> DeskUser:
    """A signed-in user whose POST carries the session's CSRF token (form field ``csrf``
    or header ``X-CSRF-Token``, which htmx sends from the page)."""
    given = request.headers.get("x-csrf-token")
    if not given:
        form = await request.form()
        value = form.get("csrf")
        given = value if isinstance(value, str) else None
    if not same_token(given, user.session.csrf):
        raise BadCsrf
    return user


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(target, safe="")


def safe_next(target: str | None) -> str:
    """Only a path on this site (never //evil.example or a scheme; no backslash or control
    character either, which browsers read as a slash or drop: a tab in "/<tab>/evil")."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return "/"
    return target


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def status_of(error: GuwahError) -> int:
    from guwah.model.errors import ArchiveError, InvalidInput, NotFound

    if isinstance(error, NotFound):
        return 404
    if isinstance(error, AccessDenied):
        return 403
    if isinstance(error, InvalidInput):
        return 400
    if isinstance(error, ArchiveError):
        return 409
    return 400
