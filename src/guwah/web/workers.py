"""``guwah serve --workers N``: one desk served by several processes, forked after unlocking.

The server asks for the passphrase once, unlocks the archive and then forks the workers,
which answer requests with database connections of their own. Where the system offers
``SO_REUSEPORT`` (Linux), each worker listens on the port with a socket of its own and the
kernel spreads connections evenly between them; elsewhere they share one socket (and the
first worker to wake takes the connection, which can load one worker with most of them).
The keys reach the workers by the fork only: never through a file, a pipe, the
environment or a command line. Sessions are kept in the archive (``guwah.web.sessions``),
so every worker knows every session.

A locked archive cannot be unlocked worker by worker, so when a worker notices
``guwah lock`` it tells the server, which stops every worker and exits: the desk is
started again with the passphrase. The server restarts a worker that crashed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from guwah.web.desk import Desk
from guwah.web.security import ASGIApp

LOCKED = 3  # the server's exit status when it stopped because the archive was locked
FAILED = 1  # ... when its workers kept stopping as soon as they started
RESTART_PAUSE = 1.0  # seconds between restarts of a worker that keeps crashing
QUICK_FAILURES = 5  # workers stopping within QUICK_SECONDS of their start, in a row
QUICK_SECONDS = 10.0


SPREAD = hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux")


def listening_socket(host: str, port: int, *, spread: bool = False) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if spread:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


class Workers:
    """The forking server: starts the workers, forwards a stop, restarts crashed ones."""

    def __init__(
        self,
        desk: Desk,
        app: ASGIApp,
        sock: socket.socket | None,
        count: int,
        options: dict[str, Any],
    ) -> None:
        """``sock``: the socket every worker shares, or None for one each (SO_REUSEPORT)."""
        self.desk, self.app, self.sock, self.count = desk, app, sock, count
        self.options = options
        self.children: dict[int, float] = {}  # pid -> when it started
        self.stopping = False
        self.locked = False
        self.quick_failures = 0
        self.failed = False

    def run(self) -> int:
        """Serve until stopped (0), until the archive is locked (``LOCKED``), or until the
        workers keep stopping as soon as they start (``FAILED``: the port taken, say)."""
        archive = self.desk.archive
        if archive is not None:
            archive.engine.dispose()  # no database connection crosses a fork
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGUSR1, self._lock_noticed)
        for _ in range(self.count):
            self._fork()
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            started = self.children.pop(pid, 0.0)
            if self.stopping or os.waitstatus_to_exitcode(status) == 0:
                continue
            quick = time.monotonic() - started < QUICK_SECONDS
            self.quick_failures = self.quick_failures + 1 if quick else 0
            if self.quick_failures >= QUICK_FAILURES:
                print("the desk's workers keep stopping as they start: giving up", file=sys.stderr)
                self._stop(signal.SIGTERM, None)
                self.failed = True
                continue
            print(f"a desk worker stopped (status {status}); starting another", file=sys.stderr)
            time.sleep(RESTART_PAUSE)
            if not self.stopping:
                self._fork()
        return LOCKED if self.locked else FAILED if self.failed else 0

    def _fork(self) -> None:
        pid = os.fork()
        if pid:
            self.children[pid] = time.monotonic()
            return
        code = 1
        try:
            code = self._work()
        except (SystemExit, KeyboardInterrupt):  # stopped (see stop_quietly)
            code = 0
        except BaseException:  # what stopped it, for the server's log
            traceback.print_exc()
        finally:
            os._exit(code)

    def _work(self) -> int:
        import uvicorn

        signal.signal(signal.SIGUSR1, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        stop_quietly()  # uvicorn installs its own handlers, then raises the signal again
        server_pid = os.getppid()
        self.desk.on_lock = lambda: os.kill(server_pid, signal.SIGUSR1)
        sock = self.sock or listening_socket(
            self.options["host"], self.options["port"], spread=True
        )
        try:
            uvicorn.Server(uvicorn.Config(self.app, **self.options)).run(sockets=[sock])
        finally:
            self.desk.close(end_sessions=False)  # the server ends the sessions as it stops
        return 0

    def _stop(self, _signum: int, _frame: object) -> None:
        self.stopping = True
        for pid in list(self.children):
            _signal(pid, signal.SIGTERM)

    def _lock_noticed(self, signum: int, frame: object) -> None:
        self.locked = True
        self._stop(signum, frame)


def stop_quietly() -> None:
    """Make SIGTERM end the process by ``SystemExit``: uvicorn, once it has shut down
    gracefully, raises the signal it caught again, and with the system's default action
    the process would die there, before closing the archive (its ``finally`` blocks)."""

    def leave(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, leave)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def serve(
    desk: Desk, make_app: Callable[[Desk], ASGIApp], host: str, port: int, count: int,
    options: dict[str, Any],
) -> int:  # fmt: skip
    """Serve the desk with ``count`` worker processes (POSIX only); the exit status."""
    if not hasattr(os, "fork"):
        raise OSError("several workers need a system that can fork (Linux, macOS, BSD)")
    try:  # bound alone first: the port is free (another server there would share it)
        sock = listening_socket(host, port)
    except OSError as exc:
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    if SPREAD:
        sock.close()  # each worker binds its own; the server holds none
    try:
        return Workers(desk, make_app(desk), None if SPREAD else sock, count, options).run()
    finally:
        sock.close()
