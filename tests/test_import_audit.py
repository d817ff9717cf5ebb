"""An import's audit entry covers every person it wrote with the digest of their rows as
committed, though the digests of the people it created are read batch by batch; the
compact store of those digests; and an entry lists each record once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from guwah.secure import audit, coverage
from guwah.secure.audit_verify import verify
from guwah.services import importing
from guwah.services.archive import Archive
from guwah.store import tables


def _line(ref: str, name: str, born: str) -> str:
    record = {
        "type": "person",
        "names": [name],
        "external_refs": [{"namespace": "families", "ref": ref}],
        "claims": [{"kind": "born", "date": born}, {"kind": "gender", "value": {"text": "female"}}],
    }
    return json.dumps(record, ensure_ascii=False)


def test_a_person_created_in_one_batch_and_linked_in_a_later_one_is_logged_as_committed(
    archive: Archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_ROWS", 2)
    lines = [
        _line("F-1", "Gulnar Omer", "1970"),
        _line("F-2", "Mihrigul Tursun", "1989"),
        _line("F-3", "Zumret Dawut", "1982"),
        _line("F-1", "Гүлнар Өмер", "1970-05"),  # the first person again, in batch two
        _line("F-4", "Rahile Dawut", "1966"),
    ]
    path = tmp_path / "families.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = importing.import_file(archive, path)

    assert (report.created, report.linked) == (4, 1)
    with archive.engine.connect() as conn:
        people = sorted(conn.execute(select(tables.persons.c.id)).scalars())
        assert len(people) == 4
        names_of_first = conn.execute(
            select(tables.names.c.text).where(tables.names.c.person_id == people[0])
        ).scalars()
        assert sorted(names_of_first) == ["Gulnar Omer", "Гүлнар Өмер"]
        assert audit.drifted(conn, coverage.Coverage().add(coverage.PERSON, people)) == []
        logged = audit.latest_digests(conn, [coverage.PERSON.target(n) for n in people])
        assert {seq for seq, _digest in logged.values()} == {audit.counts(conn)[0]}
        assert verify(conn).ok


def test_known_digests_answer_only_for_what_was_read_and_not_forgotten() -> None:
    known = coverage.KnownDigests(coverage.PERSON)
    first, second = "a" * 64, "b" * 64
    known.add([("P-000003", first), ("P-000007", second), ("S-000008", "c" * 64)])

    assert known.get(coverage.PERSON, 3) == first
    assert known.get(coverage.PERSON, 7) == second
    assert known.get(coverage.PERSON, 5) is None
    assert known.get(coverage.SOURCE, 8) is None  # another kind is never taken as known
    known.forget([3])
    assert known.get(coverage.PERSON, 3) is None
    with pytest.raises(ValueError, match="increasing id order"):
        known.add([("P-000004", first)])


def test_an_entry_lists_each_record_once_whether_covered_or_given(archive: Archive) -> None:
    given = [("P-000003", "d" * 64), ("P-000003", "e" * 64), ("P-000001", "f" * 64)]
    with archive.engine.begin() as conn:
        seq = audit.append(
            conn,
            actor="tester",
            action="test.write",
            target="P-000001",
            covers=["P-000001", "P-000002"],
            records=["P-000002", *given],
        )
        covered = tables.audit_records
        rows = conn.execute(
            select(covered.c.target, covered.c.digest)
            .where(covered.c.seq == seq)
            .order_by(covered.c.n)
        ).all()
    assert [(t, d) for t, d in rows] == [
        ("P-000001", coverage.ABSENT),
        ("P-000002", coverage.ABSENT),
        ("P-000003", "d" * 64),
    ]
