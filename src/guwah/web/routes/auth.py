"""Signing in and out, unlocking a locked desk, and the interface language."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from guwah.model.errors import AccessDenied, AccountLocked, ArchiveError
from guwah.services.accounts import Credentials, sign_in
from guwah.web import i18n
from guwah.web.context import (
    LANG_COOKIE,
    PRE_COOKIE,
    SESSION_COOKIE,
    DeskUser,
    checked_form,
    desk_of,
    safe_next,
)
from guwah.web.render import render
from guwah.web.sessions import RateLimit, same_token

router = APIRouter(include_in_schema=False)


def _no_code(_kind: str, _username: str) -> str:
    """An account with a second factor signed in without its code: a failed sign-in like
    any other (saying "now the code" would tell a guesser the password was right)."""
    return ""


def _limit(request: Request) -> RateLimit:
    limits = request.app.state
    if not hasattr(limits, "login_limit"):
        limits.login_limit = RateLimit(desk_of(request).settings.login_per_minute, 60.0)
    limit: RateLimit = limits.login_limit
    return limit


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _login_page(
    request: Request,
    next_url: str,
    message: str | None = None,
    status: int = 200,
    username: str = "",
) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        {"next": next_url, "pre": token, "message": message, "username": username},
        status,
    )
    response.set_cookie(
        PRE_COOKIE, token, httponly=True, samesite="strict",
        secure=desk_of(request).settings.secure_cookies, max_age=3600,
    )  # fmt: skip
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    desk = desk_of(request)
    if not desk.unlocked:
        return RedirectResponse("/unlock", status_code=303)
    return _login_page(request, safe_next(next))


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    totp: Annotated[str, Form(max_length=20)] = "",
    pre: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    desk = desk_of(request)
    target = safe_next(next)
    if not desk.unlocked:
        return RedirectResponse("/unlock", status_code=303)
    if not same_token(pre, request.cookies.get(PRE_COOKIE, "")):
        message = i18n._("The form expired. Please sign in again.")
        return _login_page(request, target, message, 403, username)
    if not _limit(request).allow(_client(request)):
        message = i18n._("Too many attempts from this address. Wait a minute and try again.")
        return _login_page(request, target, message, 429, username)
    archive = desk.anonymous()
    credentials = Credentials(username.strip(), password, totp.strip() or None)
    try:
        principal = sign_in(archive, credentials, _no_code)
    except AccountLocked as exc:
        return _login_page(request, target, str(exc), 401, username)
    except AccessDenied:  # the same words whichever of the three was wrong, or disabled
        message = i18n._("Sign-in failed: wrong user name, password or authenticator code.")
        return _login_page(request, target, message, 401, username)
    if principal.owner:  # an archive without accounts is never served
        message = i18n._("This archive has no accounts yet: create one with `guwah user add`.")
        return _login_page(request, target, message, 403)
    desk.sessions.end(request.cookies.get(SESSION_COOKIE))  # this browser's earlier session
    stamp = desk.credentials_of(principal.name)
    session = desk.sessions.start(principal.name, stamp)  # always a new id (no fixation)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session.id, httponly=True, samesite="strict",
        secure=desk.settings.secure_cookies, path="/",
    )  # fmt: skip
    response.delete_cookie(PRE_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, user: DeskUser = Depends(checked_form)) -> Response:
    desk_of(request).sessions.end(user.session.id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/unlock")
def unlock_form(request: Request) -> Response:
    if desk_of(request).unlocked:
        return RedirectResponse("/", status_code=303)
    return render(request, "unlock.html", {"pre": _pre(request)})


def _pre(request: Request) -> str:
    return request.cookies.get(PRE_COOKIE) or ""


@router.post("/unlock")
def unlock(
    request: Request,
    passphrase: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    desk = desk_of(request)
    if desk.unlocked:
        return RedirectResponse("/", status_code=303)
    if not _limit(request).allow(_client(request)):
        message = i18n._("Too many attempts from this address. Wait a minute and try again.")
        return render(request, "unlock.html", {"message": message}, 429)
    try:
        desk.unlock(passphrase)
    except ArchiveError as exc:
        return render(request, "unlock.html", {"message": str(exc)}, 401)
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{code}")
def language(request: Request, code: str, next: str | None = None) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in i18n.LANGUAGES:
        secure = desk_of(request).settings.secure_cookies  # HTTPS only, as the session's
        response.set_cookie(LANG_COOKIE, code, samesite="lax", max_age=365 * 86400, secure=secure)
    return response
