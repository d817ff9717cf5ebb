"""The ``guwah`` application and its entry point."""

from __future__ import annotations

import sys

import typer
from rich.text import Text
from sqlalchemy.exc import OperationalError

from guwah.cli import audit as audit_cli
from guwah.cli import (
    backup,
    claims,
    demo,
    ingest,
    keys,
    lock,
    matching,
    proposals,
    records,
    serve,
    views,
)
from guwah.cli import cases as cases_cli
from guwah.cli import consent as consent_cli
from guwah.cli import evidence as evidence_cli
from guwah.cli import publish as publish_cli
from guwah.cli import users as users_cli
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
matching.register(app)
proposals.register(matching.review_app)
ingest.register(app)
keys.register(app)
backup.register(app)
lock.register(app)
serve.register(app)
publish_cli.register(app)
app.add_typer(claims.app, name="claim")
users_cli.register(app)
consent_cli.register(app)
evidence_cli.register(app)
audit_cli.register(app)
cases_cli.register(app)


def main() -> None:
    """Run the command line: user errors become one line on stderr and exit code 1."""
    try:
        app()  # standalone: usage errors print click's message and exit 2
    except GuwahError as exc:
        _error(str(exc))
        sys.exit(1)
    except OperationalError as exc:
        first = str(exc.orig).splitlines()[0] if exc.orig else "database error"
        _error(f"the archive could not be used: {first}")
        sys.exit(1)
    except OSError as exc:  # a file that cannot be read or written: disk full, permissions
        where = f" {exc.filename}" if exc.filename else ""
        _error(f"cannot use{where}: {exc.strerror or exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted; nothing from the unfinished step was written")
        sys.exit(130)


def _error(message: str) -> None:
    err_console.print(Text.assemble(("error:", "red"), f" {message}"), soft_wrap=True)
