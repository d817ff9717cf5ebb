"""Reads obey the role's level on the demo archive: researchers see internal data without
restricted fields (testifiers, ID numbers, restricted records), viewers public data only;
``show``, ``search``, ``stats``, ``match`` and ``export`` all obey, and every read of
restricted data by a role allowed to see it is audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from guwah.model.records import format_id
from guwah.secure import accounts as secure_accounts
from guwah.secure.policy import MARKER
from guwah.services import accounts
from guwah.services.accounts import Credentials
from guwah.services.archive import open_archive
from guwah.services.testimony import add_document
from guwah.store import tables
from tests.conftest import PASSPHRASE, Cli, Result
from tests.helpers import error_line, ok

PASSWORD = "reading room 1989"
RESTRICTED_TESTIFIER = "Гүлнұр Бекболатқызы"  # the testifier of sample case 041
Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secure_accounts, "hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                                  parallelism=1))  # fmt: skip


@pytest.fixture
def staff(demo_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> dict[str, Run]:
    """The demo archive with an admin, a researcher and a viewer; a runner for each."""
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        accounts.add_user(archive, "ayla", "admin", PASSWORD)
        accounts.sign_in(archive, Credentials("ayla", PASSWORD))
        accounts.add_user(archive, "rana", "researcher", PASSWORD)
        accounts.add_user(archive, "vali", "viewer", PASSWORD)
    finally:
        archive.close()
    monkeypatch.setenv("GUWAH_PASSWORD", PASSWORD)

    def runner(user: str) -> Run:
        def run(*args: str) -> Result:
            monkeypatch.setenv("GUWAH_USER", user)
            return demo_cli(*args)

        return run

    return {"admin": runner("ayla"), "researcher": runner("rana"), "viewer": runner("vali")}


def records(run: Run, *args: str) -> list[dict[str, Any]]:
    text = ok(run("export", "--format", "jsonl", *args)).stdout
    return [json.loads(line) for line in text.splitlines()]


def audit_entries(cli: Cli, action: str) -> list[tuple[str, str]]:
    archive = open_archive(cli.location, PASSPHRASE, "reader")
    try:
        log = tables.audit_log
        with archive.engine.connect() as conn:
            rows = conn.execute(
                select(log.c.actor, log.c.target).where(log.c.action == action).order_by(log.c.seq)
            )
            return [(r.actor, r.target) for r in rows]
    finally:
        archive.close()


def test_researchers_read_internal_data_without_restricted_fields(staff: dict[str, Run]) -> None:
    everything = records(staff["admin"])
    people = {r["id"]: r for r in everything if r["type"] == "person"}
    sources = [r for r in everything if r["type"] == "source"]
    restricted = {p for p, r in people.items() if r["sensitivity"] == "restricted"}
    testifiers = {s["testifier"] for s in sources if s["testifier"]}
    id_claims = [r for r in everything if r["type"] == "claim" and r["kind"] == "id_number"]
    assert restricted and testifiers and id_claims

    seen = records(staff["researcher"])  # the default: as much as the role may export
    seen_people = {r["id"] for r in seen if r["type"] == "person"}
    text = json.dumps(seen, ensure_ascii=False)
    assert not seen_people & restricted
    assert RESTRICTED_TESTIFIER not in text
    assert all(not r.get("testifier") for r in seen if r["type"] == "source")
    assert not [r for r in seen if r["type"] == "claim" and r["kind"] == "id_number"]
    assert all(c["value"]["text"] not in text for c in id_claims)
    assert {p for p in testifiers if "victim" not in people[p]["kinds"]} & seen_people == set()
    assert "Ilham Tohti" in text
    assert "export of restricted data as jsonl is not allowed for role researcher" in error_line(
        staff["researcher"]("export", "--max-sensitivity", "restricted")
    )

    levels = {r["id"]: r["sensitivity"] for r in everything if r["type"] in ("person", "source")}
    listed = next(
        c
        for c in id_claims
        if levels[c["source"]] != "restricted" and levels[c["person"]] != "restricted"
    )  # an ID number from a list the researcher may read, of a person they may see
    victim = listed["person"]
    shown = json.loads(ok(staff["researcher"]("show", victim, "--json")).stdout)
    numbers = [c for c in shown["claims"] if c["kind"] == "id_number"]
    assert numbers and all(c["value"] == {"text": MARKER} for c in numbers)
    assert listed["value"]["text"] not in json.dumps(shown, ensure_ascii=False)
    assert MARKER in json.dumps(shown["claims"][0]["quote"], ensure_ascii=False)
    assert MARKER in ok(staff["researcher"]("show", victim)).stdout  # printed, not eaten
    assert "searching by ID number is not allowed for role researcher" in error_line(
        staff["researcher"]("search", id_claims[0]["value"]["text"][:8])
    )
    assert "matching by ID number is not allowed" in error_line(
        staff["researcher"]("match", "Someone", "--id-number", id_claims[0]["value"]["text"])
    )

    hidden = sorted(restricted)[0]
    assert error_line(staff["researcher"]("show", hidden)) == (
        f"error: no person {hidden} in the archive"  # the same words as for a missing one
    )
    found = json.loads(ok(staff["researcher"]("search", "--limit", "500", "--json")).stdout)
    assert found and not {r["id"] for r in found} & restricted
    admin_stats = json.loads(ok(staff["admin"]("stats", "--json")).stdout)
    researcher_stats = json.loads(ok(staff["researcher"]("stats", "--json")).stdout)
    assert researcher_stats["persons"] == admin_stats["persons"] - len(restricted)
    assert researcher_stats["claims"] < admin_stats["claims"]
    counted = [
        c for c in id_claims if "restricted" not in (levels[c["source"]], levels[c["person"]])
    ]
    assert researcher_stats["claims_by_kind"]["id_number"] == len(counted)  # a count, no number


def test_viewers_read_public_data_only(staff: dict[str, Run]) -> None:
    everything = records(staff["admin"])
    public = {r["id"] for r in everything if r["type"] == "person" and r["sensitivity"] == "public"}
    internal = sorted(
        r["id"] for r in everything if r["type"] == "person" and r["sensitivity"] == "internal"
    )
    seen = records(staff["viewer"])
    assert {r["id"] for r in seen if r["type"] == "person"} <= public
    assert {r["type"] for r in seen} <= {"place", "person", "source", "claim"}
    assert all(r["sensitivity"] == "public" for r in seen if r["type"] in ("person", "source"))
    found = json.loads(ok(staff["viewer"]("search", "--limit", "500", "--json")).stdout)
    assert found and {r["id"] for r in found} <= public
    assert f"no person {internal[0]} in the archive" in error_line(
        staff["viewer"]("show", internal[0])
    )
    tohti = json.loads(ok(staff["viewer"]("show", "P-000001", "--json")).stdout)
    assert tohti["view"]["best_name"] == "Ilham Tohti" and tohti["cases"] == []
    stats = json.loads(ok(staff["viewer"]("stats", "--json")).stdout)
    assert stats["persons"] == len(public)
    matched = json.loads(ok(staff["viewer"]("match", "Ilham Tohti", "--json")).stdout)
    assert matched and {c["id"] for c in matched} <= public
    assert "export of internal data as csv is not allowed for role viewer" in error_line(
        staff["viewer"]("export", "--format", "csv", "--max-sensitivity", "internal")
    )


def test_reads_of_restricted_data_are_audited(staff: dict[str, Run], demo_cli: Cli) -> None:
    everything = records(staff["admin"], "--max-sensitivity", "restricted")
    testifier = next(
        r["id"] for r in everything
        if r["type"] == "person" and RESTRICTED_TESTIFIER in {n["text"] for n in r["names"]}
    )  # fmt: skip
    sources = {r["id"]: r for r in everything if r["type"] == "source"}
    claims = [r for r in everything if r["type"] == "claim"]
    plain = next(
        r["id"] for r in everything
        if r["type"] == "person" and r["sensitivity"] == "public" and all(
            c["kind"] != "id_number" and sources[c["source"]]["sensitivity"] == "public"
            and not sources[c["source"]]["testifier"]
            for c in claims if r["id"] in (c["person"], c["value"].get("person"))
        )
    )  # fmt: skip
    assert RESTRICTED_TESTIFIER in ok(staff["admin"]("show", testifier)).stdout
    ok(staff["admin"]("search", "Бекболатқызы"))
    ok(staff["admin"]("show", plain))  # nothing restricted about them: no entry
    reads = audit_entries(demo_cli, "restricted.read")
    assert reads[0] == ("ayla", "export.jsonl")
    assert reads.count(("ayla", testifier)) == 2  # shown, then listed by the search
    assert ("ayla", plain) not in reads
    denied = audit_entries(demo_cli, "access.denied")
    assert denied == []
    error_line(staff["researcher"]("show", testifier))
    assert audit_entries(demo_cli, "access.denied") == [("rana", testifier)]


def test_restricted_people_shown_in_the_duplicate_queue_are_audited(
    staff: dict[str, Run], demo_cli: Cli
) -> None:
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        outcome = add_document(
            archive,
            {"source": {"kind": "testimony_written", "title": "Two letters", "sensitivity":
                        "restricted"},
             "persons": [{"ref": ref, "sensitivity": "restricted",
                          "names": [name]}
                         for ref, name in (("a", "Qeyser Ablimit"), ("b", "Кейсер Аблимит"))]},
        )  # fmt: skip
    finally:
        archive.close()
    assert outcome.result is not None
    hidden = {format_id("person", n) for n in outcome.result.person_ids.values()}
    ok(staff["admin"]("dedupe"))
    items = json.loads(ok(staff["admin"]("review", "list", "--json")).stdout)
    assert any({p["id"] for p in item["people"]} == hidden for item in items)
    assert ("ayla", "review.list") in audit_entries(demo_cli, "restricted.read")


def test_an_export_file_of_a_researcher_holds_no_restricted_name(
    staff: dict[str, Run], tmp_path: Path
) -> None:
    for fmt in ("jsonl", "csv", "ftm"):
        out = tmp_path / f"out.{fmt}"
        ok(staff["researcher"]("export", "--format", fmt, "-o", str(out)))
        assert RESTRICTED_TESTIFIER not in out.read_text(encoding="utf-8"), fmt


def test_a_title_naming_a_testifier_is_withheld_with_the_testifier(
    staff: dict[str, Run], demo_cli: Cli
) -> None:
    """Documenters title testimonies after who gave them: a researcher, who is not shown
    a testifier without consent to name them, is not shown such a title either."""
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        outcome = add_document(
            archive,
            {"source": {"kind": "testimony_oral", "title": "Testimony of Nurzhan Qasimov",
                        "sensitivity": "internal", "testifier": "t",
                        "reliability": "Nurzhan's uncle confirms"},
             "persons": [{"ref": "t", "kinds": ["testifier"], "sensitivity": "internal",
                          "names": ["Nurzhan Qasimov"]},
                         {"ref": "v", "kinds": ["victim"], "sensitivity": "internal",
                          "names": ["Erkin Qasimov"]}],
             "claims": [{"subject": "v", "kind": "detained", "date": "2018"}]},
        )  # fmt: skip
    finally:
        archive.close()
    assert outcome.result is not None
    victim = format_id("person", outcome.result.person_ids["v"])
    source = format_id("source", outcome.result.source_id)
    assert "Testimony of Nurzhan Qasimov" in ok(staff["admin"]("show", victim, "--json")).stdout
    seen = ok(staff["researcher"]("show", victim, "--json")).stdout
    assert "detained" in seen and "Nurzhan" not in seen

    ok(staff["admin"]("consent", "record", source, "--publish-name", "--how", "written"))
    seen = ok(staff["researcher"]("show", victim, "--json")).stdout
    assert "Testimony of Nurzhan Qasimov" in seen
