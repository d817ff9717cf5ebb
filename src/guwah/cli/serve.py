"""``guwah serve``: the web desk (and its API), or the public site with ``--public``."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import typer

from guwah.cli.common import DbOption, console, location, opened, passphrase
from guwah.model.errors import ArchiveError
from guwah.secure.policy import Action
from guwah.services.access import check


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: str | None = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    public: bool = typer.Option(
        False, "--public", help="Serve the read-only public site instead of the desk."
    ),
    proxy: bool = typer.Option(
        False,
        "--behind-proxy",
        help="Trust X-Forwarded-* from a reverse proxy on this machine (TLS there; "
        "set GUWAH_WEB_SECURE_COOKIES=1).",
    ),
    check_only: bool = typer.Option(
        False, "--check", help="Open the archive, check it can be served, and exit."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        max=64,
        help="Processes answering requests (default GUWAH_WEB_WORKERS or 1): one per core "
        "on a busy server. With more than one, `guwah lock` stops the server.",
    ),
) -> None:
    """Run the web desk for documenters (sign-in with the archive's accounts), or with
    --public the public site. The archive stays unlocked in the server's memory until it
    stops or someone runs `guwah lock`. Needs at least one account (`guwah user add`)."""
    from guwah.web.app import desk_app, public_app
    from guwah.web.collector import settle as settle_collector
    from guwah.web.desk import Desk
    from guwah.web.settings import WebSettings
    from guwah.web.workers import FAILED, LOCKED, stop_quietly
    from guwah.web.workers import serve as workers_serve

    loc = location(db)
    with opened(db) as archive:
        check(archive, Action.SERVE)
    try:
        settings = WebSettings.from_env()
    except ValueError as exc:
        raise ArchiveError(str(exc)) from None
    if workers is not None:
        settings = replace(settings, workers=workers)
    desk = Desk.open(loc, passphrase(loc), settings)
    try:
        if not public and not desk.has_accounts():
            raise ArchiveError(
                "the desk needs accounts to sign in: create one first with "
                "`guwah user add NAME --role admin`"
            )
        what = "public site" if public else "desk"
        if check_only:
            console.print(f"ready to serve the {what} of {loc} on http://{host}:{port}")
            return
        import uvicorn

        options: dict[str, Any] = {
            "host": host,
            "port": port,
            "log_level": "warning",
            "proxy_headers": proxy,
            "forwarded_allow_ips": "127.0.0.1" if proxy else None,
            "server_header": False,
            "date_header": False,
        }
        make_app = public_app if public else desk_app
        each = f", {settings.workers} worker processes" if settings.workers > 1 else ""
        console.print(f"Guwah {what}: http://{host}:{port}{each}  (Ctrl-C stops it)")
        logging.getLogger("guwah.web").setLevel(logging.INFO)
        settle_collector()  # short garbage-collection pauses (the workers inherit it)
        if settings.workers == 1:
            stop_quietly()  # a stop closes the archive and ends the sessions (finally)
            uvicorn.run(make_app(desk), **options)
        else:
            try:
                status = workers_serve(desk, make_app, host, port, settings.workers, options)
            except OSError as exc:
                raise ArchiveError(str(exc)) from None
            if status == LOCKED:
                console.print(
                    "The archive was locked (`guwah lock`): the server stopped. "
                    "Start it again with the passphrase."
                )
            elif status == FAILED:
                raise ArchiveError("the desk's workers stopped as they started (see above)")
    finally:
        desk.close()
