"""Signed-in sessions of the desk, kept in the archive while the server runs.

A session is a random 256-bit id in an HttpOnly, SameSite=Strict cookie. The archive
keeps a SHA-256 digest of the id (never the id: whoever reads the archive gets no
session), the account, the session's CSRF token, the account's credentials stamp at
sign-in and the session's times, so that every worker process of
``guwah serve --workers N`` sees the same sessions. Each start of a server is a new
``server`` id, under which its sessions are kept and found: a restart ends every session
(the server deletes its own when it stops, and stale ones as it goes), and
``guwah lock`` deletes them all with the lock.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, bindparam, delete, func, insert, or_, select, update

from guwah.secure.accounts import User, user_of_row
from guwah.services.locking import epoch_column
from guwah.store import tables

_S = tables.desk_sessions
_U = tables.users
# one read per request: the session, the account as it is now and the lock epoch
_VISIT = (
    select(
        _S.c.username.label("session_username"),
        _S.c.csrf,
        _S.c.credentials.label("session_credentials"),
        _S.c.started,
        _S.c.seen,
        epoch_column().label("lock_epoch"),
        *_U.c,
    )
    .select_from(_S.outerjoin(_U, _U.c.username == _S.c.username))
    .where(_S.c.id_sha256 == bindparam("id"), _S.c.server == bindparam("server"))
)


@dataclass(frozen=True)
class Session:
    id: str
    username: str
    csrf: str
    started: float
    seen: float
    credentials: str = ""  # the account's credentials stamp at sign-in


@dataclass(frozen=True)
class Visit:
    """What a request finds in one read: its session, the account it belongs to as the
    account is now (None once deleted), and the archive's lock epoch."""

    session: Session
    user: User | None
    epoch: int


def digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


@dataclass
class SessionStore:
    engine: Callable[[], Engine]  # the open archive's (raises once the desk is locked)
    idle_seconds: float
    max_seconds: float
    server: str = field(default_factory=lambda: secrets.token_hex(16))  # this run's

    @property
    def touch_every(self) -> float:
        """How stale a session's last-seen time may get before a request writes it again
        (a write per request would queue every reader behind it)."""
        return min(30.0, self.idle_seconds / 4)

    def _expired(self, started: float, seen: float, now: float) -> bool:
        return now - seen > self.idle_seconds or now - started > self.max_seconds

    def start(self, username: str, credentials: str = "") -> Session:
        now = time.time()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        session = Session(token, username, csrf, now, now, credentials)
        stale = or_(_S.c.seen < now - self.idle_seconds, _S.c.started < now - self.max_seconds)
        with self.engine().begin() as conn:
            conn.execute(delete(_S).where(stale))  # sessions never used again end here
            conn.execute(
                insert(_S).values(
                    id_sha256=digest(token), server=self.server, username=username, csrf=csrf,
                    credentials=credentials, started=now, seen=now,
                )
            )  # fmt: skip
        return session

    def visit(self, session_id: str | None) -> Visit | None:
        """The live session with this id (its idle clock restarted), or None."""
        if not session_id:
            return None
        now = time.time()
        key = digest(session_id)
        engine = self.engine()
        with engine.connect() as conn:
            row = conn.execute(_VISIT, {"id": key, "server": self.server}).first()
        if row is None:
            return None
        if self._expired(row.started, row.seen, now):
            self.end(session_id)
            return None
        if now - row.seen > self.touch_every:
            with engine.begin() as conn:
                conn.execute(update(_S).where(_S.c.id_sha256 == key).values(seen=now))
        session = Session(
            session_id, row.session_username, row.csrf, row.started, now, row.session_credentials
        )
        user = user_of_row(row) if row.id is not None else None
        return Visit(session, user, int(row.lock_epoch or 0))

    def end(self, session_id: str | None) -> None:
        if session_id:
            with self.engine().begin() as conn:
                conn.execute(delete(_S).where(_S.c.id_sha256 == digest(session_id)))

    def end_user(self, username: str) -> None:
        with self.engine().begin() as conn:
            conn.execute(delete(_S).where(_S.c.username == username))

    def end_all(self) -> None:
        """End this server's sessions (another server on the same archive keeps its own)."""
        with self.engine().begin() as conn:
            conn.execute(delete(_S).where(_S.c.server == self.server))

    def __len__(self) -> int:
        with self.engine().connect() as conn:
            mine = select(func.count()).where(_S.c.server == self.server)
            return int(conn.execute(mine).scalar_one())


def same_token(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


@dataclass
class RateLimit:
    """At most ``limit`` events per ``window`` seconds for each key (an address)."""

    limit: int
    window: float
    _events: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and now - events[0] > self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            if len(self._events) > 10_000:  # forget the quiet addresses
                for quiet in [k for k, v in self._events.items() if not v]:
                    del self._events[quiet]
            return True
