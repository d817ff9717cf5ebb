"""Tampering with the archive behind the log's back, with raw SQL, is found and placed.

Each test takes the demo archive (every sample case and list, so about sixty entries and
three signed checkpoints), changes it the way an insider with database access could, and
checks that ``guwah audit verify`` fails, naming the kind of change and its position.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text

from guwah.secure import audit
from guwah.secure.merkle import Tree
from guwah.services.archive import Archive, open_archive
from tests.conftest import PASSPHRASE, Cli
from tests.helpers import error_line, json_of, ok


@pytest.fixture
def demo(demo_cli: Cli) -> Iterator[tuple[Cli, Archive]]:
    archive = open_archive(demo_cli.location, PASSPHRASE, "tester")
    yield demo_cli, archive
    archive.close()


def _sql(archive: Archive, statement: str, **params: Any) -> None:
    with archive.engine.begin() as conn:
        conn.execute(text(statement), params)


def _report(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("audit", "verify", "--json", *args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    report: dict[str, Any] = json.loads(result.stdout)
    assert not report["ok"]
    return report


def _first(report: dict[str, Any]) -> dict[str, Any]:
    first: dict[str, Any] = report["first"][0]
    return first


def _entries(archive: Archive) -> int:
    with archive.engine.connect() as conn:
        return audit.counts(conn)[0]


def _row(conn: Connection, seq: int) -> Any:
    return conn.execute(text("SELECT * FROM audit_log WHERE seq = :seq"), {"seq": seq}).one()


def test_the_demo_archive_verifies(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    result = ok(cli("audit", "verify"))
    entries = _entries(archive)
    assert entries > 50
    line = result.stdout.strip()
    assert line.startswith("OK: the audit log verifies")
    assert f"{entries} entries" in line
    assert "3 checkpoints" in line
    report = json_of(cli, "audit", "verify")
    assert report["ok"] and report["problems"] == 0 and report["records"] > 100


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor", "tesTer"),  # one byte of a field
        ("target", "S-000099"),
        ("entry_hash", "0" * 64),  # the hash itself
    ],
)
def test_a_changed_entry_is_found_at_its_seq(
    demo: tuple[Cli, Archive], column: str, value: str
) -> None:
    cli, archive = demo
    _sql(archive, f"UPDATE audit_log SET {column} = :value WHERE seq = 7", value=value)

    report = _report(cli)

    assert _first(report)["kind"] == "modified"
    assert _first(report)["seq"] == 7


def test_a_flipped_byte_in_the_change_hash_is_found(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    with archive.engine.connect() as conn:
        original = _row(conn, 12).change_hash
    flipped = ("1" if original[0] != "1" else "2") + original[1:]
    _sql(archive, "UPDATE audit_log SET change_hash = :v WHERE seq = 12", v=flipped)

    report = _report(cli)

    assert (_first(report)["kind"], _first(report)["seq"]) == ("modified", 12)
    assert report["problems"] == 1


def test_a_deleted_entry_is_found(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    _sql(archive, "DELETE FROM audit_records WHERE seq = 20")
    _sql(archive, "DELETE FROM audit_log WHERE seq = 20")

    report = _report(cli, "--entries-only")

    assert _first(report)["kind"] == "missing"
    assert _first(report)["seq"] == 20
    assert "entry 20 is missing" in _first(report)["message"]
    # the signed checkpoints after it no longer match the log either
    assert report["by_kind"]["checkpoint"] >= 1


def test_the_text_output_lists_the_problems_and_exits_1(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    _sql(archive, "DELETE FROM audit_records WHERE seq = 20")
    _sql(archive, "DELETE FROM audit_log WHERE seq = 20")

    result = cli("audit", "verify")

    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("FAILED: ")
    assert "missing" in lines[1] and "entry 20" in lines[1]


def test_two_swapped_entries_are_reported_as_reordered(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    for statement in (
        "UPDATE audit_log SET seq = -1 WHERE seq = 10",
        "UPDATE audit_log SET seq = 10 WHERE seq = 11",
        "UPDATE audit_log SET seq = 11 WHERE seq = -1",
    ):
        _sql(archive, statement)

    report = _report(cli, "--entries-only")

    chain = [p for p in report["first"] if p["kind"] in ("reordered", "modified")]
    assert [(p["kind"], p["seq"]) for p in chain] == [("reordered", 10), ("reordered", 11)]


def test_a_log_truncated_below_a_checkpoint_fails_even_with_its_head_repaired(
    demo: tuple[Cli, Archive],
) -> None:
    cli, archive = demo
    ok(cli("audit", "checkpoint"))
    entries = _entries(archive)
    keep = entries - 5
    _sql(archive, "DELETE FROM audit_records WHERE seq > :keep", keep=keep)
    _sql(archive, "DELETE FROM audit_log WHERE seq > :keep", keep=keep)
    _repair_head(archive)  # a careful intruder makes the head row match what is left

    report = _report(cli, "--entries-only")

    assert _first(report)["kind"] == "truncated"
    assert _first(report)["seq"] == keep + 1
    messages = [p["message"] for p in report["first"] if p["kind"] == "truncated"]
    assert any(f"signed a log of {entries} entries" in m for m in messages)
    assert all(f"the log holds only {keep}" in m for m in messages)


def test_a_truncated_tail_is_found_by_the_head_row(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    entries = _entries(archive)
    _sql(archive, "DELETE FROM audit_log WHERE seq > :keep", keep=entries - 2)
    _sql(archive, "DELETE FROM audit_records WHERE seq > :keep", keep=entries - 2)

    report = _report(cli, "--entries-only")

    assert (_first(report)["kind"], _first(report)["seq"]) == ("truncated", entries - 1)


def test_a_forged_entry_appended_without_the_lock_is_found(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    entries = _entries(archive)
    with archive.engine.begin() as conn:  # hashed correctly, but past the head row
        last = _row(conn, entries)
        _insert_entry(conn, entries + 1, bytes.fromhex(last.entry_hash), "claim.accept")

    report = _report(cli, "--entries-only")

    assert (_first(report)["kind"], _first(report)["seq"]) == ("inserted", entries + 1)


def test_a_forged_entry_inserted_in_the_middle_is_found(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    entries = _entries(archive)
    # make room at 15: renumber the later entries (highest first, for the primary key)
    for seq in range(entries, 14, -1):
        _sql(archive, "UPDATE audit_log SET seq = :new WHERE seq = :old", new=seq + 1, old=seq)
        _sql(archive, "UPDATE audit_records SET seq = :new WHERE seq = :old", new=seq + 1, old=seq)
    with archive.engine.begin() as conn:
        _insert_entry(conn, 15, bytes.fromhex(_row(conn, 14).entry_hash), "person.add")

    report = _report(cli, "--entries-only")

    assert (_first(report)["kind"], _first(report)["seq"]) == ("inserted", 15)
    assert "renumbered" in _first(report)["message"]


def test_a_log_rewritten_before_a_checkpoint_fails_at_the_checkpoint(
    demo: tuple[Cli, Archive], tmp_path: Path
) -> None:
    cli, archive = demo
    deposited = tmp_path / "checkpoint.json"
    deposited.write_text(ok(cli("audit", "checkpoint", "--json")).stdout, encoding="utf-8")
    size = json.loads(deposited.read_text(encoding="utf-8"))["statement"]["tree_size"]
    # An intruder rewrites entry 9 and rehashes everything after it, repairs the head and
    # drops the stored checkpoints: the log is consistent again on its own...
    _sql(archive, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = 9")
    _rehash_from(archive, 9)
    _sql(archive, "DELETE FROM audit_checkpoints")
    ok(cli("audit", "verify", "--entries-only"))

    # ...but not against the checkpoint deposited outside the archive
    report = _report(cli, "--entries-only", "--checkpoint", str(deposited))

    assert _first(report)["kind"] == "checkpoint"
    assert _first(report)["seq"] == size
    assert f"first {size} entries no longer match" in _first(report)["message"]


def test_a_rewritten_log_fails_at_its_stored_checkpoints(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    _sql(archive, "UPDATE audit_log SET action = 'person.add' WHERE seq = 2")
    _rehash_from(archive, 2)

    report = _report(cli, "--entries-only")

    with archive.engine.connect() as conn:
        sizes = sorted(conn.execute(text("SELECT tree_size FROM audit_checkpoints")).scalars())
    assert [p["kind"] for p in report["first"]] == ["checkpoint"] * (len(sizes) - 1)
    assert [p["seq"] for p in report["first"]] == sizes[1:]  # the one at size 1 still holds


def test_a_forged_checkpoint_signature_is_found(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    with archive.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM audit_checkpoints ORDER BY tree_size")).first()
    assert row is not None
    statement = json.loads(row.statement)
    statement["at"] = "2020-01-01T00:00:00+00:00"
    _sql(
        archive,
        "UPDATE audit_checkpoints SET statement = :s WHERE tree_size = :size",
        s=audit.statement_text(statement),
        size=row.tree_size,
    )

    report = _report(cli, "--entries-only")

    assert (_first(report)["kind"], _first(report)["seq"]) == ("signature", row.tree_size)


def test_a_checkpoint_file_from_another_archive_or_edited_fails(
    demo: tuple[Cli, Archive], tmp_path: Path
) -> None:
    cli, _archive = demo
    data = json.loads(ok(cli("audit", "checkpoint", "--json")).stdout)
    data["statement"]["root_hash"] = "ab" * 32
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")

    report = _report(cli, "--entries-only", "--checkpoint", str(edited))

    kinds = {p["kind"] for p in report["first"]}
    assert kinds == {"signature", "checkpoint"}

    garbage = tmp_path / "garbage.txt"
    garbage.write_text("not a checkpoint\n", encoding="utf-8")
    line = error_line(cli("audit", "verify", "--checkpoint", str(garbage)))
    assert "is not a checkpoint printed by `guwah audit checkpoint`" in line


def test_a_changed_covered_records_list_is_found(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    _sql(archive, "UPDATE audit_records SET digest = :d WHERE seq = 30 AND n = 1", d="0" * 64)

    report = _report(cli)

    assert (_first(report)["kind"], _first(report)["seq"]) == ("records", 30)


# --- the records the log covers -------------------------------------------------------------


def _person_with_claims(archive: Archive) -> tuple[int, int, int]:
    """(person, one of their claims, one of their name rows), of a person with both."""
    with archive.engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT c.person_id, min(c.id) AS claim, min(n.id) AS name FROM claims c "
                "JOIN names n ON n.person_id = c.person_id "
                "GROUP BY c.person_id ORDER BY c.person_id LIMIT 1"
            )
        ).one()
    return int(row.person_id), int(row.claim), int(row.name)


def _latest_entry_of(archive: Archive, target: str) -> int:
    with archive.engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT max(seq) FROM audit_records WHERE target = :t"), {"t": target}
            ).scalar_one()
        )


def test_an_edited_claim_is_found_with_its_person_and_entry(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    person, claim, _name = _person_with_claims(archive)
    target = f"P-{person:06d}"
    _sql(archive, "UPDATE claims SET quote = 'changed by hand' WHERE id = :id", id=claim)

    report = _report(cli)

    assert report["problems"] == 1
    assert _first(report)["kind"] == "record-changed"
    assert _first(report)["target"] == target
    assert _first(report)["seq"] == _latest_entry_of(archive, target)


def test_a_deleted_name_is_found(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    person, _claim, name = _person_with_claims(archive)
    _sql(archive, "DELETE FROM names WHERE id = :id", id=name)

    report = _report(cli)

    assert (_first(report)["kind"], _first(report)["target"]) == (
        "record-changed",
        f"P-{person:06d}",
    )


def test_a_record_deleted_outright_is_found(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    with archive.engine.connect() as conn:
        case = conn.execute(text("SELECT min(id) FROM cases")).scalar_one()
    _sql(archive, "DELETE FROM case_actions WHERE case_id = :id", id=case)
    _sql(archive, "DELETE FROM cases WHERE id = :id", id=case)

    report = _report(cli)

    assert (_first(report)["kind"], _first(report)["target"]) == (
        "record-missing",
        f"K-{case:06d}",
    )


def test_a_record_added_behind_the_logs_back_is_found(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    _sql(
        archive,
        "INSERT INTO persons (id, kinds, sensitivity, created_at, created_by) "
        "VALUES (99999, 'victim', 'internal', '2026-01-01T00:00:00+00:00', 'intruder')",
    )

    report = _report(cli)

    assert (_first(report)["kind"], _first(report)["target"]) == ("record-unlogged", "P-099999")
    # checking the log only does not read the records
    ok(cli("audit", "verify", "--entries-only"))


# --- an intruder's tools ---------------------------------------------------------------


def _insert_entry(conn: Connection, seq: int, previous: bytes, action: str) -> None:
    at, actor, target = "2026-01-01T00:00:00+00:00", "intruder", "P-000001"
    changed, records = audit.change_hash(None), audit.hashlib.sha256(b"").hexdigest()
    body = audit.entry_text(seq, at, actor, action, target, changed, records)
    conn.execute(
        text(
            "INSERT INTO audit_log VALUES (:seq, :at, :actor, :action, :target, :c, :r, :h)"
        ),
        {
            "seq": seq, "at": at, "actor": actor, "action": action, "target": target,
            "c": changed, "r": records, "h": audit.chain_hash(previous, body).hex(),
        },
    )  # fmt: skip


def _rehash_from(archive: Archive, start: int) -> None:
    """Recompute every entry hash from ``start`` on, and the head row, as an intruder can."""
    with archive.engine.begin() as conn:
        rows = conn.execute(text("SELECT * FROM audit_log ORDER BY seq")).all()
        previous = audit.genesis_hash(audit.archive_id(conn))
        for row in rows:
            if row.seq >= start:
                body = audit.entry_text(
                    row.seq, row.at, row.actor, row.action, row.target, row.change_hash,
                    row.records_hash,
                )  # fmt: skip
                new = audit.chain_hash(previous, body).hex()
                conn.execute(
                    text("UPDATE audit_log SET entry_hash = :h WHERE seq = :seq"),
                    {"h": new, "seq": row.seq},
                )
                previous = bytes.fromhex(new)
            else:
                previous = bytes.fromhex(row.entry_hash)
    _repair_head(archive)


def _repair_head(archive: Archive) -> None:
    with archive.engine.begin() as conn:
        hashes = [
            bytes.fromhex(h)
            for h in conn.execute(text("SELECT entry_hash FROM audit_log ORDER BY seq")).scalars()
        ]
        tree = Tree()
        tree.extend(hashes)
        conn.execute(
            text("UPDATE audit_head SET seq = :n, entry_hash = :h, frontier = :f"),
            {"n": len(hashes), "h": hashes[-1].hex(), "f": tree.frontier_text()},
        )


# --- a later write cannot launder a tampered record -------------------------------------------


def test_a_write_to_a_tampered_record_is_refused(demo: tuple[Cli, Archive]) -> None:
    """Otherwise the next honest edit of the person would log the tampered rows as its own."""
    cli, archive = demo
    person, claim, _name = _person_with_claims(archive)
    target = f"P-{person:06d}"
    seq = _latest_entry_of(archive, target)
    entries = _entries(archive)
    _sql(archive, "UPDATE claims SET quote = 'changed by hand' WHERE id = :id", id=claim)

    line = error_line(cli("claim", "correct", f"C-{claim:06d}", "--quote", "a correction"))

    assert line == (
        f"error: {target} was changed outside Guwah since audit entry {seq}: nothing was "
        "written; run `guwah audit verify`"
    )
    assert _entries(archive) == entries
    report = _report(cli)
    assert (_first(report)["kind"], _first(report)["target"]) == ("record-changed", target)


def test_an_import_linking_a_tampered_person_is_refused(demo: tuple[Cli, Archive]) -> None:
    cli, archive = demo
    with archive.engine.connect() as conn:
        person = conn.execute(
            text("SELECT min(person_id) FROM person_refs WHERE namespace = 'simple-list'")
        ).scalar_one()
    _sql(archive, "UPDATE persons SET kinds = 'victim,testifier' WHERE id = :id", id=person)
    lists = Path(__file__).resolve().parents[1] / "src" / "guwah" / "data" / "sample" / "lists"

    line = error_line(cli("import", str(lists / "simple-list.csv")))

    assert f"P-{person:06d} was changed outside Guwah" in line
