"""The ``guwah`` application and its entry point."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape
from sqlalchemy.exc import OperationalError

from guwah.cli import claims, demo, records, views
from guwah.cli.common import err_console
from guwah.model.errors import GuwahError

app = typer.Typer(
    name="guwah",
    help="Guwah: document detention and persecution in Xinjiang, every fact with its source.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
records.register(app)
views.register(app)
demo.register(app)
app.add_typer(claims.app, name="claim")


def main() -> None:
    try:
        app(standalone_mode=False)
    except GuwahError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except OperationalError as exc:
        first = str(exc.orig).splitlines()[0] if exc.orig else "database error"
        err_console.print(
            f"[red]error:[/red] the archive could not be used: {first}", soft_wrap=True
        )
        sys.exit(1)
    except OSError as exc:  # a file that cannot be read or written: disk full, permissions
        where = f" {exc.filename}" if exc.filename else ""
        message = f"[red]error:[/red] cannot use{escape(where)}: {exc.strerror or exc}"
        err_console.print(message, highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted; nothing from the unfinished step was written")
        sys.exit(130)
    except Exception as exc:  # click's usage errors and aborts
        import click

        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            err_console.print("aborted")
            sys.exit(1)
        raise
