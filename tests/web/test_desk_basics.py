"""Signing in, sessions, security headers, CSRF, locking: the desk's frame."""

from __future__ import annotations

import re

from guwah.secure.policy import Role
from guwah.services.archive import open_archive
from guwah.services.locking import lock
from tests.conftest import PASSPHRASE
from tests.web.conftest import PASSWORD, USERS, Web


def test_pages_need_a_session(web: Web) -> None:
    answer = web.client.get("/persons/P-000001", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=%2Fpersons%2FP-000001"


def test_sign_in_then_home_shows_counts(web: Web) -> None:
    client = web.login(Role.EDITOR)
    home = client.get("/")
    assert home.status_code == 200
    assert "erkin" in home.text and "victims" in home.text


def test_wrong_password_is_one_line_and_no_session(web: Web) -> None:
    page = web.client.get("/login")
    pre = re.search(r'name="pre" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = web.client.post(
        "/login", data={"username": "erkin", "password": "nope", "pre": pre}, follow_redirects=False
    )
    assert answer.status_code == 401
    assert "Sign-in failed: wrong user name, password or authenticator code." in answer.text
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_login_form_without_its_token_is_refused(web: Web) -> None:
    answer = web.client.post(
        "/login", data={"username": "erkin", "password": PASSWORD, "pre": "forged"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 403
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_next_never_leaves_the_site(web: Web) -> None:
    page = web.client.get("/login")
    pre = re.search(r'name="pre" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = web.client.post(
        "/login",
        data={"username": "erkin", "password": PASSWORD, "pre": pre, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"


def test_security_headers_and_cookie_flags(web: Web) -> None:
    page = web.client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    pre = re.search(r'name="pre" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = web.client.post(
        "/login", data={"username": "erkin", "password": PASSWORD, "pre": pre},
        follow_redirects=False,
    )  # fmt: skip
    cookie = answer.headers["set-cookie"].lower()
    assert "guwah_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_no_inline_script_in_pages(web: Web) -> None:
    client = web.login()
    for path in ("/", "/persons/P-000001", "/login"):
        text = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\son[a-z]+=", text), path


def test_post_without_csrf_token_is_refused(web: Web) -> None:
    client = web.login()
    answer = client.post("/logout", data={}, follow_redirects=False)
    assert answer.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200  # still signed in
    answer = client.post("/logout", data={"csrf": web.csrf()}, follow_redirects=False)
    assert answer.status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_person_page_shows_names_sources_and_view(web: Web) -> None:
    client = web.login(Role.EDITOR)
    page = client.get("/persons/P-000001")
    assert page.status_code == 200
    assert 'href="/sources/S-' in page.text
    assert "Current view" in page.text


def test_unknown_person_is_a_404_page_not_a_trace(web: Web) -> None:
    client = web.login()
    answer = client.get("/persons/P-999999")
    assert answer.status_code == 404
    assert "no person P-999999" in answer.text and "Traceback" not in answer.text
    assert client.get("/persons/nonsense").status_code == 400


def test_lock_ends_sessions_and_asks_for_the_passphrase(web: Web) -> None:
    client = web.login(Role.ADMIN)
    other = open_archive(web.location, PASSPHRASE, "tester")
    try:
        lock(other)
    finally:
        other.close()
    answer = client.get("/", follow_redirects=False)
    assert answer.headers["location"] == "/unlock"
    assert web.desk.archive is None
    wrong = client.post("/unlock", data={"passphrase": "not it"})
    assert wrong.status_code == 401
    client.post("/unlock", data={"passphrase": PASSPHRASE}, follow_redirects=False)
    assert len(web.desk.sessions) == 0
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/login")
    web.login(Role.ADMIN)
    assert client.get("/").status_code == 200


def test_researcher_does_not_see_restricted_people(web: Web) -> None:
    client = web.login(Role.VIEWER)
    assert USERS[Role.VIEWER] in client.get("/").text
