"""Accounts: passwords (Argon2id, rules, re-hashing), lock-out, TOTP without replay, API
tokens kept only as hashes, disabled accounts, the last admin, and the audit of failures.
Service-level tests on every backend, then the ``guwah user`` commands."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from guwah.model.errors import AccessDenied, InvalidInput, NotFound
from guwah.secure import accounts as secure_accounts
from guwah.secure.policy import Principal, Role
from guwah.services import accounts
from guwah.services.accounts import Credentials
from guwah.services.archive import Archive
from guwah.store import tables
from tests.conftest import Cli
from tests.helpers import error_line, json_of, ok

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ADMIN_PASSWORD = "plum orchard 1947"
EDITOR_PASSWORD = "copper kettle 62"


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with low cost, so that tests sign in quickly (production keeps the defaults)."""
    monkeypatch.setattr(secure_accounts, "hasher", CHEAP)


def as_user(archive: Archive, name: str, **given: Any) -> Archive:
    """A second handle on the archive, signed in as ``name``."""
    handle = Archive(archive.engine, archive.location, name, archive.keys)
    accounts.sign_in(handle, Credentials(name, **given))
    return handle


@pytest.fixture
def staffed(archive: Archive) -> Iterator[Archive]:
    """The archive with an admin (ayla) and an editor (erkin); the handle is ayla's."""
    accounts.add_user(archive, "ayla", "admin", ADMIN_PASSWORD)
    admin = as_user(archive, "ayla", password=ADMIN_PASSWORD)
    accounts.add_user(admin, "erkin", "editor", EDITOR_PASSWORD)
    yield admin


def audit_rows(archive: Archive, action: str) -> list[Any]:
    log = tables.audit_log
    with archive.engine.connect() as conn:
        return list(conn.execute(select(log).where(log.c.action == action).order_by(log.c.seq)))


def all_row_text(archive: Archive) -> str:
    """Every value of every row of every table, as text (to look for secrets in)."""
    parts = []
    with archive.engine.connect() as conn:
        for table in tables.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    parts.append(value.hex() if isinstance(value, bytes) else str(value))
                    if isinstance(value, bytes):
                        parts.append(value.decode("latin-1"))
    return "\n".join(parts)


# --- signing in -----------------------------------------------------------------------------


def test_an_archive_without_accounts_is_run_by_its_owner_as_admin(archive: Archive) -> None:
    principal = accounts.sign_in(archive, Credentials("whoever"))
    assert principal.owner and principal.role is Role.ADMIN
    assert archive.principal == principal


def test_the_first_account_must_be_an_admin(archive: Archive) -> None:
    with pytest.raises(InvalidInput, match="first account must be an admin"):
        accounts.add_user(archive, "erkin", "editor", EDITOR_PASSWORD)
    assert not accounts.has_accounts(archive)
    accounts.add_user(archive, "ayla", "admin", ADMIN_PASSWORD)
    assert accounts.has_accounts(archive)
    with pytest.raises(AccessDenied, match="wrong user name or password"):
        accounts.sign_in(archive, Credentials("ayla"), lambda kind, name: "not it at all")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pw 1", "at least 12 characters"),
        ("my name is RANA ok", "must not contain the user name"),
        ("x" * 1025, "too long"),
    ],
)
def test_password_rules(archive: Archive, password: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        accounts.add_user(archive, "rana", "admin", password)
    with pytest.raises(InvalidInput, match="invalid user name"):
        accounts.add_user(archive, "Rana Smith", "admin", ADMIN_PASSWORD)
    with pytest.raises(InvalidInput, match="unknown role 'boss'"):
        accounts.add_user(archive, "rana", "boss", ADMIN_PASSWORD)


def test_passwords_are_argon2id_hashes(staffed: Archive) -> None:
    with staffed.engine.connect() as conn:
        stored = conn.execute(select(tables.users.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2id$") for h in stored)
    assert ADMIN_PASSWORD not in all_row_text(staffed)


def test_sign_in_sets_who_acts(staffed: Archive) -> None:
    editor = as_user(staffed, "erkin", password=EDITOR_PASSWORD)
    assert editor.principal == Principal("erkin", Role.EDITOR)
    assert editor.actor == "erkin"
    asked: list[tuple[str, str]] = []
    prompted = Archive(staffed.engine, staffed.location, "erkin", staffed.keys)
    accounts.sign_in(
        prompted, Credentials("erkin"), lambda k, n: asked.append((k, n)) or EDITOR_PASSWORD
    )
    assert asked == [("password", "erkin")] and prompted.principal.role is Role.EDITOR


def test_unknown_user_and_wrong_password_get_the_same_answer(staffed: Archive) -> None:
    with pytest.raises(AccessDenied) as unknown:
        as_user(staffed, "nobody", password=EDITOR_PASSWORD)
    with pytest.raises(AccessDenied) as wrong:
        as_user(staffed, "erkin", password="copper kettle 63")
    assert str(unknown.value) == "login failed for nobody: wrong user name or password"
    assert str(wrong.value) == "login failed for erkin: wrong user name or password"
    failed = audit_rows(staffed, "login.failed")
    assert [(r.actor, r.target) for r in failed] == [
        ("anonymous", "user:nobody"),
        ("anonymous", "user:erkin"),
    ]


def test_five_failures_in_a_row_lock_the_account(
    staffed: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(4):
        with pytest.raises(AccessDenied, match=r"wrong user name or password$"):
            as_user(staffed, "erkin", password="guess guess guess")
    with pytest.raises(AccessDenied, match=r"account erkin locked until .* after 5 failed"):
        as_user(staffed, "erkin", password="guess guess guess")
    with pytest.raises(AccessDenied, match=r"^account erkin is locked until \d{4}-\d\d-\d\d"):
        as_user(staffed, "erkin", password=EDITOR_PASSWORD)  # even the right password
    with staffed.engine.connect() as conn:
        row = conn.execute(select(tables.users).where(tables.users.c.username == "erkin")).one()
    assert row.locked_until is not None
    later = dt.datetime.fromisoformat(row.locked_until) + dt.timedelta(seconds=1)
    monkeypatch.setattr(secure_accounts, "now", lambda: later)
    assert as_user(staffed, "erkin", password=EDITOR_PASSWORD).principal.role is Role.EDITOR


def test_an_admin_unlocks_and_success_resets_the_count(staffed: Archive) -> None:
    for _ in range(5):
        with pytest.raises(AccessDenied):
            as_user(staffed, "erkin", password="guess guess guess")
    accounts.unlock(staffed, "erkin")
    as_user(staffed, "erkin", password=EDITOR_PASSWORD)
    for _ in range(4):  # the count starts again from zero after a success
        with pytest.raises(AccessDenied, match=r"password$"):
            as_user(staffed, "erkin", password="guess guess guess")
    as_user(staffed, "erkin", password=EDITOR_PASSWORD)


def test_hashes_are_upgraded_at_login_when_the_cost_changes(
    staffed: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    monkeypatch.setattr(secure_accounts, "hasher", stronger)
    as_user(staffed, "erkin", password=EDITOR_PASSWORD)
    with staffed.engine.connect() as conn:
        stored = conn.execute(
            select(tables.users.c.password_hash).where(tables.users.c.username == "erkin")
        ).scalar_one()
    assert "m=2048,t=2,p=1" in stored
    as_user(staffed, "erkin", password=EDITOR_PASSWORD)


def test_disabled_accounts_and_the_last_admin(staffed: Archive) -> None:
    accounts.set_disabled(staffed, "erkin", True)
    with pytest.raises(AccessDenied, match=r"^account erkin is disabled$"):
        as_user(staffed, "erkin", password=EDITOR_PASSWORD)
    accounts.set_disabled(staffed, "erkin", False)
    as_user(staffed, "erkin", password=EDITOR_PASSWORD)
    with pytest.raises(InvalidInput, match="last active admin"):
        accounts.set_disabled(staffed, "ayla", True)
    with pytest.raises(InvalidInput, match="last active admin"):
        accounts.set_role(staffed, "ayla", "viewer")
    accounts.set_role(staffed, "erkin", "admin")
    assert accounts.set_role(staffed, "ayla", "viewer").role is Role.VIEWER
    with pytest.raises(NotFound, match="no user zed"):
        accounts.set_role(staffed, "zed", "viewer")


def test_users_manage_only_their_own_account(staffed: Archive) -> None:
    editor = as_user(staffed, "erkin", password=EDITOR_PASSWORD)
    accounts.set_password(editor, "erkin", "silver birch 2024")
    as_user(staffed, "erkin", password="silver birch 2024")
    with pytest.raises(AccessDenied, match="guwah user passwd is not allowed for role editor"):
        accounts.set_password(editor, "ayla", "silver birch 2024")
    with pytest.raises(AccessDenied, match="guwah user add is not allowed for role editor"):
        accounts.add_user(editor, "zed", "admin", "silver birch 2024")
    denied = audit_rows(staffed, "access.denied")
    assert [(r.actor, r.target) for r in denied] == [
        ("erkin", "user.passwd"),
        ("erkin", "user.add"),
    ]
    as_user(staffed, "ayla", password=ADMIN_PASSWORD)  # nothing changed


# --- TOTP --------------------------------------------------------------------------------------


def test_totp_is_needed_once_enrolled_and_a_code_cannot_be_replayed(staffed: Archive) -> None:
    editor = as_user(staffed, "erkin", password=EDITOR_PASSWORD)
    secret, uri = accounts.enrol_totp(editor, "erkin")
    assert uri.startswith("otpauth://totp/Guwah:erkin?") and f"secret={secret}" in uri
    assert secret not in all_row_text(staffed)  # stored sealed
    with pytest.raises(AccessDenied, match="a TOTP code is needed"):
        as_user(staffed, "erkin", password=EDITOR_PASSWORD)
    with pytest.raises(AccessDenied, match="wrong or reused TOTP code"):
        as_user(staffed, "erkin", password=EDITOR_PASSWORD, totp="000000")
    totp = pyotp.TOTP(secret)
    code = totp.now()
    as_user(staffed, "erkin", password=EDITOR_PASSWORD, totp=code)
    with pytest.raises(AccessDenied, match="wrong or reused TOTP code"):
        as_user(staffed, "erkin", password=EDITOR_PASSWORD, totp=code)
    failed = audit_rows(staffed, "login.failed")
    assert [r.target for r in failed] == ["user:erkin", "user:erkin"]


def test_totp_accepts_one_step_either_side(
    staffed: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret, _ = accounts.enrol_totp(staffed, "erkin")
    totp = pyotp.TOTP(secret)
    start = dt.datetime(2026, 3, 1, 12, 0, 10, tzinfo=dt.UTC)
    monkeypatch.setattr(secure_accounts, "now", lambda: start)
    earlier = totp.at(start - dt.timedelta(seconds=30))
    later = totp.at(start + dt.timedelta(seconds=30))
    too_old = totp.at(start - dt.timedelta(seconds=60))
    with pytest.raises(AccessDenied):
        as_user(staffed, "erkin", password=EDITOR_PASSWORD, totp=too_old)
    as_user(staffed, "erkin", password=EDITOR_PASSWORD, totp=earlier)
    as_user(staffed, "erkin", password=EDITOR_PASSWORD, totp=later)
    with pytest.raises(AccessDenied, match="reused"):  # an older step after a newer one
        as_user(staffed, "erkin", password=EDITOR_PASSWORD, totp=totp.at(start))


# --- API tokens --------------------------------------------------------------------------------


def test_tokens_are_stored_only_as_hashes_and_can_be_revoked(staffed: Archive) -> None:
    token_id, token = accounts.create_token(staffed, "erkin", None)
    prefix, lookup, secret = token.split("_", 2)
    assert prefix == "gwh" and len(secret) >= 40
    text = all_row_text(staffed)
    assert token not in text and secret not in text
    assert lookup in text  # the non-secret lookup id is what finds the hash
    user = as_user(staffed, "nobody-needed", token=token)
    assert user.principal == Principal("erkin", Role.EDITOR)
    assert [t.id for t in accounts.list_tokens(staffed)] == [token_id]
    accounts.revoke_token(staffed, token_id)
    with pytest.raises(AccessDenied, match="API token is invalid, expired or revoked"):
        as_user(staffed, "erkin", token=token)
    with pytest.raises(AccessDenied):
        as_user(staffed, "erkin", token=token[:-1] + ("A" if token[-1] != "A" else "B"))


def test_tokens_expire_and_die_with_a_disabled_account(
    staffed: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, token = accounts.create_token(staffed, "erkin", 1)
    as_user(staffed, "erkin", token=token)
    later = secure_accounts.now() + dt.timedelta(days=1, seconds=5)
    monkeypatch.setattr(secure_accounts, "now", lambda: later)
    with pytest.raises(AccessDenied, match="expired"):
        as_user(staffed, "erkin", token=token)
    _, lasting = accounts.create_token(staffed, "erkin", None)
    accounts.set_disabled(staffed, "erkin", True)
    with pytest.raises(AccessDenied, match="invalid"):
        as_user(staffed, "erkin", token=lasting)


def test_each_user_sees_and_revokes_only_their_own_tokens(staffed: Archive) -> None:
    admin_token, _ = accounts.create_token(staffed, "ayla", None)
    editor = as_user(staffed, "erkin", password=EDITOR_PASSWORD)
    own, _ = accounts.create_token(editor, "erkin", 30)
    assert [t.id for t in accounts.list_tokens(editor)] == [own]
    assert {t.id for t in accounts.list_tokens(staffed)} == {admin_token, own}
    with pytest.raises(AccessDenied):
        accounts.revoke_token(editor, admin_token)
    with pytest.raises(AccessDenied):
        accounts.create_token(editor, "ayla", None)
    assert accounts.revoke_token(editor, own).revoked_at is not None


# --- the command line -------------------------------------------------------------------------


def test_user_commands_and_signing_in_from_the_command_line(
    cli_archive: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUWAH_NEW_PASSWORD", ADMIN_PASSWORD)
    assert "first account must be an admin" in error_line(
        cli_archive("user", "add", "tester", "--role", "editor")
    )
    ok(cli_archive("user", "add", "tester", "--role", "admin"))
    line = error_line(cli_archive("stats"))  # from now on, every command signs in
    assert line == (
        "error: no password for tester: set GUWAH_PASSWORD or run in a terminal to type it"
    )
    monkeypatch.setenv("GUWAH_PASSWORD", "wrong password!")
    assert "login failed for tester" in error_line(cli_archive("stats"))
    monkeypatch.setenv("GUWAH_PASSWORD", ADMIN_PASSWORD)
    ok(cli_archive("stats"))
    monkeypatch.setenv("GUWAH_NEW_PASSWORD", EDITOR_PASSWORD)
    ok(cli_archive("user", "add", "erkin", "--role", "researcher"))
    assert "erkin is now editor" in ok(cli_archive("user", "role", "erkin", "editor")).stdout
    users = json_of(cli_archive, "user", "list")
    assert [(u["username"], u["role"], u["disabled"]) for u in users] == [
        ("erkin", "editor", False),
        ("tester", "admin", False),
    ]
    ok(cli_archive("user", "disable", "erkin"))
    assert json_of(cli_archive, "user", "list")[0]["disabled"] is True
    ok(cli_archive("user", "enable", "erkin"))
    ok(cli_archive("user", "unlock", "erkin"))
    monkeypatch.setenv("GUWAH_NEW_PASSWORD", "silver birch 2024")
    ok(cli_archive("user", "passwd", "erkin"))

    created = ok(cli_archive("user", "token", "create", "erkin", "--expires-days", "7"))
    token = created.stdout.strip()
    assert token.startswith("gwh_") and "not shown again" in created.stderr
    listed = ok(cli_archive("user", "token", "list", "--json"))
    assert token not in listed.stdout
    [entry] = json.loads(listed.stdout)
    assert entry["user"] == "erkin" and entry["expires_at"]
    monkeypatch.setenv("GUWAH_TOKEN", token)
    assert "guwah user list is not allowed for role editor" in error_line(
        cli_archive("user", "list")
    )
    monkeypatch.delenv("GUWAH_TOKEN")
    ok(cli_archive("user", "token", "revoke", str(entry["id"])))
    monkeypatch.setenv("GUWAH_TOKEN", token)
    assert "API token is invalid" in error_line(cli_archive("stats"))
    monkeypatch.delenv("GUWAH_TOKEN")

    enrolled = ok(cli_archive("user", "totp", "erkin"))
    assert "otpauth://totp/Guwah:erkin" in enrolled.stdout
    secret = enrolled.stdout.split("secret: ", 1)[1].split()[0]
    monkeypatch.setenv("GUWAH_USER", "erkin")
    monkeypatch.setenv("GUWAH_PASSWORD", "silver birch 2024")
    assert "no totp code for erkin: set GUWAH_TOTP" in error_line(cli_archive("stats"))
    monkeypatch.setenv("GUWAH_TOTP", pyotp.TOTP(secret).now())
    ok(cli_archive("stats"))
    assert "reused" in error_line(cli_archive("stats"))


def test_lock_out_from_the_command_line(cli_archive: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUWAH_NEW_PASSWORD", ADMIN_PASSWORD)
    ok(cli_archive("user", "add", "tester", "--role", "admin"))
    monkeypatch.setenv("GUWAH_PASSWORD", "not the password")
    lines = [error_line(cli_archive("stats")) for _ in range(6)]
    assert "locked until" in lines[4] and "after 5 failed logins" in lines[4]
    assert lines[5].startswith("error: account tester is locked until ")
    monkeypatch.setenv("GUWAH_PASSWORD", ADMIN_PASSWORD)
    assert "is locked until" in error_line(cli_archive("stats"))
