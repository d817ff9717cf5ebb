"""The audit log: its Merkle tree against RFC 6962's reference values, entries appended by
every write, digests that agree across backends, concurrent writers, and the CLI."""

from __future__ import annotations

import hashlib
import json
import random
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from guwah.secure import audit, coverage, merkle
from guwah.secure.audit_verify import verify
from guwah.services.archive import Archive, open_archive
from tests.conftest import PASSPHRASE, PG_URL, Cli, fresh_postgres_database
from tests.helpers import CASES, LISTS, error_line, json_of, ok

# The leaves and tree heads of the reference tests of RFC 6962 implementations
# (certificate-transparency, trillian): sizes 1 to 8.
CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
             "606162636465666768696a6b6c6d6e6f"]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_PATH_0_OF_8 = [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
]


def test_merkle_roots_match_the_rfc_6962_reference_values() -> None:
    leaves = [bytes.fromhex(x) for x in CT_LEAVES]
    assert merkle.root_of([]).hex() == hashlib.sha256(b"").hexdigest()
    for size, expected in enumerate(CT_ROOTS, start=1):
        assert merkle.root_of(leaves[:size]).hex() == expected
        one_by_one, in_bulk = merkle.Tree(), merkle.Tree()
        for leaf in leaves[:size]:
            one_by_one.append(leaf)
        in_bulk.extend(leaves[:size])
        assert one_by_one.root().hex() == in_bulk.root().hex() == expected


def test_merkle_inclusion_proofs_match_the_reference_and_check() -> None:
    leaves = [bytes.fromhex(x) for x in CT_LEAVES]
    path = merkle.inclusion_proof(leaves, 0)
    assert [p.hex() for p in path] == CT_PATH_0_OF_8
    for size in range(1, 9):
        for index in range(size):
            proof = merkle.inclusion_proof(leaves[:size], index)
            root = merkle.root_from_inclusion(leaves[index], index, size, proof)
            assert root.hex() == CT_ROOTS[size - 1]


def test_a_tree_grown_in_uneven_pieces_has_the_reference_root() -> None:
    rng = random.Random(4)
    hashes = [hashlib.sha256(str(i).encode()).digest() for i in range(700)]
    tree, done = merkle.Tree(), 0
    while done < len(hashes):
        step = rng.randint(1, 90)
        tree.extend(hashes[done : done + step])
        done = min(done + step, len(hashes))
        assert tree.root() == merkle.root_of(hashes[:done])
        again = merkle.Tree.from_text(tree.size, tree.frontier_text())
        assert again.root() == tree.root()


# --- appending ---------------------------------------------------------------------------


def test_append_chains_entries_without_gaps_and_verifies(archive: Archive) -> None:
    with archive.engine.begin() as conn:
        first = audit.append(conn, actor="tester", action="restricted.read", target="P-000001")
        second = audit.append(
            conn, actor="tester", action="access.denied", target="export.restricted",
            change={"role": "viewer"},
        )  # fmt: skip
    assert (first, second) == (2, 3)  # the archive's creation is entry 1
    with archive.engine.connect() as conn:
        report = verify(conn)
        entries = audit.latest(conn, 10)
    assert report.ok and report.entries == 3
    assert [e.action for e in entries] == ["access.denied", "restricted.read", "archive.init"]
    assert entries[0].change_hash == audit.change_hash({"role": "viewer"})


@pytest.mark.parametrize("field", ["actor", "action", "target"])
def test_append_refuses_fields_that_would_make_the_hash_ambiguous(
    archive: Archive, field: str
) -> None:
    values = {"actor": "tester", "action": "person.add", "target": "P-000001"}
    values[field] = "a\x1fb"
    with archive.engine.begin() as conn, pytest.raises(audit.InvalidInput):
        audit.append(conn, **values)


def test_a_rolled_back_write_leaves_no_entry(archive: Archive) -> None:
    with pytest.raises(RuntimeError), archive.engine.begin() as conn:
        audit.append(conn, actor="tester", action="person.add", target="P-000001")
        raise RuntimeError("the write failed")
    with archive.engine.connect() as conn:
        assert audit.counts(conn)[0] == 1
        assert verify(conn).ok


def test_concurrent_writers_never_fork_the_chain(archive: Archive) -> None:
    errors: list[BaseException] = []

    def write(who: str) -> None:
        try:
            for _ in range(15):
                with archive.engine.begin() as conn:
                    audit.append(conn, actor=who, action="restricted.read", target="P-000001")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"user{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with archive.engine.connect() as conn:
        seqs = list(conn.execute(text("SELECT seq FROM audit_log ORDER BY seq")).scalars())
        report = verify(conn)
    assert seqs == list(range(1, 47))
    assert report.ok, report.problems


def test_two_transactions_changing_one_person_log_its_final_state(
    backend: str, cli_archive: Cli, tmp_path: Path
) -> None:
    """On PostgreSQL two writers may change the same record at once; each logs the record
    as it is after the lock, so the last digest logged is the record's final state."""
    if backend != "postgres":
        pytest.skip("SQLite has one writer at a time")
    ok(cli_archive("add", str(CASES[0])))
    archive = open_archive(cli_archive.location, PASSPHRASE, "tester")
    try:
        with archive.engine.connect() as conn:
            person, first, second = conn.execute(
                text("SELECT person_id, min(id), max(id) FROM claims GROUP BY person_id "
                     "HAVING count(*) > 1 ORDER BY person_id LIMIT 1")
            ).one()  # fmt: skip
        target = coverage.PERSON.target(person)
        a, b = archive.engine.connect(), archive.engine.connect()
        try:
            a.begin()
            b.begin()
            update = text("UPDATE claims SET status = 'rejected' WHERE id = :id")
            a.execute(update, {"id": first})
            b.execute(update, {"id": second})
            audit.append(a, actor="a", action="claim.reject", target="C-1", covers=[target])
            waiting = threading.Thread(
                target=audit.append,
                args=(b,),
                kwargs={"actor": "b", "action": "claim.reject", "target": "C-2",
                        "covers": [target]},
            )  # fmt: skip
            waiting.start()  # queues on the log's lock
            a.commit()
            waiting.join()
            b.commit()
        finally:
            a.close()
            b.close()
        with archive.engine.connect() as conn:
            report = verify(conn)
        assert report.ok, report.problems
    finally:
        archive.close()


# --- what the writes log --------------------------------------------------------------------


def _log(cli: Cli, limit: int = 1000) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json_of(cli, "audit", "log", "--limit", str(limit))
    return entries


def test_every_write_appends_one_entry_covering_what_it_touched(cli_archive: Cli) -> None:
    cli = cli_archive
    ok(cli("add", str(CASES[0])))
    ok(cli("add", str(CASES[0])))  # the same file again: nothing written, nothing logged
    ok(cli("import", str(LISTS / "simple-list.csv")))
    claim = json_of(cli, "show", "P-000001")["claims"][0]["id"]
    ok(cli("claim", "reject", claim))
    ok(cli("claim", "correct", claim, "--quote", "a corrected quote"))
    ok(cli("reindex"))

    entries = _log(cli)

    actions = [e["action"] for e in reversed(entries)]
    assert actions == [
        "archive.init", "testimony.add", "import", "claim.reject", "claim.correct", "reindex",
    ]  # fmt: skip
    by_action = {e["action"]: e for e in entries}
    assert by_action["testimony.add"]["target"] == "S-000001"
    assert by_action["import"]["target"] == "S-000002"
    assert by_action["import"]["records"] == 21  # 20 people and the list's source
    assert by_action["claim.reject"]["target"] == claim
    assert by_action["claim.reject"]["records"] == 1
    assert by_action["reindex"]["records"] == 0
    ok(cli("audit", "verify"))


def test_the_log_holds_ids_and_hashes_only(demo_cli: Cli) -> None:
    """No name, quote or title of the demo archive appears in the log's tables."""
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        with archive.engine.connect() as conn:
            texts = set(conn.execute(text("SELECT text FROM names")).scalars())
            texts |= {q for q in conn.execute(text("SELECT quote FROM claims")).scalars() if q}
            texts |= set(conn.execute(text("SELECT title FROM sources")).scalars())
            logged = []
            for table in ("audit_log", "audit_records", "audit_checkpoints", "audit_head"):
                for row in conn.execute(text(f"SELECT * FROM {table}")):
                    logged.extend(str(value) for value in row)
    finally:
        archive.close()
    blob = "\n".join(logged)
    assert len(texts) > 100
    assert [t for t in texts if len(t) > 3 and t in blob] == []


def test_review_decisions_are_logged_and_undo_keeps_it_verifying(
    cli_archive: Cli, tmp_path: Path
) -> None:
    pytest.importorskip("guwah.match.linkage")
    people = tmp_path / "people.csv"
    people.write_text(
        "id,name,gender,birth_year\nR-1,Gulbahar Haitiwaji,female,1966\n"
        "R-2,古丽巴哈尔·海提瓦吉,female,1966\nR-3,Ilham Tohti,male,1969\n",
        encoding="utf-8",
    )
    cli = cli_archive
    ok(cli("import", str(people)))
    ok(cli("dedupe"))
    items = json_of(cli, "review", "list")
    assert items
    item = str(items[0]["item"])
    ok(cli("review", "merge", item))
    ok(cli("audit", "verify"))
    ok(cli("review", "undo", item))

    actions = [(e["action"], e["target"]) for e in _log(cli, 4)]
    assert actions[:3] == [
        ("review.undo", f"R-{int(item):06d}"),
        ("review.merge", f"R-{int(item):06d}"),
        ("review.find", "review"),
    ]
    ok(cli("audit", "verify"))


_SAME_ROWS = [
    "INSERT INTO persons VALUES (41, 'victim', 'internal', '2026-01-01T00:00:00+00:00', 't')",
    "INSERT INTO sources (id, kind, title, sensitivity, created_at, created_by) VALUES "
    "(42, 'article', 'A title', 'public', '2026-01-01T00:00:00+00:00', 't')",
    "INSERT INTO names (id, person_id, text, script, lang, kind, source_id) VALUES "
    "(43, 41, 'Ekpar Asat', 'Latn', '', 'full', 42)",
    "INSERT INTO claims (id, person_id, source_id, kind, value_json, value_text, year_min, "
    "status, recorded_by, recorded_at, fingerprint) VALUES (44, 41, 42, 'detained', "
    "'{\"x\": 1}', 'detained', 2016, 'accepted', 't', '2026-01-01T00:00:00+00:00', 'f')",
    "INSERT INTO cases (id, person_id, status, created_at, updated_at) VALUES "
    "(45, 41, 'open', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')",
    "INSERT INTO case_actions (id, case_id, kind, description, done, recorded_by, "
    "recorded_at) VALUES (46, 45, 'letter', 'd', true, 't', '2026-01-01T00:00:00+00:00')",
    "INSERT INTO review_items (id, kind, person_ids, probability, details_json, status, "
    "found_at) VALUES (47, 'duplicates', '41', 0.1, '{}', 'open', '2026-01-01T00:00:00+00:00')",
]


@pytest.mark.skipif(PG_URL is None, reason="needs PostgreSQL (GUWAH_TEST_DATABASE_URL)")
def test_digests_are_the_same_on_both_backends(tmp_path: Path) -> None:
    """The same rows give the same digests on SQLite and PostgreSQL: integers, text,
    booleans, floats and NULLs are brought to one form."""
    from guwah.services.archive import init_archive

    digests = []
    with fresh_postgres_database() as url:
        for location in (str(tmp_path / "same.db"), url):
            archive = init_archive(location, PASSPHRASE, "tester")
            try:
                with archive.engine.begin() as conn:
                    for statement in _SAME_ROWS:
                        conn.execute(text(statement))
                    targets = ["P-000041", "S-000042", "K-000045", "R-000047", "places"]
                    digests.append(coverage.record_digests(conn, targets))
            finally:
                archive.close()
    assert digests[0] == digests[1]
    assert coverage.ABSENT not in digests[0].values()


def test_a_digest_is_sha256_of_the_documented_canonical_json(archive: Archive) -> None:
    with archive.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO persons (id, kinds, sensitivity, created_at, created_by) VALUES "
                 "(7, 'victim', 'internal', '2026-01-01T00:00:00+00:00', 'tester')")
        )  # fmt: skip
        digest = coverage.record_digests(conn, ["P-000007"])["P-000007"]
    canonical = (
        '[["persons",[[["id",7],["kinds","victim"],["sensitivity","internal"],'
        '["created_at","2026-01-01T00:00:00+00:00"],["created_by","tester"]]]]]'
    )
    assert digest == hashlib.sha256(canonical.encode("ascii")).hexdigest()


def test_an_archive_from_before_the_log_starts_it_on_opening(archive: Archive) -> None:
    from alembic import command

    from guwah.store import migrate

    with archive.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO persons (id, kinds, sensitivity, created_at, created_by) VALUES "
                 "(1, 'victim', 'internal', '2026-01-01T00:00:00+00:00', 'tester')")
        )  # fmt: skip
    config = migrate._config()
    with archive.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
    archive.close()

    reopened = open_archive(archive.location, PASSPHRASE, "tester")
    try:
        with reopened.engine.connect() as conn:
            entries = audit.latest(conn, 5)
            report = verify(conn)
    finally:
        reopened.close()
    assert [(e.seq, e.action, e.records) for e in entries] == [(1, "audit.start", 2)]
    assert report.ok, report.problems
    assert report.checkpoints == 1


# --- the command line -------------------------------------------------------------------------


def test_checkpoint_prints_a_statement_anyone_can_check(cli_archive: Cli, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    ok(cli_archive("add", str(CASES[0])))
    data = json_of(cli_archive, "audit", "checkpoint")
    statement = data["statement"]
    assert statement["tree_size"] == 2
    assert statement["format"] == audit.CHECKPOINT_FORMAT
    key = Ed25519PublicKey.from_public_bytes(__import__("base64").b64decode(data["public_key"]))
    signed = json.dumps(statement, sort_keys=True, separators=(",", ":")).encode()
    key.verify(__import__("base64").b64decode(data["signature"]), signed)  # raises if wrong

    printed = ok(cli_archive("audit", "checkpoint")).stdout
    assert f"root_hash: {statement['root_hash']}" in printed
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(printed, encoding="utf-8")
    ok(cli_archive("add", str(CASES[1])))
    result = ok(cli_archive("audit", "verify", "--checkpoint", str(saved)))
    assert "1 given checkpoint" in result.stdout


def test_audit_log_lists_the_latest_entries(cli_archive: Cli) -> None:
    ok(cli_archive("add", str(CASES[0])))
    table = ok(cli_archive("audit", "log")).stdout
    assert "testimony.add" in table and "archive.init" in table
    entries = _log(cli_archive, 1)
    assert [e["action"] for e in entries] == ["testimony.add"]
    assert set(entries[0]) >= {"seq", "at", "actor", "target", "entry_hash", "records"}
    line = error_line(cli_archive("audit", "log", "--limit", "0"))
    assert "limit must be between 1 and 1000" in line


def test_checkpoint_needs_the_keys(backend: str, cli_archive: Cli, monkeypatch: Any) -> None:
    if backend != "postgres":
        pytest.skip("an embedded archive cannot be opened without its passphrase")
    monkeypatch.delenv("GUWAH_PASSPHRASE")
    line = error_line(cli_archive("audit", "checkpoint"))
    assert "key" in line  # cannot sign without the archive's keys
    ok(cli_archive("audit", "verify"))  # verifying needs no key: the public keys are stored


@pytest.mark.parametrize("removed", [0, -3], ids=["at the cut", "before the cut"])
def test_a_log_checked_in_two_processes_reports_the_same(
    demo_cli: Cli, monkeypatch: Any, tmp_path: Path, removed: int
) -> None:
    """A large log is checked in two halves at once; the halves' findings, tree and
    records join into the report one process would give, problems at the cut included,
    and an entry removed from the first half (the second half then starts elsewhere in
    the tree than its seq says)."""
    from guwah.secure import audit_verify
    from guwah.services.audit import verify_log

    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    try:
        with archive.engine.connect() as conn:
            entries = conn.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
        middle = entries // 2 + 1  # where the log is cut in two
        with archive.engine.begin() as conn:
            for statement in (
                f"DELETE FROM audit_log WHERE seq = {middle + removed}",
                f"UPDATE audit_log SET actor = 'x' WHERE seq = {middle + 3}",
                "UPDATE claims SET quote = 'by hand' WHERE id = 1",
            ):
                conn.execute(text(statement))
        reports = []
        for workers in ("0", "1"):
            monkeypatch.setenv("GUWAH_AUDIT_WORKERS", workers)
            monkeypatch.setattr(audit_verify, "PARALLEL_ENTRIES", 10)
            reports.append(verify_log(archive).as_dict())
    finally:
        archive.close()
    assert reports[0] == reports[1]
    kinds = [(p["kind"], p["seq"]) for p in reports[0]["first"]]
    assert ("missing", middle + removed) in kinds and ("modified", middle + 3) in kinds
    assert reports[0]["by_kind"]["record-changed"] == 1
    assert reports[0]["by_kind"]["checkpoint"] >= 1
