"""The desk's campaign pages: the list needing action, a campaign with its forms (plain
posts and htmx), opening one from a person page, CSRF, and what each role may do."""

from __future__ import annotations

import datetime as dt
import re

from guwah.secure.policy import Role
from guwah.services.archive import open_archive
from guwah.services.audit import verify_log
from tests.conftest import PASSPHRASE
from tests.web.conftest import Web

HTMX = {"HX-Request": "true"}
TODAY = dt.date.today()


def _day(days: int) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def _cases(html: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r'href="/cases/(K-\d{6})"', html)))


def _no_inline_script(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "Traceback" not in html


def _log_verifies(web: Web) -> bool:
    archive = open_archive(web.location, PASSPHRASE, "tester")
    try:
        return verify_log(archive).ok
    finally:
        archive.close()


def test_the_list_needs_action_first_and_filters(web: Web) -> None:
    client = web.login(Role.EDITOR)
    page = client.get("/cases")
    assert page.status_code == 200
    _no_inline_script(page.text)
    assert 'value="needing" selected' in page.text
    assert len(_cases(page.text)) == 15  # every demo campaign: nothing done for years
    token = web.csrf("/cases")
    added = client.post(
        "/cases/K-000012/actions",
        data={"csrf": token, "kind": "letter", "description": "Reminder", "due": _day(-2)},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = client.get("/cases")
    assert _cases(page.text)[0] == "K-000012" and "overdue" in page.text  # overdue first
    assert 'dir="auto">Жээнбек' in page.text  # a name as written, its direction its own

    open_only = client.get("/cases?view=all&status=open")
    assert _cases(open_only.text) == ["K-000012", "K-000007", "K-000013", "K-000011",
                                      "K-000014", "K-000005"]  # fmt: skip
    assert _cases(client.get("/cases?view=all&owner=nobody").text) == []
    for bad in ("status=jailed", "view=everything", "page=x"):
        answer = client.get(f"/cases?{bad}")
        assert answer.status_code == 400, bad
        assert answer.text.count('role="alert"') == 1, bad


def test_a_campaign_is_changed_by_plain_forms_and_htmx(web: Web) -> None:
    client = web.login(Role.EDITOR)
    page = client.get("/cases/K-000009")
    assert page.status_code == 200
    _no_inline_script(page.text)
    assert 'href="/persons/P-000036"' in page.text and 'dir="auto">Қанымгүл' in page.text
    assert "Almaty newspaper" in page.text and 'id="action-3"' in page.text
    assert 'hx-post="/cases/K-000009/status"' in page.text
    token = web.csrf("/cases/K-000009")

    forged = client.post("/cases/K-000009/status", data={"status": "closed"})
    assert forged.status_code == 403
    assert "<b>active</b>" in client.get("/cases/K-000009").text

    plain = client.post(
        "/cases/K-000009/status",
        data={"csrf": token, "status": "paused", "owner": "erkin", "next_steps": "Call back."},
        follow_redirects=False,
    )
    assert plain.status_code == 303
    assert plain.headers["location"] == "/cases/K-000009?saved=1#case-head"
    page = client.get(plain.headers["location"])
    assert "<b>paused</b>" in page.text and "Call back." in page.text and "Saved." in page.text

    headers = {**HTMX, "X-CSRF-Token": token}
    fragment = client.post(
        "/cases/K-000009/actions",
        data={"kind": "un_submission", "description": "Follow-up to the WGAD", "due": _day(-1)},
        headers=headers,
    )
    assert fragment.status_code == 200
    assert fragment.text.startswith('<section id="case-actions"') and "<html" not in fragment.text
    assert (
        'id="action-4" class="overdue"' in fragment.text
        and "Follow-up to the WGAD" in fragment.text
    )

    bad = client.post(
        "/cases/K-000009/actions",
        data={"kind": "letter", "description": "Never stored", "due": "2024-02-30"},
        headers=headers,
    )
    assert bad.status_code == 400 and bad.text.count('role="alert"') == 1
    assert "not a valid due date: &#39;2024-02-30&#39;" in bad.text
    bad = client.post("/cases/K-000009/status", data={"status": "jailed"}, headers=headers)
    assert bad.status_code == 400 and "unknown case status" in bad.text
    assert client.post("/cases/K-000009/actions/9/done", headers=headers).status_code == 404
    page = client.get("/cases/K-000009").text
    assert "Never stored" not in page and 'id="action-5"' not in page and "<b>paused</b>" in page

    ticked = client.post("/cases/K-000009/actions/4/done", data={"done": "1"}, headers=headers)
    assert re.search(r'id="action-4" class="done".*?name="done" value="1" checked', ticked.text,
                     re.S)  # fmt: skip
    unticked = client.post(
        "/cases/K-000009/actions/4/done", data={"csrf": token}, follow_redirects=False
    )  # a plain form: the box left unticked
    assert unticked.status_code == 303
    assert 'id="action-4" class="overdue"' in client.get("/cases/K-000009").text
    assert _log_verifies(web)


def test_a_campaign_is_opened_from_the_person_page(web: Web) -> None:
    client = web.login(Role.EDITOR)
    person = client.get("/persons/P-000008").text
    assert 'action="/cases/open"' in person and "Open a campaign" in person
    assert 'action="/cases/open"' not in client.get("/persons/P-000002").text  # a testifier
    assert 'action="/cases/open"' not in client.get("/persons/P-000001").text  # has one
    token = web.csrf("/persons/P-000008")
    opened = client.post(
        "/cases/open", data={"csrf": token, "person": "P-000008"}, follow_redirects=False
    )
    assert opened.status_code == 303 and opened.headers["location"] == "/cases/K-000016?saved=1"
    page = client.get("/cases/K-000016").text
    assert "<b>open</b>" in page and "erkin" in page  # the editor who opened it owns it
    person = client.get("/persons/P-000008").text
    assert 'href="/cases/K-000016"' in person and 'action="/cases/open"' not in person
    again = client.post("/cases/open", data={"csrf": token, "person": "P-000008"})
    assert again.status_code == 400 and "P-000008 already has a campaign: K-000016" in again.text
    assert client.get("/cases/k-000016", follow_redirects=False).headers["location"] == (
        "/cases/K-000016"
    )
    assert _log_verifies(web)


def test_researcher_reads_and_viewer_sees_no_campaigns(web: Web) -> None:
    client = web.login(Role.RESEARCHER)
    assert 'href="/cases"' in client.get("/").text
    assert "K-000009" in _cases(client.get("/cases?view=all").text)
    page = client.get("/cases/K-000009").text
    assert "Almaty newspaper" in page
    assert "<form" not in page.split('<main id="main">')[1]  # nothing to change
    assert 'action="/cases/open"' not in client.get("/persons/P-000008").text
    token = web.csrf("/cases/K-000009")
    refused = client.post("/cases/K-000009/status", data={"csrf": token, "status": "closed"})
    assert refused.status_code == 403
    assert "guwah case status is not allowed for role researcher" in refused.text
    refused = client.post("/cases/open", data={"csrf": token, "person": "P-000008"})
    assert refused.status_code == 403
    assert "<b>active</b>" in client.get("/cases/K-000009").text
    client.post("/logout", data={"csrf": token})

    web.login(Role.VIEWER)
    home = client.get("/").text
    assert 'href="/cases"' not in home
    listing = client.get("/cases")
    assert listing.status_code == 403 and "not allowed for role viewer" in listing.text
    assert client.get("/cases/K-000001").status_code == 403  # a public person's campaign
    person = client.get("/persons/P-000001").text  # Ilham Tohti: public, with a campaign
    assert "K-000001" not in person and "Campaign" not in person
