"""Signing in, and managing accounts (``guwah user``).

An archive without accounts is a single-owner archive: whoever opens it (holding the
passphrase, or the PostgreSQL credentials) acts as its owner with the admin role. The
first ``guwah user add`` creates an admin; from then on every command signs in, with a
password (and a TOTP code once enrolled) or an API token. A failed sign-in is one line,
counts towards the lock-out and is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from guwah.model.errors import AccessDenied, AccountLocked, InvalidInput, NotFound
from guwah.secure import accounts
from guwah.secure.accounts import MAX_FAILURES, Token, User
from guwah.secure.policy import Action, Principal, Role
from guwah.services.access import audit, check
from guwah.services.archive import Archive

LOGIN_FAILED = "login.failed"

# Asks the person at the terminal for a secret: ("password" or "totp", user name).
Ask = Callable[[str, str], str]


@dataclass(frozen=True)
class Credentials:
    """What the person signing in gave (from the environment or prompts)."""

    username: str
    password: str | None = None
    totp: str | None = None
    token: str | None = None


def has_accounts(archive: Archive) -> bool:
    with archive.engine.connect() as conn:
        return accounts.count(conn) > 0


def sign_in(archive: Archive, credentials: Credentials, ask: Ask | None = None) -> Principal:
    """Who is acting. Without accounts: the owner (admin). With accounts: the user the
    token or the password (and TOTP code) proves, or AccessDenied. The archive's actor
    and principal are set to that user."""
    with archive.engine.connect() as conn:
        if accounts.count(conn) == 0:
            principal = Principal.single_owner(archive.actor)
            archive.principal = principal
            return principal
    if credentials.token:
        user = _by_token(archive, credentials.token)
    else:
        user = _by_password(archive, credentials, ask)
    archive.actor = user.username
    archive.principal = Principal(user.username, user.role)
    return archive.principal


def _fail(
    archive: Archive, name: str, message: str, user: User | None = None, *, locked: bool = False
) -> AccessDenied:
    """Count the failure against the account (if any), audit it, and give the error."""
    target = f"user:{name}" if name else "token"
    at = accounts.now()
    with archive.engine.begin() as conn:
        until = accounts.record_failure(conn, user, at) if user is not None else None
        archive.actor = "anonymous"  # nobody is signed in; the target says who was tried
        audit(conn, archive, LOGIN_FAILED, target, {"locked": until is not None})
    if until is not None:
        message += (
            f"; account {name} locked until {until:%Y-%m-%d %H:%M} UTC "
            f"after {MAX_FAILURES} failed logins"
        )
    return AccountLocked(message) if locked or until is not None else AccessDenied(message)


def _by_token(archive: Archive, token: str) -> User:
    with archive.engine.connect() as conn:
        user = accounts.token_user(conn, token, accounts.now())
    if user is None or user.disabled:
        raise _fail(archive, "", "login failed: the API token is invalid, expired or revoked")
    return user


def _by_password(archive: Archive, credentials: Credentials, ask: Ask | None) -> User:
    name = credentials.username
    wrong = f"login failed for {name}: wrong user name or password"
    with archive.engine.connect() as conn:
        user = accounts.find(conn, name)
    at = accounts.now()
    if user is not None and user.locked(at):
        assert user.locked_until is not None
        raise _fail(
            archive,
            name,
            f"account {name} is locked until {user.locked_until:%Y-%m-%d %H:%M} UTC "
            "(too many failed logins; an admin can unlock it)",
            locked=True,
        )
    password = credentials.password
    if password is None:
        if ask is None:
            raise AccessDenied(f"{name}: a password is needed (set GUWAH_PASSWORD)")
        password = ask("password", name)
    with archive.engine.connect() as conn:
        stored = accounts.stored_hash(conn, user) if user is not None else None
        good = accounts.verify_password(stored, password)
    if user is None or not good:
        raise _fail(archive, name, wrong, user)
    if user.totp:
        code = credentials.totp
        if code is None:
            if ask is None:
                raise AccessDenied(f"{name}: a TOTP code is needed (set GUWAH_TOTP)")
            code = ask("totp", name)
        with archive.engine.begin() as conn:
            key = archive.keyring().secret(conn, "totp")
            good = accounts.check_totp(conn, user, key, code, at)
        if not good:
            raise _fail(archive, name, f"login failed for {name}: wrong or reused TOTP code", user)
    if user.disabled:
        raise _fail(archive, name, f"account {name} is disabled")
    with archive.engine.begin() as conn:
        accounts.record_success(conn, user, password)
    return user


# --- managing accounts --------------------------------------------------------------------


def _target(conn: Connection, username: str) -> User:
    user = accounts.find(conn, username)
    if user is None:
        raise NotFound(f"no user {username}")
    return user


def _own(archive: Archive, username: str) -> bool:
    return not archive.principal.owner and archive.principal.name == username


def add_user(archive: Archive, username: str, role: str, password: str) -> User:
    """Create an account. The first account of an archive must be an admin."""
    check(archive, Action.USER_ADD)
    wanted = accounts.check_role(role)
    accounts.check_username(username)
    accounts.check_password(password, username)
    with archive.engine.begin() as conn:
        if accounts.count(conn) == 0 and wanted is not Role.ADMIN:
            raise InvalidInput(
                "the first account must be an admin (guwah user add NAME --role admin): "
                "once an account exists, every command signs in"
            )
        user = accounts.create(conn, username, wanted, password, archive.actor)
        audit(conn, archive, "user.add", f"user:{username}", {"role": wanted.value})
    return user


def list_users(archive: Archive) -> list[User]:
    check(archive, Action.USER_LIST)
    with archive.engine.connect() as conn:
        return accounts.all_users(conn)


def _keep_an_admin(conn: Connection, user: User) -> None:
    if user.role is Role.ADMIN and not user.disabled and accounts.active_admins(conn) <= 1:
        raise InvalidInput(f"{user.username} is the last active admin: make another admin first")


def set_role(archive: Archive, username: str, role: str) -> User:
    check(archive, Action.USER_ROLE)
    wanted = accounts.check_role(role)
    with archive.engine.begin() as conn:
        user = _target(conn, username)
        if wanted is not Role.ADMIN:
            _keep_an_admin(conn, user)
        accounts.change(conn, user, role=wanted.value)
        audit(conn, archive, "user.role", f"user:{username}",
              {"from": user.role.value, "to": wanted.value})  # fmt: skip
        return _target(conn, username)


def set_password(archive: Archive, username: str, password: str) -> None:
    """A new password: one's own, or anyone's for an admin."""
    check(archive, Action.USER_PASSWD, own=_own(archive, username))
    with archive.engine.begin() as conn:
        user = _target(conn, username)
        accounts.set_password(conn, user, password)
        audit(conn, archive, "user.passwd", f"user:{username}")


def set_disabled(archive: Archive, username: str, disabled: bool) -> None:
    check(archive, Action.USER_DISABLE if disabled else Action.USER_ENABLE)
    with archive.engine.begin() as conn:
        user = _target(conn, username)
        if disabled:
            _keep_an_admin(conn, user)
        accounts.change(conn, user, disabled=disabled)
        action = "user.disable" if disabled else "user.enable"
        audit(conn, archive, action, f"user:{username}")


def unlock(archive: Archive, username: str) -> None:
    check(archive, Action.USER_UNLOCK)
    with archive.engine.begin() as conn:
        user = _target(conn, username)
        accounts.change(conn, user, failed_logins=0, locked_until=None)
        audit(conn, archive, "user.unlock", f"user:{username}")


def enrol_totp(archive: Archive, username: str) -> tuple[str, str]:
    """Enrol (or re-enrol) a TOTP second factor: (secret, otpauth URI), to show once."""
    check(archive, Action.USER_TOTP, own=_own(archive, username))
    with archive.engine.begin() as conn:
        user = _target(conn, username)
        key = archive.keyring().secret(conn, "totp")
        enrolled = accounts.enrol_totp(conn, user, key)
        audit(conn, archive, "user.totp", f"user:{username}")
    return enrolled


def create_token(archive: Archive, username: str, expires_days: int | None) -> tuple[int, str]:
    """A new API token: (its id, the token, to show once)."""
    check(archive, Action.USER_TOKEN_CREATE, own=_own(archive, username))
    with archive.engine.begin() as conn:
        user = _target(conn, username)
        token_id, token = accounts.create_token(conn, user, archive.actor, expires_days)
        audit(conn, archive, "user.token.create", f"user:{username}",
              {"token": token_id, "expires_days": expires_days})  # fmt: skip
    return token_id, token


def list_tokens(archive: Archive) -> list[Token]:
    """Every token for an admin; one's own tokens for anyone else."""
    own = not allowed_all_tokens(archive)
    check(archive, Action.USER_TOKEN_LIST, own=own)
    with archive.engine.connect() as conn:
        user = accounts.find(conn, archive.principal.name) if own else None
        if own and user is None:
            return []
        return accounts.tokens(conn, user)


def allowed_all_tokens(archive: Archive) -> bool:
    return archive.principal.role is Role.ADMIN


def revoke_token(archive: Archive, token_id: int) -> Token:
    with archive.engine.connect() as conn:
        token = accounts.token_by_id(conn, token_id)
    own = token is not None and _own(archive, token.username)
    check(archive, Action.USER_TOKEN_REVOKE, own=own)
    if token is None:
        raise NotFound(f"no API token {token_id}")
    with archive.engine.begin() as conn:
        accounts.revoke_token(conn, token_id, archive.actor)
        audit(conn, archive, "user.token.revoke", f"user:{token.username}", {"token": token_id})
        found = accounts.token_by_id(conn, token_id)
    assert found is not None
    return found
