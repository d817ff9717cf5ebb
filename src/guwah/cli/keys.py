"""``guwah keys``: the archive key's status, a new passphrase, rotation, recovery shares."""

from __future__ import annotations

import os
import sys
from dataclasses import asdict
from pathlib import Path

import typer

from guwah.cli.common import (
    DbOption,
    JsonOption,
    console,
    err_console,
    location,
    opened,
    print_json,
)
from guwah.model.errors import InvalidInput
from guwah.services import keys as service

app = typer.Typer(
    help="The archive key: status, new passphrase, rotation, recovery shares for trustees.",
    no_args_is_help=True,
)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="keys")


def _new_passphrase() -> str:
    value = os.environ.get("GUWAH_NEW_PASSPHRASE")
    if value:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput("no new passphrase: set GUWAH_NEW_PASSPHRASE or run in a terminal")
    return str(typer.prompt("New archive passphrase", hide_input=True, confirmation_prompt=True))


@app.command("status")
def status(db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """Show the archive key's id, its Argon2id settings, the recovery split and signing keys."""
    with opened(db) as archive:
        found = service.status(archive)
    if as_json:
        print_json(asdict(found))
        return
    console.print(f"archive key {found.key_id} (key file: {found.where})")
    kdf = found.kdf
    console.print(
        f"  passphrase: Argon2id, {kdf['memory_kib'] // 1024} MiB, "
        f"{kdf['time_cost']} passes, {kdf['parallelism']} lanes"
    )
    if found.recovery:
        console.print(
            f"  recovery key: {found.recovery['threshold']} of {found.recovery['shares']} "
            f"shares (split {found.recovery['created_at']})"
        )
    else:
        console.print("  recovery key: none (guwah keys split)")
    console.print(f"  wrapped keys stored: {found.wrapped_keys}")
    console.print(f"  audit signing keys: {', '.join(found.signing_keys) or 'none'}")


@app.command("passphrase")
def passphrase(db: str | None = DbOption) -> None:
    """Change the passphrase (current one from GUWAH_PASSPHRASE or a prompt, the new one from
    GUWAH_NEW_PASSPHRASE or a prompt). Nothing is re-encrypted."""
    with opened(db) as archive:
        service.change_passphrase(archive, _new_passphrase())
    console.print("passphrase changed; the old one no longer opens the archive")


@app.command("rotate")
def rotate(db: str | None = DbOption) -> None:
    """Move the archive to a new archive key: re-wrap every stored key and re-encrypt the
    embedded file's pages. Safe to interrupt: the next open finishes or undoes it."""
    with opened(db) as archive, err_console.status("Rotating the archive key"):
        old, new, count = service.rotate(archive)
    console.print(f"archive key {old} replaced by {new}; {count} stored keys re-wrapped")


@app.command("split")
def split(
    threshold: int = typer.Option(..., "--threshold", "-k", help="Shares needed to recover."),
    shares: int = typer.Option(..., "--shares", "-n", help="Shares to make (one per trustee)."),
    db: str | None = DbOption,
) -> None:
    """Make a recovery key for a lost passphrase and split it into word-list shares for
    trustees (SLIP-39): any THRESHOLD of them recover the archive. Shown once, stored nowhere;
    an earlier split stops working."""
    with opened(db) as archive:
        words = service.split_recovery(archive, threshold, shares)
    err_console.print(
        f"Recovery shares: any {threshold} of these {shares} rebuild the recovery key. Give one "
        "to each trustee, on paper; they are not stored anywhere and are shown only now."
    )
    for number, share in enumerate(words, start=1):
        typer.echo(f"share {number}: {share}")


@app.command("recover")
def recover(
    shares_file: Path | None = typer.Option(
        None, "--shares-file", help="A file with one share per line (else typed when asked)."
    ),
    db: str | None = DbOption,
) -> None:
    """Set a new passphrase from trustees' recovery shares when the passphrase is lost
    (new passphrase from GUWAH_NEW_PASSPHRASE or a prompt)."""
    loc = location(db)
    if shares_file is not None:
        lines = shares_file.read_text(encoding="utf-8").splitlines()
    else:
        if not sys.stdin.isatty():
            raise InvalidInput("no shares: give --shares-file or run in a terminal")
        lines = []
        while True:
            line = str(
                typer.prompt(
                    "Recovery share (empty line to finish)",
                    default="",
                    hide_input=True,
                    show_default=False,
                )
            )
            if not line.strip():
                break
            lines.append(line)
    shares = [line.removeprefix("share ").split(":", 1)[-1] for line in lines if line.strip()]
    key_id = service.recover(loc, shares, _new_passphrase())
    console.print(f"archive key {key_id} recovered; the new passphrase opens the archive")
