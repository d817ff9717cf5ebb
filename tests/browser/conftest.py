"""Browser tests: Debian's chromium, driven by Playwright, against real servers.

Each test gets a fresh copy of the demo archive (with one account of each role) served by
a real uvicorn server on a free loopback port, in a thread of the test process, as
``guwah serve`` serves it: the desk (``desk_url``) and, on the same archive, the public
site (``public_url``). They run on SQLite only: they test what the browser does (forms,
htmx, scripts under the CSP, right-to-left names); both backends are covered by the
tests under tests/web through the same services.

Playwright never downloads a browser here: it launches /usr/bin/chromium (``make
browsers`` installs it from Debian's packages); without it the tests are skipped.
Screenshots go to ``screenshots/`` in pytest's temporary folder, and also to the folder
named by GUWAH_SCREENSHOTS (``GUWAH_SCREENSHOTS=docs/screenshots``, relative to the
repository) when it is set, to refresh the documentation's pictures on demand.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import uvicorn

from guwah.secure.policy import Role
from guwah.web.app import desk_app, public_app
from guwah.web.desk import Desk
from guwah.web.security import ASGIApp
from guwah.web.settings import WebSettings
from tests.conftest import PASSPHRASE, Cli
from tests.web.conftest import PASSWORD, USERS, add_accounts

if TYPE_CHECKING:  # Playwright is imported when a test runs (skipped without it)
    from playwright.sync_api import Browser, ConsoleMessage, Page
    from playwright.sync_api import Response as PageResponse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"]
REPO = Path(__file__).resolve().parents[2]
VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1280, 860
TIMEOUT_MS = 15_000  # a busy 2-core machine running the suite on two workers

needs_chromium = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason=f"needs Debian's chromium at {CHROMIUM} (make browsers)",
)

# Chromium reports CSP violations as console errors too; this makes every one explicit
# (an init script runs before the page's own scripts and is not subject to its CSP).
_REPORT_CSP = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def backend() -> str:
    """The browser tests use the SQLite archive only (see the module's docstring)."""
    return "sqlite"


# --- servers ------------------------------------------------------------------------------


class ServerThread:
    """A uvicorn server over one ASGI app, on a free loopback port, in a daemon thread."""

    def __init__(self, app: ASGIApp) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", server_header=False, date_header=False
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return self.url
            except urllib.error.HTTPError:  # it answers (the public site has no /healthz)
                return self.url
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the server at {self.url} did not answer")

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@pytest.fixture
def served_archive(demo_cli: Cli) -> str:
    """A fresh copy of the demo archive with the desk's accounts (tests/web/conftest.py)."""
    add_accounts(demo_cli.location)
    return demo_cli.location


@pytest.fixture
def desk(served_archive: str) -> Iterator[Desk]:
    opened = Desk.open(served_archive, PASSPHRASE, WebSettings())
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def desk_url(desk: Desk) -> Iterator[str]:
    """The base URL of the desk (``guwah serve``) over the fresh demo archive."""
    with ServerThread(desk_app(desk)) as url:
        yield url


@pytest.fixture
def public_url(served_archive: str) -> Iterator[str]:
    """The base URL of the public site (``guwah serve --public``) over the same archive,
    opened by a desk of its own as the separate process would."""
    opened = Desk.open(served_archive, PASSPHRASE, WebSettings())
    try:
        with ServerThread(public_app(opened)) as url:
            yield url
    finally:
        opened.close()


# --- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One chromium per test module (Playwright's sync API keeps an event loop of its own
    while it runs, so it is not left open across the other modules of a worker)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Tab:
    """A browser page that keeps every console error, script error, CSP violation and
    answer with an error status (a test that wants one clears ``problems`` after it)."""

    page: Page
    base: str
    problems: list[str] = field(default_factory=list)

    def go(self, path: str) -> PageResponse:
        answer = self.page.goto(self.base + path)
        assert answer is not None and answer.ok, f"{path}: {answer.status if answer else '?'}"
        return answer

    def sign_in(self, role: Role = Role.EDITOR, path: str = "/") -> None:
        """Through the real sign-in form, as a person would."""
        self.go("/login?next=" + path)
        self.page.fill("input[name=username]", USERS[role])
        self.page.fill("input[name=password]", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("form[action='/login'] button[type=submit]")
        assert self.page.url == self.base + path, self.page.url

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


def _watch(page: Page, problems: list[str]) -> None:
    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text} ({message.location.get('url', '')})")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def answered(response: PageResponse) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    page.on("response", answered)


def open_tab(browser: Browser, base: str) -> Iterator[Tab]:
    context = browser.new_context(
        viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT},
        locale="en-GB",
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(_REPORT_CSP)
    page = context.new_page()
    tab = Tab(page, base)
    _watch(page, tab.problems)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def tab(browser: Browser, desk_url: str) -> Iterator[Tab]:
    """A fresh browser context (no cookies) on the desk."""
    yield from open_tab(browser, desk_url)


@pytest.fixture
def public_tab(browser: Browser, public_url: str) -> Iterator[Tab]:
    """A fresh browser context on the public site."""
    yield from open_tab(browser, public_url)


# --- screenshots --------------------------------------------------------------------------


@dataclass
class Screenshots:
    folder: Path
    docs: Path | None

    def take(self, tab: Tab, name: str) -> Path:
        """A full-page PNG under pytest's temporary folder (and GUWAH_SCREENSHOTS)."""
        if not re.fullmatch(r"[a-z0-9-]+", name):
            raise ValueError(f"screenshot names are lowercase words with dashes: {name!r}")
        path = self.folder / f"{name}.png"
        tab.page.screenshot(path=str(path), full_page=True)
        if self.docs is not None:
            self.docs.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, self.docs / path.name)
        return path


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Screenshots:
    folder = tmp_path_factory.mktemp("screenshots", numbered=False)
    wanted = os.environ.get("GUWAH_SCREENSHOTS")
    docs = None
    if wanted:
        docs = Path(wanted) if Path(wanted).is_absolute() else REPO / wanted
    return Screenshots(folder, docs)
