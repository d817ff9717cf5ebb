"""``guwah backup``: an encrypted copy of an embedded archive, its key file and evidence."""

from __future__ import annotations

from pathlib import Path

import typer

from guwah.cli.common import DbOption, console, opened
from guwah.services.backup import backup as make_backup


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)


def backup(
    out: Path = typer.Option(..., "--out", "-o", help="The backup archive file to create."),
    db: str | None = DbOption,
) -> None:
    """Write an encrypted backup: a consistent copy of the archive (same passphrase), its key
    file (OUT.keys) and its evidence folder. Nothing in it is plaintext."""
    with opened(db) as archive:
        report = make_backup(archive, out)
    console.print(
        f"backup written: {report.archive} ({report.size // 1024} KiB), key file "
        f"{report.keyfile}, {report.evidence_files} evidence files; it opens with the "
        "archive's passphrase: keep the key file with it and the passphrase elsewhere"
    )
