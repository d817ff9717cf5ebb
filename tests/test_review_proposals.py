"""Reviewing what ingest proposed (`guwah review proposals/accept/reject/undo`): each
proposal beside its passage; people matched across scripts before anyone is created;
accepted claims in the record with their source, quote and reviewer; nothing accepted
by itself; every decision kept with who and when; roles respected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from guwah.secure import accounts as secure_accounts
from guwah.services import accounts
from guwah.services.accounts import Credentials
from guwah.services.archive import open_archive
from tests.conftest import PASSPHRASE, Cli
from tests.helpers import error_line, json_of, ok, write_yaml
from tests.ingest_helpers import article, ingest, use_evidence_folder

# X-000001 p1 the witness (Cyrillic), X-000002 p2 her mother (unnamed), X-000003 the
# relation, X-000004 sentenced, X-000005 detained, X-000006 the family fled (p1)
WITNESS, MOTHER, RELATION, SENTENCED, DETAINED, FLED = (f"X-00000{n}" for n in range(1, 7))


@pytest.fixture
def filed(cli_archive: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """An archive holding Gulnar Serikqyzy (Latin, from a testimony file) and the article
    that names her in Cyrillic, ingested with its proposals."""
    use_evidence_folder(backend, tmp_path, monkeypatch)
    testimony = {
        "source": {"kind": "news_article", "title": "Earlier report"},
        "persons": [{"ref": "g", "names": ["Gulnar Serikqyzy"], "kinds": ["testifier"]}],
        "claims": [{"subject": "g", "kind": "ethnicity", "value": {"text": "Kazakh"}}],
    }
    ok(cli_archive("add", str(write_yaml(tmp_path / "earlier.yaml", testimony))))
    archive = open_archive(cli_archive.location, PASSPHRASE, "tester")
    try:
        (result,) = ingest(archive, article(tmp_path))
    finally:
        archive.close()
    assert result.source == "S-000002" and result.first_proposal == WITNESS
    return cli_archive


def _proposals(cli: Cli, *args: str) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in json_of(cli, "review", "proposals", *args)}


def test_proposals_are_shown_beside_their_passages(filed: Cli) -> None:
    shown = ok(filed("review", "proposals")).stdout
    assert "S-000002" in shown and "A daughter's testimony" in shown
    assert "⟦sentenced to 12 years in prison⟧" in shown
    assert f"guwah review accept {WITNESS} --person P-… | --new" in shown

    listed = _proposals(filed, "--source", "S-000002")
    assert list(listed) == [WITNESS, MOTHER, RELATION, SENTENCED, DETAINED, FLED]
    sentenced = listed[SENTENCED]
    assert sentenced["passage"]["marked"] == "Her mother was ⟦sentenced to 12 years in prison⟧."
    assert sentenced["subject"]["proposal"] == MOTHER and sentenced["subject"]["person"] is None
    assert sentenced["rule"] == "test.sentenced" and sentenced["confidence"] == 0.9
    assert "6 proposals from ingested sources wait" in ok(filed("review", "list")).stdout


def test_a_person_is_matched_across_scripts_before_being_linked(filed: Cli) -> None:
    asked = json_of(filed, "review", "accept", WITNESS)
    assert asked["status"] == "proposed"  # nothing decided without --person or --new
    (candidate,) = [c for c in asked["candidates"] if c["id"] == "P-000001"]
    assert candidate["name"] == "Gulnar Serikqyzy" and candidate["query"] == "Гульнар Серикқызы"
    assert candidate["reasons"]
    text = ok(filed("review", "accept", WITNESS)).stdout
    assert "P-000001" in text and "--person P-…" in text

    decided = json_of(filed, "review", "accept", WITNESS, "--person", "P-000001")

    assert decided["status"] == "accepted" and decided["person"] == "P-000001"
    assert not decided["created"]
    person = json_of(filed, "show", "P-000001")
    names = {(n["text"], n["source"]) for n in person["names"]}
    assert ("Гульнар Серикқызы", "S-000002") in names  # the new form, with its source
    assert ("Gulnar Serikqyzy", "S-000001") in names
    ethnicity = [c for c in person["claims"] if c["kind"] == "ethnicity"]
    assert {c["source"] for c in ethnicity} == {"S-000001", "S-000002"}
    error = error_line(filed("review", "accept", WITNESS, "--new"))
    assert "already accepted" in error


def test_an_accepted_claim_is_in_the_record_with_its_passage(filed: Cli) -> None:
    line = error_line(filed("review", "accept", SENTENCED))
    assert f"its subject p2 ({MOTHER}) is not accepted yet" in line

    mother = json_of(filed, "review", "accept", MOTHER, "--new")
    assert mother["created"] and mother["person"] == "P-000002"
    ok(filed("review", "accept", WITNESS, "--person", "P-000001"))
    relation = json_of(filed, "review", "accept", RELATION)
    sentenced = json_of(filed, "review", "accept", SENTENCED)
    detained = json_of(filed, "review", "accept", DETAINED, "--date", "2017-05")

    assert detained["status"] == "edited"
    record = json_of(filed, "show", "P-000002")
    claims = {c["id"]: c for c in record["claims"]}
    claim = claims[sentenced["claim"]]
    assert claim["kind"] == "sentenced" and claim["status"] == "accepted"
    assert claim["value"] == {"years": 12, "reason": "religious faith"}
    assert claim["quote"] == "sentenced to 12 years in prison"
    assert (claim["source"], claim["recorded_by"]) == ("S-000002", "tester")
    assert claims[relation["claim"]]["value"] == {"relation": "mother", "person": "P-000001"}
    assert claims[detained["claim"]]["date"] == "2017-05"
    assert record["view"]["fields"]["sentence"]["value"] == "12 years"
    assert record["view"]["status"] == "sentenced"
    decided = _proposals(filed, "--status", "all")
    assert decided[SENTENCED]["decided_by"] == "tester" and decided[SENTENCED]["decided_at"]
    assert decided[SENTENCED]["claim"] == sentenced["claim"]
    assert _proposals(filed, "--status", "accepted").keys() == {WITNESS, MOTHER, RELATION,
                                                               SENTENCED}  # fmt: skip
    ok(filed("audit", "verify"))


def test_several_proposals_are_accepted_in_turn(filed: Cli) -> None:
    ok(filed("review", "accept", MOTHER, "--new"))
    decided = json_of(filed, "review", "accept", SENTENCED, DETAINED)
    assert [d["proposal"] for d in decided] == [SENTENCED, DETAINED]
    assert {d["status"] for d in decided} == {"accepted"}
    result = filed("review", "accept", FLED, RELATION)  # the witness is not accepted yet
    assert f"its subject p1 ({WITNESS}) is not accepted yet" in error_line(result)
    assert {p: _proposals(filed)[p]["status"] for p in (FLED, RELATION)} == {
        FLED: "proposed", RELATION: "proposed"}  # fmt: skip
    line = error_line(filed("review", "accept", FLED, WITNESS, "--date", "2019"))
    assert "take one proposal" in line


def test_reject_undo_and_accept_again(filed: Cli) -> None:
    ok(filed("review", "reject", FLED, "--note", "the family, not the witness alone"))
    rejected = _proposals(filed, "--status", "rejected")[FLED]
    assert rejected["note"] == "the family, not the witness alone"
    assert rejected["decided_by"] == "tester"
    assert FLED not in _proposals(filed)
    ok(filed("review", "undo", FLED))
    assert _proposals(filed)[FLED]["history"][0]["status"] == "rejected"

    ok(filed("review", "accept", MOTHER, "--new"))
    claim = json_of(filed, "review", "accept", SENTENCED)["claim"]
    undone = ok(filed("review", "undo", SENTENCED)).stdout
    assert f"claim {claim} rejected" in undone
    (shown,) = [c for c in json_of(filed, "show", "P-000002")["claims"] if c["id"] == claim]
    assert shown["status"] == "rejected"  # kept, out of the view
    again = json_of(filed, "review", "accept", SENTENCED)
    assert again["claim"] == claim
    (shown,) = [c for c in json_of(filed, "show", "P-000002")["claims"] if c["id"] == claim]
    assert shown["status"] == "accepted"

    line = error_line(filed("review", "undo", MOTHER))
    assert "accepting a person cannot be undone" in line
    ok(filed("audit", "verify"))


def test_review_errors_are_one_line(filed: Cli) -> None:
    assert "no proposal X-000099" in error_line(filed("review", "accept", "X-000099"))
    assert "no review item 99" in error_line(filed("review", "reject", "99"))
    assert "not a review item number" in error_line(filed("review", "undo", "banana"))
    line = error_line(filed("review", "accept", SENTENCED, "--new"))
    assert "for person proposals" in line
    line = error_line(filed("review", "accept", WITNESS, "--person", "P-000001", "--new"))
    assert "choose one" in line
    ok(filed("review", "accept", MOTHER, "--new"))
    line = error_line(filed("review", "accept", SENTENCED, "--value", "{not json"))
    assert "--value must be a JSON object" in line
    line = error_line(filed("review", "accept", SENTENCED, "--value", '{"years": 300}'))
    assert SENTENCED in line and "years must be between" in line
    assert json.loads(ok(filed("review", "proposals", "--json", "--status", "accepted")).stdout)


def test_only_editors_and_admins_ingest_and_review(
    filed: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(secure_accounts, "hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                                  parallelism=1))  # fmt: skip
    password = "review password 2024"
    archive = open_archive(filed.location, PASSPHRASE, "tester")
    try:
        accounts.add_user(archive, "ayla", "admin", password)
        accounts.sign_in(archive, Credentials("ayla", password))
        accounts.add_user(archive, "rana", "researcher", password)
        accounts.add_user(archive, "vali", "viewer", password)
        accounts.add_user(archive, "erkin", "editor", password)
    finally:
        archive.close()
    monkeypatch.setenv("GUWAH_PASSWORD", password)
    other = article(tmp_path, "other.txt", "Another text.\n")
    for user, role in (("rana", "researcher"), ("vali", "viewer")):
        monkeypatch.setenv("GUWAH_USER", user)
        for args, action in (
            (("ingest", str(other)), "ingest"),
            (("ingest", str(other), "--dry-run"), "ingest"),
            (("review", "proposals"), "review proposals"),
            (("review", "accept", MOTHER, "--new"), "review accept"),
            (("review", "reject", FLED), "review reject"),
            (("review", "undo", FLED), "review undo"),
        ):
            line = error_line(filed(*args))
            assert line == f"error: guwah {action} is not allowed for role {role}"
    monkeypatch.setenv("GUWAH_USER", "erkin")
    decided = json_of(filed, "review", "accept", MOTHER, "--new")
    assert decided["person"] == "P-000002"
    assert _proposals(filed, "--status", "accepted")[MOTHER]["decided_by"] == "erkin"
