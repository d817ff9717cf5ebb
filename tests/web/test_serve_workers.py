"""`guwah serve --workers 2`: a real server process forking two workers over one archive."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from guwah.secure.policy import Role
from guwah.services.archive import open_archive
from guwah.services.locking import lock
from tests.conftest import PASSPHRASE, Cli
from tests.web.conftest import PASSWORD, USERS, add_accounts

GUWAH = Path(sys.executable).with_name("guwah")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str

    def workers(self) -> list[int]:
        pid = self.process.pid
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(p) for p in listed]


def wait_for(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as answer:
                if answer.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("guwah serve --workers 2 did not answer in 60 s")


def serve(demo_cli: Cli, workers: int) -> Iterator[Served]:
    if not Path("/proc/self/task").is_dir():
        pytest.skip("reads worker processes from Linux /proc")
    add_accounts(demo_cli.location)
    port = free_port()
    env = dict(os.environ, GUWAH_PASSPHRASE=PASSPHRASE, GUWAH_USER=USERS[Role.ADMIN],
               GUWAH_PASSWORD=PASSWORD)  # fmt: skip
    env.pop("GUWAH_DATABASE_URL", None)
    process = subprocess.Popen(
        [str(GUWAH), "serve", "--db", demo_cli.location, "--port", str(port),
         "--workers", str(workers)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}", process)
        yield Served(process, f"http://127.0.0.1:{port}")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)  # reads and closes its pipes
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
        except ValueError:  # a test read them already
            pass


@pytest.fixture
def served(demo_cli: Cli) -> Iterator[Served]:
    yield from serve(demo_cli, 2)


@pytest.fixture(params=[1, 2], ids=["one process", "two workers"])
def any_server(demo_cli: Cli, request: pytest.FixtureRequest) -> Iterator[Served]:
    yield from serve(demo_cli, request.param)


def sign_in(base: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/login", timeout=30) as page:
        pre = re.search(r'name="pre" value="([^"]+)"', page.read().decode())
    assert pre
    form = {"username": USERS[Role.EDITOR], "password": PASSWORD, "pre": pre.group(1)}
    with opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=30):
        pass
    session = next((c.value for c in jar if c.name == "guwah_session"), None)
    assert session
    return session


def status(base: str, path: str, session: str) -> int:
    """The status of a GET on a new connection (each may reach either worker)."""
    request = urllib.request.Request(base + path, headers={"Cookie": f"guwah_session={session}"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


def test_every_worker_knows_every_session_and_a_lock_stops_the_server(
    served: Served, demo_cli: Cli
) -> None:
    workers = served.workers()
    assert len(workers) == 2
    session = sign_in(served.url)
    answers = [status(served.url, "/search?q=Tursun", session) for _ in range(30)]
    assert answers == [200] * 30  # on 30 new connections, whichever worker took them
    assert status(served.url, "/search?q=Tursun", "forged-" + session[7:]) == 303

    other = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        lock(other)
    finally:
        other.close()
    answer = status(served.url, "/search?q=Tursun", session)
    assert answer in (303, 503)  # to /unlock, as the worker that noticed stops the server
    out, err = served.process.communicate(timeout=30)
    assert served.process.returncode == 0, err
    assert "The archive was locked" in out
    for pid in workers:  # no worker is left holding the keys
        assert not Path(f"/proc/{pid}").exists() or "Z" in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_stopping_the_server_ends_its_sessions(any_server: Served, demo_cli: Cli) -> None:
    """SIGTERM (systemd's stop): the server closes the archive and deletes its sessions;
    the write-ahead log and its index go away with the last connection."""
    session = sign_in(any_server.url)
    assert status(any_server.url, "/", session) == 200
    any_server.process.send_signal(signal.SIGTERM)
    any_server.process.communicate(timeout=30)
    assert any_server.process.returncode == 0
    if "://" not in demo_cli.location:
        assert not Path(demo_cli.location + "-wal").exists()
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        with archive.engine.connect() as conn:
            left = conn.exec_driver_sql("SELECT count(*) FROM desk_sessions").scalar_one()
    finally:
        archive.close()
    assert left == 0


def test_a_second_server_on_the_same_port_is_refused(served: Served, demo_cli: Cli) -> None:
    """Workers share the port (SO_REUSEPORT): a second desk started on it by mistake must
    not quietly take half the connections."""
    port = served.url.rsplit(":", 1)[1]
    env = dict(os.environ, GUWAH_PASSPHRASE=PASSPHRASE, GUWAH_USER=USERS[Role.ADMIN],
               GUWAH_PASSWORD=PASSWORD)  # fmt: skip
    env.pop("GUWAH_DATABASE_URL", None)
    second = subprocess.run(
        [str(GUWAH), "serve", "--db", demo_cli.location, "--port", port, "--workers", "2"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert second.returncode == 1
    assert second.stderr.strip().count("\n") == 0 and "cannot listen on" in second.stderr
    assert served.process.poll() is None
