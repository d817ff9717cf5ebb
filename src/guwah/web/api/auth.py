"""Who calls the API: the account behind the request's bearer token.

Tokens come from ``guwah user token create``; the API takes no cookies and no sessions,
so a page open in a browser cannot call it on the user's behalf (and needs no CSRF
token). Each request is signed in anew through ``services.accounts.sign_in``, which
verifies the token and audits a failure; the account must still be active (not disabled
or locked, the same rule as a desk session), and then the request acts through its own
view of the archive as that account, so every policy check and audit entry of the
services applies. Repeated failures from one address are refused for a while.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from guwah.model.errors import AccessDenied
from guwah.secure.policy import Action, Principal, allowed
from guwah.services.accounts import Credentials, sign_in
from guwah.services.archive import Archive
from guwah.web.context import DeskLocked, desk_of

BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="bearerToken",
    bearerFormat="guwah API token",
    description="An API token made by `guwah user token create NAME`: "
    "`Authorization: Bearer gwh_…`. The token's account and role decide what is shown.",
)
FAILURE_WINDOW = 60.0  # seconds


@dataclass
class ApiUser:
    principal: Principal
    archive: Archive  # acting as this account, for this request only

    def may(self, action: Action) -> bool:
        return allowed(self.principal, action)


@dataclass
class Failures:
    """Failed sign-ins per address in the last ``window`` seconds; past ``limit`` the
    address is refused before its token is even looked at."""

    limit: int
    window: float = FAILURE_WINDOW
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._seen.setdefault(key, deque())
        while events and now - events[0] > self.window:
            events.popleft()
        return events

    def blocked(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.limit

    def add(self, key: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(key, now).append(now)
            if len(self._seen) > 10_000:  # forget the quiet addresses
                for quiet in [k for k, v in self._seen.items() if not v]:
                    del self._seen[quiet]


def _failures(request: Request) -> Failures:
    state = request.app.state
    if not hasattr(state, "api_failures"):
        state.api_failures = Failures(desk_of(request).settings.login_per_minute)
    failures: Failures = state.api_failures
    return failures


def _unauthorized(message: str, *, invalid: bool) -> HTTPException:
    challenge = 'Bearer realm="guwah"' + (', error="invalid_token"' if invalid else "")
    return HTTPException(401, message, headers={"WWW-Authenticate": challenge})


def api_user(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Depends(BEARER),
) -> ApiUser:
    """The account of the bearer token (401 without a valid one, 503 while locked)."""
    desk = desk_of(request)
    if not desk.unlocked:
        raise DeskLocked
    token = credentials.credentials.strip() if credentials else ""
    if not token:
        raise _unauthorized("an API token is needed: Authorization: Bearer <token>", invalid=False)
    address = request.client.host if request.client else "unknown"
    failures = _failures(request)
    if failures.blocked(address):
        message = "too many failed sign-ins from this address: wait a minute"
        raise HTTPException(429, message, headers={"Retry-After": str(int(FAILURE_WINDOW))})
    try:
        if len(token) > 512 or not token.isprintable():
            raise AccessDenied("login failed: the API token is invalid, expired or revoked")
        principal = sign_in(desk.anonymous(), Credentials("", token=token))
        if principal.owner:  # an archive without accounts is never served
            raise AccessDenied("this archive has no accounts yet: create one with guwah user add")
        principal = desk.principal_of(principal.name)  # not disabled or locked since
    except AccessDenied as exc:
        failures.add(address)
        raise _unauthorized(str(exc).splitlines()[0], invalid=True) from None
    return ApiUser(principal, desk.acting_as(principal))
