"""``guwah publish``: the public site as static files (what ``guwah serve --public`` shows)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from guwah.cli.common import DbOption, console, err_console, opened
from guwah.model.errors import InvalidInput


def register(app: typer.Typer) -> None:
    app.command("publish")(publish)


def publish(
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write the site into."),
    db: str | None = DbOption,
    force: bool = typer.Option(
        False, "--force", help="Replace a site that guwah publish wrote there before."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the pages: en, ru, kk, ug, zh."),
    corrections_url: str | None = typer.Option(
        None,
        "--corrections-url",
        help="Where readers send corrections (the live site's form, or a mailto: address).",
    ),
) -> None:
    """Write the public site as static files: the victims the public level shows, with
    their published facts and sources, and the statistics with their charts. Testifiers
    are never named without consent. Relative links: it opens from a disk or any static
    host. Editors and admins."""
    from guwah.services.publishing import publish as publish_site
    from guwah.web import i18n
    from guwah.web.public.static_site import writer

    if lang not in i18n.LANGUAGES:
        raise InvalidInput(f"--lang must be one of {', '.join(i18n.LANGUAGES)}, not {lang!r}")
    if corrections_url is not None and not corrections_url.startswith(
        ("https://", "http://", "mailto:")
    ):
        raise InvalidInput("--corrections-url must start with https://, http:// or mailto:")
    with opened(db) as archive, _progress() as bar:
        task = bar.add_task("pages", total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = publish_site(archive, out, writer(lang, corrections_url, advance), force=force)
    console.print(f"wrote {report.pages} pages ({report.victims} victims) to {report.out}")


def _progress() -> Progress:
    return Progress(
        TextColumn("writing"), BarColumn(), MofNCompleteColumn(),
        console=err_console, transient=True,
    )  # fmt: skip
