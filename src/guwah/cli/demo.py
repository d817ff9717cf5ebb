"""``guwah demo``: build the demo archive from the sample data and show what is in it."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.progress import Progress
from rich.text import Text

from guwah.cli.common import DbOption, actor, console, err_console, location, passphrase
from guwah.services.accounts import add_user
from guwah.services.archive import init_archive
from guwah.services.demo import load_demo
from guwah.services.query import archive_stats, find_people
from guwah.store.dialect import describe_location

DEMO_ACCOUNTS = (("demo", "admin"), ("documenter", "editor"))


def demo_password() -> str:
    return os.environ.get("GUWAH_DEMO_PASSWORD") or "guwah-sample-login"


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    db: str | None = DbOption,
    fresh: bool = typer.Option(
        False, "--fresh", help="Replace an existing demo archive file at that path."
    ),
    login: bool = typer.Option(
        False,
        "--login",
        help="Also create the demo accounts of the web desk: demo (admin) and documenter "
        "(editor), with the password in GUWAH_DEMO_PASSWORD (default guwah-sample-login).",
    ),
) -> None:
    """Create an encrypted archive filled with the sample cases (written from public facts)."""
    loc = location(db)
    if fresh and "://" not in loc:
        for suffix in ("", "-journal", "-wal", "-shm", ".keys"):
            Path(loc + suffix).unlink(missing_ok=True)
    archive = init_archive(loc, passphrase(loc, confirm=True), actor())
    try:
        with Progress(console=err_console, transient=True) as bar:
            task = bar.add_task("Loading sample cases", total=None)
            report = load_demo(
                archive, step=lambda name: bar.update(task, advance=1, description=name)
            )
        stats = archive_stats(archive)
        sample = find_people(archive, "Ilham Tohti", limit=1) or find_people(archive, None, limit=1)
        if login:
            for name, role in DEMO_ACCOUNTS:
                add_user(archive, name, role, demo_password())
    finally:
        archive.close()
    kind = "PostgreSQL" if "://" in loc else "encrypted with SQLCipher"
    console.print(
        Text.assemble(
            "\n", ("Guwah demo archive", "bold"), f" at {describe_location(loc)} ({kind})"
        )
    )
    console.print(
        f"  {report.files} testimony and article files, lists {', '.join(report.lists)}\n"
        f"  {stats['persons']} people ({stats['victims']} victims), {stats['sources']} sources, "
        f"{stats['claims']} claims, {stats['cases']} campaign cases"
    )
    status = ", ".join(f"{k} {v}" for k, v in stats["victims_by_status"].items())
    console.print(f"  victims by status: {status}")
    example = sample[0]["id"] if sample else "P-000001"
    db_arg = f" --db {describe_location(loc)}"
    console.print("\nTry:")
    for line in (
        f"guwah search Tohti{db_arg}",
        f"guwah search --status sentenced --ethnicity Kazakh{db_arg}",
        f"guwah search --place Kashgar{db_arg}",
        f"guwah show {example}{db_arg}",
        f"guwah match 'Гүлбаһар Һайтиваҗи' --birth-year 1966{db_arg}",
        f"guwah dedupe{db_arg}   # then: guwah review list{db_arg}",
        f"guwah stats{db_arg}",
        f"guwah export --format ftm -o demo/demo.ftm.json{db_arg}",
    ):
        console.print(f"  .venv/bin/{line}", soft_wrap=True)  # whole lines: copied and pasted
    if login:
        console.print(
            f"\nWeb desk accounts (demo only): demo (admin) and documenter (editor), "
            f"password {demo_password()}\nThe command line signs in too: "
            f"export GUWAH_USER=demo GUWAH_PASSWORD={demo_password()}",
            soft_wrap=True,
        )
