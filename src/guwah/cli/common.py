"""What every command shares: the archive location, the passphrase, errors, output."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console

from guwah.model.errors import AccessDenied, ArchiveError
from guwah.services.accounts import Credentials, sign_in
from guwah.services.archive import Archive, init_archive, open_archive
from guwah.store.dialect import default_location

# Markup off: user text (a name, a note "[unclear]", "[restricted: archive locked]") is
# printed as written, never read as Rich markup; styles are given with rich.text.Text.
console = Console(markup=False)
err_console = Console(stderr=True, markup=False)

DB_HELP = (
    "Archive: a file path (SQLCipher) or postgresql:// URL. "
    "Default: $GUWAH_DATABASE_URL or ./guwah.db"
)
DbOption = typer.Option(None, "--db", help=DB_HELP, show_default=False)
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")


def actor() -> str:
    return os.environ.get("GUWAH_USER") or getpass.getuser() or "unknown"


def location(db: str | None) -> str:
    return db or default_location()


def passphrase(loc: str, *, confirm: bool = False) -> str | None:
    """From GUWAH_PASSPHRASE, else a hidden prompt. A PostgreSQL archive opened without
    one (no variable, no terminal) works with its keys locked."""
    value = os.environ.get("GUWAH_PASSPHRASE")
    if value:
        return value
    if not sys.stdin.isatty():
        if "://" in loc and not confirm:
            return None
        raise ArchiveError("no passphrase: set GUWAH_PASSPHRASE or run in a terminal to type it")
    value = str(typer.prompt("Archive passphrase", hide_input=True, confirmation_prompt=confirm))
    if confirm and len(value) < 8:
        raise ArchiveError("choose a passphrase of at least 8 characters")
    return value


@contextmanager
def opened(db: str | None) -> Iterator[Archive]:
    loc = location(db)
    archive = open_archive(loc, passphrase(loc), actor())
    try:
        sign_in(archive, credentials(), ask_secret)
        yield archive
    finally:
        archive.close()


# --- signing in (an archive with accounts) ----------------------------------------------

_SECRETS = {"password": ("Password", "GUWAH_PASSWORD"), "totp": ("TOTP code", "GUWAH_TOTP")}


def credentials() -> Credentials:
    """Who signs in: GUWAH_USER (else the login name) with GUWAH_PASSWORD and GUWAH_TOTP,
    or an API token from GUWAH_TOKEN. What is missing is asked for when needed."""
    return Credentials(
        username=actor(),
        password=os.environ.get("GUWAH_PASSWORD") or None,
        totp=os.environ.get("GUWAH_TOTP") or None,
        token=os.environ.get("GUWAH_TOKEN") or None,
    )


def ask_secret(kind: str, username: str) -> str:
    """A password or TOTP code typed at a hidden prompt (not echoed, not stored)."""
    words, variable = _SECRETS[kind]
    if not sys.stdin.isatty():
        raise AccessDenied(
            f"no {words.lower()} for {username}: set {variable} or run in a terminal to type it"
        )
    return str(typer.prompt(f"{words} for {username}", hide_input=True))


def created(db: str | None) -> Archive:
    loc = location(db)
    return init_archive(loc, passphrase(loc, confirm=True), actor())


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
