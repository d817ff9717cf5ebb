"""The ASGI applications: the desk (with the API) and the public site."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from guwah import __version__
from guwah.model.errors import GuwahError
from guwah.web import i18n
from guwah.web.context import (
    LANG_COOKIE,
    BadCsrf,
    DeskLocked,
    LoginRequired,
    is_htmx,
    login_url,
    status_of,
)
from guwah.web.desk import Desk
from guwah.web.render import render
from guwah.web.security import (
    ASGIApp,
    BodyLimit,
    Receive,
    Scope,
    SecurityHeaders,
    Send,
    keep_parts_in_memory,
)

STATIC = Path(__file__).parent / "static"
UPLOAD_PATHS = frozenset({"/intake"})  # the only form that takes files (evidence)
log = logging.getLogger("guwah.web")


class Language:
    """Sets the interface language of each request (``?lang=``, cookie, browser)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header: no cookies
            cookies = SimpleCookie()
        cookie = cookies.get(LANG_COOKIE)
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [None])[0]
        lang = i18n.choose(asked, cookie.value if cookie else None, headers.get("accept-language"))
        token = i18n.activate(lang)
        try:
            await self.app(scope, receive, send)
        finally:
            i18n._current.reset(token)


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _api(request):
        return JSONResponse({"error": message}, status_code=status)
    if is_htmx(request):
        return render(request, "fragments/error.html", {"message": message}, status)
    page = "public/error.html" if getattr(request.app.state, "public", False) else "error.html"
    return render(request, page, {"message": message, "status": status}, status)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if _api(request):
            return JSONResponse({"error": "sign in first"}, status_code=401)
        if is_htmx(request):  # a fragment cannot redirect the page: ask htmx to
            return Response(status_code=401, headers={"HX-Redirect": login_url(request)})
        return RedirectResponse(login_url(request), status_code=303)

    @app.exception_handler(DeskLocked)
    async def locked(request: Request, _exc: DeskLocked) -> Response:
        if _api(request):
            return JSONResponse({"error": "the archive is locked"}, status_code=503)
        if is_htmx(request):
            return Response(status_code=503, headers={"HX-Redirect": "/unlock"})
        return RedirectResponse("/unlock", status_code=303)

    @app.exception_handler(BadCsrf)
    async def bad_csrf(request: Request, _exc: BadCsrf) -> Response:
        message = i18n._(
            "The form expired or came from another site. Reload the page and try again."
        )
        return _error(request, 403, message)

    @app.exception_handler(GuwahError)
    async def guwah_error(request: Request, exc: GuwahError) -> Response:
        return _error(request, status_of(exc), str(exc).splitlines()[0] if str(exc) else "error")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and detail == "Not Found":
            detail = i18n._("There is no such page.")
        response = _error(request, exc.status_code, detail)
        response.headers.update(exc.headers or {})  # WWW-Authenticate, Allow, Retry-After
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query"))
        message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
        return _error(request, 400, message)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("request failed: %s %s", request.method, request.url.path)
        message = i18n._("Something went wrong on the server; nothing was changed by this request.")
        return _error(request, 500, message)


def _wrap(app: FastAPI, desk: Desk, *, private: bool) -> ASGIApp:
    max_body = int(desk.settings.max_upload_mb * 1024 * 1024)
    keep_parts_in_memory(max_body)
    limited = BodyLimit(
        app, max_bytes=max_body, upload_paths=UPLOAD_PATHS if private else frozenset()
    )
    secured = SecurityHeaders(limited, tls=desk.settings.secure_cookies, private=private)
    return Language(secured)


def _working_threads(threads: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that sets how many requests run at once in the worker threads (the
    routes are plain functions; Starlette runs each in a thread, 40 at once by default).
    Fewer threads than connections in the pool keep each connection's page cache warm."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


def build_desk_app(desk: Desk) -> FastAPI:
    """The FastAPI app of the desk (routes, handlers), before the outer middleware."""
    from guwah.web.routes import ROUTERS

    app = FastAPI(
        title="Guwah",
        version=__version__,
        description="The Guwah archive's JSON API (under /api/v1) and web desk.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=_working_threads(desk.settings.threads),
    )
    app.state.desk = desk
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in ROUTERS:
        app.include_router(router)
    _handlers(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok" if desk.unlocked else "locked")

    return app


def desk_app(desk: Desk) -> ASGIApp:
    return _wrap(build_desk_app(desk), desk, private=True)


def build_public_app(desk: Desk) -> FastAPI:
    from guwah.web.public import PUBLIC_ROUTERS

    app = FastAPI(
        title="Guwah public site",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_working_threads(desk.settings.threads),
    )
    app.state.desk = desk
    app.state.public = True
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in PUBLIC_ROUTERS:
        app.include_router(router)
    _handlers(app)
    return app


def public_app(desk: Desk) -> ASGIApp:
    return _wrap(build_public_app(desk), desk, private=False)
