"""The JSON API under /api/v1: token auth, the same policy as the desk and the command line
(what each role sees, refusals audited), paging limits, one-line JSON errors, review."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from httpx2 import Response
from sqlalchemy import func, select

from guwah.model.errors import AccessDenied
from guwah.secure.accounts import MAX_FAILURES
from guwah.secure.policy import MARKER, Role
from guwah.services import accounts
from guwah.services.accounts import Credentials
from guwah.services.archive import Archive, open_archive
from guwah.services.locking import lock
from guwah.store import tables
from tests.conftest import PASSPHRASE, Cli
from tests.web.conftest import PASSWORD, USERS, Web

RESTRICTED_TESTIFIER = ("P-000035", "Гүлнұр Бекболатқызы")  # of restricted source S-000041
PUBLIC_TESTIMONY = ("S-000002", "P-000002")  # a public testimony, its testifier (no consent)


@contextmanager
def as_admin(location: str) -> Iterator[Archive]:
    archive = open_archive(location, PASSPHRASE, "tester")
    try:
        accounts.sign_in(archive, Credentials(USERS[Role.ADMIN], PASSWORD))
        yield archive
    finally:
        archive.close()


@dataclass
class Api:
    web: Web
    tokens: dict[Role, str]

    def get(self, role: Role | None, path: str, **params: Any) -> Response:
        return self.web.client.get(path, params=params, headers=self.auth(role))

    def post(self, role: Role | None, path: str, body: Any = None) -> Response:
        return self.web.client.post(path, json=body, headers=self.auth(role))

    def auth(self, role: Role | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role else {}

    def audit(self, action: str) -> list[tuple[str, str]]:
        archive = open_archive(self.web.location, PASSPHRASE, "reader")
        try:
            log = tables.audit_log
            with archive.engine.connect() as conn:
                query = select(log.c.actor, log.c.target).where(log.c.action == action)
                return [(r.actor, r.target) for r in conn.execute(query.order_by(log.c.seq))]
        finally:
            archive.close()


@pytest.fixture
def api(web: Web) -> Api:
    with as_admin(web.location) as archive:
        tokens = {
            role: accounts.create_token(archive, name, None)[1] for role, name in USERS.items()
        }
    return Api(web, tokens)


def error(answer: Response, status: int) -> str:
    """The one-line JSON error of a refused request."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    message: str = answer.json()["error"]
    assert message and "\n" not in message and "Traceback" not in message
    return message


def test_token_auth_good_bad_revoked_locked_and_no_cookies(api: Api) -> None:
    assert api.get(Role.EDITOR, "/api/v1/persons").status_code == 200
    missing = api.get(None, "/api/v1/persons")
    assert "API token is needed" in error(missing, 401)
    assert missing.headers["www-authenticate"].startswith("Bearer")
    api.web.login(Role.EDITOR)  # a desk session (cookie) is no way into the API
    assert api.get(None, "/api/v1/persons").status_code == 401

    forged = api.web.client.get("/api/v1/persons", headers={"Authorization": "Bearer guwah_x_y"})
    assert "invalid, expired or revoked" in error(forged, 401)
    assert 'error="invalid_token"' in forged.headers["www-authenticate"]
    assert ("anonymous", "token") in api.audit("login.failed")

    with as_admin(api.web.location) as archive:
        mine = [t for t in accounts.list_tokens(archive) if t.username == USERS[Role.VIEWER]]
        accounts.revoke_token(archive, mine[0].id)
        for _ in range(MAX_FAILURES):  # the researcher's password guessed: account locked
            with pytest.raises(AccessDenied):
                accounts.sign_in(archive, Credentials(USERS[Role.RESEARCHER], "wrong guess"))
    assert "revoked" in error(api.get(Role.VIEWER, "/api/v1/persons"), 401)
    assert "no longer active" in error(api.get(Role.RESEARCHER, "/api/v1/persons"), 401)
    assert api.get(Role.EDITOR, "/api/v1/persons").status_code == 200

    for _ in range(api.web.desk.settings.login_per_minute):  # failures from one address
        api.web.client.get("/api/v1/persons", headers={"Authorization": "Bearer nonsense"})
    throttled = api.get(Role.EDITOR, "/api/v1/persons")
    assert "too many failed sign-ins" in error(throttled, 429)
    assert throttled.headers["retry-after"] == "60"


def test_a_locked_archive_answers_503(api: Api) -> None:
    other = open_archive(api.web.location, PASSPHRASE, "tester")
    try:
        lock(other)
    finally:
        other.close()
    assert "locked" in error(api.get(Role.EDITOR, "/api/v1/persons/P-000001"), 503)


def test_people_by_role_and_the_same_document_as_the_command_line(
    api: Api, demo_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    person, name = RESTRICTED_TESTIFIER
    shown = api.get(Role.EDITOR, f"/api/v1/persons/{person}").json()
    assert shown["names"][0]["text"] == name and shown["sensitivity"] == "restricted"
    assert ("erkin", person) in api.audit("restricted.read")
    for role in (Role.RESEARCHER, Role.VIEWER):
        message = error(api.get(role, f"/api/v1/persons/{person}"), 404)  # as if missing
        assert message == f"no person {person} in the archive"
    assert (USERS[Role.RESEARCHER], person) in api.audit("access.denied")

    found = api.get(Role.EDITOR, "/api/v1/search", q=name).json()["items"]
    assert [row["id"] for row in found] == [person]
    for role in (Role.RESEARCHER, Role.VIEWER):
        assert api.get(role, "/api/v1/search", q=name).json()["items"] == []
        listed = api.get(role, "/api/v1/persons", limit=100).json()["items"]
        assert person not in {row["id"] for row in listed}
    assert api.get(Role.VIEWER, "/api/v1/persons", q="Ilham Toxti").json()["items"][0] == {
        **api.get(Role.EDITOR, "/api/v1/search", q="Ilham Tohti").json()["items"][0]
    }

    refused = api.get(Role.RESEARCHER, "/api/v1/search", q="65312219")
    assert error(refused, 403) == "searching by ID number is not allowed for role researcher"
    assert (USERS[Role.RESEARCHER], "search.id_number") in api.audit("access.denied")

    # an ID number of a listed person: masked for the researcher, the same as `show --json`
    listed_claims = api.get(Role.EDITOR, "/api/v1/sources/S-000061", limit=100).json()["claims"]
    number = next(c for c in listed_claims if c["kind"] == "id_number")
    victim, secret = number["person"], number["value"]["text"]
    assert secret != MARKER
    claims = api.get(Role.RESEARCHER, "/api/v1/claims", person=victim, kind="id_number")
    assert [c["value"] for c in claims.json()["claims"]] == [{"text": MARKER}]
    document = api.get(Role.RESEARCHER, f"/api/v1/persons/{victim}")
    assert secret not in document.text
    monkeypatch.setenv("GUWAH_TOKEN", api.tokens[Role.RESEARCHER])
    printed = demo_cli("show", victim, "--json")
    assert printed.exit_code == 0, printed.stderr
    assert json.loads(printed.stdout) == document.json()


def test_sources_withhold_the_testifier_below_the_restricted_level(api: Api) -> None:
    source, testifier = PUBLIC_TESTIMONY
    full = api.get(Role.EDITOR, f"/api/v1/sources/{source}").json()
    assert full["testifier"] == testifier and testifier in {p["id"] for p in full["people"]}
    for role in (Role.RESEARCHER, Role.VIEWER):
        cut = api.get(role, f"/api/v1/sources/{source}")
        assert cut.status_code == 200
        assert cut.json()["testifier"] is None
        assert testifier not in cut.text
        assert cut.json()["subjects"] == [{"person": "P-000001", "relation": None}]

    restricted = api.get(Role.EDITOR, "/api/v1/sources/S-000041").json()
    assert restricted["testifier"] == RESTRICTED_TESTIFIER[0]
    assert ("erkin", "S-000041") in api.audit("restricted.read")
    message = error(api.get(Role.RESEARCHER, "/api/v1/sources/S-000041"), 404)
    assert message == "no source S-000041 in the archive"
    assert (USERS[Role.RESEARCHER], "S-000041") in api.audit("access.denied")
    assert "no source S-009999" in error(api.get(Role.EDITOR, "/api/v1/sources/S-009999"), 404)


def test_match_across_scripts_with_reasons(api: Api) -> None:
    asked = {"name": "Гүлбаһар Һайтиваҗи", "birth_year": 1966}
    best = api.get(Role.RESEARCHER, "/api/v1/match", **asked).json()["candidates"][0]
    assert best["id"] == "P-000010" and best["name"] == "Gulbahar Haitiwaji"
    assert any("Гүлбаһар ↔ Gulbahar" in reason for reason in best["reasons"])
    # she testified and gave no consent to publish: not a public record, so not for a viewer
    public = api.get(Role.VIEWER, "/api/v1/match", **asked).json()["candidates"]
    assert "P-000010" not in {c["id"] for c in public}
    name = RESTRICTED_TESTIFIER[1]
    assert RESTRICTED_TESTIFIER[0] in {
        c["id"] for c in api.get(Role.EDITOR, "/api/v1/match", name=name).json()["candidates"]
    }
    assert api.get(Role.RESEARCHER, "/api/v1/match", name=name).json()["candidates"] == []
    assert "gender" in error(api.get(Role.VIEWER, "/api/v1/match", name="x", gender="x"), 400)


BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    ("/api/v1/persons", {"limit": 0}, "limit"),
    ("/api/v1/persons", {"limit": 101}, "limit"),
    ("/api/v1/persons", {"offset": -1}, "offset"),
    ("/api/v1/persons", {"year": "soon"}, "year"),
    ("/api/v1/persons", {"status": "happy"}, "status"),
    ("/api/v1/search", {}, "q"),
    ("/api/v1/persons/P-12x", {}, "person_id"),
    ("/api/v1/persons/P-1234567890123", {}, "person_id"),
    ("/api/v1/sources/nonsense", {}, "source_id"),
    ("/api/v1/claims", {"person": "12"}, "person"),
    ("/api/v1/claims", {"person": "P-000001", "kind": "rumour"}, "kind"),
    ("/api/v1/match", {"name": "Ilham", "limit": 1000}, "limit"),
    ("/api/v1/persons", {"q": "a\x00b"}, "q"),
    ("/api/v1/review/proposals", {"source": "P-000001"}, "source"),
]


def test_bad_input_is_a_one_line_400_naming_the_field(api: Api) -> None:
    for path, params, where in BAD_INPUT:
        assert where in error(api.get(Role.EDITOR, path, **params), 400), (path, params)


def test_paging_and_unknown_places_and_paths(api: Api) -> None:
    first = api.get(Role.EDITOR, "/api/v1/persons", limit=5).json()
    second = api.get(Role.EDITOR, "/api/v1/persons", limit=5, offset=5).json()
    assert len(first["items"]) == 5 and (first["limit"], second["offset"]) == (5, 5)
    assert not {r["id"] for r in first["items"]} & {r["id"] for r in second["items"]}
    everyone = api.get(Role.EDITOR, "/api/v1/persons", limit=100, offset=10_000)
    assert everyone.json()["items"] == []
    assert "unknown place" in error(api.get(Role.EDITOR, "/api/v1/persons", place="Atlantis"), 400)
    assert api.get(Role.EDITOR, "/api/v1/nowhere").json() == {"error": "There is no such page."}
    assert "no person P-999999" in error(api.get(Role.EDITOR, "/api/v1/persons/P-999999"), 404)


def test_openapi_document_describes_only_the_api_with_bearer_auth(api: Api) -> None:
    document = api.web.client.get("/api/v1/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    assert all(path.startswith("/api/v1/") for path in document["paths"])
    assert {"/api/v1/persons", "/api/v1/persons/{person_id}", "/api/v1/sources/{source_id}",
            "/api/v1/claims", "/api/v1/search", "/api/v1/match", "/api/v1/review/duplicates",
            "/api/v1/review/proposals"} <= set(document["paths"])  # fmt: skip
    for operations in document["paths"].values():
        for operation in operations.values():
            assert operation["security"] == [{"bearerToken": []}]
            assert "4XX" in operation["responses"] and "422" not in operation["responses"]


def _count(location: str, table: str) -> int:
    archive = open_archive(location, PASSPHRASE, "reader")
    try:
        with archive.engine.connect() as conn:
            found = tables.metadata.tables[table]
            return int(conn.execute(select(func.count()).select_from(found)).scalar_one())
    finally:
        archive.close()


def test_duplicates_are_judged_and_undone_by_editors_only(api: Api) -> None:
    from guwah.services.review import find_duplicates

    with as_admin(api.web.location) as archive:
        find_duplicates(archive)
    assert "review list is not allowed" in error(
        api.get(Role.RESEARCHER, "/api/v1/review/duplicates"), 403
    )
    items = api.get(Role.EDITOR, "/api/v1/review/duplicates", limit=100).json()["items"]
    pair = next(item for item in items if len(item["people"]) == 2)
    item, people = pair["item"], [p["id"] for p in pair["people"]]
    url = f"/api/v1/review/duplicates/{item}"

    refused = api.post(Role.RESEARCHER, f"{url}/merge")
    assert "review merge is not allowed for role researcher" in error(refused, 403)
    before = _count(api.web.location, "match_judgements")
    bad = api.post(Role.EDITOR, f"{url}/split", {"groups": [[people[0]]]})
    assert "exactly one group" in error(bad, 400)
    assert "confirm" in error(api.post(Role.EDITOR, f"{url}/approve"), 400)
    assert _count(api.web.location, "match_judgements") == before

    merged = api.post(Role.EDITOR, f"{url}/merge", {"keep": people[1], "note": "same ID card"})
    assert merged.json() == {**merged.json(), "status": "merged", "decided_by": "erkin"}
    shown = api.get(Role.EDITOR, f"/api/v1/persons/{people[0]}").json()
    assert (shown["id"], shown["asked_for"]) == (people[1], people[0])
    assert "not open" in error(api.post(Role.EDITOR, f"{url}/confirm"), 400)
    assert api.post(Role.EDITOR, f"{url}/undo").json()["status"] == "open"
    assert api.get(Role.EDITOR, f"/api/v1/persons/{people[0]}").json()["id"] == people[0]
    assert "no review item 99999" in error(
        api.post(Role.EDITOR, "/api/v1/review/duplicates/99999/confirm"), 404
    )


ARTICLE = (
    "date 2024-01-06 en English\n"
    "A Kazakh woman's mother was sentenced for her faith\n"
    "Gulnar Serikqyzy, an ethnic Kazakh, worked for the local government in Xinjiang. "
    "Her mother was detained in 2017 and sentenced to 12 years in prison for practising "
    "her faith. The family fled to Kazakhstan in 2019.\n"
)


def test_proposals_listed_rejected_undone_and_accepted(
    api: Api, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guwah.services.ingest import ingest_files

    if backend == "postgres":  # a PostgreSQL archive keeps originals in a folder
        monkeypatch.setenv("GUWAH_EVIDENCE_DIR", str(tmp_path / "evidence"))
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    with as_admin(api.web.location) as archive:
        (result,) = ingest_files(archive, [article])
    assert result.ok, result.error
    listed = api.get(Role.EDITOR, "/api/v1/review/proposals", limit=100).json()["items"]
    person = next(p for p in listed if p["kind"] == "person" and "Gulnar" in p["summary"])
    claim = next(p for p in listed if p["kind"] == "claim")
    assert "⟦" in claim["passage"]["marked"]
    assert "not allowed for role viewer" in error(
        api.get(Role.VIEWER, "/api/v1/review/proposals"), 403
    )

    url = f"/api/v1/review/proposals/{claim['id']}"
    rejected = api.post(Role.EDITOR, f"{url}/reject", {"note": "not in the text"}).json()
    assert rejected["status"] == "rejected"
    assert "already rejected" in error(api.post(Role.EDITOR, f"{url}/reject"), 400)
    assert api.post(Role.EDITOR, f"{url}/undo").json()["status"] == "proposed"
    assert "nothing to undo" in error(api.post(Role.EDITOR, f"{url}/undo"), 400)

    purl = f"/api/v1/review/proposals/{person['id']}/accept"
    undecided = api.post(Role.EDITOR, purl).json()
    assert undecided["status"] == "proposed" and undecided["person"] is None
    assert "choose one" in error(api.post(Role.EDITOR, purl, {"new": True, "person": "P-1"}), 400)
    created = api.post(Role.EDITOR, purl, {"new": True}).json()
    assert created["status"] == "accepted" and created["created"] is True
    made = api.get(Role.EDITOR, f"/api/v1/persons/{created['person']}").json()
    assert "Gulnar Serikqyzy" in {n["text"] for n in made["names"]}
    malformed = api.post(Role.EDITOR, "/api/v1/review/proposals/Y-1/undo")
    assert "proposal_id" in error(malformed, 400)
