"""The archive a server holds open, per-request views of it, and ``guwah lock``.

The server opens the archive once with its passphrase and keeps the keys in memory.
Each request acts as the signed-in account on a shallow copy of the archive (same engine,
same keys; its own actor and principal), so that requests running at the same time never
see each other's user. Each request reads its session, its account and the lock epoch at
once: after ``guwah lock`` the keys are dropped, every session has ended and the desk asks
for the passphrase again (or, run as several worker processes, stops: ``on_lock``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import Engine

from guwah.model.errors import AccessDenied, ArchiveError
from guwah.names.readings import read_words
from guwah.secure import accounts
from guwah.secure.policy import Principal, Role
from guwah.services.archive import Archive, open_archive
from guwah.services.locking import still_unlocked, unlocked_at
from guwah.web.sessions import Session, SessionStore
from guwah.web.settings import WebSettings

PUBLIC_PRINCIPAL = Principal("public", Role.VIEWER)


@dataclass
class Desk:
    location: str
    settings: WebSettings
    archive: Archive | None = None
    epoch: int = 0
    sessions: SessionStore = field(init=False)
    on_lock: Callable[[], None] | None = None  # called once when a lock is noticed
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.sessions = SessionStore(
            self._engine, self.settings.idle_minutes * 60, self.settings.max_hours * 3600
        )

    def _engine(self) -> Engine:
        return self._archive().engine

    @classmethod
    def open(cls, location: str, passphrase: str | None, settings: WebSettings) -> Desk:
        desk = cls(location, settings)
        desk.unlock(passphrase)
        read_words("Maimaiti")  # loads the name tables now, not at the first live match
        return desk

    def unlock(self, passphrase: str | None) -> None:
        """Open the archive with its passphrase (a wrong one: one-line ArchiveError)."""
        archive = open_archive(self.location, passphrase, "web")
        if archive.keys is None or not archive.keys.archive_key:
            archive.close()
            raise ArchiveError("the desk needs the archive's passphrase to unlock its keys")
        with self._lock:
            if self.archive is not None:
                self.archive.close()
            self.archive = archive
            self.epoch = unlocked_at(archive)
        self.sessions.end_all()  # after a lock, no earlier session of this server lives on

    @property
    def unlocked(self) -> bool:
        """False once the archive was locked (then the keys are dropped, sessions end)."""
        with self._lock:
            archive = self.archive
            if archive is None:
                return False
            if still_unlocked(archive, self.epoch):
                return True
            self.archive = None
        archive.close()  # the lock deleted the sessions
        if self.on_lock is not None:
            self.on_lock()
        return False

    def visit(self, session_id: str | None) -> tuple[Session, Principal] | None:
        """The session of a request and the principal it acts as, from one read of the
        archive; None when there is no live session (ended, expired, its account disabled,
        locked out or with new credentials) or the archive was locked since it was
        unlocked (then ``unlocked`` says so)."""
        archive = self.archive
        if archive is None or archive.keys is None or not archive.keys.archive_key:
            return None
        found = self.sessions.visit(session_id)
        if found is None or found.epoch != self.epoch:
            return None
        user, session = found.user, found.session
        if (
            user is None
            or user.disabled
            or user.locked(accounts.now())
            or user.credentials != session.credentials
        ):
            self.sessions.end(session.id)
            return None
        return session, Principal(user.username, user.role)

    def has_accounts(self) -> bool:
        with self._archive().engine.connect() as conn:
            return accounts.count(conn) > 0

    def _archive(self) -> Archive:
        archive = self.archive
        if archive is None:
            raise ArchiveError("the archive is locked: unlock it with its passphrase")
        return archive

    def acting_as(self, principal: Principal) -> Archive:
        """The archive as one principal sees it (for one request)."""
        return replace(self._archive(), actor=principal.name, principal=principal)

    def anonymous(self) -> Archive:
        return self.acting_as(Principal("anonymous", Role.VIEWER))

    def public(self) -> Archive:
        return self.acting_as(PUBLIC_PRINCIPAL)

    def principal_of(self, username: str, credentials: str | None = None) -> Principal:
        """The account as it is now (role changes and disabling apply at once); with the
        ``credentials`` stamp a session was opened with, refused once the password or the
        second factor has changed since (a reset ends the sessions it was meant to end)."""
        with self._archive().engine.connect() as conn:
            user = accounts.find(conn, username)
        if user is None or user.disabled or user.locked(accounts.now()):
            raise AccessDenied(f"account {username} is no longer active")
        if credentials is not None and credentials != user.credentials:
            raise AccessDenied(f"the credentials of {username} changed: sign in again")
        return Principal(user.username, user.role)

    def credentials_of(self, username: str) -> str:
        """The account's credentials stamp, for a session opened now."""
        with self._archive().engine.connect() as conn:
            user = accounts.find(conn, username)
        return user.credentials if user is not None else ""

    def close(self, *, end_sessions: bool = True) -> None:
        """Drop the keys; a stopping server first ends its sessions (a worker process
        leaves that to the server that forked it)."""
        if end_sessions and self.archive is not None:
            self.sessions.end_all()
        with self._lock:
            archive, self.archive = self.archive, None
        if archive is not None:
            archive.close()
