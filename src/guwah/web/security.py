"""What every response and request goes through: security headers, the size limit on
request bodies, and CSRF tokens for forms (pure ASGI middleware, no buffering)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartParser

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",  # no inline scripts, no eval
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def security_headers(*, tls: bool, private: bool) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"content-security-policy", CSP.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"cross-origin-resource-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ]
    if private:  # desk pages and API answers hold names of people: never cached
        headers.append((b"cache-control", b"no-store"))
    if tls:
        headers.append((b"strict-transport-security", b"max-age=31536000"))
    return headers


# the stylesheet, scripts and icons: the same for everyone, kept by the browser for an hour
STATIC_CACHE = (b"cache-control", b"public, max-age=3600")


class SecurityHeaders:
    """Adds the headers to every HTTP response (and replaces any the app set)."""

    def __init__(self, app: ASGIApp, *, tls: bool, private: bool) -> None:
        self.app = app
        self.headers = security_headers(tls=tls, private=private)
        self.names = {name for name, _ in self.headers}
        self.static = [h for h in self.headers if h[0] != b"cache-control"] + [STATIC_CACHE]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        static = scope.get("path", "").startswith("/static/")

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k not in self.names]
                added = self.headers
                if static and message.get("status") in (200, 304):  # nothing private: cached
                    kept = [(k, v) for k, v in kept if k != b"cache-control"]
                    added = self.static
                message["headers"] = kept + added
            await send(message)

        await self.app(scope, receive, sending)


SMALL_BODY = 1024 * 1024  # a form or a JSON call without files


class BodyLimit:
    """Refuses request bodies larger than the limit with 413, before reading them into
    memory: by Content-Length when given, and by counting when streamed. Only the paths
    that take files (``upload_paths``) may send up to ``max_bytes``; every other request,
    the sign-in form's included, gets ``SMALL_BODY``, so that nobody can make the server
    hold large bodies in memory without being signed in."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, upload_paths: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        self.upload_bytes = max_bytes
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        uploads = scope.get("path") in self.upload_paths
        limit = self.upload_bytes if uploads else min(SMALL_BODY, self.upload_bytes)
        message_text = _limit_message(limit)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _too_large(send, 400, b"bad Content-Length")
                    return
                if declared > limit:
                    await _too_large(send, 413, message_text)
                    return
        seen = 0
        started = False

        async def receiving() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge(413, message_text.decode())
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receiving, sending)
        except _BodyTooLarge:
            if not started:
                await _too_large(send, 413, message_text)


def _limit_message(limit: int) -> bytes:
    return f"the upload is larger than the limit of {limit / (1024 * 1024):g} MiB".encode()


class _BodyTooLarge(HTTPException):
    """Raised inside the app while it reads a streamed body (no Content-Length): an HTTP
    error, so that the app answers with its one-line 413 page instead of a crash (500)."""


async def _too_large(send: Send, status: int, text: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(text)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text})


def keep_parts_in_memory(max_body: int) -> None:
    """Make the form parser hold every uploaded part in memory, never in a temporary
    file: Starlette spools a part above ``spool_max_size`` to disk, so that size is set
    above the largest body the server accepts (``BodyLimit`` refuses more before it is
    read). The setting is the parser's, hence the process's: the desk is its only user."""
    MultiPartParser.spool_max_size = max(MultiPartParser.spool_max_size, max_body + 1)
