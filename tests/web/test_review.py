"""The desk's two review queues, through HTTP: what ingest proposed (accept as proposed or
corrected, reject, undo; each card redrawn alone by htmx) and duplicate clusters (find,
merge, split, undo). Bad input and decided items give one line and change nothing; roles
without the review actions get the 403 page."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from guwah.ingest.document import Document
from guwah.ingest.proposals import Extraction, PersonProposal
from guwah.secure.policy import Role
from guwah.services import review
from guwah.services.archive import open_archive
from guwah.services.ingest import ingest_files
from tests.conftest import PASSPHRASE
from tests.ingest_helpers import article, document_of, ingest, span, use_evidence_folder
from tests.web.conftest import Web

HTMX = {"HX-Request": "true"}
LISTED = "Kanymgul Sarsenbayeva, born 1953, was sentenced."


def _listed(document: Document) -> Extraction:
    """A text naming someone the demo archive holds (in another spelling)."""
    person = PersonProposal(
        "p1", ["Kanymgul Sarsenbayeva"], ["victim"], {"birth_year": 1953},
        evidence=[span(document.text, "Kanymgul Sarsenbayeva")],
    )  # fmt: skip
    return Extraction(document.title, document.date, document.language, [person])


def _status(client: TestClient, proposal: str) -> str:
    """A proposal's status as the queue shows it."""
    page = client.get("/review/proposals?status=all").text
    found = re.search(rf'status-(\w+)" id="{proposal}"', page)
    assert found, proposal
    return found.group(1)


def _post(
    client: TestClient, path: str, csrf: str, htmx: bool = False, **data: str
) -> httpx.Response:
    return client.post(
        path, data={"csrf": csrf, **data}, headers=HTMX if htmx else {}, follow_redirects=False
    )


def _no_inline_code(html: str) -> None:
    """The CSP runs no inline script or handler: the pages must not need one."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html) and "style=" not in html


def _one_line_error(answer: httpx.Response, status: int, words: str) -> None:
    assert answer.status_code == status, answer.text
    text = answer.text
    assert words in text and "Traceback" not in text
    (line,) = re.findall(r'<p class="error" role="alert">([^<]*)</p>', text)
    assert "\n" not in line.strip()


def test_proposals_accept_edit_reject_undo(
    web: Web, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_evidence_folder(backend, tmp_path, monkeypatch)
    archive = open_archive(web.location, PASSPHRASE, "tester")
    try:
        (result,) = ingest(archive, article(tmp_path))
        (named,) = ingest_files(
            archive, [article(tmp_path, "list.txt", LISTED)], reader=document_of,
            extractor=_listed,
        )  # fmt: skip
    finally:
        archive.close()
    first = int(result.first_proposal.split("-")[1])
    witness, mother, relation, sentenced, detained, fled = (f"X-{first + n:06d}" for n in range(6))
    client = web.login(Role.EDITOR)
    csrf = web.csrf("/review/proposals")

    page = client.get(f"/review/proposals?source={result.source}")
    assert page.status_code == 200
    assert f'href="/sources/{result.source}"' in page.text and "A daughter" in page.text
    assert '<mark class="passage">sentenced to 12 years in prison</mark>' in page.text
    assert page.text.index(f'id="{witness}"') < page.text.index(f'id="{sentenced}"')
    assert 'value="new"' in page.text  # a person: a candidate or a new person
    _no_inline_code(page.text)
    assert "Accept its person first" in page.text  # the mother's sentence waits for her

    # a claim before its person, a value that is no JSON object: one line, nothing changed
    answer = _post(client, f"/review/proposals/{sentenced}/accept", csrf)
    _one_line_error(answer, 400, "is not accepted yet")
    answer = _post(client, f"/review/proposals/{sentenced}/accept", csrf, value="[10]")
    _one_line_error(answer, 400, "JSON object")
    assert _status(client, sentenced) == "proposed"

    # htmx: the card alone comes back, decided
    card = _post(client, f"/review/proposals/{mother}/accept", csrf, True, person="new")
    assert card.status_code == 200 and "<html" not in card.text
    assert card.text.lstrip().startswith('<article class="review-card proposal status-accepted"')
    created = re.search(r"created (P-\d+)", card.text)
    assert created, card.text
    person = created.group(1)
    assert "cannot be undone" in card.text and f"/review/proposals/{mother}/undo" not in card.text
    assert card.headers["HX-Trigger"] == f"people-{result.source}"  # waiting cards redraw
    redrawn = client.get(f"/review/proposals/{sentenced}/card")
    assert "Accept its person first" not in redrawn.text and person in redrawn.text

    # someone the archive may hold: the candidates with their reasons, then linked
    listed = client.get(f"/review/proposals?source={named.source}").text
    candidates = re.findall(r'name="person" value="(P-\d+)"', listed)
    assert candidates and "matched" in listed and "Kanymgul" in listed
    linked = _post(
        client, f"/review/proposals/{named.first_proposal}/accept", csrf, True,
        person=candidates[0],
    )  # fmt: skip
    assert f"linked to {candidates[0]}" in linked.text
    names = client.get(f"/persons/{candidates[0]}").text
    assert re.search(
        rf"Kanymgul Sarsenbayeva</span> <small>[^<]*<a href=\"/sources/{named.source}", names
    )

    # corrected before accepting, by a plain form post that returns to the queue
    answer = _post(
        client, f"/review/proposals/{sentenced}/accept", csrf, value='{"years": 10}',
        date="2018", note="the court notice says 10", back="/review/proposals?status=all",
    )  # fmt: skip
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/review/proposals?status=all#{sentenced}"
    assert _status(client, sentenced) == "edited"
    record = client.get(f"/persons/{person}").text
    assert "10 years" in record and "sentenced to 12 years in prison" in record

    # deciding a decided proposal: one line, nothing changed
    again = _post(client, f"/review/proposals/{mother}/accept", csrf, person="new")
    _one_line_error(again, 400, "already accepted")
    _one_line_error(
        _post(client, f"/review/proposals/{mother}/undo", csrf), 400, "cannot be undone"
    )

    rejected = _post(client, f"/review/proposals/{detained}/reject", csrf, True, note="a rumour")
    assert "status-rejected" in rejected.text and "a rumour" in rejected.text
    assert f'hx-post="/review/proposals/{detained}/undo"' in rejected.text
    reopened = _post(client, f"/review/proposals/{detained}/undo", csrf, True)
    assert "status-proposed" in reopened.text and "reopened" in reopened.text
    assert _status(client, detained) == "proposed"

    undone = _post(client, f"/review/proposals/{sentenced}/undo", csrf, True)
    assert "status-proposed" in undone.text and "rejected" in undone.text  # its claim
    assert "10 years" not in client.get(f"/persons/{person}").text.split("All claims")[0]
    shown = client.get("/review/proposals?status=all").text
    assert "Earlier decisions" in shown and "the court notice says 10" in shown

    _one_line_error(_post(client, "/review/proposals/X-999999/reject", csrf), 404, "no proposal")
    assert _post(client, "/review/proposals/X-12a/reject", csrf).status_code == 400
    _one_line_error(client.get("/review/proposals?status=maybe"), 400, "status must be")
    _one_line_error(client.get("/review/proposals?source=S-9999999999"), 400, "not a source id")
    _one_line_error(client.get("/review/proposals?source=S-999999999"), 404, "no source")
    assert _post(client, f"/review/proposals/{fled}/reject", csrf, note="a\x00b").status_code == 400
    assert {_status(client, p) for p in (witness, relation, fled)} == {"proposed"}


def test_duplicates_find_merge_split_undo(web: Web) -> None:
    pytest.importorskip("guwah.match.linkage")
    client = web.login(Role.EDITOR)
    csrf = web.csrf("/review/duplicates")
    assert "No clusters with this status" in client.get("/review/duplicates").text

    found = _post(client, "/review/duplicates/find", csrf)
    assert found.status_code == 303
    page = client.get(found.headers["location"])
    filed = int(re.search(r"filed=(\d+)", found.headers["location"]).group(1))  # type: ignore[union-attr]
    assert filed >= 1 and f"{filed} new cluster" in page.text
    archive = open_archive(web.location, PASSPHRASE, "tester")
    try:
        items = review.list_items(archive, "open", 100)
    finally:
        archive.close()
    assert len(items) == filed
    assert len(re.findall(r'<article class="review-card cluster status-open"', page.text)) == filed
    # names by script, each in its direction, and why the names agree
    assert re.search(r'<span class="name" dir="rtl" lang="ug">[\u0600-\u06ff ]+</span>', page.text)
    assert 'lang="zh"' in page.text and "How the names compare" in page.text
    assert "score 1.00 → same person" in page.text
    _no_inline_code(page.text)

    item = next(i for i in items if len(i["people"]) == 2)
    number = item["item"]
    older, newer = sorted(p["id"] for p in item["people"])
    assert client.get(f"/persons/{older}", follow_redirects=False).status_code == 200

    # malformed split groups, a missing person, an unknown action: nothing changes
    path = f"/review/duplicates/{number}"
    bad = _post(client, f"{path}/split", csrf, **{f"group-{older}": "1", f"group-{newer}": "x"})
    _one_line_error(bad, 400, "must be a number")
    _one_line_error(_post(client, f"{path}/split", csrf, **{f"group-{older}": "1"}), 400,
                    "exactly one group")  # fmt: skip
    _one_line_error(_post(client, f"{path}/explode", csrf), 400, "unknown review action")
    _one_line_error(_post(client, f"{path}/confirm", csrf, note="a\x00b"), 400, "NUL")
    _one_line_error(_post(client, "/review/duplicates/999999/confirm", csrf), 404, "no review item")
    assert _post(client, "/review/duplicates/abc/confirm", csrf).status_code == 400
    for status in ("split", "confirmed"):
        assert "cluster status-" not in client.get(f"/review/duplicates?status={status}").text

    # merged into the newer record (not the default): the older id leads to it
    merged = _post(client, f"{path}/merge", csrf, True, keep=newer, note="same ID card")
    assert merged.status_code == 200 and "<html" not in merged.text
    assert f'id="item-{number}"' in merged.text and "status-merged" in merged.text
    assert f'hx-post="{path}/undo"' in merged.text
    moved = client.get(f"/persons/{older}", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == f"/persons/{newer}"
    _one_line_error(_post(client, f"{path}/confirm", csrf), 400, "is merged, not open")

    recent = client.get("/review/duplicates").text.split("Recently decided")[1]
    assert f'action="{path}/undo"' in recent
    undone = _post(client, f"{path}/undo", csrf, back="/review/duplicates")
    assert undone.status_code == 303 and undone.headers["location"].endswith(f"#item-{number}")
    assert client.get(f"/persons/{older}", follow_redirects=False).status_code == 200

    split = _post(client, f"{path}/split", csrf, True,
                  **{f"group-{older}": "1", f"group-{newer}": "2"})  # fmt: skip
    assert "status-split" in split.text and f"[{older}] · [{newer}]" in split.text
    assert "status-open" in _post(client, f"{path}/undo", csrf, True).text
    assert f'id="item-{number}"' in client.get("/review/duplicates").text


def test_roles_without_review_actions_get_403(web: Web) -> None:
    client = web.login(Role.RESEARCHER)
    csrf = web.csrf()
    for path in ("/review/proposals", "/review/duplicates"):
        answer = client.get(path)
        assert answer.status_code == 403 and "not allowed for role researcher" in answer.text
    posts = (
        "/review/duplicates/find",
        "/review/duplicates/1/confirm",
        "/review/proposals/X-000001/reject",
        "/review/proposals/X-000001/undo",
    )
    for path in posts:
        assert _post(client, path, csrf).status_code == 403, path
    web.login(Role.VIEWER)
    assert client.get("/review/duplicates").status_code == 403
    # an editor's POST without the form's token is refused too
    web.login(Role.EDITOR)
    assert client.post("/review/duplicates/find", follow_redirects=False).status_code == 403
