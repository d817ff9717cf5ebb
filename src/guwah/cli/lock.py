"""``guwah lock``: make every running process drop the archive's keys."""

from __future__ import annotations

import typer

from guwah.cli.common import DbOption, console, opened
from guwah.services.locking import lock as lock_archive


def register(app: typer.Typer) -> None:
    app.command("lock")(lock)


def lock(db: str | None = DbOption) -> None:
    """Lock the archive now: every process that has it open (the web desk) drops its keys
    and ends its sessions before its next request, until unlocked with the passphrase."""
    with opened(db) as archive:
        epoch = lock_archive(archive)
    console.print(f"archive locked (lock {epoch}); running servers drop their keys now")
