"""``guwah user``: accounts, roles, passwords, TOTP and API tokens."""

from __future__ import annotations

import os
import sys

import typer
from rich.table import Table

from guwah.cli.common import DbOption, JsonOption, console, err_console, opened, print_json
from guwah.model.errors import InvalidInput
from guwah.secure.policy import Role
from guwah.services import accounts as service

app = typer.Typer(
    help="Accounts: add users with a role, change roles and passwords, disable, unlock, "
    "enrol TOTP, API tokens. The first account must be an admin; from then on every "
    "command signs in.",
    no_args_is_help=True,
)
token_app = typer.Typer(help="API tokens: create (shown once), list, revoke.", no_args_is_help=True)
app.add_typer(token_app, name="token")

ROLES = ", ".join(r.value for r in Role)
NameArgument = typer.Argument(..., help="The user name (lower-case letters, digits, . _ -).")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="user")


def _new_password(username: str) -> str:
    """From GUWAH_NEW_PASSWORD, else typed twice at a hidden prompt."""
    value = os.environ.get("GUWAH_NEW_PASSWORD")
    if value:
        return value
    if not sys.stdin.isatty():
        raise InvalidInput("no new password: set GUWAH_NEW_PASSWORD or run in a terminal")
    return str(
        typer.prompt(f"New password for {username}", hide_input=True, confirmation_prompt=True)
    )


@app.command("add")
def add(
    name: str = NameArgument,
    role: str = typer.Option(..., "--role", help=f"The role: {ROLES}."),
    db: str | None = DbOption,
) -> None:
    """Add a user (password from GUWAH_NEW_PASSWORD or typed twice)."""
    with opened(db) as archive:
        user = service.add_user(archive, name, role, _new_password(name))
    console.print(f"added {user.username} ({user.role.value})", markup=False)


@app.command("list")
def list_(db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """List the users with their role and state."""
    with opened(db) as archive:
        users = service.list_users(archive)
    if as_json:
        print_json([u.as_dict() for u in users])
        return
    table = Table("user", "role", "state", "TOTP", "last login")
    for user in users:
        data = user.as_dict()
        state = "disabled" if user.disabled else "active"
        if data["locked_until"]:
            state += f", locked until {data['locked_until']}"
        table.add_row(
            user.username, user.role.value, state, "yes" if user.totp else "no",
            user.last_login_at or "",
        )  # fmt: skip
    console.print(table)
    if not users:
        console.print("no accounts: this is a single-owner archive (add an admin to begin)")


@app.command("role")
def role(
    name: str = NameArgument,
    new_role: str = typer.Argument(..., help=f"The new role: {ROLES}."),
    db: str | None = DbOption,
) -> None:
    """Change a user's role."""
    with opened(db) as archive:
        user = service.set_role(archive, name, new_role)
    console.print(f"{user.username} is now {user.role.value}", markup=False)


@app.command("passwd")
def passwd(name: str = NameArgument, db: str | None = DbOption) -> None:
    """Set a new password (one's own, or anyone's for an admin)."""
    with opened(db) as archive:
        service.set_password(archive, name, _new_password(name))
    console.print(f"password of {name} changed", markup=False)


@app.command("disable")
def disable(name: str = NameArgument, db: str | None = DbOption) -> None:
    """Disable an account: it can no longer sign in (nothing it recorded is removed)."""
    with opened(db) as archive:
        service.set_disabled(archive, name, True)
    console.print(f"{name} disabled", markup=False)


@app.command("enable")
def enable(name: str = NameArgument, db: str | None = DbOption) -> None:
    """Enable a disabled account again."""
    with opened(db) as archive:
        service.set_disabled(archive, name, False)
    console.print(f"{name} enabled", markup=False)


@app.command("unlock")
def unlock(name: str = NameArgument, db: str | None = DbOption) -> None:
    """Lift a lock-out after too many failed logins."""
    with opened(db) as archive:
        service.unlock(archive, name)
    console.print(f"{name} unlocked", markup=False)


@app.command("totp")
def totp(name: str = NameArgument, db: str | None = DbOption) -> None:
    """Enrol a TOTP second factor (prints the secret once: add it to an authenticator app)."""
    with opened(db) as archive:
        secret, uri = service.enrol_totp(archive, name)
    err_console.print(
        f"TOTP enrolled for {name}. Add it to an authenticator app now: it is not shown again. "
        "From now on every login needs a code (GUWAH_TOTP or the prompt)."
    )
    typer.echo(f"secret: {secret}")
    typer.echo(f"uri: {uri}")


@token_app.command("create")
def token_create(
    name: str = NameArgument,
    expires_days: int | None = typer.Option(
        None, "--expires-days", help="Days until the token expires (default: never)."
    ),
    db: str | None = DbOption,
) -> None:
    """Create an API token for a user (printed once; set it as GUWAH_TOKEN)."""
    with opened(db) as archive:
        token_id, token = service.create_token(archive, name, expires_days)
    err_console.print(
        f"API token {token_id} for {name}: store it now, it is not shown again "
        "(only its hash is kept)."
    )
    typer.echo(token)


@token_app.command("list")
def token_list(db: str | None = DbOption, as_json: bool = JsonOption) -> None:
    """List API tokens (never the tokens themselves): all for an admin, else one's own."""
    with opened(db) as archive:
        found = service.list_tokens(archive)
    if as_json:
        print_json([t.as_dict() for t in found])
        return
    table = Table("id", "user", "lookup", "created", "expires", "revoked")
    for t in found:
        table.add_row(
            str(t.id), t.username, t.lookup, t.created_at, t.expires_at or "never",
            t.revoked_at or "",
        )  # fmt: skip
    console.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: int = typer.Argument(..., help="The token's id (guwah user token list)."),
    db: str | None = DbOption,
) -> None:
    """Revoke an API token: it stops working at once."""
    with opened(db) as archive:
        token = service.revoke_token(archive, token_id)
    console.print(f"API token {token.id} of {token.username} revoked", markup=False)
