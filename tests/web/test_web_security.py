"""The desk attacked through HTTP: sessions (fixation, logout, expiry, disabled accounts,
role changes), guessing passwords, forms posted from other sites, pages without a
session, oversized uploads, redirects off the site, crashes, headers, and a locked
archive. Routes are discovered from the app, so that new pages are covered as they come.
"""

from __future__ import annotations

import html
import re
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pyotp
import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from guwah.model.records import format_id
from guwah.secure.accounts import MAX_FAILURES
from guwah.secure.policy import Role
from guwah.services import accounts
from guwah.services.archive import open_archive
from guwah.services.audit import latest_entries
from guwah.services.locking import lock
from guwah.services.testimony import add_document
from guwah.web import sessions
from guwah.web.app import build_desk_app, desk_app, public_app
from guwah.web.context import SESSION_COOKIE
from guwah.web.desk import Desk
from guwah.web.settings import WebSettings
from tests.conftest import PASSPHRASE, Cli
from tests.web.conftest import PASSWORD, USERS, Web, add_accounts

HTMX = {"HX-Request": "true"}
# pages anyone may open: signing in, unlocking, the language, the health check, the
# favicon and the API's description
OPEN = {"/login", "/unlock", "/lang/{code}", "/healthz", "/favicon.ico", "/api/v1/openapi.json"}
# a real record for each kind of path parameter (by its name, or the path segment before it)
IDS = {
    "persons": "P-000001", "victims": "P-000001", "sources": "S-000001", "done": "S-000001",
    "source_id": "S-000001", "cases": "K-000001", "case_id": "K-000001",
    "proposals": "X-000001", "proposal_id": "X-000001", "corrections": "Q-000001",
    "item": "1", "number": "1", "action": "confirm", "fmt": "csv", "code": "ru",
}  # fmt: skip
TIGHT = WebSettings(idle_minutes=1, max_hours=0.05, max_upload_mb=1, login_per_minute=3)
CRASHED = "Something went wrong on the server; nothing was changed by this request."


# --- helpers ------------------------------------------------------------------------------


def _walk(app: Any) -> list[tuple[str, str, Any]]:
    """(method, path, route) of every route the app serves, included routers too."""
    found: list[tuple[str, str, Any]] = []

    def walk(entries: list[Any], prefix: str) -> None:
        for route in entries:
            methods = getattr(route, "methods", None)
            if methods and getattr(route, "path", None) is not None:
                found.extend((m, prefix + route.path, route) for m in methods if m != "HEAD")
            elif hasattr(route, "original_router"):  # an included router (FastAPI 0.16x)
                walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif hasattr(route, "routes") and getattr(route, "path", None) is None:
                walk(route.routes, prefix)

    walk(app.routes, "")
    return found


def routes(app: Any) -> list[tuple[str, str]]:
    return sorted({(method, path) for method, path, _ in _walk(app)})


def with_body(app: Any) -> set[tuple[str, str]]:
    """The routes that declare a request body (form fields or JSON) and so read it."""
    return {(m, p) for m, p, route in _walk(app) if getattr(route, "body_field", None)}


def desk_routes(desk: Desk) -> list[tuple[str, str]]:
    found = routes(build_desk_app(desk))
    paths = {path for _, path in found}
    # the walk must see the pages of every kind (if FastAPI changes, fail here, loudly)
    assert {"/logout", "/persons/{public_id}", "/search", "/api/v1/persons"} <= paths, paths
    return found


def fill(path: str, ids: dict[str, str] = IDS) -> str:
    def value(match: re.Match[str]) -> str:
        before = path[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        return ids.get(match.group(1)) or ids.get(before) or "1"

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def browser(desk: Desk, session: str | None = None, **options: Any) -> TestClient:
    """Another browser on the same desk (with a session cookie of its own, if given)."""
    cookies = {SESSION_COOKIE: session} if session else None
    return TestClient(desk_app(desk), base_url="http://127.0.0.1", cookies=cookies, **options)


def sign_in(client: TestClient, role: Role) -> TestClient:
    """Sign a client in (another browser than ``web.client``)."""
    return Web(desk=None, client=client, location="").login(role)  # type: ignore[arg-type]


def csrf_of(client: TestClient) -> str:
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', client.get("/").text)
    assert found
    return found.group(1)


def pre_token(client: TestClient) -> str:
    found = re.search(r'name="pre" value="([^"]+)"', client.get("/login").text)
    assert found
    return found.group(1)


def attempt(client: TestClient, username: str, password: str, next_url: str = "/") -> Any:
    data = {"username": username, "password": password, "pre": pre_token(client), "next": next_url}
    return client.post("/login", data=data, follow_redirects=False)


def last_seq(web: Web) -> int:
    """The audit log's latest entry: every write of the services adds one."""
    assert web.desk.archive is not None
    return latest_entries(web.desk.archive, 1)[0].seq


def one_line(answer: Any) -> str:
    """The message of an error page (or of a plain or JSON answer), checked to be one line."""
    kind = answer.headers.get("content-type", "")
    if kind.startswith("application/json"):
        message = str(answer.json()["error"])
    elif kind.startswith("text/html"):
        found = re.findall(r'<p class="error" role="alert">([^<]*)</p>', answer.text)
        assert len(found) == 1, answer.text
        message = found[0]
    else:
        message = answer.text
    assert message.strip() and "\n" not in message.strip(), message
    assert "Traceback" not in answer.text
    return message.strip()


class Clock:
    """The clocks of the session store (time.time) and rate limits (time.monotonic),
    moved by hand."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(sessions, "time", fake)
    return fake


@pytest.fixture
def tight(demo_cli: Cli) -> Iterator[Web]:
    """The desk with small limits: 1-minute idle sessions ending after 3 minutes anyway,
    3 sign-in attempts a minute, uploads up to 1 MiB."""
    add_accounts(demo_cli.location)
    desk = Desk.open(demo_cli.location, PASSPHRASE, TIGHT)
    try:
        with TestClient(desk_app(desk), base_url="http://127.0.0.1") as client:
            yield Web(desk, client, demo_cli.location)
    finally:
        desk.close()


# --- sessions -----------------------------------------------------------------------------


def test_session_fixation_logout_and_a_second_sign_in(web: Web) -> None:
    client = web.client
    client.cookies.set(SESSION_COOKIE, "chosen-by-an-attacker", domain="127.0.0.1")
    assert client.get("/", follow_redirects=False).status_code == 303  # not a session
    web.login(Role.EDITOR)
    first = client.cookies.get(SESSION_COOKIE)
    assert first and first != "chosen-by-an-attacker" and len(first) >= 40
    planted = browser(web.desk, "chosen-by-an-attacker").get("/")
    assert planted.url.path == "/login"

    web.login(Role.EDITOR)  # signing in again: a new id, and the first one ends
    second = client.cookies.get(SESSION_COOKIE)
    assert second and second != first
    replay = browser(web.desk, first).get("/", follow_redirects=False)
    assert replay.status_code == 303
    assert browser(web.desk, second).get("/").status_code == 200

    answer = client.post("/logout", data={"csrf": web.csrf()}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    replay = browser(web.desk, second).get("/", follow_redirects=False)
    assert replay.status_code == 303 and replay.headers["location"].startswith("/login")
    assert len(web.desk.sessions) == 0


def test_sessions_are_kept_by_digest_per_server_and_end_with_a_lock(web: Web) -> None:
    """The archive holds a digest of each session id, never the id; a second server on the
    same archive (or this one restarted) neither knows nor ends the first one's sessions;
    ``guwah lock`` ends them all."""
    client = web.login(Role.EDITOR)
    session = client.cookies.get(SESSION_COOKIE)
    assert session
    archive = web.desk.archive
    assert archive is not None
    with archive.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM desk_sessions")).all()
    assert len(rows) == 1 and rows[0].id_sha256 == sessions.digest(session)
    assert session not in repr(rows)

    second = Desk.open(web.location, PASSPHRASE, WebSettings())
    try:
        assert browser(second, session).get("/", follow_redirects=False).status_code == 303
        assert client.get("/", follow_redirects=False).status_code == 200
        sign_in(browser(second), Role.VIEWER)
        with archive.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM desk_sessions")).scalar_one() == 2
    finally:
        second.close()
    assert client.get("/", follow_redirects=False).status_code == 200  # still signed in

    other = open_archive(web.location, PASSPHRASE, "tester")
    try:
        lock(other)
        with other.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM desk_sessions")).scalar_one() == 0
    finally:
        other.close()


def test_idle_and_old_sessions_end(tight: Web, clock: Clock) -> None:
    client = tight.login(Role.EDITOR)
    for _ in range(3):  # each request restarts the idle minute
        clock.now += 50
        assert client.get("/", follow_redirects=False).status_code == 200
    clock.now += 61
    gone = client.get("/search", follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/login?next=%2Fsearch"
    assert len(tight.desk.sessions) == 0

    tight.login(Role.EDITOR)
    for _ in range(3):  # busy, but three minutes after signing in the session ends
        clock.now += 55
        assert client.get("/", follow_redirects=False).status_code == 200
    clock.now += 55
    assert client.get("/", follow_redirects=False).status_code == 303


def test_disabled_account_and_role_change_apply_at_once(web: Web) -> None:
    archive = web.desk.archive
    assert archive is not None
    outcome = add_document(
        archive,
        {"source": {"kind": "news_article", "title": "Internal note", "sensitivity": "internal"},
         "persons": [{"ref": "v", "sensitivity": "internal", "names": ["Qasirkhan Internal"]}]},
    )  # fmt: skip
    assert outcome.result is not None
    hidden = format_id("person", outcome.result.person_ids["v"])
    client = web.login(Role.EDITOR)
    assert "Qasirkhan Internal" in client.get(f"/persons/{hidden}").text

    accounts.set_role(archive, USERS[Role.EDITOR], "viewer")
    page = client.get(f"/persons/{hidden}")
    assert page.status_code in (403, 404) and "Qasirkhan" not in page.text
    assert "erkin" in page.text and "viewer" in page.text  # the same session, the new role

    accounts.set_disabled(archive, USERS[Role.EDITOR], True)
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    accounts.set_disabled(archive, USERS[Role.EDITOR], False)
    assert client.get("/", follow_redirects=False).status_code == 303  # that session ended
    assert attempt(client, USERS[Role.EDITOR], PASSWORD).status_code == 303


def test_a_password_reset_or_new_second_factor_ends_the_sessions(web: Web) -> None:
    """An admin resets the password of a stolen laptop's account: the session open on it
    ends at the next request, and so does one when a second factor is enrolled."""
    archive = web.desk.archive
    assert archive is not None
    client = web.login(Role.EDITOR)
    assert client.get("/", follow_redirects=False).status_code == 200
    accounts.set_password(archive, USERS[Role.EDITOR], "a new desk password 2025")
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert attempt(client, USERS[Role.EDITOR], PASSWORD).status_code == 401  # the old one
    assert attempt(client, USERS[Role.EDITOR], "a new desk password 2025").status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 200

    other = web.login(Role.VIEWER)  # the test client now holds the viewer's session
    assert other.get("/", follow_redirects=False).status_code == 200
    accounts.enrol_totp(archive, USERS[Role.VIEWER])
    assert other.get("/", follow_redirects=False).status_code == 303


# --- guessing passwords -------------------------------------------------------------------


def test_sign_in_attempts_are_limited_per_address(tight: Web, clock: Clock) -> None:
    client = tight.client
    for _ in range(3):
        assert attempt(client, "erkin", "wrong guess").status_code == 401
    refused = attempt(client, "erkin", PASSWORD)
    assert refused.status_code == 429
    assert one_line(refused) == "Too many attempts from this address. Wait a minute and try again."
    assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")
    assert client.get("/", follow_redirects=False).status_code == 303
    elsewhere = browser(tight.desk, client=("192.0.2.7", 50000))
    assert attempt(elsewhere, "erkin", PASSWORD).status_code == 303  # another address
    unlocks = client.post("/unlock", data={"passphrase": "guess"}, follow_redirects=False)
    assert unlocks.status_code == 303  # unlocked already: nothing to guess
    clock.now += 61
    assert attempt(client, "erkin", PASSWORD).status_code == 303


def test_lock_out_after_failures_applies_on_the_desk_and_is_audited(web: Web) -> None:
    victim = browser(web.desk)
    sign_in(victim, Role.EDITOR)
    before = last_seq(web)
    answers = [attempt(web.client, "erkin", f"guess {i}") for i in range(MAX_FAILURES)]
    assert [a.status_code for a in answers] == [401] * MAX_FAILURES
    assert "locked until" in one_line(answers[-1])
    refused = attempt(web.client, "erkin", PASSWORD)
    assert refused.status_code == 401 and "is locked until" in one_line(refused)
    assert web.client.get("/", follow_redirects=False).status_code == 303
    # a locked account acts no more, even in a session it opened before
    assert victim.get("/", follow_redirects=False).status_code == 303
    assert web.desk.archive is not None
    failures = [
        e for e in latest_entries(web.desk.archive, 50)
        if e.seq > before and e.action == "login.failed"
    ]  # fmt: skip
    assert len(failures) == MAX_FAILURES + 1
    assert {e.target for e in failures} == {"user:erkin"}
    accounts.unlock(web.desk.archive, "erkin")
    assert attempt(web.client, "erkin", PASSWORD).status_code == 303


def test_failures_never_lock_an_account_with_a_second_factor(web: Web) -> None:
    """Anyone who knows a user name could otherwise keep its owner out: with TOTP, a guess
    needs the password and the code, so failures are counted and audited but lock nothing."""
    archive = web.desk.archive
    assert archive is not None
    secret, _uri = accounts.enrol_totp(archive, "erkin")
    before = last_seq(web)
    answers = [attempt(web.client, "erkin", f"guess {i}") for i in range(MAX_FAILURES + 2)]
    assert [a.status_code for a in answers] == [401] * (MAX_FAILURES + 2)
    assert not any("locked" in one_line(a) for a in answers)
    code = pyotp.TOTP(secret).now()
    data = {"username": "erkin", "password": PASSWORD, "totp": code, "pre": pre_token(web.client)}
    assert web.client.post("/login", data=data, follow_redirects=False).status_code == 303
    failures = [e for e in latest_entries(archive, 50) if e.seq > before]
    assert [e.action for e in failures].count("login.failed") == MAX_FAILURES + 2


def test_a_second_factor_on_the_desk_tells_a_guesser_nothing(web: Web) -> None:
    """With a second factor, a right password without its code, a wrong password and a
    disabled account all get the same answer and count as failures; the right code signs
    in, and the same code cannot be used again."""
    archive = web.desk.archive
    assert archive is not None
    secret, _uri = accounts.enrol_totp(archive, "erkin")
    generic = "Sign-in failed: wrong user name, password or authenticator code."
    before = last_seq(web)
    no_code = attempt(web.client, "erkin", PASSWORD)
    wrong = attempt(web.client, "erkin", "not the password")
    bad_code = web.client.post("/login", data={
        "username": "erkin", "password": PASSWORD, "totp": "000000", "pre": pre_token(web.client)
    }, follow_redirects=False)  # fmt: skip
    for answer in (no_code, wrong, bad_code):
        assert answer.status_code == 401 and one_line(answer) == generic
    failures = [e for e in latest_entries(archive, 20) if e.seq > before]
    assert [e.action for e in failures] == ["login.failed"] * 3

    code = pyotp.TOTP(secret).now()
    data = {"username": "erkin", "password": PASSWORD, "totp": code, "pre": pre_token(web.client)}
    assert web.client.post("/login", data=data, follow_redirects=False).status_code == 303
    assert web.client.get("/", follow_redirects=False).status_code == 200
    data["pre"] = pre_token(web.client)
    reused = web.client.post("/login", data=data, follow_redirects=False)
    assert reused.status_code == 401 and one_line(reused) == generic

    accounts.set_disabled(archive, "rana", True)
    disabled = attempt(web.client, "rana", PASSWORD)
    assert disabled.status_code == 401 and one_line(disabled) == generic


# --- forms from other sites, pages without a session ---------------------------------------


def test_every_desk_form_needs_the_session_token(web: Web) -> None:
    posts = [
        (method, path) for method, path in desk_routes(web.desk)
        if method != "GET" and path not in OPEN and not path.startswith("/api/")
    ]  # fmt: skip
    assert ("POST", "/logout") in posts
    client = web.login(Role.ADMIN)
    token = web.csrf()
    someone = browser(web.desk)
    sign_in(someone, Role.RESEARCHER)
    foreign = csrf_of(someone)
    before = last_seq(web)
    for method, path in posts:
        url = fill(path)
        tries = [
            ({}, {"note": "x"}),
            ({}, {"csrf": token[:-2] + "xx", "note": "x"}),
            ({"X-CSRF-Token": "forged"}, {"csrf": token}),  # the header is what counts
            ({}, {"csrf": foreign}),  # another session's token
            (HTMX, {"csrf": ""}),
        ]
        for headers, data in tries:
            answer = client.request(method, url, data=data, headers=headers,
                                    follow_redirects=False)  # fmt: skip
            assert answer.status_code == 403, (method, url, data, answer.status_code)
            assert "came from another site" in answer.text, (method, url)
    assert last_seq(web) == before  # nothing was written, not even a refusal
    assert client.get("/", follow_redirects=False).status_code == 200  # still signed in


def test_every_page_needs_a_session_and_the_api_a_token(web: Web) -> None:
    gets = [path for method, path in desk_routes(web.desk) if method == "GET" and path not in OPEN]
    posts = [path for method, path in desk_routes(web.desk) if method != "GET"]
    client = web.client
    forged = browser(web.desk, "forged-session-id")
    for path in gets:
        url = fill(path)
        if path.startswith("/api/"):
            answer = client.get(url)
            assert answer.status_code == 401, (url, answer.status_code)
            assert answer.json()["error"].startswith("an API token is needed")
            continue
        for anyone in (client, forged):
            answer = anyone.get(url, follow_redirects=False)
            assert answer.status_code == 303, (url, answer.status_code)
            assert answer.headers["location"].startswith("/login?next=%2F"), url
        answer = client.get(url, headers=HTMX, follow_redirects=False)
        assert answer.status_code == 401 and answer.headers["hx-redirect"].startswith("/login")
    for path in posts:
        if path.startswith("/api/"):
            answer = client.post(fill(path), json={})
            assert answer.status_code == 401, (path, answer.status_code)
    for path in ("/api/v1/persons", "/api/v1/persons/P-000001"):
        answer = client.get(path, headers={"Authorization": "Bearer guwah_forged"})
        assert answer.status_code == 401 and "API token is invalid" in one_line(answer)
        assert answer.headers["www-authenticate"].startswith("Bearer")


# --- uploads, redirects -------------------------------------------------------------------


def test_oversized_bodies_are_refused_and_store_nothing(tight: Web) -> None:
    assert tight.desk.archive is not None
    _id, bearer = accounts.create_token(tight.desk.archive, "ayla", None)
    client = tight.login(Role.ADMIN)
    token = tight.csrf()
    before = last_seq(tight)
    big = b"x" * (1024 * 1024 + 1)
    posts = [(m, p) for m, p in desk_routes(tight.desk) if m != "GET"]

    def chunks(head: bytes) -> Iterator[bytes]:
        yield head
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    reading = with_body(build_desk_app(tight.desk))
    assert ("POST", "/login") in reading
    for method, path in posts:
        url = fill(path)
        if path.startswith("/api/"):  # a JSON body, sent with a real token
            headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
            head = b'{"note": "'
        else:  # the form's token in the body: checking it means reading the body
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            head = f"csrf={token}&note=".encode()
        declared = client.request(method, url, content=head + big, headers=headers)
        assert declared.status_code == 413, (url, declared.status_code)
        assert one_line(declared) == "the upload is larger than the limit of 1 MiB"
        if path.startswith("/api/") and (method, path) not in reading:
            continue  # a call without a body never reads what is sent: nothing to refuse
        streamed = client.request(method, url, content=chunks(head), headers=headers)
        assert "content-length" not in streamed.request.headers
        assert streamed.status_code == 413, (url, streamed.status_code, streamed.text[-300:])
        assert "larger than the limit of 1 MiB" in one_line(streamed)
    with open(__file__, "rb") as handle:  # a file upload as a browser sends it
        page = client.post(
            "/logout", data={"csrf": token}, files={"file": ("big.bin", big + handle.read())}
        )
    assert page.status_code == 413
    assert last_seq(tight) == before
    assert client.get("/", follow_redirects=False).status_code == 200  # /logout never ran


def test_only_the_intake_form_takes_large_bodies(web: Web) -> None:
    """Files come only with a testimony: any other request, the sign-in form's first of
    all, is refused above 1 MiB, so that a stranger cannot make the server hold large
    bodies in memory (uploads are kept in memory, never in temporary files)."""
    two_mib = {"file": ("big.bin", b"x" * (2 * 1024 * 1024), "application/octet-stream")}
    refused = web.client.post("/login", data={"username": "x"}, files=two_mib)
    assert refused.status_code == 413
    assert one_line(refused) == "the upload is larger than the limit of 1 MiB"
    client = web.login(Role.EDITOR)
    token = web.csrf("/intake")
    answer = client.post("/intake", data={"csrf": token, "add": "victim"}, files=two_mib)
    assert answer.status_code == 200  # read in full: the form came back with a new row


def stays_on_site(location: str) -> bool:
    """What a browser makes of a Location: tabs and newlines dropped, \\ read as /."""
    seen = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return seen.startswith("/") and not seen.startswith("//")


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_redirects_stay_on_the_site(web: Web) -> None:
    evil = ["//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example",
            "/\t/evil.example", "///evil.example", "javascript:alert(1)", " //evil.example",
            "http:evil.example", "/%2F%2Fevil.example", "%2F%2Fevil.example"]  # fmt: skip
    for target in evil:
        form = web.client.get("/login", params={"next": target}).text
        kept = re.search(r'name="next" value="([^"]*)"', form)
        assert kept and stays_on_site(html.unescape(kept.group(1))), (target, kept)
        lang = web.client.get("/lang/ru", params={"next": target}, follow_redirects=False)
        assert lang.status_code == 303 and stays_on_site(lang.headers["location"]), target
    for target in evil[:6]:
        answer = attempt(web.client, "erkin", PASSWORD, target)
        assert answer.status_code == 303, answer.text
        assert stays_on_site(answer.headers["location"]), (target, answer.headers["location"])
    fine = attempt(web.client, "erkin", PASSWORD, "/search?q=a")
    assert fine.headers["location"] == "/search?q=a"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_behind_tls_every_cookie_is_secure(web: Web) -> None:
    """The same archive served behind a TLS proxy (GUWAH_WEB_SECURE_COOKIES=1)."""
    tls = Desk(web.location, WebSettings(secure_cookies=True))
    tls.archive, tls.epoch = web.desk.archive, web.desk.epoch
    client = TestClient(desk_app(tls), base_url="https://127.0.0.1")
    page = client.get("/login")
    assert page.headers["strict-transport-security"].startswith("max-age=")
    cookies = [attempt(client, "erkin", PASSWORD).headers["set-cookie"], page.headers["set-cookie"],
               client.get("/lang/kk", follow_redirects=False).headers["set-cookie"]]  # fmt: skip
    assert all("secure" in cookie.lower() for cookie in cookies), cookies
    assert client.get("/").status_code == 200  # the session cookie comes back over HTTPS
    tls.archive = None  # the fixture closes the archive


# --- crashes and headers ------------------------------------------------------------------


def _headers_are_set(answer: Any, *, cached: bool = False) -> None:
    csp = answer.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "server" not in answer.headers and "x-powered-by" not in answer.headers
    control = answer.headers.get("cache-control", "")
    if cached:
        assert "no-store" not in control and "max-age=" in control, control
    else:
        assert control == "no-store", (answer.url, control)


def test_crashes_show_one_line_and_every_answer_has_the_headers(web: Web) -> None:
    assert web.desk.archive is not None
    _id, token = accounts.create_token(web.desk.archive, "ayla", None)
    client = browser(web.desk, raise_server_exceptions=False)
    sign_in(client, Role.ADMIN)
    for path in ("/login", "/", "/persons/P-000001", "/persons/%ff", "/no/such/page"):
        _headers_are_set(client.get(path))
    for path in ("/static/guwah.css", "/static/guwah.js", "/static/favicon.svg"):
        _headers_are_set(client.get(path), cached=True)
    missing = client.get("/static/nothing.css")
    assert missing.status_code == 404
    _headers_are_set(missing)
    for path in ("/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/app.py"):
        outside = client.get(path)
        assert outside.status_code == 404 and "__future__" not in outside.text, path
    api = client.get("/api/v1/persons/P-000001", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    _headers_are_set(api)

    # the database changed under the server (a table gone): every page that reads it fails
    with web.desk.archive.engine.begin() as conn:
        conn.execute(text("ALTER TABLE claims RENAME TO claims_gone"))
    page = client.get("/persons/P-000001")
    assert page.status_code == 500 and one_line(page) == CRASHED
    for leak in ("claims_gone", "sqlalchemy", "SELECT", "Error", "line "):
        assert leak not in page.text.split('role="alert">', 1)[1], leak
    _headers_are_set(page)
    fragment = client.get("/persons/P-000001", headers=HTMX)
    assert fragment.status_code == 500 and CRASHED in fragment.text and "<html" not in fragment.text
    answer = client.get("/api/v1/persons/P-000001", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 500 and answer.json() == {"error": CRASHED}
    _headers_are_set(answer)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_served_answers_name_no_server_or_version(
    demo_cli: Cli, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if backend != "sqlite":
        pytest.skip("the HTTP server is the same on every backend")
    import uvicorn

    add_accounts(demo_cli.location)
    monkeypatch.setenv("GUWAH_USER", USERS[Role.ADMIN])
    monkeypatch.setenv("GUWAH_PASSWORD", PASSWORD)
    seen: dict[str, Any] = {}

    def run(app: Any, **options: Any) -> None:  # `guwah serve`'s own options, a real server
        options["port"] = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, **options))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            for _ in range(200):
                if server.started:
                    break
                time.sleep(0.02)
            base = f"http://127.0.0.1:{options['port']}"
            seen["page"] = httpx.get(base + "/login")
            seen["static"] = httpx.get(base + "/static/guwah.css")
            seen["missing"] = httpx.get(base + "/nowhere")
        finally:
            server.should_exit = True
            thread.join(10)

    monkeypatch.setattr(uvicorn, "run", run)
    result = demo_cli("serve")
    assert result.exit_code == 0, result.stderr
    for name, answer in seen.items():
        assert "server" not in answer.headers, (name, answer.headers)
        _headers_are_set(answer, cached=name == "static")
    assert seen["page"].status_code == 200 and seen["missing"].status_code == 404


# --- a locked archive ---------------------------------------------------------------------


def test_locked_desk_refuses_every_page_and_call(web: Web) -> None:
    assert web.desk.archive is not None
    _id, token = accounts.create_token(web.desk.archive, "ayla", None)
    client = web.login(Role.ADMIN)
    csrf = web.csrf()
    name = re.search(r'<h1 dir="auto">([^<]+)</h1>', client.get("/persons/P-000001").text)
    assert name
    secrets = [name.group(1), "P-000001", csrf]
    other = open_archive(web.location, PASSPHRASE, "tester")
    try:
        lock(other)
    finally:
        other.close()
    bearer = {"Authorization": f"Bearer {token}"}
    answers = []
    for method, path in desk_routes(web.desk):
        url = fill(path)
        if path.startswith("/api/v1/openapi"):
            continue
        if path.startswith("/api/"):
            body: dict[str, str] | None = None if method == "GET" else {}
            answer = client.request(method, url, headers=bearer, json=body)
            assert answer.status_code == 503, (url, answer.status_code)
            assert answer.json() == {"error": "the archive is locked"}
        elif path in ("/unlock", "/healthz", "/lang/{code}", "/favicon.ico"):
            continue
        else:
            answer = client.request(method, url, headers={"X-CSRF-Token": csrf},
                                    follow_redirects=False)  # fmt: skip
            assert answer.status_code == 303, (method, url, answer.status_code)
            assert answer.headers["location"] == "/unlock", url
            if method == "GET" and path != "/login":
                fragment = client.get(url, headers=HTMX, follow_redirects=False)
                assert fragment.status_code == 503 and fragment.headers["hx-redirect"] == "/unlock"
        answers.append(answer)
    answers.append(client.get("/healthz"))
    assert answers[-1].text == "locked"
    public = TestClient(public_app(web.desk), base_url="http://127.0.0.1")
    for path in ("/", "/stats", "/victims/P-000001", "/corrections/new"):
        answer = public.get(path)
        assert answer.status_code == 503, (path, answer.status_code)
        one_line(answer)
        answers.append(answer)
    for answer in answers:
        for secret in secrets:
            assert secret not in answer.text, (answer.url, secret)
