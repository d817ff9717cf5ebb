"""Accounts: user names, Argon2id passwords, TOTP, lock-out and API tokens.

- Passwords: at least ``MIN_PASSWORD`` characters, not containing the user name; stored
  as Argon2id hashes (``argon2-cffi``), re-hashed at the next login when the cost
  settings change.
- TOTP (RFC 6238, ``pyotp``): the secret is sealed (AES-256-GCM) with a per-purpose
  secret wrapped by the archive key; a code of the current 30-second step or one step
  either side is accepted, and never a step already used (no replay).
- Lock-out: ``MAX_FAILURES`` failed logins in a row lock an account without a second
  factor for ``LOCKOUT``; the count is kept in the database. An account with TOTP is
  never locked by failures: a guess needs its password and its current code, and every
  failure gets the same answer, so a lock would only let anyone who knows the user name
  keep its owner out (the failures are still counted and audited).
- API tokens ``gwh_<lookup>_<secret>``: only the SHA-256 of the whole token is stored,
  found by its non-secret lookup id; optional expiry; revocable.

Nothing here checks who may do what (that is ``guwah.secure.policy``, applied by the
services) and nothing here prints a secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Row, func, insert, select, update

from guwah.model.errors import InvalidInput
from guwah.secure.crypto import seal, unseal
from guwah.secure.policy import Role
from guwah.store import tables

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
TOTP_ISSUER = "Guwah"
TOKEN_PREFIX = "gwh"
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")

# Argon2id with argon2-cffi's defaults (RFC 9106 low-memory profile: t=3, 64 MiB, p=4).
# Tests may swap in a cheaper hasher; hashes made with other settings are upgraded at login.
hasher = PasswordHasher()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _text(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: Role
    disabled: bool
    failed_logins: int
    locked_until: dt.datetime | None
    totp: bool
    created_at: str
    created_by: str
    last_login_at: str | None
    credentials: str = ""  # a digest of the password hash and second factor: changes with them

    def locked(self, at: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > at

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "role": self.role.value,
            "disabled": self.disabled,
            "locked_until": (
                _text(self.locked_until) if self.locked_until and self.locked(now()) else None
            ),
            "totp": self.totp,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "last_login_at": self.last_login_at,
        }


def check_username(name: str) -> str:
    if not _USERNAME.fullmatch(name or ""):
        raise InvalidInput(
            f"invalid user name {name!r}: use 1 to 64 lower-case letters, digits, '.', '_' "
            "or '-', starting with a letter or digit"
        )
    return name


def check_role(name: str) -> Role:
    try:
        return Role(name)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InvalidInput(f"unknown role {name!r} (one of: {choices})") from None


def check_password(password: str, username: str) -> None:
    """Refuse a password that is too short, too long, or holds the user name."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password is too short: use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"the password is too long ({MAX_PASSWORD} characters at most)")
    if username.lower() in password.lower():
        raise InvalidInput("the password must not contain the user name")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether the password matches the stored hash. With no hash (an unknown user) a hash
    is still checked, so that the time taken does not tell which user names exist."""
    try:
        return hasher.verify(stored or _decoy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


_DECOYS: dict[str, str] = {}


def _decoy() -> str:
    """A hash of a random password, made with the current settings."""
    key = repr(hasher)
    if key not in _DECOYS:
        _DECOYS[key] = hasher.hash(secrets.token_urlsafe(16))
    return _DECOYS[key]


# --- users in the store -------------------------------------------------------------------


def user_of_row(row: Row[Any]) -> User:
    """The account of a row holding every column of ``users`` (selected with others)."""
    return User(
        id=int(row.id),
        username=row.username,
        role=Role(row.role),
        disabled=bool(row.disabled),
        failed_logins=int(row.failed_logins),
        locked_until=dt.datetime.fromisoformat(row.locked_until) if row.locked_until else None,
        totp=row.totp_sealed is not None,
        created_at=row.created_at,
        created_by=row.created_by,
        last_login_at=row.last_login_at,
        credentials=credentials_stamp(row.password_hash, row.totp_sealed),
    )


def credentials_stamp(password_hash: str, totp_sealed: bytes | None) -> str:
    """What a signed-in session remembers of the credentials it was opened with: when the
    password or the second factor changes, so does this, and the session ends."""
    digest = hashlib.sha256(password_hash.encode() + b"|" + (totp_sealed or b""))
    return digest.hexdigest()[:32]


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(tables.users)).scalar_one())


def active_admins(conn: Connection) -> int:
    users = tables.users
    query = select(func.count()).where(
        users.c.role == Role.ADMIN.value, users.c.disabled.is_(False)
    )
    return int(conn.execute(query).scalar_one())


def find(conn: Connection, username: str) -> User | None:
    row = conn.execute(select(tables.users).where(tables.users.c.username == username)).first()
    return user_of_row(row) if row else None


def all_users(conn: Connection) -> list[User]:
    rows = conn.execute(select(tables.users).order_by(tables.users.c.username))
    return [user_of_row(row) for row in rows]


def create(conn: Connection, username: str, role: Role, password: str, by: str) -> User:
    check_username(username)
    check_password(password, username)
    if find(conn, username) is not None:
        raise InvalidInput(f"user {username} already exists")
    stamp = _text(now())
    conn.execute(
        insert(tables.users).values(
            username=username,
            role=role.value,
            password_hash=hash_password(password),
            failed_logins=0,
            disabled=False,
            created_at=stamp,
            created_by=by,
            updated_at=stamp,
        )
    )
    user = find(conn, username)
    assert user is not None
    return user


def change(conn: Connection, user: User, **values: Any) -> None:
    """Update columns of one user (``updated_at`` set too)."""
    users = tables.users
    conn.execute(
        update(users).where(users.c.id == user.id).values(updated_at=_text(now()), **values)
    )


def set_password(conn: Connection, user: User, password: str) -> None:
    check_password(password, user.username)
    change(conn, user, password_hash=hash_password(password))


def stored_hash(conn: Connection, user: User) -> str:
    users = tables.users
    return str(conn.execute(select(users.c.password_hash).where(users.c.id == user.id)).scalar())


def record_failure(conn: Connection, user: User, at: dt.datetime) -> dt.datetime | None:
    """Count a failed login (in the database, so that concurrent attempts all count);
    returns the time the account is now locked until, if this failure locked it."""
    users = tables.users
    conn.execute(
        update(users)
        .where(users.c.id == user.id)
        .values(failed_logins=users.c.failed_logins + 1, updated_at=_text(at))
    )
    failures = conn.execute(select(users.c.failed_logins).where(users.c.id == user.id)).scalar()
    if int(failures or 0) < MAX_FAILURES or user.totp:
        return None
    until = at + LOCKOUT
    change(conn, user, failed_logins=0, locked_until=_text(until))
    return until


def record_success(conn: Connection, user: User, password: str | None) -> None:
    values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
    values["last_login_at"] = _text(now())
    if password is not None and hasher.check_needs_rehash(stored_hash(conn, user)):
        values["password_hash"] = hash_password(password)
    change(conn, user, **values)


# --- TOTP -------------------------------------------------------------------------------------


def _totp_aad(user: User) -> bytes:
    return f"guwah totp|{user.id}".encode()


def enrol_totp(conn: Connection, user: User, key: bytes) -> tuple[str, str]:
    """A new TOTP secret for the user, stored sealed; returns (secret, otpauth URI) to be
    shown once."""
    secret = pyotp.random_base32()
    change(
        conn,
        user,
        totp_sealed=seal(key, secret.encode("ascii"), _totp_aad(user)),
        totp_last_step=None,
    )
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
    return secret, uri


def check_totp(conn: Connection, user: User, key: bytes, code: str, at: dt.datetime) -> bool:
    """Whether the code is right for now (± one step) and its step was not used before;
    an accepted step is remembered so that the same code cannot be used twice."""
    users = tables.users
    row = conn.execute(
        select(users.c.totp_sealed, users.c.totp_last_step).where(users.c.id == user.id)
    ).one()
    if row.totp_sealed is None:
        return True
    totp = pyotp.TOTP(unseal(key, bytes(row.totp_sealed), _totp_aad(user)).decode("ascii"))
    code = "".join((code or "").split())
    current = int(at.timestamp()) // totp.interval
    last = row.totp_last_step if row.totp_last_step is not None else -1
    for step in (current - 1, current, current + 1):
        if step > last and hmac.compare_digest(totp.generate_otp(step), code):
            # only if no other login used this step (or a later one) meanwhile
            used = conn.execute(
                update(users)
                .where(users.c.id == user.id)
                .where((users.c.totp_last_step.is_(None)) | (users.c.totp_last_step < step))
                .values(totp_last_step=step)
            )
            return used.rowcount == 1
    return False


# --- API tokens -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    id: int
    username: str
    lookup: str
    created_at: str
    created_by: str
    expires_at: str | None
    revoked_at: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.username,
            "lookup": self.lookup,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "expires_at": self.expires_at,
            "revoked_at": self.revoked_at,
        }


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    conn: Connection, user: User, by: str, expires_days: int | None
) -> tuple[int, str]:
    """A new API token for the user: (its id, the token, to be shown once)."""
    if expires_days is not None and not 1 <= expires_days <= 3660:
        raise InvalidInput("--expires-days must be between 1 and 3660")
    lookup = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"
    at = now()
    result = conn.execute(
        insert(tables.api_tokens).values(
            user_id=user.id,
            lookup=lookup,
            token_sha256=_digest(token),
            created_at=_text(at),
            created_by=by,
            expires_at=_text(at + dt.timedelta(days=expires_days)) if expires_days else None,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0]), token


def token_user(conn: Connection, token: str, at: dt.datetime) -> User | None:
    """The user a valid (known, unexpired, unrevoked) token belongs to, or None."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    tokens, users = tables.api_tokens, tables.users
    row = conn.execute(
        select(tokens, users.c.username)
        .join(users, users.c.id == tokens.c.user_id)
        .where(tokens.c.lookup == parts[1])
    ).first()
    if row is None or not hmac.compare_digest(row.token_sha256, _digest(token.strip())):
        return None
    if row.revoked_at or (row.expires_at and dt.datetime.fromisoformat(row.expires_at) <= at):
        return None
    return find(conn, row.username)


def _token(row: Row[Any]) -> Token:
    return Token(
        int(row.id), row.username, row.lookup, row.created_at, row.created_by,
        row.expires_at, row.revoked_at,
    )  # fmt: skip


def tokens(conn: Connection, user: User | None = None) -> list[Token]:
    table, users = tables.api_tokens, tables.users
    query = select(table, users.c.username).join(users, users.c.id == table.c.user_id)
    if user is not None:
        query = query.where(table.c.user_id == user.id)
    return [_token(row) for row in conn.execute(query.order_by(table.c.id))]


def token_by_id(conn: Connection, token_id: int) -> Token | None:
    table, users = tables.api_tokens, tables.users
    row = conn.execute(
        select(table, users.c.username)
        .join(users, users.c.id == table.c.user_id)
        .where(table.c.id == token_id)
    ).first()
    return _token(row) if row else None


def revoke_token(conn: Connection, token_id: int, by: str) -> None:
    table = tables.api_tokens
    conn.execute(
        update(table)
        .where(table.c.id == token_id, table.c.revoked_at.is_(None))
        .values(revoked_at=_text(now()), revoked_by=by)
    )
