"""How the desk runs: limits and cookie settings, from the environment (docs/web.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be above zero")
    return value


@dataclass(frozen=True)
class WebSettings:
    # minutes without a request before a session ends, and hours after which it ends anyway
    idle_minutes: float = 30
    max_hours: float = 12
    # largest request body (an upload of evidence with a testimony), in MiB
    max_upload_mb: float = 64
    # cookies only over HTTPS: on behind a TLS reverse proxy (docs/admin.md)
    secure_cookies: bool = False
    # sign-in attempts per minute from one address before it waits (accounts lock too)
    login_per_minute: int = 10
    # public corrections accepted per hour from one address
    corrections_per_hour: int = 5
    # requests worked on at once (the rest wait their turn): one process runs Python on
    # one core, so more threads only trade one another's caches and the interpreter lock
    threads: int = 2
    # processes answering requests (guwah serve --workers): one per core on a server;
    # with more than one, `guwah lock` stops the desk instead of asking for the passphrase
    workers: int = 1

    @classmethod
    def from_env(cls) -> WebSettings:
        return cls(
            idle_minutes=_number("GUWAH_WEB_IDLE_MINUTES", cls.idle_minutes),
            max_hours=_number("GUWAH_WEB_SESSION_HOURS", cls.max_hours),
            max_upload_mb=_number("GUWAH_WEB_MAX_UPLOAD_MB", cls.max_upload_mb),
            secure_cookies=os.environ.get("GUWAH_WEB_SECURE_COOKIES", "") in ("1", "true", "yes"),
            login_per_minute=int(_number("GUWAH_WEB_LOGINS_PER_MINUTE", cls.login_per_minute)),
            corrections_per_hour=int(
                _number("GUWAH_WEB_CORRECTIONS_PER_HOUR", cls.corrections_per_hour)
            ),
            threads=int(_number("GUWAH_WEB_THREADS", cls.threads)),
            workers=int(_number("GUWAH_WEB_WORKERS", cls.workers)),
        )
