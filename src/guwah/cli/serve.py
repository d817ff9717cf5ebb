"""``guwah serve``: the web desk (and its API), or the public site with ``--public``."""

from __future__ import annotations

import logging

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
) -> None:
    """Run the web desk for documenters (sign-in with the archive's accounts), or with
    --public the public site. The archive stays unlocked in the server's memory until it
    stops or someone runs `guwah lock`. Needs at least one account (`guwah user add`)."""
    from guwah.web.app import desk_app, public_app
    from guwah.web.desk import Desk
    from guwah.web.settings import WebSettings

    loc = location(db)
    with opened(db) as archive:
        check(archive, Action.SERVE)
    try:
        settings = WebSettings.from_env()
    except ValueError as exc:
        raise ArchiveError(str(exc)) from None
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

        application = public_app(desk) if public else desk_app(desk)
        console.print(f"Guwah {what}: http://{host}:{port}  (Ctrl-C stops it)")
        logging.getLogger("guwah.web").setLevel(logging.INFO)
        uvicorn.run(
            application,
            host=host,
            port=port,
            log_level="warning",
            proxy_headers=proxy,
            forwarded_allow_ips="127.0.0.1" if proxy else None,
            server_header=False,
            date_header=False,
        )
    finally:
        desk.close()
