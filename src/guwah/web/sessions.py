"""Signed-in sessions of the desk, kept in the server's memory only.

A session is a random 256-bit id in an HttpOnly, SameSite=Strict cookie; the server keeps
who it belongs to, its CSRF token and its times. Nothing about it is written to disk, so a
restart or ``guwah lock`` ends every session.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class Session:
    id: str
    username: str
    csrf: str
    started: float
    seen: float
    lang: str | None = None
    credentials: str = ""  # the account's credentials stamp at sign-in


@dataclass
class SessionStore:
    idle_seconds: float
    max_seconds: float
    _sessions: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, username: str, credentials: str = "") -> Session:
        now = time.monotonic()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        session = Session(token, username, csrf, now, now, credentials=credentials)
        with self._lock:
            for old in [s for s in self._sessions.values() if self._expired(s, now)]:
                del self._sessions[old.id]  # sessions never used again are forgotten here
            self._sessions[session.id] = session
        return session

    def _expired(self, session: Session, now: float) -> bool:
        return now - session.seen > self.idle_seconds or now - session.started > self.max_seconds

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id (its idle clock restarted), or None."""
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if self._expired(session, now):
                del self._sessions[session_id]
                return None
            session.seen = now
            return session

    def end(self, session_id: str | None) -> None:
        with self._lock:
            self._sessions.pop(session_id or "", None)

    def end_user(self, username: str) -> None:
        with self._lock:
            for sid in [s.id for s in self._sessions.values() if s.username == username]:
                del self._sessions[sid]

    def end_all(self) -> None:
        with self._lock:
            self._sessions.clear()

    def __len__(self) -> int:
        return len(self._sessions)


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
